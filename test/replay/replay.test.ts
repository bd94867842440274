// Histories of real runs (test/histories, captured by `npm run histories:capture`) replayed against the
// current workflow code with the production data converter: a change that would break a claim already
// in flight fails here, before it reaches a worker.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { installRuntime } from '../../system/run.ts';
import { testDataConverter as dataConverter } from '../support/payload-keys.ts';
import { buildWorkflowBundle } from '../../worker/bundle.ts';
import { workerTracingOptions } from '../../worker/tracing.ts';

// One folder per workflow version (v1, v2, ...): every version ever run must still replay.
const historiesDir = path.join(import.meta.dirname, '..', 'histories');
const histories = readdirSync(historiesDir)
  .filter((version) => statSync(path.join(historiesDir, version)).isDirectory())
  .flatMap((version) =>
    readdirSync(path.join(historiesDir, version))
      .filter((f) => f.endsWith('.json'))
      .map((file) => ({
        workflowId: `${version}/${file.replace(/\.json$/, '')}`,
        history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, version, file), 'utf8'))),
      })),
  );

async function replayAll(bundle: WorkflowBundle, which = histories) {
  const results = [];
  // With the production worker's span sink: the bundle's tracing interceptors are replayed too.
  const options = { workflowBundle: bundle, dataConverter, sinks: workerTracingOptions().sinks };
  for await (const result of Worker.runReplayHistories(options, which)) results.push(result);
  return results;
}

describe('replay of committed histories', () => {
  let current: WorkflowBundle;
  beforeAll(async () => {
    installRuntime(createLogger('error'));
    current = await buildWorkflowBundle();
  });

  it('has histories of each scenario of each version to replay', () => {
    const underwritingV1 = [
      'application-accepted',
      'application-rated',
      'application-referred-then-accepted',
      'application-proposed-decline-then-declined',
    ];
    const first = [
      'claim-approved',
      'claim-approved-with-documents',
      'claim-referred-peril-not-covered',
      'claim-referred-policy-cancelled',
    ];
    const humanReview = [
      'claim-approved',
      'claim-approved-with-documents',
      'claim-review-approved',
      'claim-review-denied',
      'claim-documents-requested-then-received',
      'claim-review-escalated-then-approved',
    ];
    const automationAuthority = [
      ...humanReview,
      'claim-withdrawn-in-review',
      'claim-withdrawn-after-payment-began',
      'claim-payment-failed-then-paid',
      'claim-fraud-referred-then-denied',
      'claim-paid-on-corroborating-receipt',
      'claim-receipt-not-corroborating-then-approved',
      'claim-above-automation-limit-then-approved',
    ];
    expect(histories.map((h) => h.workflowId).sort()).toEqual(
      expect.arrayContaining([
        ...first.map((s) => `v1/${s}`),
        ...first.map((s) => `v2/${s}`),
        'v2/claim-referred-amount-exceeds-documents',
        ...humanReview.map((s) => `v3/${s}`),
        ...[...humanReview, 'claim-withdrawn-in-review', 'claim-withdrawn-after-payment-began', 'claim-payment-failed-then-paid'].map(
          (s) => `v4/${s}`,
        ),
        ...[
          ...humanReview,
          'claim-withdrawn-in-review',
          'claim-withdrawn-after-payment-began',
          'claim-payment-failed-then-paid',
          'claim-fraud-referred-then-denied',
        ].map((s) => `v5/${s}`),
        ...automationAuthority.map((s) => `v6/${s}`),
        ...[...automationAuthority, 'claim-referred-to-senior-then-approved'].map((s) => `v7/${s}`),
        ...['appeal-overturned-and-paid', 'appeal-upheld'].map((s) => `appeal-v1/${s}`),
        ...['claim-decision-refused-then-approved', 'claim-withdrawn-note-not-stored', 'application-decision-refused-then-accepted'].map(
          (s) => `refusals-v1/${s}`,
        ),
        ...underwritingV1.map((s) => `underwriting-v1/${s}`),
        ...[
          ...underwritingV1,
          'application-evidence-confirmed',
          'application-evidence-contradicted-then-rated',
          'application-disclosure-referred-then-declined',
          'application-high-value-accepted-by-senior',
          'application-escalated-then-accepted',
          'application-interview-untranscribed-then-accepted',
        ].map((s) => `underwriting-v2/${s}`),
        ...['call-completed', 'call-policy-rejected-keypad-then-hung-up', 'call-silent-abandoned', 'statement-needs-agent'].map(
          (s) => `voice-v1/${s}`,
        ),
        ...['call-completed', 'call-policy-rejected-keypad-then-hung-up', 'call-silent-abandoned', 'statement-needs-agent'].map(
          (s) => `voice-v2/${s}`,
        ),
        ...[
          'call-completed',
          'call-natural-phrasings',
          'call-policy-rejected-keypad-then-hung-up',
          'call-silent-abandoned',
          'statement-transcribed-needs-agent',
        ].map((s) => `voice-v3/${s}`),
      ]),
    );
  });

  it('replays every history against the current workflow code', async () => {
    const results = await replayAll(current);
    expect(results).toHaveLength(histories.length);
    for (const result of results) expect(result.error, result.workflowId).toBeUndefined();
  });

  it('fails on an incompatible change to the workflow', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(import.meta.dirname, 'changed', 'workflows.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    // The changed bundle alters every workflow: every history must fail.
    const results = await replayAll(changed);
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.error?.name, result.workflowId).toBe('DeterminismViolationError');
  });
});
