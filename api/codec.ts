// The codec server (Temporal's remote codec protocol): the Web UI and `temporal` CLI send encrypted
// payloads to /codec/decode to show them to an operator, and /codec/encode to send input. In production
// it requires a staff API key (the Web UI forwards the operator's token when configured to); in
// development, too, for any caller not on this machine. Browsers may call it only from the configured Web
// UI origins.
import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { authenticate, requireRole, type KeyRing } from './auth.ts';
import { ApiError, validationError } from './errors.ts';

// Protobuf JSON leaves out an empty repeated field: a query without arguments arrives as `{}` (the CLI
// sends that), which is an empty list of payloads, not an error.
const WirePayloads = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() }).strict())
    .max(1_000)
    .default([]),
});

const fromWire = (p: z.infer<typeof WirePayloads>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const isLoopback = (address: string | undefined) =>
  address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

export function codecRoutes({
  codec,
  corsOrigins,
  keys,
  requireStaff,
}: {
  codec: PayloadCodec;
  corsOrigins: readonly string[];
  keys: KeyRing;
  requireStaff: boolean;
}): Router {
  const router = Router();
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    if (origin && corsOrigins.includes(origin)) {
      res.set({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type, x-namespace, authorization',
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(origin && corsOrigins.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };
  const staff: RequestHandler[] = [authenticate(keys), requireRole('admin', 'adjuster', 'senior_adjuster')];
  // The development Web UI cannot send a key (the dev server's UI has no sign-in to forward), so on a
  // developer's machine the browser beside it may decode without one; from anywhere else (HOST opened to
  // a network) a staff key is needed, as in production.
  const exceptFromThisMachine =
    (check: RequestHandler): RequestHandler =>
    (req, res, next) =>
      isLoopback(req.socket.remoteAddress) ? next() : check(req, res, next);
  const guard = requireStaff ? staff : staff.map(exceptFromThisMachine);
  for (const action of ['encode', 'decode'] as const) {
    router.options(`/codec/${action}`, cors);
    router.post(`/codec/${action}`, cors, ...guard, express.json({ limit: '8mb' }), async (req, res) => {
      const parsed = WirePayloads.safeParse(req.body ?? {});
      if (!parsed.success) throw validationError(parsed.error, 'payloads');
      try {
        const out = await codec[action](parsed.data.payloads.map(fromWire));
        res.json({ payloads: out.map(toWire) });
      } catch (error) {
        throw new ApiError(422, 'UNDECODABLE_PAYLOAD', error instanceof Error ? error.message : String(error));
      }
    });
  }
  return router;
}
