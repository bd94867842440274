// A payment gateway sandbox that speaks the gateway protocol (docs/adr/0008-payment-gateway.md) on
// loopback: what `npm start` pays into when no real gateway is configured, and what the tests pay into.
// Like a bank's sandbox it keeps every payout (in a JSON file when given one), settles it after a
// delay, fails payouts to its test account, and honours idempotency keys. It can also drop the answer
// to a payout it has made, as a network can, so tests prove a retry does not pay twice.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidIban, normalizeIban } from '../../domain/shared/iban.ts';
import type { PayoutStatus } from './gateway.ts';

/** Payouts to this account fail as "account closed", like the test accounts of real sandboxes. */
export const sandboxFailingIban = 'GB94BARC10201530093459';

interface StoredPayout {
  id: string;
  idempotencyKey: string;
  requestDigest: string;
  amount: number;
  currency: string;
  destination: { iban: string; holder: string };
  reference: string;
  createdAt: number;
  canceledAt: number | null;
  settleAfterMs?: number;
}

export interface SandboxGatewayOptions {
  readonly apiKey: string;
  /** How long a payout stays pending (cancellable) before it settles. */
  readonly settleAfterMs: number;
  /** Keeps payouts across restarts; in memory only when absent. */
  readonly stateFile?: string;
  readonly host?: string;
  readonly port?: number;
}

export interface SandboxGateway {
  readonly url: string;
  /** Every payout made, as a bank statement would list them. */
  payouts(): readonly { id: string; idempotencyKey: string; amount: number; currency: string; reference: string; status: PayoutStatus }[];
  /** The next `count` answers to payout requests are replaced by a 502 after the payout is made (a lost response). */
  loseNextAnswers(count: number): void;
  /** Changes how long payouts made from now on stay pending. */
  settleAfter(ms: number): void;
  close(): Promise<void>;
}

export async function startSandboxGateway(options: SandboxGatewayOptions): Promise<SandboxGateway> {
  const store = new Map<string, StoredPayout>();
  const byKey = new Map<string, string>();
  if (options.stateFile && existsSync(options.stateFile)) {
    for (const p of JSON.parse(readFileSync(options.stateFile, 'utf8')) as StoredPayout[]) {
      store.set(p.id, p);
      byKey.set(p.idempotencyKey, p.id);
    }
  }
  const persist = () => {
    if (!options.stateFile) return;
    const temporary = `${options.stateFile}.tmp`;
    writeFileSync(temporary, JSON.stringify([...store.values()]));
    renameSync(temporary, options.stateFile);
  };
  let answersToLose = 0;
  let settleAfterMs = options.settleAfterMs;
  const loseAnswer = () => {
    if (answersToLose === 0) return false;
    answersToLose--;
    return true;
  };

  const statusOf = (p: StoredPayout): PayoutStatus => {
    if (p.canceledAt !== null) return 'canceled';
    if (Date.now() - p.createdAt < (p.settleAfterMs ?? options.settleAfterMs)) return 'pending';
    return normalizeIban(p.destination.iban) === sandboxFailingIban ? 'failed' : 'paid';
  };
  const wire = (p: StoredPayout) => ({
    id: p.id,
    status: statusOf(p),
    amount: p.amount,
    currency: p.currency,
    reference: p.reference,
    failure_reason: statusOf(p) === 'failed' ? 'account_closed' : null,
    created: new Date(p.createdAt).toISOString(),
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${options.apiKey}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 64 * 1024) throw new Error('body too large');
      chunks.push(chunk);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  }

  function createPayout(req: IncomingMessage, body: unknown, res: ServerResponse) {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 255)
      return fail(res, 400, 'idempotency_key_required', 'An Idempotency-Key header (8-255 characters) is required');
    const b = body as { amount?: unknown; currency?: unknown; destination?: { iban?: unknown; holder?: unknown }; reference?: unknown };
    if (!Number.isSafeInteger(b.amount) || (b.amount as number) <= 0)
      return fail(res, 400, 'invalid_amount', 'amount must be a positive integer in minor units');
    if (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency))
      return fail(res, 400, 'invalid_currency', 'currency must be an ISO 4217 code');
    if (typeof b.destination?.iban !== 'string' || !isValidIban(b.destination.iban))
      return fail(res, 400, 'invalid_iban', 'destination.iban is not a valid IBAN');
    if (typeof b.destination.holder !== 'string' || b.destination.holder.trim() === '')
      return fail(res, 400, 'invalid_holder', 'destination.holder is required');
    if (typeof b.reference !== 'string' || b.reference.length > 140)
      return fail(res, 400, 'invalid_reference', 'reference must be text up to 140 characters');
    const requestDigest = JSON.stringify([b.amount, b.currency, normalizeIban(b.destination.iban), b.destination.holder, b.reference]);
    const existingId = byKey.get(key);
    if (existingId) {
      const existing = store.get(existingId)!;
      if (existing.requestDigest !== requestDigest)
        return fail(res, 422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different payout');
      if (loseAnswer()) return fail(res, 502, 'bad_gateway', 'The answer was lost on the way (sandbox fault injection)');
      return send(res, 200, wire(existing), { 'idempotent-replayed': 'true' });
    }
    const payout: StoredPayout = {
      id: `po_${randomUUID().replace(/-/g, '')}`,
      idempotencyKey: key,
      requestDigest,
      amount: b.amount as number,
      currency: b.currency,
      destination: { iban: normalizeIban(b.destination.iban), holder: b.destination.holder },
      reference: b.reference,
      createdAt: Date.now(),
      canceledAt: null,
      settleAfterMs,
    };
    store.set(payout.id, payout);
    byKey.set(key, payout.id);
    persist();
    if (loseAnswer()) return fail(res, 502, 'bad_gateway', 'The answer was lost on the way (sandbox fault injection)');
    return send(res, 201, wire(payout));
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (!authorized(req)) return fail(res, 401, 'unauthenticated', 'A valid API key is required');
        const url = new URL(req.url ?? '/', 'http://sandbox');
        const match = /^\/v1\/payouts(?:\/([A-Za-z0-9_]+)(\/cancel)?)?$/.exec(url.pathname);
        if (!match) return fail(res, 404, 'not_found', `No route ${req.method} ${url.pathname}`);
        const [, id, cancel] = match;
        if (!id && req.method === 'POST') {
          let body: unknown;
          try {
            body = await readJson(req);
          } catch {
            return fail(res, 400, 'malformed_json', 'The body is not JSON');
          }
          return createPayout(req, body, res);
        }
        const payout = id ? store.get(id) : undefined;
        if (!payout) return fail(res, 404, 'payout_not_found', `No payout ${id ?? ''}`);
        if (!cancel && req.method === 'GET') return send(res, 200, wire(payout));
        if (cancel && req.method === 'POST') {
          if (statusOf(payout) === 'pending') {
            payout.canceledAt = Date.now();
            persist();
          }
          return send(res, 200, wire(payout));
        }
        return fail(res, 405, 'method_not_allowed', `${req.method} is not allowed here`);
      } catch (error) {
        fail(res, 500, 'internal', error instanceof Error ? error.message : String(error));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    payouts: () =>
      [...store.values()].map((p) => ({
        id: p.id,
        idempotencyKey: p.idempotencyKey,
        amount: p.amount,
        currency: p.currency,
        reference: p.reference,
        status: statusOf(p),
      })),
    loseNextAnswers: (count) => {
      answersToLose = count;
    },
    settleAfter: (ms) => {
      settleAfterMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
