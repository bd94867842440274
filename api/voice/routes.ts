// Voice intake over HTTP, as a telephony gateway (or a test with audio files) drives it: start a call and
// get the first prompt's audio, send each answer (a recording, or keypad digits) and get the next prompt,
// read the session (transcript, slots, confidences), fetch prompt audio, hang up; or send one recorded
// statement. Recordings are checked (type from the bytes, length, decodable) before anything is accepted.
import type { Client } from '@temporalio/client';
import express, { Router, type Request } from 'express';
import { eq } from 'drizzle-orm';
import multer from 'multer';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { policies } from '../../db/schema.ts';
import { voiceSessions } from '../../db/voice.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import type { AudioLimits } from '../../engines/speech/audio.ts';
import type { ClaimWorkflowInput } from '../../workflows/claim/messages.ts';
import {
  answerUpdate,
  hangUpSignal,
  voiceIntakeWorkflowType,
  voiceStatementWorkflowType,
  type CallerInput,
  type VoiceIntakeInput,
  type VoiceStatementInput,
} from '../../workflows/voice/messages.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import type { ClaimIntake } from '../claims/intake.ts';
import { ApiError, assertStorableText, ErrorResponse, parseRequestPart, validationError } from '../errors.ts';
import { named, validated, type ApiDescription } from '../openapi.ts';
import { readUntil, readWhenSettled } from '../prefer.ts';
import { acceptRecording } from '../recordings.ts';
import { jsonOrMultipart, malformedMultipart } from '../uploads.ts';
import { ClaimSubmission } from '../claims/schemas.ts';
import { sendUpdate } from '../updates.ts';
import { voiceReadRoutes } from './read.ts';
import { createVoiceSessionStore } from './sessions.ts';
import { Completion, DigitsBody, SessionParams, StartBody, staff, VoiceSession } from './schemas.ts';

export interface VoiceRouteDeps {
  readonly api: ApiDescription;
  readonly db: Database;
  readonly temporal: Client;
  readonly blobs: BlobStore;
  readonly audio: AudioLimits & { readonly maxBytes: number; readonly maxAnswerSeconds: number };
  readonly call: { readonly policyPrefix: string; readonly silenceTimeoutMs: number };
  readonly review: ClaimWorkflowInput['review'];
  /** Files the claim an agent completes from a partial intake, as any claim is filed. */
  readonly intake: ClaimIntake;
}

