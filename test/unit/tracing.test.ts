// Traces: which exporter the standard OpenTelemetry variables choose, and an API request's span, which
// continues a caller's W3C trace and is named by its route's pattern.
import { createServer } from 'node:http';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceRequests } from '../../api/tracing.ts';
import { loadConfig } from '../../platform/config.ts';

describe('tracing settings', () => {
  it('records nothing unless an exporter or a collector is named', () => {
    expect(loadConfig({}).tracing).toEqual({ exporter: 'none', serviceName: undefined });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.exporter).toBe('otlp');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).tracing.exporter).toBe('otlp');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.exporter).toBe(
      'none',
    );
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'claims-api' }).tracing).toEqual({
      exporter: 'console',
      serviceName: 'claims-api',
    });
  });

  it('refuses an exporter it does not know, naming the variable', () => {
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe("an API request's span", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let url: string;
  const server = createServer(
    express()
      .use(traceRequests())
      .get('/v1/things/:id', (_req, res) => void res.json({ ok: true }))
      .get('/v1/broken', (_req, res) => void res.status(503).json({ ok: false })),
  );

  beforeAll(async () => {
    provider.register();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await provider.shutdown();
  });

  it("continues the caller's trace and is named by the route, not the URL", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await fetch(`${url}/v1/things/clm-123`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    expect(res.status).toBe(200);
    const span = exporter.getFinishedSpans().find((s) => s.name.startsWith('GET'));
    expect(span).toBeDefined();
    expect(span!.name).toBe('GET /v1/things/:id');
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanId).toBe(callerSpan);
    expect(span!.attributes).toMatchObject({ 'http.route': '/v1/things/:id', 'http.response.status_code': 200 });
  });

  it('marks a 5xx answer as an error', async () => {
    exporter.reset();
    await fetch(`${url}/v1/broken`);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2); // ERROR
    expect(span?.parentSpanId).toBeUndefined();
  });
});
