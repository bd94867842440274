// Reading voice sessions over HTTP: staff's list of sessions, a session (transcript, slots, confidences),
// a prompt's audio, and staff's access to the caller's recordings as sent.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { voiceSessions } from '../../db/voice.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { audioMediaTypes, sniffAudio } from '../../engines/speech/audio.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import { ApiError, ErrorResponse } from '../errors.ts';
import { named, validated, type ApiDescription } from '../openapi.ts';
import { ownSession } from './sessions.ts';
import { PromptParams, SessionParams, staff, VoiceSession } from './schemas.ts';

export interface VoiceReadDeps {
  readonly api: ApiDescription;
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly readSession: (principal: Principal, id: string) => Promise<unknown>;
}

const SessionSummary = named(
  'VoiceSessionSummary',
  z.object({
    id: z.string(),
    kind: z.enum(['call', 'statement']),
    status: z.enum(['IN_PROGRESS', 'COMPLETED', 'ABANDONED', 'HUNG_UP', 'NEEDS_AGENT']),
    statusReason: z.string().nullable(),
    callerId: z.string(),
    claimId: z.string().nullable(),
    recordings: z.number().int().describe('How many recordings the caller sent'),
    createdAt: z.string(),
  }),
);
const SessionListQuery = z.object({
  status: z.enum(['IN_PROGRESS', 'COMPLETED', 'ABANDONED', 'HUNG_UP', 'NEEDS_AGENT']).optional(),
  claimId: z
    .string()
    .regex(/^CLM-[0-9A-Z]{10,32}$/, 'must be a claim id')
    .optional()
    .describe('The session that opened this claim'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function voiceReadRoutes(router: Router, { api, db, blobs, readSession }: VoiceReadDeps): void {
  router.get(
    '/v1/voice/sessions',
    api.route({
      method: 'get',
      path: '/v1/voice/sessions',
      operationId: 'listVoiceSessions',
      summary: 'Staff: voice sessions, newest first, by status (NEEDS_AGENT: left for an agent) or by the claim they opened',
      tags: ['voice'],
      roles: [...staff],
      query: SessionListQuery,
      responses: { 200: { description: 'Sessions', schema: named('VoiceSessionList', z.object({ items: z.array(SessionSummary) })) } },
    }),
    requireRole(...staff),
    async (_req, res) => {
      const { query } = validated<object, z.infer<typeof SessionListQuery>>(res);
      const rows = await db
        .select()
        .from(voiceSessions)
        .where(
          and(
            query.status ? eq(voiceSessions.status, query.status) : undefined,
            query.claimId ? eq(voiceSessions.claimId, query.claimId) : undefined,
          ),
        )
        .orderBy(desc(voiceSessions.createdAt))
        .limit(query.limit);
      res.json({
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          statusReason: r.statusReason,
          callerId: r.callerId,
          claimId: r.claimId,
          recordings: r.recordings.length,
          createdAt: r.createdAt.toISOString(),
        })),
      });
    },
  );

  router.get(
    '/v1/voice/sessions/:id',
    api.route({
      method: 'get',
      path: '/v1/voice/sessions/:id',
      operationId: 'getVoiceSession',
      summary: 'A voice session: status, the current prompt, transcript so far, slots with confidences, the claim once opened',
      tags: ['voice'],
      roles: ['claimant', ...staff],
      params: SessionParams,
      responses: {
        200: { description: 'The session', schema: VoiceSession },
        404: { description: 'No such session', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      res.json(await readSession(principalOf(req), params.id));
    },
  );

  router.get(
    '/v1/voice/prompts/:id.wav',
    api.route({
      method: 'get',
      path: '/v1/voice/prompts/:id.wav',
      operationId: 'voicePrompt',
      summary: "A prompt's audio (WAV), for a session the caller can see",
      tags: ['voice'],
      roles: ['claimant', ...staff],
      params: PromptParams,
      responses: {
        200: { description: 'The audio', schema: z.file(), contentType: 'audio/wav' },
        404: { description: 'No such prompt', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      // Only prompts a visible session played: the blob store also holds documents.
      const [owner] = await db
        .select({ id: voiceSessions.id })
        .from(voiceSessions)
        .where(and(sql`${voiceSessions.prompts} @> ${JSON.stringify([params.id])}::jsonb`, ownSession(principalOf(req))))
        .limit(1);
      if (!owner) throw new ApiError(404, 'PROMPT_NOT_FOUND', `No prompt ${params.id} that you can hear.`);
      res.type('audio/wav').send(Buffer.from(await blobs.get(params.id)));
    },
  );

  router.get(
    '/v1/voice/sessions/:id/recordings/:recording',
    api.route({
      method: 'get',
      path: '/v1/voice/sessions/:id/recordings/:recording',
      operationId: 'voiceRecording',
      summary: "One of the caller's recordings in a session (answers, the description, a statement), as sent",
      tags: ['voice'],
      roles: [...staff],
      params: z.object({ id: SessionParams.shape.id, recording: PromptParams.shape.id }),
      responses: {
        200: { description: 'The audio as recorded', schema: z.file(), contentType: 'audio/*' },
        404: { description: 'No such recording in the session', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    async (req, res) => {
      const { params } = validated<{ id: string; recording: string }, object>(res);
      const [row] = await db.select().from(voiceSessions).where(eq(voiceSessions.id, params.id));
      if (!row?.recordings.includes(params.recording))
        throw new ApiError(404, 'RECORDING_NOT_FOUND', `No recording ${params.recording} in voice session ${params.id}.`);
      const bytes = Buffer.from(await blobs.get(params.recording));
      const container = sniffAudio(bytes);
      res.type(container ? audioMediaTypes[container] : 'application/octet-stream').send(bytes);
    },
  );
}