export function voiceRoutes({ api, db, temporal, blobs, audio, call, review, intake }: VoiceRouteDeps): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: audio.maxBytes, files: 1, fields: 2, parts: 3 } }).single(
    'audio',
  );
  const audioPart: express.RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
        return next(new ApiError(413, 'AUDIO_TOO_LARGE', `The recording is larger than ${audio.maxBytes} bytes.`));
      if (err instanceof multer.MulterError && err.code === 'LIMIT_UNEXPECTED_FILE')
        return next(new ApiError(400, 'UNEXPECTED_FIELD', "Send the recording as a file part named 'audio'."));
      next(malformedMultipart((err as Error).message));
    });
  };

  /** The request's `audio` file, checked within the limits and stored; its digest. */
  async function acceptAudioPart(req: Request, maxSeconds: number): Promise<string> {
    if (!req.file) throw new ApiError(422, 'AUDIO_REQUIRED', "Send the recording as a file part named 'audio'.");
    return acceptRecording(blobs, req.file.buffer, { ...audio, maxSeconds }, { minSeconds: 0.1 });
  }

  const { readSession, createSession, start } = createVoiceSessionStore({ db, temporal, review });

  const callerOf = (principal: Principal, named: string | undefined) => {
    if (principal.role === 'claimant') {
      if (named && named !== principal.subject) throw new ApiError(403, 'FORBIDDEN', 'A claimant reports claims for themselves.');
      return principal.subject;
    }
    if (!named) throw new ApiError(422, 'VALIDATION_FAILED', 'callerId: staff name the customer on the line.');
    return named;
  };

  router.post(
    '/v1/voice/sessions',
    api.route({
      method: 'post',
      path: '/v1/voice/sessions',
      operationId: 'startVoiceSession',
      summary: "Start a call reporting a claim; returns the first prompt's audio",
      tags: ['voice'],
      roles: ['claimant', ...staff],
      body: { required: false, content: { 'application/json': StartBody } },
      responses: {
        201: { description: 'The call, with its first prompt', schema: VoiceSession },
        422: { description: 'Invalid request', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    express.json({ limit: '4kb' }),
    async (req, res) => {
      const principal = principalOf(req);
      const opened = parseRequestPart(StartBody, req.body ?? {}, 'body');
      const session = await createSession(principal, 'call', callerOf(principal, opened.callerId));
      const input: VoiceIntakeInput = { ...session.base, policyPrefix: call.policyPrefix, silenceTimeoutMs: call.silenceTimeoutMs };
      if (
        !(await start(session.id, () =>
          temporal.workflow.start(voiceIntakeWorkflowType, {
            workflowId: session.workflowId,
            taskQueue: taskQueues.claims,
            args: [input],
            staticSummary: `Voice intake ${session.id}`,
          }),
        ))
      ) {
        throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'The call cannot be taken right now; try again shortly.');
      }
      // Up to ten seconds for the first prompt to be spoken.
      const body = await readUntil(
        10_000,
        () => readSession(principal, session.id),
        (s) => s.prompt !== null,
      );
      res.status(201).location(`/v1/voice/sessions/${session.id}`).json(body);
    },
  );

  router.post(
    '/v1/voice/sessions/:id/answer',
    api.route({
      method: 'post',
      path: '/v1/voice/sessions/:id/answer',
      operationId: 'answerVoicePrompt',
      summary:
        "The caller's answer to the current prompt: a recording (multipart `audio`: WAV, 8 kHz mu-law, FLAC, OGG, MP3) or keypad digits (JSON)",
      tags: ['voice'],
      roles: ['claimant', ...staff],
      params: SessionParams,
      body: {
        required: true,
        content: { 'multipart/form-data': named('VoiceAnswerForm', z.object({ audio: z.file() })), 'application/json': DigitsBody },
      },
      responses: {
        200: { description: 'The session with the next prompt', schema: VoiceSession },
        409: { description: 'The call is over', schema: ErrorResponse },
        413: { description: 'The recording is too large or too long', schema: ErrorResponse },
        415: { description: 'Not an audio format accepted (judging by the bytes)', schema: ErrorResponse },
        422: { description: 'A corrupt or empty recording, or invalid digits', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    jsonOrMultipart('1kb', audioPart, 'Send a recording as multipart/form-data (audio) or digits as application/json.'),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const session = await readSession(principal, params.id);
      if (session.status !== 'IN_PROGRESS' || session.kind !== 'call')
        throw new ApiError(409, 'CALL_OVER', `Voice session ${session.id} is ${session.status}.`);
      let answer: CallerInput;
      if (req.is('application/json')) {
        const input = parseRequestPart(DigitsBody, req.body, 'body');
        answer = { digits: input.digits };
      } else {
        answer = { recording: await acceptAudioPart(req, audio.maxAnswerSeconds) };
      }
      await sendUpdate(temporal, session.workflowId, answerUpdate, [answer], {
        closed: () => new ApiError(409, 'CALL_OVER', `Voice session ${session.id} is over.`),
        statusOf: (type) => (type === 'CALL_OVER' ? 409 : 422),
      });
      res.json(await readSession(principal, params.id));
    },
  );

  router.post(
    '/v1/voice/sessions/:id/hangup',
    api.route({
      method: 'post',
      path: '/v1/voice/sessions/:id/hangup',
      operationId: 'hangUpVoiceSession',
      summary: 'The caller hung up: what was heard so far is kept as a partial intake for an agent',
      tags: ['voice'],
      roles: ['claimant', ...staff],
      params: SessionParams,
      responses: {
        202: { description: 'Hang-up recorded', schema: VoiceSession },
        409: { description: 'The call is over', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const session = await readSession(principal, params.id);
      if (session.status !== 'IN_PROGRESS') throw new ApiError(409, 'CALL_OVER', `Voice session ${session.id} is ${session.status}.`);
      await temporal.workflow.getHandle(session.workflowId).signal(hangUpSignal);
      const body = await readUntil(
        5_000,
        () => readSession(principal, params.id),
        (s) => s.status !== 'IN_PROGRESS',
      );
      res.status(202).json(body);
    },
  );

  router.post(
    '/v1/voice/sessions/:id/claim',
    api.route({
      method: 'post',
      path: '/v1/voice/sessions/:id/claim',
      operationId: 'completeVoiceIntake',
      summary:
        'An agent finishes a partial intake (hung up, silent, or a statement left to an agent): the claim is filed from the answers given plus what the agent adds',
      tags: ['voice'],
      roles: [...staff],
      params: SessionParams,
      body: { required: true, content: { 'application/json': Completion } },
      responses: {
        201: { description: 'The session, now with its claim', schema: VoiceSession },
        409: { description: 'The session is still in progress or already has a claim', schema: ErrorResponse },
        422: { description: 'A field is still missing or invalid, or the policy is not the caller’s', schema: ErrorResponse },
      },
    }),
    requireRole(...staff),
    express.json({ limit: '32kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const input = parseRequestPart(Completion, req.body, 'body');
      const [row] = await db.select().from(voiceSessions).where(eq(voiceSessions.id, params.id));
      if (!row) throw new ApiError(404, 'VOICE_SESSION_NOT_FOUND', `No voice session ${params.id}.`);
      if (row.status === 'IN_PROGRESS' || row.claimId)
        throw new ApiError(
          409,
          'NOT_A_PARTIAL_INTAKE',
          `Voice session ${row.id} is ${row.status}${row.claimId ? ` with claim ${row.claimId}` : ''}.`,
        );
      // The caller's answers (slots of a call, or what a statement said), under the agent's additions.
      const heard = row.slots as Record<string, { value?: string } | string | null | undefined>;
      const value = (k: string) => {
        const v = heard[k];
        return typeof v === 'string' ? v : (v?.value ?? undefined);
      };
      const policyNumber = input.policyNumber ?? value('policyNumber');
      const [policy] = policyNumber ? await db.select().from(policies).where(eq(policies.policyNumber, policyNumber)) : [];
      if (policyNumber && policy?.holderId !== row.callerId)
        throw new ApiError(422, 'POLICY_NOT_FOUND', `Policy ${policyNumber} is not held by ${row.callerId}.`);
      const amount = value('amount');
      const transcript = (row.transcript as { speaker?: string; text?: string }[])
        .map((l) => `${l.speaker === 'agent' ? 'Agent' : 'Caller'}: ${l.text ?? ''}`)
        .join('\n');
      const submission = ClaimSubmission.safeParse({
        policyNumber,
        peril: input.peril ?? value('incidentType'),
        incidentDate: input.incidentDate ?? value('incidentDate'),
        claimedAmount: input.claimedAmount ?? (amount && policy ? { amount, currency: policy.currency } : undefined),
        description:
          `${input.description ?? value('description') ?? 'Reported by phone; completed by an agent.'}\n\nVoice session ${row.id}. Transcript:\n${transcript}`.slice(
            0,
            5_000,
          ),
        ...(input.contact ? { contact: input.contact } : {}),
      });
      if (!submission.success) throw validationError(submission.error, 'claim');
      const { claimId } = await intake.submit({ principal, submission: submission.data, files: [], idempotencyKey: `voice-${row.id}` });
      await db
        .update(voiceSessions)
        .set({ status: 'COMPLETED', claimId, statusReason: `Completed by ${principal.role} ${principal.subject}.`, updatedAt: new Date() })
        .where(eq(voiceSessions.id, row.id));
      res.status(201).json(await readSession(principal, row.id));
    },
  );

  voiceReadRoutes(router, { api, db, blobs, readSession });

  router.post(
    '/v1/voice/claims',
    api.route({
      method: 'post',
      path: '/v1/voice/claims',
      operationId: 'reportClaimByStatement',
      summary: 'One recorded statement reporting a claim: transcribed, read into claim fields, and opened as a claim, or left for an agent',
      description:
        'Multipart with an `audio` file (and, for staff, a `callerId` field). Transcription needs an engine that takes free speech ' +
        '(INSUREFLOW_SPEECH_PROVIDER=openai); the offline engine keeps the recording for an agent (status NEEDS_AGENT). ' +
        '`Prefer: wait=N` waits for the outcome.',
      tags: ['voice'],
      roles: ['claimant', ...staff],
      body: {
        required: true,
        content: { 'multipart/form-data': named('VoiceStatementForm', z.object({ audio: z.file(), callerId: z.string().optional() })) },
      },
      responses: {
        201: { description: 'The statement session (COMPLETED with a claim, NEEDS_AGENT, or IN_PROGRESS)', schema: VoiceSession },
        413: { description: 'The recording is too large or too long', schema: ErrorResponse },
        415: { description: 'Not an audio format accepted (judging by the bytes)', schema: ErrorResponse },
        422: { description: 'A corrupt or empty recording', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    (req, res, next) =>
      req.is('multipart/form-data')
        ? audioPart(req, res, next)
        : next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', "Send the statement as multipart/form-data with an 'audio' file.")),
    async (req, res) => {
      assertStorableText(req.body, 'form');
      const principal = principalOf(req);
      const named =
        typeof (req.body as Record<string, unknown> | undefined)?.callerId === 'string'
          ? (req.body as Record<string, string>).callerId
          : undefined;
      const callerId = callerOf(principal, named);
      const recording = await acceptAudioPart(req, audio.maxSeconds);
      const session = await createSession(principal, 'statement', callerId, [recording]);
      const input: VoiceStatementInput = { ...session.base, recording };
      // The recording is accepted either way: if it cannot be processed now, an agent takes it.
      await start(session.id, () =>
        temporal.workflow.start(voiceStatementWorkflowType, {
          workflowId: session.workflowId,
          taskQueue: taskQueues.claims,
          args: [input],
          staticSummary: `Voice statement ${session.id}`,
        }),
      );
      const body = await readWhenSettled(
        req,
        () => readSession(principal, session.id),
        (s) => s.status !== 'IN_PROGRESS',
      );
      res.status(201).location(`/v1/voice/sessions/${session.id}`).json(body);
    },
  );

  return router;
}
