// Who may hold a claim, and what a note may say. An adjuster takes a claim for themselves or lets it
// go; handing a claim to a colleague is a senior adjuster's or an admin's call (they balance the queue).
// Closed claims are not worked, so they are not assigned.
import type { ReviewerRole } from '../shared/review.ts';

export const maxNoteLength = 4_000;

export interface AssignmentRequest {
  readonly actor: { readonly role: ReviewerRole; readonly id: string };
  /** The user id to hold the claim; null to release it. */
  readonly assignee: string | null;
  /** Who holds it now. */
  readonly current: string | null;
  readonly claimClosed: boolean;
  /** Whether `assignee` is a reviewer the key ring knows. */
  readonly assigneeIsReviewer: boolean;
}

export type AssignmentCheck = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

export function checkAssignment(request: AssignmentRequest): AssignmentCheck {
  const { actor, assignee, current } = request;
  if (request.claimClosed) return { ok: false, code: 'CLAIM_CLOSED', message: 'The claim is closed; nobody needs to work it.' };
  const balancer = actor.role === 'senior_adjuster' || actor.role === 'admin';
  if (assignee === null) {
    if (current === null) return { ok: false, code: 'NOT_ASSIGNED', message: 'The claim is not assigned to anyone.' };
    if (current !== actor.id && !balancer)
      return {
        ok: false,
        code: 'ASSIGNED_TO_ANOTHER',
        message: `The claim is held by ${current}; only they or a senior adjuster can release it.`,
      };
    return { ok: true };
  }
  if (!request.assigneeIsReviewer)
    return { ok: false, code: 'UNKNOWN_ASSIGNEE', message: `${assignee} is not an adjuster, senior adjuster or admin.` };
  if (assignee !== actor.id && !balancer)
    return {
      ok: false,
      code: 'CANNOT_ASSIGN_OTHERS',
      message: 'An adjuster can take a claim for themselves; a senior adjuster assigns it to others.',
    };
  if (current !== null && current !== actor.id && !balancer)
    return { ok: false, code: 'ASSIGNED_TO_ANOTHER', message: `The claim is held by ${current}; ask them or a senior adjuster.` };
  if (current === assignee) return { ok: false, code: 'ALREADY_ASSIGNED', message: `The claim is already held by ${assignee}.` };
  return { ok: true };
}
