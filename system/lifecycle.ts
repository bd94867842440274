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
