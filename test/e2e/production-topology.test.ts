// Production shape: the prebuilt workflow bundle, the API and one worker process per task queue, apart,
// on PostgreSQL (DATABASE_URL) and a Temporal server named by TEMPORAL_ADDRESS.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../platform/net.ts';
import { encode, rasterize, textPdf } from '../support/documents.ts';
import { api, claimBody, fixtures, waitForDecision } from '../support/harness.ts';
import { reachable } from '../support/postgres.ts';
import { startProjectProcess, type StartedSystem } from '../support/processes.ts';
import { startProductionDependencies, type ProductionDependencies } from '../support/production.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';

const adjusterKey = 'prod-adjuster-key-0123456789';

describe.skipIf(!reachable)('separate API and worker processes on PostgreSQL', () => {
  let deps: ProductionDependencies;
  const processes: StartedSystem[] = [];
  let apiUrl: string;
  let metricsPorts: { claims: number; documents: number; documents2: number };
  let sdkPorts: { claims: number; documents: number };
  let collector: OtlpReceiver;
  let paidClaimId: string;
  let paidWorkflowId: string;

  beforeAll(async () => {
    deps = await startProductionDependencies({ apiKeys: `adjuster:adj-7:${adjusterKey}`, settleAfterMs: 500 });
    apiUrl = deps.apiUrl;
    metricsPorts = { claims: await freePort(), documents: await freePort(), documents2: await freePort() };
    sdkPorts = { claims: await freePort(), documents: await freePort() };
    // Every process sends its spans to one collector, as OpenTelemetry's standard variables say.
    collector = await startOtlpReceiver();
    const env = { ...deps.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
    // Started together, as a deployment would: they share the migration lock.
    processes.push(
      ...(await Promise.all([
        startProjectProcess(['api/main.ts'], env, 'API listening'),
        // Each worker serves Prometheus metrics on its own port, with its Temporal runtime's appended.
        startProjectProcess(
          ['worker/main.ts', '--queue', 'claims'],
          { ...env, INSUREFLOW_METRICS_PORT: String(metricsPorts.claims), INSUREFLOW_SDK_METRICS_ADDRESS: `127.0.0.1:${sdkPorts.claims}` },
          'worker running',
        ),
        startProjectProcess(
          ['worker/main.ts', '--queue', 'documents'],
          {
            ...env,
            INSUREFLOW_METRICS_PORT: String(metricsPorts.documents),
            INSUREFLOW_SDK_METRICS_ADDRESS: `127.0.0.1:${sdkPorts.documents}`,
          },
          'worker running',
        ),
        // A second documents worker on the same queue: scale-out is more processes polling it.
        startProjectProcess(
          ['worker/main.ts', '--queue', 'documents'],
          { ...env, INSUREFLOW_METRICS_PORT: String(metricsPorts.documents2) },
          'worker running',
        ),
      ])),
    );
  });

  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await deps?.stop();
    await collector?.close();
  });

  it('decides and pays a claim with documents across the processes', async () => {
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '420.00', currency: 'EUR' } })));
    // A whole invoice: its arithmetic and the payment confirm the total, so automation may pay on it.
    const invoice = await fixtures.pdf(
      'GLASS REPAIRS LTD',
      'INVOICE',
      'Windscreen 1 352.94',
      'Subtotal 352.94',
      'VAT 19% 67.06',
      'TOTAL EUR 420.00',
      'Paid by card EUR 420.00',
    );
    form.append('documents', new Blob([invoice], { type: 'application/pdf' }), 'glass-invoice.pdf');
    // A caller's W3C baggage is the caller's text: it must not ride into the workflow's (unencrypted) headers.
    const res = await api({ apiUrl }, 'POST', '/v1/claims', {
      key: adjusterKey,
      body: form,
      headers: { prefer: 'wait=15', baggage: 'claimant=Ada%20Lovelace' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'APPROVED',
      documents: [{ status: 'ANALYZED', kind: 'receipt', fields: { total: { value: { amount: '420.00' } } } }],
      payableAmount: { amount: '420.00' },
    });
    paidClaimId = res.body.id;
    paidWorkflowId = res.body.workflowId;
    const paid = await waitForDecision({ apiUrl }, res.body.id, adjusterKey, 30_000, ['PAID']);
    expect(paid.payments).toMatchObject([{ status: 'PAID', amount: { amount: '420.00', currency: 'EUR' } }]);
    expect(deps.gateway.payouts()).toMatchObject([{ reference: res.body.id, amount: 42_000, status: 'paid' }]);
  });

  it("serves Prometheus metrics from every process: the business's and the Temporal SDK's", async () => {
    const scrape = async (url: string) => (await fetch(url)).text();
    const fromApi = await scrape(`${apiUrl}/metrics`);
    expect(fromApi).toMatch(/^insureflow_http_request_seconds_count\{method="POST",route="\/v1\/claims",status="201"\} [1-9]/m);
    const claims = await scrape(`http://127.0.0.1:${metricsPorts.claims}/metrics`);
    expect(claims).toMatch(/^insureflow_claims_decided_total\{kind="CLAIM_ASSESSMENT",outcome="APPROVE",decided_by="automation"\} [1-9]/m);
    expect(claims).toMatch(/^insureflow_claim_submit_to_decision_seconds_count\{outcome="APPROVE"\} [1-9]/m);
    expect(claims).toMatch(/^insureflow_payouts_total\{status="PAID"\} [1-9]/m);
    expect(claims).toMatch(/^temporal_\w+/m);
    // The invoice was read by one of the two documents workers.
    const documents = await scrape(`http://127.0.0.1:${metricsPorts.documents}/metrics`);
    const documents2 = await scrape(`http://127.0.0.1:${metricsPorts.documents2}/metrics`);
    expect(`${documents}\n${documents2}`).toMatch(/^insureflow_document_pages_read_total\{source="text-layer"\} [1-9]/m);
    expect(documents).toMatch(/^temporal_\w+/m);
  });

  it("traces the claim across the processes, the API request's span the parent of the workflow's", async () => {
    const api = await collector.until((spans) =>
      spans.find(
        (s) => s.service === 'insureflow-api' && s.name === 'POST /v1/claims' && s.attributes['http.response.status_code'] === 201,
      ),
    );
    expect(api.kind).toBe(2); // SERVER
    const inTrace = (spans: readonly ReceivedSpan[]) => spans.filter((s) => s.traceId === api.traceId);
    const start = await collector.until((spans) => inTrace(spans).find((s) => s.name.startsWith('StartWorkflow:')));
    expect(start).toMatchObject({ service: 'insureflow-api', parentSpanId: api.spanId, name: 'StartWorkflow:claimWorkflow' });
    // The workflow scheduled the reading, the documents worker read the invoice, the claims worker paid it.
    const worked = await collector.until((spans) => {
      const trace = inTrace(spans);
      const read = trace.find((s) => s.service === 'insureflow-worker-documents' && s.name === 'RunActivity:analyzeDocument');
      const scheduled = trace.find((s) => s.service === 'insureflow-worker-claims' && s.name === 'StartActivity:analyzeDocument');
      const paid = trace.find((s) => s.service === 'insureflow-worker-claims' && s.name === 'RunActivity:startPayout');
      return read && scheduled && paid ? { read, scheduled } : undefined;
    });
    expect(worked.read.parentSpanId).toBe(worked.scheduled.spanId);
    expect(paidClaimId).toBeTruthy();
    // The context the workflow carries in its header is the trace's, and nothing of the caller's baggage.
    const connection = await Connection.connect({ address: deps.temporal.address });
    try {
      const history = await new Client({ connection }).workflow.getHandle(paidWorkflowId).fetchHistory();
      const header = history.events![0]!.workflowExecutionStartedEventAttributes!.header!.fields!['_tracer-data']!;
      const carried = JSON.parse(Buffer.from(header.data!).toString()) as Record<string, string>;
      expect(Object.keys(carried)).toEqual(['traceparent']);
      expect(carried.traceparent).toContain(api.traceId);
    } finally {
      await connection.close();
    }
  });

  it('shares the reading of scans between two documents workers on one queue', async () => {
    const [scan] = await rasterize(await textPdf([['GLASS REPAIRS LTD', 'INVOICE', 'TOTAL EUR 96.00']], { fontSize: 16 }), 150);
    const png = await encode.png(scan!);
    const ids = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const form = new FormData();
        form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '96.00', currency: 'EUR' } })));
        form.append('documents', new Blob([png], { type: 'image/png' }), `scan-${i}.png`);
        const res = await api({ apiUrl }, 'POST', '/v1/claims', { key: adjusterKey, body: form });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      }),
    );
    for (const id of ids) await waitForDecision({ apiUrl }, id, adjusterKey, 120_000);
    const connection = await Connection.connect({ address: deps.temporal.address });
    const readers = new Set<string>();
    try {
      const client = new Client({ connection });
      for (const id of ids) {
        const events = (await client.workflow.getHandle(`claim-${id}`).fetchHistory()).events ?? [];
        const scheduled = new Map<string, string>();
        for (const e of events) {
          const a = e.activityTaskScheduledEventAttributes;
          if (a?.activityType?.name === 'analyzeDocument') scheduled.set(String(e.eventId), 'analyzeDocument');
          const started = e.activityTaskStartedEventAttributes;
          if (started && scheduled.has(String(started.scheduledEventId)) && started.identity) readers.add(started.identity);
        }
      }
    } finally {
      await connection.close();
    }
    expect(readers.size, [...readers].join(', ')).toBe(2);
  });

  it('refuses the public development keys in production', async () => {
    const res = await api({ apiUrl }, 'GET', '/v1/claims', { key: 'dev-admin-key' });
    expect(res.status).toBe(401);
  });

  it('stops each process cleanly on SIGTERM', async () => {
    const results = await Promise.all(processes.splice(0).map((p) => p.stop('SIGTERM')));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
  });
});
