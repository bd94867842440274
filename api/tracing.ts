// Each API request is a span (kind SERVER), the parent of everything it causes: the Temporal client's
// StartWorkflow or update span and, through the workflow's headers, the workers' spans. A caller's W3C
// traceparent header is honoured, so a claim submitted from a traced front end continues its trace.
// With tracing off (platform/tracing.ts) the spans are no-ops.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { insureflowTracer } from '../platform/tracing.ts';

export function traceRequests(): RequestHandler {
  const tracer = insureflowTracer();
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method} ${req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    res.on('finish', () => {
      // Named by the route's pattern once routing has matched it, as the metrics are, not by the URL.
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) {
        span.updateName(`${req.method} ${req.baseUrl}${route}`);
        span.setAttribute('http.route', `${req.baseUrl}${route}`);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        span.setAttribute('http.response.aborted', true);
        span.end();
      }
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
