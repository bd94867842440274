// How each entry point ends: on SIGINT/SIGTERM (a second one forces exit), or when a component fails on
// its own, `stop` runs once and the process exits with a code that says which.
import type { Logger } from '../platform/logger.ts';

export function stopOnSignalOrFailure(
  logger: Logger,
  stop: (reason: string) => Promise<void>,
  failures: readonly Promise<unknown>[],
): void {
  let stopping = false;
  const finish = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    stop(reason).then(
      () => process.exit(exitCode),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write('Forced exit.\n');
        process.exit(130);
      }
      finish(signal, 0);
    });
  }
  for (const failure of failures) {
    failure.then(
      () => {
        if (!stopping) {
          logger.fatal('a component stopped unexpectedly');
          finish('component stopped', 1);
        }
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'a component failed');
        finish('component failure', 1);
      },
    );
  }
}

/**
 * Start-up problems are the operator's to fix (a setting, a busy port, a server not there): one clear line
 * on stderr and exit 1; the stack only at LOG_LEVEL=debug.
 */
export function exitBecause(error: unknown): never {
  process.stderr.write(`\ninsureflow could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(error);
  process.exit(1);
}

/** Production names its Temporal server; it never falls back to a local dev server or a default address. */
export function temporalRequiredInProduction(config: { readonly env: string }, configured: boolean): void {
  if (config.env === 'production' && !configured)
    throw new Error(
      'TEMPORAL_ADDRESS (or a Temporal profile) must name the Temporal server in production; a dev server is never started there.',
    );
}
