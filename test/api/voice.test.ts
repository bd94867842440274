// Voice intake through the API on the real system, with the offline engines (flite speaks the prompts,
// soundswallower recognizes the answers, Moonshine transcribes free speech): a scripted call made of audio files (8 kHz mu-law, as a phone
// line carries it) completes an intake and opens a claim, started as a child of the call; the keypad takes
// over after two failures; a policy not on the caller's name is asked again; a hang-up and silence leave
// partial intakes; bad audio is refused before anything is accepted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createVoiceActivities } from '../../activities/voice/index.ts';
import { createApi } from '../../api/app.ts';
import { createClaimIntake } from '../../api/claims/intake.ts';
import { claims } from '../../db/schema.ts';
import { developmentKeys, parseApiKeys } from '../../api/auth.ts';
import { createFileBlobStore } from '../../engines/storage/blob-store.ts';
import { createLogger } from '../../platform/logger.ts';
import { decodeWav, encodeWav, resample } from '../../engines/speech/audio.ts';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import { api, keys, startHarness, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ INSUREFLOW_VOICE_SILENCE: '2s' });
});
afterAll(async () => {
  await h?.stop();
});

const flite = createFliteSynthesizer();
/** What the caller says, as the phone line delivers it: 8 kHz mu-law WAV. */
const phone = async (text: string) => encodeWav(resample(decodeWav(await flite.synthesize(text, 'awb'), 600), 8_000), 'mulaw');
const say = async (sessionId: string, text: string) => {
  const form = new FormData();
  form.append('audio', new Blob([await phone(text)], { type: 'audio/wav' }), 'answer.wav');
  return api(h, 'POST', `/v1/voice/sessions/${sessionId}/answer`, { key: keys.claimant, body: form });
};
/** The same, from a caller on a clean line (a softphone, an app): 16 kHz PCM. */
const sayClearly = async (sessionId: string, text: string) => {
  const form = new FormData();
  form.append('audio', new Blob([await flite.synthesize(text, 'awb')], { type: 'audio/wav' }), 'answer.wav');
  return api(h, 'POST', `/v1/voice/sessions/${sessionId}/answer`, { key: keys.claimant, body: form });
};
const key = (sessionId: string, digits: string) =>
  api(h, 'POST', `/v1/voice/sessions/${sessionId}/answer`, { key: keys.claimant, json: { digits } });
