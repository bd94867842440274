// Voice sessions as the API keeps them: a row per call or statement (what was said, the slots, the
// recordings) and, while a call is live, its workflow's own answer to the status query.
import type { Client } from '@temporalio/client';
import { and, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { ulid } from '../../db/ids.ts';
import { voiceSessions } from '../../db/voice.ts';
import type { ClaimWorkflowInput } from '../../workflows/claim/messages.ts';
import { voiceStatusQuery, voiceWorkflowId, type VoiceProgress } from '../../workflows/voice/messages.ts';
import type { Principal } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { startDeadlineMs } from '../workflow-starts.ts';

/** A claimant sees only their own sessions; staff see all. */
export const ownSession = (p: Principal): SQL | undefined => (p.role === 'claimant' ? eq(voiceSessions.callerId, p.subject) : undefined);

export function createVoiceSessionStore({
  db,
  temporal,
  review,
}: {
  db: Database;
  temporal: Client;
  review: ClaimWorkflowInput['review'];
}) {
  async function readSession(principal: Principal, id: string) {
    const [row] = await db
      .select()
      .from(voiceSessions)
      .where(and(eq(voiceSessions.id, id), ownSession(principal)));
    if (!row) throw new ApiError(404, 'VOICE_SESSION_NOT_FOUND', `No voice session ${id} that you can see.`);
    let live: VoiceProgress | null = null;
    if (row.status === 'IN_PROGRESS' && row.kind === 'call') {
      live = await temporal
        .withDeadline(Date.now() + 2_000, () => temporal.workflow.getHandle(row.workflowId).query(voiceStatusQuery))
        .catch(() => null);
    }
    return toResource(row, live);
  }

  function toResource(row: typeof voiceSessions.$inferSelect, live: VoiceProgress | null) {
    const claimId = live?.claimId ?? row.claimId;
    // Without an answer from the workflow (busy, or the call is over): the last prompt it saved.
    const lastSaid = [...(row.transcript as { speaker?: string; text?: string }[])].reverse().find((l) => l.speaker === 'agent')?.text;
    const lastPrompt = row.prompts.at(-1);
    const prompt = live?.prompt
      ? { text: live.prompt.text, audioUrl: live.prompt.promptId ? `/v1/voice/prompts/${live.prompt.promptId}.wav` : null }
      : lastSaid
        ? { text: lastSaid, audioUrl: lastPrompt ? `/v1/voice/prompts/${lastPrompt}.wav` : null }
        : null;
    return {
      id: row.id,
      kind: row.kind,
      status: live?.status ?? row.status,
      statusReason: live?.reason ?? row.statusReason,
      prompt,
      listening: live && live.status === 'IN_PROGRESS' ? { slot: live.slot, phase: live.phase, keypad: live.keypad } : null,
      slots: live?.slots ?? row.slots,
      transcript: (live?.transcript ?? row.transcript) as unknown as Record<string, unknown>[],
      claimId,
      claimUrl: claimId ? `/v1/claims/${claimId}` : null,
      recordings: row.recordings.map((r) => `/v1/voice/sessions/${row.id}/recordings/${r}`),
      workflowId: row.workflowId,
    };
  }

  async function createSession(principal: Principal, kind: 'call' | 'statement', callerId: string, recordings: string[] = []) {
    const id = `VOC-${ulid()}`;
    const workflowId = voiceWorkflowId(id);
    await db
      .insert(voiceSessions)
      .values({ id, kind, callerId, startedBy: `${principal.role}:${principal.subject}`, status: 'IN_PROGRESS', workflowId, recordings });
    return {
      id,
      workflowId,
      base: { sessionId: id, callerId, startedBy: `${principal.role}:${principal.subject}`, ...(review ? { review } : {}) },
    };
  }

  /** Starts a session's workflow; when Temporal does not answer, the session goes to an agent as it is. */
  async function start(sessionId: string, starting: () => Promise<unknown>): Promise<boolean> {
    try {
      await temporal.withDeadline(Date.now() + startDeadlineMs, starting);
      return true;
    } catch {
      await db
        .update(voiceSessions)
        .set({
          status: 'NEEDS_AGENT',
          statusReason: 'The session could not be started (Temporal did not answer); what was received is kept for an agent.',
          updatedAt: new Date(),
        })
        .where(eq(voiceSessions.id, sessionId));
      return false;
    }
  }

  return { readSession, createSession, start };
}
