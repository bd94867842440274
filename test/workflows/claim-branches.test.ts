// The claim workflow's branches with stubbed activities on the time-skipping test server: no database,
// no API, no OCR, days of service levels in milliseconds. Each stub records what it was asked, so the
// tests check what the workflow did (paid, asked, reminded, escalated, closed), beside the whole-system
// tests in claim-workflow.test.ts and service-levels.test.ts that run the real activities.
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentState } from '../../activities/claims/settlement.ts';
import type { DocumentAnalysis } from '../../activities/documents/index.ts';
import { extractDocument } from '../../domain/documents/extract.ts';
import type { FraudAssessment } from '../../domain/fraud/score.ts';
import type { PolicySnapshot } from '../../domain/claims/policy.ts';
import { defaultAuthorityLimits, defaultServiceLevels, type ReviewDecisionInput } from '../../domain/shared/review.ts';
import { defaultAutomationPolicy } from '../../domain/claims/automation.ts';
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { buildWorkflowBundle } from '../../worker/bundle.ts';
import {
  claimFailureTypes,
  claimStatusQuery,
  decideUpdate,
  withdrawUpdate,
  type ClaimOutcome,
  type ClaimWorkflowInput,
} from '../../workflows/claim/messages.ts';
import type { claimWorkflow } from '../../workflows/claim/workflow.ts';
import { recordRefusedType } from '../../workflows/failures.ts';
import { withBranchWorkers, timeSkippingServer } from '../support/branches.ts';
import { linesDocument } from '../support/documents.ts';

const hours = (n: number) => n * 3_600_000;
const policy: PolicySnapshot = {
  policyNumber: 'POL-1',
  lineOfBusiness: 'home',
  holderId: 'claimant-1',
  status: 'ACTIVE',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
  cancelledOn: null,
  currency: 'EUR',
  coverages: [
    { peril: 'water_damage', limitMinor: 20_000_00, deductibleMinor: 0 },
    { peril: 'theft', limitMinor: 20_000_00, deductibleMinor: 0 },
    { peril: 'storm', limitMinor: 20_000_00, deductibleMinor: 0 },
  ],
};
const lowFraud: FraudAssessment = {
  score: 5,
  band: 'low',
  reasons: [],
  modelVersion: null,
  rulesVersion: 'fraud-rules@stub',
  modelProbability: null,
};