const start = async () => {
  const res = await api(h, 'POST', '/v1/voice/sessions', { key: keys.claimant, json: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; prompt: { text: string; audioUrl: string }; workflowId: string };
};
const yesterday = () => {
  const d = new Date(Date.now() - 86_400_000);
  return d.toISOString().slice(0, 10);
};

describe('voice intake', { timeout: 90_000 }, () => {
  it('a scripted call of audio files completes an intake and opens a claim with the transcript', async () => {
    const call = await start();
    expect(call.prompt.text).toContain('policy number');
    const audio = await fetch(`${h.apiUrl}${call.prompt.audioUrl}`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(decodeWav(new Uint8Array(await audio.arrayBuffer()), 60).samples.length).toBeGreaterThan(8_000);
    // Someone else cannot hear it.
    expect((await fetch(`${h.apiUrl}${call.prompt.audioUrl}`, { headers: { authorization: `Bearer ${keys.claimant2}` } })).status).toBe(
      404,
    );

    let res = await say(call.id, 'p o l one zero zero one');
    expect(res.body.prompt.text).toBe('I heard policy P O L 1 0 0 1. Is that right?');
    res = await say(call.id, 'yes');
    expect(res.body.prompt.text).toContain('On what date');
    res = await say(call.id, 'yesterday');
    expect(res.body.prompt.text).toMatch(/^I heard the \w+/);
    res = await say(call.id, 'yes');
    expect(res.body.listening).toMatchObject({ slot: 'incidentType' });
    res = await say(call.id, 'a collision');
    expect(res.body.prompt.text).toBe('I heard collision. Is that right?');
    res = await say(call.id, 'yes');
    expect(res.body.prompt.text).toContain('in euros');
    res = await say(call.id, 'twelve hundred and fifty euros');
    expect(res.body.prompt.text).toBe('I heard one thousand two hundred and fifty euros. Is that right?');
    res = await say(call.id, 'yes that is right');
    expect(res.body.listening).toMatchObject({ slot: 'description' });
    // The description is free speech, transcribed offline (Moonshine).
    res = await sayClearly(call.id, 'Another car drove into the back of my car at the traffic lights.');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'COMPLETED', claimId: expect.stringMatching(/^CLM-/) });
    // The reference is said as digits in three groups, never the claim id spelled out.
    const spoken = /Your claim reference is (\d) (\d) (\d), (\d) (\d) (\d), (\d) (\d) (\d)\./.exec(res.body.prompt.text);
    expect(spoken, res.body.prompt.text).not.toBeNull();
    expect(res.body.prompt.text).not.toContain('C L M');
    expect(res.body.slots).toMatchObject({
      policyNumber: { value: 'POL-1001', via: 'voice' },
      incidentDate: { value: yesterday(), via: 'voice' },
      incidentType: { value: 'collision', via: 'voice' },
      amount: { value: '1250.00', via: 'voice' },
    });
    expect(res.body.slots.policyNumber.confidence).toBeGreaterThan(0.35);

    // The claim: opened from the call, its workflow a child of the call's, the transcript attached.
    const claim = await api(h, 'GET', `/v1/claims/${res.body.claimId}`, { key: keys.claimant });
    expect(claim.body).toMatchObject({
      policyNumber: 'POL-1001',
      peril: 'collision',
      incidentDate: yesterday(),
      claimedAmount: { amount: '1250.00', currency: 'EUR' },
    });
    expect(claim.body.description).toContain('Caller: p o l one zero zero one');
    expect(claim.body.description).toMatch(/^Reported by phone\. Another car drove into the back of my car at the traffic lights/);
    // The reference the caller heard finds the claim, as typed by a person; a digit wrong does not.
    const reference = spoken!.slice(1).join('');
    expect(claim.body.reference).toBe(reference);
    const byReference = await api(h, 'GET', `/v1/claims/${reference.slice(0, 3)}%20${reference.slice(3, 6)}-${reference.slice(6)}`, {
      key: keys.claimant,
    });
    expect([byReference.status, byReference.body.id]).toEqual([200, res.body.claimId]);
    const mistyped = `${reference.slice(0, 8)}${(Number(reference[8]) + 1) % 10}`;
    const wrong = await api(h, 'GET', `/v1/claims/${mistyped}`, { key: keys.claimant });
    expect([wrong.status, wrong.body.error.message]).toEqual([422, expect.stringContaining('check digit')]);
    const described = await h.env.client.workflow.getHandle(claim.body.workflowId).describe();
    expect(described.parentExecution?.workflowId).toBe(call.workflowId);
    // The record is marked started once the child is, and keeps that the description was heard (transcribed
    // clearly): with every value confirmed, automation decides it like a written claim, here inside what it
    // may pay without documents (EUR 750 after the deductible).
    const [record] = await h.system.database.db.select().from(claims).where(eq(claims.id, res.body.claimId));
    expect(record).toMatchObject({ descriptionHeard: true, workflowStartedAt: expect.any(Date) });
    const decided = await waitForDecision(h, res.body.claimId, keys.claimant, 30_000, ['APPROVED', 'PAID']);
    expect(decided.decision).toMatchObject({ decidedBy: 'automation', payableAmount: { amount: '750.00', currency: 'EUR' } });
    expect(decided.decision.reasons.map((r: { code: string }) => r.code)).not.toContain('DESCRIPTION_NOT_HEARD');
    // Every recording is kept: staff can listen to the description as the caller said it.
    const session = await api(h, 'GET', `/v1/voice/sessions/${call.id}`, { key: keys.adjuster });
    expect(session.body.recordings).toHaveLength(9);
    const description = await fetch(`${h.apiUrl}${session.body.recordings.at(-1)}`, {
      headers: { authorization: `Bearer ${keys.adjuster}` },
    });
    expect([description.status, description.headers.get('content-type')]).toEqual([200, 'audio/wav']);
    expect(
      (await fetch(`${h.apiUrl}${session.body.recordings.at(-1)}`, { headers: { authorization: `Bearer ${keys.claimant}` } })).status,
    ).toBe(403);
    // The call is over: another answer is refused.
    expect((await key(call.id, '1')).status).toBe(409);
  });

  it('switches to the keypad after two failures, and asks again for a policy not on the caller’s name', async () => {
    const call = await start();
    // The caller's own policy is POL-1001; POL-2001 is someone else's.
    let res = await say(call.id, 'p o l two zero zero one');
    expect(res.body.prompt.text).toBe('I heard policy P O L 2 0 0 1. Is that right?');
    res = await say(call.id, 'yes');
    expect(res.body.prompt.text).toContain('I could not find policy P O L 2 0 0 1');
    // Noise where a policy number should be: the grammar makes digits of it, the caller says no, and
    // after the second failure on this slot the keypad takes over.
    res = await say(call.id, 'the weather is lovely today');
    expect(res.body.listening).toMatchObject({ slot: 'policyNumber', phase: 'confirm' });
    res = await say(call.id, 'no');
    expect(res.body.listening).toMatchObject({ slot: 'policyNumber', keypad: true });
    expect(res.body.prompt.text).toContain('keypad');
    res = await key(call.id, '1001#');
    expect(res.body.prompt.text).toContain('Press 1 for yes, 2 for no.');
    res = await key(call.id, '1');
    expect(res.body.slots.policyNumber).toMatchObject({ value: 'POL-1001', via: 'keypad' });
    expect(res.body.listening).toMatchObject({ slot: 'incidentDate', keypad: false });
    // A hang-up leaves a partial intake for an agent.
    const hung = await api(h, 'POST', `/v1/voice/sessions/${call.id}/hangup`, { key: keys.claimant });
    expect(hung.status).toBe(202);
    expect(hung.body).toMatchObject({ status: 'HUNG_UP', claimId: null, slots: { policyNumber: { value: 'POL-1001' } } });
    expect(hung.body.statusReason).toContain('hung up');

    // An agent finishes it: the policy the caller gave, and what the agent learned on calling back.
    const finish = (body: unknown, k: string = keys.adjuster) =>
      api(h, 'POST', `/v1/voice/sessions/${call.id}/claim`, { key: k, json: body });
    expect((await finish({}, keys.claimant)).status).toBe(403);
    const incomplete = await finish({ peril: 'theft' });
    expect([incomplete.status, incomplete.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    const done = await finish({
      peril: 'theft',
      incidentDate: yesterday(),
      claimedAmount: { amount: '300.00', currency: 'EUR' },
      description: 'Bike stolen from the driveway.',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body).toMatchObject({ status: 'COMPLETED', claimId: expect.stringMatching(/^CLM-/) });
    const claim = await api(h, 'GET', `/v1/claims/${done.body.claimId}`, { key: keys.claimant });
    expect(claim.body).toMatchObject({ policyNumber: 'POL-1001', peril: 'theft', claimedAmount: { amount: '300.00', currency: 'EUR' } });
    expect(claim.body.description).toContain(`Voice session ${call.id}`);
    expect((await finish({ peril: 'theft' })).status).toBe(409);
  });

  it('ends a silent call as a partial intake', async () => {
    const call = await start();
    let session = await api(h, 'GET', `/v1/voice/sessions/${call.id}`, { key: keys.claimant });
    for (let i = 0; i < 100 && session.body.status === 'IN_PROGRESS'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = await api(h, 'GET', `/v1/voice/sessions/${call.id}`, { key: keys.claimant });
    }
    expect(session.body, JSON.stringify(session.body)).toMatchObject({
      status: 'ABANDONED',
      statusReason: 'The caller stopped answering.',
    });
    expect(session.body.transcript.filter((l: { via?: string }) => l.via === 'silence')).toHaveLength(2);
  });

  it('refuses bad audio with the problem named, and the call goes on', async () => {
    const call = await start();
    const send = (bytes: Uint8Array, type = 'audio/wav') => {
      const form = new FormData();
      form.append('audio', new Blob([bytes], { type }), 'answer.wav');
      return api(h, 'POST', `/v1/voice/sessions/${call.id}/answer`, { key: keys.claimant, body: form });
    };
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect((await send(png)).body.error.code).toBe('UNSUPPORTED_AUDIO');
    const header = (await phone('one')).subarray(0, 30);
    expect((await send(header)).body.error).toMatchObject({ code: 'CORRUPT_AUDIO' });
    const long = encodeWav({ sampleRate: 8_000, samples: new Float32Array(8_000 * 61) }, 'mulaw');
    const tooLong = await send(long);
    expect([tooLong.status, tooLong.body.error.code]).toEqual([413, 'AUDIO_TOO_LONG']);
    expect((await send(new Uint8Array(0))).body.error.code).toBe('EMPTY_AUDIO');
    expect((await key(call.id, '12ab')).status).toBe(422);
    const session = await api(h, 'GET', `/v1/voice/sessions/${call.id}`, { key: keys.claimant });
    expect(session.body).toMatchObject({ status: 'IN_PROGRESS', listening: { slot: 'policyNumber', keypad: false } });
    expect(session.body.transcript).toHaveLength(1);
    await api(h, 'POST', `/v1/voice/sessions/${call.id}/hangup`, { key: keys.claimant });
  });

  it('transcribes a one-shot statement offline, and leaves it to an agent when facts are missing', async () => {
    const form = new FormData();
    form.append(
      'audio',
      new Blob([await phone('This is about policy one zero zero one. My car was stolen last night.')], { type: 'audio/wav' }),
      'statement.wav',
    );
    const res = await api(h, 'POST', '/v1/voice/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=10' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'statement', status: 'NEEDS_AGENT', claimId: null, slots: { incidentType: 'theft' } });
    // Transcribed by Moonshine; read by the AI provider (offline rules here) under the statement guardrails,
    // which take no amount and no date the caller did not give in so many words: an agent calls back.
    expect(res.body.transcript[0].text).toMatch(/my car was stolen last night/i);
    expect(res.body.statusReason).toMatch(/^Not in the statement: .*amount/);
  });
});

describe('when Temporal is unreachable', () => {
  it('refuses a call it cannot take, and keeps a statement for an agent', async () => {
    const deadConnection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const { app } = createApi({
      database: h.system.database,
      blobs: createFileBlobStore(path.join(h.config.dataDir, 'blobs')),
      temporal: new Client({ connection: deadConnection }),
      logger: createLogger('silent'),
      keys: parseApiKeys(developmentKeys),
      uploads: { ...h.config.uploads, document: h.config.documents.limits },
      version: 'test',
      review: h.config.review,
      voice: {
        audio: { maxSeconds: 300, maxAnswerSeconds: 60, maxBytes: 20_000_000, ffmpegPath: null },
        call: { policyPrefix: 'POL-', silenceTimeoutMs: 2_000 },
      },
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const offline = { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    try {
      const call = await api(offline, 'POST', '/v1/voice/sessions', { key: keys.claimant, json: {} });
      expect([call.status, call.body.error.code]).toEqual([503, 'TEMPORAL_UNAVAILABLE']);
      const form = new FormData();
      form.append('audio', new Blob([await phone('My car was stolen.')], { type: 'audio/wav' }), 'statement.wav');
      const statement = await api(offline, 'POST', '/v1/voice/claims', { key: keys.claimant, body: form });
      expect(statement.status).toBe(201);
      expect(statement.body).toMatchObject({ status: 'NEEDS_AGENT', recordings: [expect.stringMatching(/\/recordings\/[0-9a-f]{64}$/)] });
      expect(statement.body.statusReason).toContain('kept for an agent');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await deadConnection.close();
    }
  });
});

describe('a voice claim whose workflow was never started', () => {
  it('is started by the API sweep from its record, still as a description nobody heard', async () => {
    // What the call's openVoiceClaim leaves when the call's workflow ends before it starts the child.
    const activities = createVoiceActivities({
      db: h.system.database.db,
      blobs: createFileBlobStore(path.join(h.config.dataDir, 'blobs')),
      recognizer: undefined as never,
      synthesizer: undefined as never,
      voice: 'awb',
      audio: { maxSeconds: 60, ffmpegPath: null },
    });
    const opened = await activities.openVoiceClaim({
      sessionId: `lost-${Date.now()}`,
      callerId: 'cust-1001',
      startedBy: 'claimant:cust-1001',
      policyNumber: 'POL-1001',
      incidentDate: yesterday(),
      peril: 'collision',
      amount: '1250.00',
      description: `(recording ${'0'.repeat(64)})`,
      descriptionHeard: false,
    });
    const [record] = await h.system.database.db.select().from(claims).where(eq(claims.id, opened.id));
    expect(record).toMatchObject({ workflowStartedAt: null, descriptionHeard: false });

    const intake = createClaimIntake({
      db: h.system.database.db,
      blobs: createFileBlobStore(path.join(h.config.dataDir, 'blobs')),
      temporal: h.system.temporal,
      logger: createLogger('silent'),
    });
    expect(await intake.startPending(0)).toBeGreaterThanOrEqual(1);
    // Started with what the record kept: automation does not pay a description nobody heard.
    const decided = await waitForDecision(h, opened.id, keys.claimant, 30_000, ['IN_REVIEW']);
    expect(decided.decision.reasons.map((r: { code: string }) => r.code)).toContain('DESCRIPTION_NOT_HEARD');
  });
});
