// Structured JSON logs (pino) for our code and the Temporal SDK alike, one line per event.
import { trace } from '@opentelemetry/api';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'insureflow'): Logger {
  return pino({
    name,
    level,
    // A line written while a traced request or activity runs names its trace, to find one from the other.
    mixin: () => {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  });
}

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's own logs (worker lifecycle, workflow and activity logs) into pino. */
export function temporalLogger(logger: Logger, minimum?: LogLevel): DefaultLogger {
  const child = logger.child({ component: 'temporal' });
  const threshold = (logger.level === 'silent' ? 'ERROR' : logger.level.toUpperCase()) as LogLevel;
  const levels: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  const own: LogLevel = threshold in pinoLevel ? threshold : 'INFO';
  const level = minimum && levels.indexOf(minimum) > levels.indexOf(own) ? minimum : own;
  return new DefaultLogger(level, (entry: LogEntry) => {
    child[pinoLevel[entry.level]]({ ...entry.meta }, entry.message);
  });
}
