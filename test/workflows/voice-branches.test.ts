// The voice-intake workflow's branches with stubbed activities on the time-skipping test server: no
// speech engines, no database. Answers are recordings the stub recognizer "hears" as scripted text, or
// keypad digits; the tests check what the call kept, asked again, opened and started, beside the
// whole-system calls in test/api/voice*.test.ts.
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeardAnswer } from '../../activities/voice/index.ts';
import { keypadPerils } from '../../domain/voice/slots.ts';
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { buildWorkflowBundle } from '../../worker/bundle.ts';
import { timeSkippingServer, withBranchWorkers } from '../support/branches.ts';
import type { ClaimRecordForStart } from '../../workflows/claim/start.ts';
import {
  answerUpdate,
  hangUpSignal,
  voiceFailureTypes,
  voiceStatusQuery,
  type CallerInput,
  type VoiceIntakeInput,
  type VoiceProgress,
} from '../../workflows/voice/messages.ts';
import type { voiceIntakeWorkflow } from '../../workflows/voice/workflow.ts';

const today = new Date().toISOString().slice(0, 10);
const todayDigits = `${today.slice(8, 10)}${today.slice(5, 7)}${today.slice(0, 4)}#`;
const collision = String(keypadPerils.indexOf('collision') + 1);

/** What one call's stubs were asked, and how they answer. */
class Stubs {
  readonly calls: { name: string; args: unknown }[] = [];
  /** What the recognizer hears in each recording (its reference is a SHA-256). */
  readonly said = new Map<string, string>();
  callerHolds = true;
  invalidReport: string | null = null;
  recognizerDown = false;
  count(name: string): number {
    return this.calls.filter((c) => c.name === name).length;
  }
  activities() {
    const called = (name: string, args: unknown) => this.calls.push({ name, args });
    return {
      speakPrompt: async (input: { text: string }) => (called('speakPrompt', input.text), { promptId: `P-${this.calls.length}` }),
      recognizeAnswer: async ({ recording }: { recording: string; grammar: string | null }): Promise<HeardAnswer> => {
        called('recognizeAnswer', recording);
        if (this.recognizerDown)
          throw ApplicationFailure.create({ type: voiceFailureTypes.engineRefused, message: 'no engine', nonRetryable: true });
        return { kind: 'speech', text: this.said.get(recording) ?? '', confidence: 0.9, engine: 'stub' };
      },
      findCallerPolicy: async (input: { policyNumber: string }) => (
        called('findCallerPolicy', input),
        this.callerHolds ? { currency: 'EUR', lineOfBusiness: 'motor' as const } : null
      ),
      saveVoiceSession: async (input: { status: string }) => void called(`save:${input.status}`, input),
      openVoiceClaim: async (input: { amount: string; peril: string; incidentDate: string }): Promise<ClaimRecordForStart> => {
        called('openVoiceClaim', input);
        if (this.invalidReport)
          throw ApplicationFailure.create({ type: voiceFailureTypes.invalidReport, message: this.invalidReport, nonRetryable: true });
        return {
          id: `CLM-VOICE-${sequence}`,
          policyNumber: 'POL-1001',
          lineOfBusiness: 'motor',
          peril: 'collision',
          incidentDate: input.incidentDate,
          reportedOn: today,
          claimedMinor: Math.round(Number(input.amount) * 100),
          currency: 'EUR',
          descriptionHeard: true,
        };
      },
      markVoiceClaimStarted: async (input: { claimId: string }) => void called('markVoiceClaimStarted', input),
    };
  }
}

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let sequence = 0;

