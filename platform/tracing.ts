// Traces (OpenTelemetry), configured by OpenTelemetry's own standard environment variables so any
// collector or vendor works unchanged: OTEL_TRACES_EXPORTER (otlp | console | none), the OTLP/HTTP
// endpoint and headers (OTEL_EXPORTER_OTLP_ENDPOINT, ..._TRACES_ENDPOINT, ..._HEADERS), the batch
// processor's pace (OTEL_BSP_*) and OTEL_SERVICE_NAME. With no exporter named and no endpoint set,
// nothing is recorded: spans are the API's no-op ones and cost next to nothing.
//
// One trace follows a claim across processes: the API request's span is the parent of the Temporal
// client's StartWorkflow span, whose context travels in the workflow's headers to the workers, where the
// workflow's and each activity's spans continue it (@temporalio/interceptors-opentelemetry).
import { trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export type TraceExporterName = 'otlp' | 'console' | 'none';

export interface TracingSettings {
  /** Where spans go; 'none' records nothing. */
  readonly exporter: TraceExporterName;
  /** The service name spans carry (OTEL_SERVICE_NAME), or the process's role when unset. */
  readonly serviceName: string | undefined;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Receives the spans workflows emit through the worker's sink (they cannot export from the sandbox). */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Sends what is buffered; called when a process stops so its last spans are not lost. */
  flush(): Promise<void>;
}

let installed: Tracing | undefined;

/**
 * Installs this process's tracer provider (a process-wide singleton, like the Temporal runtime: the
 * first caller's settings win) and returns what the workers' workflow span sink needs.
 */
export function installTracing(settings: TracingSettings, role: string): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': settings.serviceName ?? role });
  if (settings.exporter === 'none') {
    installed = { enabled: false, spanProcessor: new NoopSpanProcessor(), resource, flush: () => Promise.resolve() };
    return installed;
  }
  // The OTLP exporter reads its endpoint, headers and timeout from the standard variables itself.
  const spanProcessor =
    settings.exporter === 'otlp' ? new BatchSpanProcessor(new OTLPTraceExporter()) : new SimpleSpanProcessor(new ConsoleSpanExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global provider, AsyncLocalStorage context (a request's span stays current across its awaits) and
  // W3C trace context, so a caller's traceparent header continues the caller's trace. Trace context
  // only, not W3C baggage: what is propagated lands in the workflow's headers, which Temporal stores
  // unencrypted (headers do not pass through the payload codec), and a caller's baggage is the caller's
  // text, which must not reach a history in the clear.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  installed = { enabled: true, spanProcessor, resource, flush: () => provider.forceFlush() };
  return installed;
}

/** The tracer this project's own spans (API requests) are made with. */
export function insureflowTracer(): Tracer {
  return trace.getTracer('insureflow');
}
