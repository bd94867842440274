// What the business looks like in numbers, per process, for Prometheus (prom-client): claims decided by
// kind, outcome and who decided (the straight-through rate is automated approvals over automated
// assessments), how long a claim took from submission to its decision, pages read and the seconds each
// took, payouts by state, and the API's requests. The Temporal SDK's own metrics (task latencies, slots,
// polls) are served by its runtime on INSUREFLOW_SDK_METRICS_ADDRESS and appended to the same /metrics.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'insureflow_process_' });

export const claimsDecided = new Counter({
  name: 'insureflow_claims_decided_total',
  help: 'Decisions recorded on claims, by kind (CLAIM_ASSESSMENT, ADJUSTER_DECISION, ...), outcome and who decided',
  labelNames: ['kind', 'outcome', 'decided_by'] as const,
  registers: [metricsRegistry],
});

export const submitToDecisionSeconds = new Histogram({
  name: 'insureflow_claim_submit_to_decision_seconds',
  help: "From a claim's acceptance to its automated assessment being recorded",
  labelNames: ['outcome'] as const,
  buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export const pagesRead = new Counter({
  name: 'insureflow_document_pages_read_total',
  help: 'Pages of claim and application documents read, by how (text layer or OCR engine)',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

export const documentReadSeconds = new Histogram({
  name: 'insureflow_document_read_seconds',
  help: 'Seconds to read one document, all its pages',
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
  registers: [metricsRegistry],
});

export const payouts = new Counter({
  name: 'insureflow_payouts_total',
  help: 'Payout answers from the payment gateway, by state (PENDING, PAID, FAILED, CANCELED)',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestSeconds = new Histogram({
  name: 'insureflow_http_request_seconds',
  help: 'API requests by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
  registers: [metricsRegistry],
});

/** This process's metrics as Prometheus text, with the SDK runtime's appended when it serves them. */
export async function metricsText(sdkMetricsAddress?: string): Promise<string> {
  const own = await metricsRegistry.metrics();
  if (!sdkMetricsAddress) return own;
  const sdk = await fetch(`http://${sdkMetricsAddress}/metrics`, { signal: AbortSignal.timeout(2_000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  return `${own}\n${sdk}`;
}