beforeAll(async () => {
  env = await timeSkippingServer();
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  bundle = await buildWorkflowBundle();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

const started: WorkflowHandle[] = [];
const withWorker = <T>(stubs: Stubs, body: () => Promise<T>): Promise<T> =>
  withBranchWorkers(
    { env, bundle, activities: stubs.activities(), workflowQueues: [taskQueues.claims], queues: [taskQueues.claims], started },
    body,
  );

async function call(): Promise<WorkflowHandle<typeof voiceIntakeWorkflow>> {
  const input: VoiceIntakeInput = {
    sessionId: `VS-BRANCH-${++sequence}`,
    callerId: 'cust-1001',
    startedBy: 'claimant:cust-1001',
    policyPrefix: 'POL-',
    silenceTimeoutMs: 30_000,
  };
  const handle = await env.client.workflow.start<typeof voiceIntakeWorkflow>('voiceIntakeWorkflow', {
    taskQueue: taskQueues.claims,
    workflowId: `voice-${input.sessionId}`,
    args: [input],
  });
  started.push(handle);
  return handle;
}
let recordings = 0;
/** A spoken answer: a recording the stub recognizer hears as `text`. */
const speech = (stubs: Stubs, text: string): CallerInput => {
  const recording = (++recordings).toString(16).padStart(64, '0');
  stubs.said.set(recording, text);
  return { recording };
};
const answer = (handle: WorkflowHandle<typeof voiceIntakeWorkflow>, input: CallerInput): Promise<VoiceProgress> =>
  handle.executeUpdate(answerUpdate, { args: [input] });
const keys = (digits: string): CallerInput => ({ digits });

describe('voice intake branches, activities stubbed', { timeout: 60_000 }, () => {
  it('opens the claim once every slot is confirmed, starts its workflow as a child, and reads out the reference', async () => {
    const stubs = new Stubs();
    const { result, child } = await withWorker(stubs, async () => {
      const handle = await call();
      for (const step of [keys('1001#'), keys('1'), keys(todayDigits), keys('1'), keys(collision), keys('1'), keys('400#'), keys('1')])
        await answer(handle, step);
      const last = await answer(handle, speech(stubs, 'A van reversed into my parked car.'));
      expect(last.prompt?.text).toMatch(/Your claim reference is C L M/);
      const result = await handle.result();
      const child = env.client.workflow.getHandle(`claim-${result.claimId}`);
      started.push(child);
      return { result, child: await child.describe() };
    });
    expect(result).toMatchObject({ status: 'COMPLETED', claimId: `CLM-VOICE-${sequence}` });
    expect(child.type).toBe('claimWorkflow');
    expect(stubs.calls.find((c) => c.name === 'openVoiceClaim')?.args).toMatchObject({
      policyNumber: 'POL-1001',
      incidentDate: today,
      peril: 'collision',
      amount: '400.00',
      descriptionHeard: true,
    });
    // Marked started only once the child exists, so the API's sweep never starts a second one.
    const order = stubs.calls.map((c) => c.name);
    expect(order.indexOf('openVoiceClaim')).toBeLessThan(order.indexOf('markVoiceClaimStarted'));
    expect(order.slice(order.indexOf('markVoiceClaimStarted'))).toEqual(['markVoiceClaimStarted', 'speakPrompt', 'save:COMPLETED']);
  });

  it('keeps no value on a "no", and asks again', async () => {
    const stubs = new Stubs();
    const progress = await withWorker(stubs, async () => {
      const handle = await call();
      await answer(handle, keys('1001#'));
      return answer(handle, speech(stubs, 'no that is wrong'));
    });
    expect(progress).toMatchObject({ slot: 'policyNumber', phase: 'ask', slots: {} });
    expect(progress.prompt?.text).toMatch(/policy number/);
  });

  it('asks again for a policy the caller does not hold, then takes it on the keypad', async () => {
    const stubs = new Stubs();
    stubs.callerHolds = false;
    const progress = await withWorker(stubs, async () => {
      const handle = await call();
      await answer(handle, keys('2001#'));
      const first = await answer(handle, keys('1'));
      expect(first.prompt?.text).toMatch(/could not find policy P O L 2 0 0 1 in force on your name/);
      await answer(handle, keys('2001#'));
      return answer(handle, keys('1'));
    });
    expect(progress).toMatchObject({ slot: 'policyNumber', keypad: true, slots: {} });
    expect(stubs.count('findCallerPolicy')).toBe(2);
  });

  it('counts an answer the recognizer cannot hear as not understood, never as a value', async () => {
    const stubs = new Stubs();
    stubs.recognizerDown = true;
    const progress = await withWorker(stubs, async () => answer(await call(), speech(stubs, 'one zero zero one')));
    expect(progress).toMatchObject({ slot: 'policyNumber', phase: 'ask', slots: {}, status: 'IN_PROGRESS' });
    expect(progress.transcript.at(-2)).toMatchObject({ speaker: 'caller', text: '(not understood)' });
  });

  it('ends a silent call as a partial intake, and keeps a hung-up call for an agent', async () => {
    const silent = new Stubs();
    const ended = await withWorker(silent, async () => (await call()).result());
    expect(ended).toMatchObject({ status: 'ABANDONED', claimId: null });
    expect(silent.count('save:ABANDONED')).toBe(1);

    const hungUp = new Stubs();
    const kept = await withWorker(hungUp, async () => {
      const handle = await call();
      await answer(handle, keys('1001#'));
      await answer(handle, keys('1'));
      await handle.signal(hangUpSignal);
      return { result: await handle.result(), progress: await handle.query(voiceStatusQuery) };
    });
    expect(kept.result).toMatchObject({ status: 'HUNG_UP', claimId: null });
    expect(kept.progress.slots.policyNumber).toMatchObject({ value: 'POL-1001', via: 'keypad' });
    expect(hungUp.count('openVoiceClaim')).toBe(0);
  });

  it('hands a call whose confirmed answers cannot be a claim to an agent, with the reason', async () => {
    const stubs = new Stubs();
    stubs.invalidReport = 'claimedAmount: EUR has two decimals.';
    const result = await withWorker(stubs, async () => {
      const handle = await call();
      for (const step of [keys('1001#'), keys('1'), keys(todayDigits), keys('1'), keys(collision), keys('1'), keys('400#'), keys('1')])
        await answer(handle, step);
      await answer(handle, speech(stubs, 'A van reversed into my parked car.'));
      return { result: await handle.result(), progress: await handle.query(voiceStatusQuery) };
    });
    expect(result.result).toMatchObject({ status: 'NEEDS_AGENT', claimId: null });
    expect(result.progress.reason).toBe('claimedAmount: EUR has two decimals.');
    expect(stubs.count('markVoiceClaimStarted')).toBe(0);
  });
});
