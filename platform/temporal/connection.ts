// Connection settings come only from Temporal's standard environment configuration (TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, or the TOML profile file), so
// the same processes run unchanged against the local dev server, a self-hosted cluster or Temporal Cloud.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';

export interface TemporalSettings {
  readonly address: string;
  readonly namespace: string;
  readonly connectionOptions: ClientConnectConfig['connectionOptions'];
}

export const defaultTemporalAddress = '127.0.0.1:7233';

/** True when the environment names a Temporal server, so none should be started locally. */
export function temporalIsConfigured(): boolean {
  return loadClientConnectConfig().connectionOptions.address !== undefined;
}

export function temporalSettings(): TemporalSettings {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const address = connectionOptions.address ?? defaultTemporalAddress;
  return { address, namespace: namespace ?? 'default', connectionOptions: { ...connectionOptions, address } };
}

export async function connectClient(settings: TemporalSettings, dataConverter: DataConverter): Promise<Client> {
  const { address, tls, apiKey, metadata } = settings.connectionOptions;
  const connection = await Connection.connect({ address, tls, apiKey, metadata: metadata as Record<string, string> | undefined });
  // Starting a workflow, updating or signalling it opens a span under the caller's (the API request's)
  // and hands its context to the workflow in the headers (platform/tracing.ts).
  return new Client({
    connection,
    namespace: settings.namespace,
    dataConverter,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
}

export async function connectWorkerConnection(settings: TemporalSettings = temporalSettings()): Promise<NativeConnection> {
  return NativeConnection.connect(settings.connectionOptions);
}