/** What one run's stubs were asked, and how they answer. */
class Stubs {
  readonly calls: { name: string; args: unknown }[] = [];
  payout: 'PAID' | 'FAILED' | 'PENDING' = 'PAID';
  policyMissing = false;
  /** Decisions with this outcome the database refuses for good, as worker/permanent-failures.ts reports it. */
  refuseOutcome: string | null = null;
  private payouts = 0;
  private called(name: string, args: unknown) {
    this.calls.push({ name, args });
  }
  count(name: string): number {
    return this.calls.filter((c) => c.name === name).length;
  }
  activities() {
    return {
      loadPolicy: async (policyNumber: string): Promise<PolicySnapshot> => {
        this.called('loadPolicy', policyNumber);
        if (this.policyMissing)
          throw ApplicationFailure.create({ type: claimFailureTypes.policyNotFound, message: 'no such policy', nonRetryable: true });
        return policy;
      },
      recordClaimDecision: async (input: { status: string; decision: { kind: string; outcome: string } }) => {
        this.called('recordClaimDecision', input);
        if (input.decision.outcome === this.refuseOutcome)
          throw ApplicationFailure.create({
            type: recordRefusedType,
            message: 'The database refused to record this: a value its rules refuse (SQLSTATE 23514).',
            nonRetryable: true,
          });
      },
      updateWaiting: async (input: unknown) => this.called('updateWaiting', input),
      notify: async (input: { kind: string }) => this.called(`notify:${input.kind}`, input),
      openReserve: async (input: unknown) => this.called('openReserve', input),
      releaseReserve: async (input: unknown) => this.called('releaseReserve', input),
      startPayout: async (input: unknown): Promise<PaymentState> => {
        this.called('startPayout', input);
        this.payouts++;
        const status = this.payout === 'FAILED' && this.payouts === 1 ? 'FAILED' : this.payout === 'PENDING' ? 'PENDING' : 'PAID';
        return { paymentId: `PAY-${this.payouts}`, status, failureReason: status === 'FAILED' ? 'account closed' : null };
      },
      checkPayout: async (input: { paymentId: string }): Promise<PaymentState> => {
        this.called('checkPayout', input);
        return { paymentId: input.paymentId, status: 'PENDING', failureReason: null };
      },
      cancelPayout: async (input: { paymentId: string }): Promise<PaymentState> => {
        this.called('cancelPayout', input);
        return { paymentId: input.paymentId, status: 'CANCELED', failureReason: null };
      },
      writeDecisionLetter: async (input: { outcome: string }) => {
        this.called(`letter:${input.outcome}`, input);
        return { sha256: 'stub' };
      },
      assessFraud: async (input: unknown): Promise<FraudAssessment> => {
        this.called('assessFraud', input);
        return lowFraud;
      },
      analyzeDocument: async ({ documentId }: { documentId: string }): Promise<DocumentAnalysis> => {
        this.called('analyzeDocument', documentId);
        const extraction = extractDocument(
          linesDocument([
            'ACME PLUMBING LTD',
            'INVOICE',
            'Date: 10/11/2026',
            'Burst pipe repair 480.00',
            'TOTAL EUR 480.00',
            'CARD EUR 480.00',
          ]),
        );
        return {
          documentId,
          fileName: `${documentId}.png`,
          mediaType: 'image/png',
          pages: 1,
          receivedOn: '2026-11-12',
          extraction,
          ocrConfidence: 95,
        };
      },
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

function claim(overrides: Partial<ClaimWorkflowInput> = {}): ClaimWorkflowInput {
  return {
    claimId: `CLM-BRANCH-${++sequence}`,
    policyNumber: 'POL-1',
    lineOfBusiness: 'home',
    peril: 'water_damage',
    incidentDate: '2026-11-10',
    reportedOn: '2026-11-11',
    claimed: { minor: 480_00, currency: 'EUR' },
    documentIds: [],
    review: { serviceLevels: defaultServiceLevels, authorityLimits: defaultAuthorityLimits, automation: defaultAutomationPolicy },
    ...overrides,
  };
}

/** Runs `body` with workers serving the claims and documents queues from `stubs`. */
const withWorker = <T>(stubs: Stubs, body: () => Promise<T>): Promise<T> =>
  withBranchWorkers(
    {
      env,
      bundle,
      activities: stubs.activities(),
      workflowQueues: [taskQueues.claims],
      queues: [taskQueues.claims, taskQueues.documents],
      started,
    },
    body,
  );

const started: WorkflowHandle[] = [];
async function start(input: ClaimWorkflowInput): Promise<WorkflowHandle<typeof claimWorkflow>> {
  const handle = await env.client.workflow.start<typeof claimWorkflow>('claimWorkflow', {
    taskQueue: taskQueues.claims,
    workflowId: `claim-${input.claimId}`,
    args: [input],
  });
  started.push(handle);
  return handle;
}
const approve = (amount: number): ReviewDecisionInput => ({
  action: 'approve',
  amount: { minor: amount, currency: 'EUR' },
  reviewer: { id: 'adj-1', role: 'adjuster' },
  note: 'Checked the invoice.',
});
/** Waits (in test-server time) until the claim waits for people. */
async function inReview(handle: WorkflowHandle<typeof claimWorkflow>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const progress = await handle.query(claimStatusQuery);
    if (progress.status === 'IN_REVIEW') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the claim never went into review');
}

describe('claim workflow branches, activities stubbed', { timeout: 60_000 }, () => {
  it('pays straight through a claim its invoice corroborates, then releases the reserve and writes the letter', async () => {
    const stubs = new Stubs();
    const outcome = await withWorker(stubs, async () => (await start(claim({ documentIds: ['DOC-1'] }))).result());
    expect(outcome).toMatchObject({ status: 'PAID', payable: { minor: 480_00, currency: 'EUR' } });
    expect(stubs.calls.map((c) => c.name)).toEqual([
      'openReserve',
      'analyzeDocument',
      'loadPolicy',
      'assessFraud',
      'recordClaimDecision',
      'startPayout',
      'recordClaimDecision',
      'releaseReserve',
      'letter:PAID',
    ]);
  });

  it('refers a claim above what automation may pay without documents, and pays what the adjuster approves', async () => {
    const stubs = new Stubs();
    const outcome = await withWorker(stubs, async () => {
      const handle = await start(claim({ peril: 'storm', claimed: { minor: 4_000_00, currency: 'EUR' } }));
      await inReview(handle);
      expect(await handle.executeUpdate(decideUpdate, { args: [approve(3_500_00)] })).toEqual({ status: 'APPROVED' });
      return handle.result();
    });
    expect(outcome).toMatchObject({ status: 'PAID', payable: { minor: 3_500_00 } });
    expect(stubs.calls.find((c) => c.name === 'recordClaimDecision')?.args).toMatchObject({
      status: 'IN_REVIEW',
      decision: { outcome: 'REFER', reasons: [{ code: 'AMOUNT_NOT_CORROBORATED' }] },
    });
  });

  it('refuses a decision above the adjuster’s authority in the validator, leaving the claim in review', async () => {
    const stubs = new Stubs();
    await withWorker(stubs, async () => {
      const handle = await start(claim({ peril: 'storm', claimed: { minor: 15_000_00, currency: 'EUR' } }));
      await inReview(handle);
      const refused = await handle.executeUpdate(decideUpdate, { args: [approve(15_000_00)] }).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        cause: { type: 'ABOVE_AUTHORITY', message: expect.stringMatching(/a senior adjuster must approve it/) },
      });
      expect((await handle.query(claimStatusQuery)).status).toBe('IN_REVIEW');
    });
  });

  it('reminds after a day and escalates to senior adjusters after three, in workflow time', async () => {
    const stubs = new Stubs();
    await withWorker(stubs, async () => {
      const handle = await start(claim({ peril: 'storm', claimed: { minor: 4_000_00, currency: 'EUR' } }));
      await inReview(handle);
      await env.sleep(hours(25));
      expect(stubs.count('notify:REVIEW_REMINDER')).toBe(1);
      await env.sleep(hours(48));
      expect(stubs.count('notify:REVIEW_ESCALATED')).toBe(1);
      expect((await handle.query(claimStatusQuery)).queue).toBe('senior-adjusters');
    });
  });

  it('sends a claim whose payout failed back to the adjusters, and pays on their second approval', async () => {
    const stubs = new Stubs();
    stubs.payout = 'FAILED';
    const outcome = await withWorker(stubs, async () => {
      const handle = await start(claim({ documentIds: ['DOC-1'] }));
      await inReview(handle);
      expect((await handle.query(claimStatusQuery)).outcome?.reasons.map((r) => r.code)).toContain('PAYMENT_FAILED');
      await handle.executeUpdate(decideUpdate, { args: [approve(480_00)] });
      return handle.result();
    });
    expect(outcome.status).toBe('PAID');
    expect(stubs.count('startPayout')).toBe(2);
  });

  it('stops a payout not yet settled when the claimant withdraws, and closes the claim WITHDRAWN', async () => {
    const stubs = new Stubs();
    stubs.payout = 'PENDING';
    const outcome = await withWorker(stubs, async () => {
      const handle = await start(claim({ documentIds: ['DOC-1'] }));
      for (let i = 0; i < 200 && stubs.count('startPayout') === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await handle.executeUpdate(withdrawUpdate, { args: [{ by: 'claimant-1', reason: 'Repaired by the landlord.' }] })).toEqual({
        status: 'WITHDRAWN',
      });
      return handle.result();
    });
    expect(outcome).toMatchObject({
      status: 'WITHDRAWN',
      reasons: [{ code: 'WITHDRAWN_BY_CLAIMANT' }, { code: 'PAYMENT_STOPPED' }, { code: 'CLAIMANT_NOTE' }],
    });
    expect(stubs.count('cancelPayout')).toBe(1);
    expect(stubs.count('letter:WITHDRAWN')).toBe(1);
  });

  it('closes a claim as incomplete when requested documents do not come within thirty days', async () => {
    const stubs = new Stubs();
    const outcome: ClaimOutcome = await withWorker(stubs, async () => {
      const handle = await start(claim({ peril: 'storm', claimed: { minor: 4_000_00, currency: 'EUR' } }));
      await inReview(handle);
      await handle.executeUpdate(decideUpdate, {
        args: [{ action: 'request_documents', documents: ['the repair invoice'], reviewer: { id: 'adj-1', role: 'adjuster' } }],
      });
      return handle.result();
    });
    expect(outcome).toMatchObject({ status: 'CLOSED_INCOMPLETE', reasons: [{ code: 'DOCUMENTS_NOT_RECEIVED' }] });
    expect(stubs.count('notify:DOCUMENTS_REMINDER')).toBe(4);
  });

  it('sends to a person, never fails, a claim whose automated decision the database refuses, and pays what they approve', async () => {
    const stubs = new Stubs();
    stubs.refuseOutcome = 'APPROVE';
    const outcome = await withWorker(stubs, async () => {
      const handle = await start(claim({ documentIds: ['DOC-1'] }));
      await inReview(handle);
      const waiting = await handle.query(claimStatusQuery);
      expect(waiting.outcome?.reasons.map((r) => r.code)).toEqual(['RECORD_REFUSED']);
      // The refusal lifted (an operator fixed what the database refused), the adjuster's approval is recorded.
      stubs.refuseOutcome = null;
      expect(await handle.executeUpdate(decideUpdate, { args: [approve(480_00)] })).toEqual({ status: 'APPROVED' });
      return handle.result();
    });
    expect(outcome).toMatchObject({ status: 'PAID', payable: { minor: 480_00 } });
    const referral = stubs.calls.filter((c) => c.name === 'recordClaimDecision')[1]!.args;
    expect(referral).toMatchObject({
      status: 'IN_REVIEW',
      flags: [],
      decision: { outcome: 'REFER', reasons: [{ code: 'RECORD_REFUSED' }] },
    });
  });

  it('refers, never fails, a claim whose policy cannot be found', async () => {
    const stubs = new Stubs();
    stubs.policyMissing = true;
    await withWorker(stubs, async () => {
      const handle = await start(claim());
      await inReview(handle);
      expect((await handle.query(claimStatusQuery)).outcome?.reasons.map((r) => r.code)).toContain('POLICY_NOT_FOUND');
    });
  });
});
