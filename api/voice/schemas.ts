// What the voice API takes and gives: path parameters, request bodies and the session resource, as zod
// schemas that validate requests and are published in the OpenAPI document.
import { z } from 'zod';
import { ClaimSubmission } from '../claims/schemas.ts';
import { named } from '../openapi.ts';

export const staff = ['adjuster', 'senior_adjuster', 'admin'] as const;
export const SessionParams = z.object({ id: z.string().regex(/^VOC-[0-9A-Z]{10,32}$/, 'must be a voice session id like VOC-01J...') });
export const PromptParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a prompt id (64 hex digits)') });
export const StartBody = named(
  'VoiceSessionStart',
  z
    .object({
      callerId: z.string().trim().min(1).max(64).optional().describe('Staff only: the customer on the line (claimants are themselves)'),
    })
    .strict(),
);
export const DigitsBody = named(
  'VoiceDigits',
  z.object({ digits: z.string().regex(/^[0-9*#]{1,24}$/, 'keypad digits are 0-9, * and #') }).strict(),
);
const Prompt = z.object({ text: z.string(), audioUrl: z.string().nullable() });
export const VoiceSession = named(
  'VoiceSession',
  z.object({
    id: z.string(),
    kind: z.enum(['call', 'statement']),
    status: z.enum(['IN_PROGRESS', 'COMPLETED', 'ABANDONED', 'HUNG_UP', 'NEEDS_AGENT']),
    statusReason: z.string().nullable(),
    prompt: Prompt.nullable().describe('What the caller hears now'),
    listening: z.object({ slot: z.string().nullable(), phase: z.string(), keypad: z.boolean() }).nullable(),
    slots: z.record(z.string(), z.unknown()).describe('Filled slots: value, via (voice or keypad), confidence, retries'),
    transcript: z.array(z.record(z.string(), z.unknown())),
    claimId: z.string().nullable(),
    claimUrl: z.string().nullable(),
    recordings: z.array(z.string()).describe("The caller's recordings, kept for the adjuster (staff may fetch them)"),
    workflowId: z.string(),
  }),
);

export const Completion = named(
  'VoiceIntakeCompletion',
  ClaimSubmission.pick({ policyNumber: true, peril: true, incidentDate: true, claimedAmount: true, description: true, contact: true })
    .partial()
    .strict(),
  "What the agent adds to (or corrects in) a partial intake; the rest comes from the caller's answers.",
);
