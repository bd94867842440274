// The underwriting workflow's branches with stubbed activities on the time-skipping test server: no
// database, no API, no OCR, days of service levels in milliseconds, beside the whole-system tests in
// test/api/underwriting*.test.ts. The bundle is the production workflows plus the test-only product
// (test/products/workflows.ts), so a second line of business is exercised here too.
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceResult } from '../../domain/underwriting/evidence.ts';
import type { AiOpinion } from '../../domain/underwriting/dispose.ts';
import type { RatedRisk } from '../../domain/underwriting/products/index.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { buildWorkflowBundle } from '../../worker/bundle.ts';
import { timeSkippingServer, withBranchWorkers } from '../support/branches.ts';
import {
  applicationStatusQuery,
  underwriterDecisionUpdate,
  type UnderwriterDecision,
  type UnderwritingInput,
} from '../../workflows/underwriting/messages.ts';
import type { underwritingWorkflow } from '../../workflows/underwriting/workflow.ts';

const hours = (n: number) => n * 3_600_000;
const motorFacts = { applicantAge: 45, licenceYears: 20, priorClaims: 0, vehicleValueMinor: 80_000_00, vehicleClass: 3 };
const rated = (facts: Record<string, number>, riskPremiumMinor = 1_500_00): RatedRisk => ({
  facts: { applicantAge: 45, priorClaims: 0, ...facts },
  cell: { zone: '4' },
  riskPremiumMinor,
  tariffVersion: 'tariff@stub',
  relativities: { zone: 1 },
});

/** What one run's stubs were asked, and how they answer. */
class Stubs {
  readonly calls: { name: string; args: unknown }[] = [];
  priced: RatedRisk = rated(motorFacts);
  ai: 'accept' | 'unavailable' = 'accept';
  evidence: EvidenceResult = { checks: [], referrals: [], version: 'evidence@stub' };
  count(name: string): number {
    return this.calls.filter((c) => c.name === name).length;
  }
  recorded(): { status: string; decision: { outcome: string; reasons: { code: string }[] } }[] {
    return this.calls.filter((c) => c.name === 'recordApplicationDecision').map((c) => c.args as never);
  }
  activities() {
    const called = (name: string, args: unknown) => this.calls.push({ name, args });
    return {
      priceApplication: async (input: unknown) => (called('priceApplication', input), this.priced),
      recordApplicationDecision: async (input: unknown) => void called('recordApplicationDecision', input),
      issuePolicy: async (input: unknown) => (called('issuePolicy', input), { policyNumber: 'POL-9001' }),
      checkApplicationEvidence: async (input: unknown) => (called('checkApplicationEvidence', input), this.evidence),
      setApplicationWaiting: async (input: unknown) => void called('setApplicationWaiting', input),
      notifyAboutApplication: async (input: { kind: string }) => void called(`notify:${input.kind}`, input),
      recordInterviewTranscript: async (input: unknown) => void called('recordInterviewTranscript', input),
      assessApplicationWithAi: async (input: unknown): Promise<Extract<AiOpinion, { kind: 'proposal' }>> => {
        called('assessApplicationWithAi', input);
        if (this.ai === 'unavailable')
          throw ApplicationFailure.create({ type: 'AiUnusable', message: 'the model answered nonsense', nonRetryable: true });
        return {
          kind: 'proposal',
          assessment: { recommendation: 'ACCEPT', premiumAdjustmentPercent: 0, rationale: 'Nothing disclosed.', concerns: [] },
          provider: 'stub',
          model: 'stub@1',
          instructionsFound: [],
        };
      },
      analyzeDocument: async ({ documentId }: { documentId: string }) => {
        called('analyzeDocument', documentId);
        throw ApplicationFailure.create({ type: 'CorruptFile', message: `${documentId} is not an image`, nonRetryable: true });
      },
    };
  }
}

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let sequence = 0;

