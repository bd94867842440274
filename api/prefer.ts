// `Prefer: wait=N` (RFC 7240): a client may ask to hold the response up to N seconds (max 30) for
// the outcome of what it started, instead of polling.
import type { Request } from 'express';

export function preferredWaitMs(req: Request): number {
  const match = /(?:^|[,;\s])wait=(\d+)/i.exec(req.get('prefer') ?? '');
  return match?.[1] ? Math.min(Number(match[1]), 30) * 1000 : 0;
}

/** Reads until `settled` holds or the client's preferred wait is over; returns the last reading. */
export function readWhenSettled<T>(req: Request, read: () => Promise<T>, settled: (value: T) => boolean): Promise<T> {
  return readUntil(preferredWaitMs(req), read, settled);
}

/** Reads every 100 ms until `settled` holds or `ms` have passed; returns the last reading. */
export async function readUntil<T>(ms: number, read: () => Promise<T>, settled: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!settled(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
