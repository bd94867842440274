// The codec server (Temporal's remote codec protocol): the Web UI and `temporal` CLI send encrypted
// payloads to /codec/decode to show them to an operator, and /codec/encode to send input. Only staff
// who may read claims' data decrypt, in every mode: with a staff API key (the CLI's --codec-auth), or
// with a codec session a staff member's console sign-in set as a cookie (codec-session.ts), which the Web
// UI sends when told to include cross-origin credentials. Browsers may call it only from the configured
// Web UI origins.
import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { authenticate, requireRole, type KeyRing } from './auth.ts';
import { codecRoles, codecSessionCookie, codecSessionSeconds, cookieValue, type CodecSessions } from './codec-session.ts';
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

export function codecRoutes({
  codec,
  corsOrigins,
  keys,
  sessions,
}: {
  codec: PayloadCodec;
  corsOrigins: readonly string[];
  keys: KeyRing;
  sessions: CodecSessions;
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
  const byKey: RequestHandler[] = [authenticate(keys), requireRole(...codecRoles)];
  // A bearer key is checked as everywhere else; without one, the console's codec session.
  const staffOnly: RequestHandler = (req, res, next) => {
    if (req.headers.authorization) return byKey[0]!(req, res, (error?: unknown) => (error ? next(error) : byKey[1]!(req, res, next)));
    const token = cookieValue(req.headers.cookie, codecSessionCookie);
    const principal = token ? sessions.verify(token) : null;
    if (!principal) {
      next(
        new ApiError(
          401,
          'UNAUTHENTICATED',
          'Decrypting needs a staff key ("Authorization: Bearer <key>"), or a codec session: sign in to the console, and let the Web UI include cross-origin credentials.',
        ),
      );
      return;
    }
    req.principal = principal;
    next();
  };
  const cookie = (req: express.Request, value: string, maxAge: number) =>
    `${codecSessionCookie}=${value}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${req.secure ? '; Secure' : ''}`;
  // The console opens a codec session for the staff member signed in to it, and ends it on sign-out.
  router.post('/codec/session', ...byKey, (req, res) => {
    res
      .set('set-cookie', cookie(req, sessions.issue(req.principal!), codecSessionSeconds))
      .status(204)
      .end();
  });
  router.delete('/codec/session', (req, res) => {
    res
      .set('set-cookie', cookie(req, '', 0))
      .status(204)
      .end();
  });
  for (const action of ['encode', 'decode'] as const) {
    router.options(`/codec/${action}`, cors);
    router.post(`/codec/${action}`, cors, staffOnly, express.json({ limit: '8mb' }), async (req, res) => {
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