beforeAll(async () => {
  env = await timeSkippingServer();
  bundle = await buildWorkflowBundle(undefined, path.join(import.meta.dirname, '..', 'products', 'workflows.ts'));
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

const application = (overrides: Partial<UnderwritingInput> = {}): UnderwritingInput => ({
  applicationId: `APP-BRANCH-${++sequence}`,
  product: 'MC-PARTIAL-CASCO',
  documentIds: [],
  serviceLevels: { reminderMs: hours(24), escalationMs: hours(72) },
  ...overrides,
});

const started: WorkflowHandle[] = [];
const withWorker = <T>(stubs: Stubs, body: () => Promise<T>, on: TestWorkflowEnvironment = env): Promise<T> =>
  withBranchWorkers(
    {
      env: on,
      bundle,
      activities: stubs.activities(),
      workflowQueues: [taskQueues.claims, taskQueues.documents],
      queues: [taskQueues.claims, taskQueues.documents],
      started,
    },
    body,
  );
async function start(input: UnderwritingInput, on: TestWorkflowEnvironment = env): Promise<WorkflowHandle<typeof underwritingWorkflow>> {
  const handle = await on.client.workflow.start<typeof underwritingWorkflow>('underwritingWorkflow', {
    taskQueue: taskQueues.claims,
    workflowId: `application-${input.applicationId}`,
    args: [input],
  });
  started.push(handle);
  return handle;
}
async function inReview(handle: WorkflowHandle<typeof underwritingWorkflow>) {
  for (let i = 0; i < 200; i++) {
    const progress = await handle.query(applicationStatusQuery);
    if (progress.status === 'IN_REVIEW') return progress;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the application never went into review');
}
const decide = (handle: WorkflowHandle<typeof underwritingWorkflow>, d: UnderwriterDecision) =>
  handle.executeUpdate(underwriterDecisionUpdate, { args: [d] });
const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return null;
  } catch (error) {
    return ((error as { cause?: { type?: string } }).cause?.type ?? (error as Error).message) || 'refused';
  }
};
const codes = (reasons: readonly { code: string }[]) => reasons.map((r) => r.code);

describe('underwriting workflow branches, activities stubbed', { timeout: 60_000 }, () => {
  it('issues a clear application at the engine price and tells the applicant', async () => {
    const stubs = new Stubs();
    const result = await withWorker(stubs, async () => (await start(application())).result());
    // SEK 1,500 of expected claims, grossed up for 25% expenses.
    expect(result).toMatchObject({ status: 'ISSUED', policyNumber: 'POL-9001', premiumMinor: 2_000_00 });
    expect(stubs.calls.map((c) => c.name)).toEqual([
      'priceApplication',
      'assessApplicationWithAi',
      'recordApplicationDecision',
      'issuePolicy',
      'notify:POLICY_ISSUED',
    ]);
    expect(stubs.recorded()[0]).toMatchObject({ status: 'RECEIVED', decision: { outcome: 'ACCEPT' } });
  });

  it('refers a young rider on a powerful bike; the validator keeps the floor, an underwriter accepts above it', async () => {
    const stubs = new Stubs();
    stubs.priced = rated({ ...motorFacts, applicantAge: 19, vehicleClass: 6 });
    const result = await withWorker(stubs, async () => {
      const handle = await start(application());
      expect(await inReview(handle)).toMatchObject({ queue: 'underwriters', proposal: { outcome: 'REFER' } });
      expect(await refusal(decide(handle, { action: 'accept', premiumMinor: 1_999_99, underwriter: 'uw-1', role: 'underwriter' }))).toBe(
        'BELOW_PRICE_FLOOR',
      );
      expect(await refusal(decide(handle, { action: 'decline', reasonCode: 'BECAUSE', underwriter: 'uw-1', role: 'underwriter' }))).toBe(
        'UNKNOWN_REASON',
      );
      await decide(handle, { action: 'accept', premiumMinor: 2_400_00, underwriter: 'uw-1', role: 'underwriter', note: 'Rider course.' });
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'ISSUED', premiumMinor: 2_400_00 });
    expect(codes(result.reasons)).toEqual(['ACCEPTED_ON_REVIEW', 'UNDERWRITER_NOTE']);
    expect(codes(stubs.recorded()[0]!.decision.reasons)).toEqual(['YOUNG_RIDER_POWERFUL_VEHICLE']);
    expect(stubs.count('notify:APPLICATION_REFERRED')).toBe(1);
  });

  it('only proposes a decline: an underwriter may not override it alone, and confirms the decline', async () => {
    const stubs = new Stubs();
    stubs.priced = rated({ ...motorFacts, applicantAge: 16 });
    const result = await withWorker(stubs, async () => {
      const handle = await start(application());
      expect((await inReview(handle)).proposal).toMatchObject({ outcome: 'PROPOSE_DECLINE', premiumMinor: null });
      expect(await refusal(decide(handle, { action: 'accept', premiumMinor: 3_000_00, underwriter: 'uw-1', role: 'underwriter' }))).toBe(
        'OVERRIDE_REASON_REQUIRED',
      );
      expect(
        await refusal(
          decide(handle, { action: 'accept', premiumMinor: 3_000_00, underwriter: 'uw-1', role: 'underwriter', note: 'Fine.' }),
        ),
      ).toBe('ABOVE_AUTHORITY');
      await decide(handle, { action: 'decline', reasonCode: 'ELIGIBILITY', underwriter: 'uw-1', role: 'underwriter' });
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'DECLINED', policyNumber: null, reasons: [{ code: 'ELIGIBILITY' }] });
    expect(stubs.count('issuePolicy')).toBe(0);
    expect(stubs.count('notify:APPLICATION_DECLINED')).toBe(1);
  });

  it('refers a clear application when the AI cannot assess it', async () => {
    const noAi = new Stubs();
    noAi.ai = 'unavailable';
    await withWorker(noAi, async () => inReview(await start(application())));
    expect(codes(noAi.recorded()[0]!.decision.reasons)).toEqual(['AI_UNAVAILABLE']);
  });

  it('refers a clear application whose evidence cannot be read, counting the document', async () => {
    const unreadable = new Stubs();
    unreadable.evidence = {
      checks: [],
      referrals: [{ code: 'EVIDENCE_UNREADABLE', message: 'licence.png could not be read (not an image).' }],
      version: 'evidence@stub',
    };
    const progress = await withWorker(unreadable, async () => inReview(await start(application({ documentIds: ['DOC-1'] }))));
    // The failed document is counted, never dropped: the check sees it unread and an underwriter looks.
    expect(progress.documents).toEqual({ total: 1, done: 0, failed: 1 });
    expect(unreadable.count('checkApplicationEvidence')).toBe(1);
    expect(codes(unreadable.recorded()[0]!.decision.reasons)).toEqual(['EVIDENCE_UNREADABLE']);
  });

  it('reminds underwriters after a day and escalates to senior underwriters after three, in workflow time', async () => {
    const stubs = new Stubs();
    stubs.priced = rated({ ...motorFacts, vehicleValueMinor: 350_000_00 });
    // Its own test server: days pass on it by env.sleep, and no other test's runs share its clock.
    const own = await timeSkippingServer();
    try {
      const progress = await withWorker(
        stubs,
        async () => {
          const handle = await start(application(), own);
          await inReview(handle);
          await own.sleep(hours(25));
          expect(stubs.count('notify:REVIEW_REMINDER')).toBe(1);
          await own.sleep(hours(48));
          return handle.query(applicationStatusQuery);
        },
        own,
      );
      expect(progress.queue).toBe('senior-underwriters');
      expect(stubs.calls.find((c) => c.name === 'setApplicationWaiting')?.args).toMatchObject({
        waiting: { queue: 'senior-underwriters' },
      });
      expect(stubs.count('notify:REVIEW_ESCALATED')).toBe(1);
    } finally {
      await own.teardown();
    }
  });

  it('decides another product by its own rules and authority, from the code in its input', async () => {
    const stubs = new Stubs();
    // Home contents worth EUR 160,000: its own referral, and above an underwriter's authority for it.
    stubs.priced = rated({ sumInsuredMinor: 160_000_00, house: 0, alarm: 1 }, 200_00);
    const refused = await withWorker(stubs, async () => {
      const handle = await start(application({ product: 'HOME-CONTENTS-TEST' }));
      expect((await inReview(handle)).proposal?.reasons).toMatchObject([{ code: 'HIGH_VALUE_CONTENTS' }]);
      return refusal(decide(handle, { action: 'accept', underwriter: 'uw-1', role: 'underwriter' }));
    });
    expect(refused).toBe('ABOVE_AUTHORITY');
  });

  it('holds a run whose product this build lacks, failing its task (retried) rather than the application', async () => {
    const stubs = new Stubs();
    const history = await withWorker(stubs, async () => {
      const handle = await start(application({ product: 'TRAVEL' }));
      for (let i = 0; i < 100; i++) {
        const events = (await handle.fetchHistory()).events ?? [];
        if (events.some((e) => e.workflowTaskFailedEventAttributes)) return { events, status: (await handle.describe()).status.name };
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no workflow task failed');
    });
    expect(history.status).toBe('RUNNING');
    const failed = history.events.find((e) => e.workflowTaskFailedEventAttributes)!.workflowTaskFailedEventAttributes!;
    expect(failed.failure?.message).toContain('No product TRAVEL is registered in this build');
    expect(stubs.count('priceApplication')).toBe(0);
  });
});
