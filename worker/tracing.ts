// The worker's half of tracing: the workflow interceptors go into the bundle (they run in the sandbox,
// where spans cannot be exported, so they hand them to the `exporter` sink), the activity interceptors
// and the sink into every Worker. The sink is registered even with tracing off: the bundle is built once
// for every process, and a workflow that calls an unregistered sink logs an error on every task.
import { createRequire } from 'node:module';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { installTracing, type Tracing } from '../platform/tracing.ts';

/** The workflow-side interceptors module (span per workflow run, update, signal and activity scheduled). */
export const workflowTracingInterceptors = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

export interface WorkerTracingOptions {
  readonly interceptors: WorkerInterceptors;
  readonly sinks: InjectedSinks<OpenTelemetrySinks>;
}

/** Interceptors and sinks for Worker.create and Worker.runReplayHistories; tracing off unless given. */
export function workerTracingOptions(
  tracing: Tracing = installTracing({ exporter: 'none', serviceName: undefined }, 'insureflow'),
): WorkerTracingOptions {
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
