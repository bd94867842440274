// Who may use the codec server, in every mode: staff who may read claims' data, with their API key or
// with the codec session their console sign-in opens (a cookie the Web UI sends when it includes
// cross-origin credentials). Nobody decrypts without one, not even from this machine. A real server, and
// a real browser calling it from another origin as the Temporal Web UI does.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecRoutes } from '../../api/codec.ts';
import { codecSessionSeconds, createCodecSessions } from '../../api/codec-session.ts';
import { developmentKeys, parseApiKeys } from '../../api/auth.ts';
import { errorHandler } from '../../api/errors.ts';
import { createEncryptionCodec } from '../../platform/temporal/payload-codec.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { testKeyring } from '../support/payload-keys.ts';

const listen = (app: express.Express) =>
  new Promise<{ server: ReturnType<express.Express['listen']>; port: number }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });

const sessions = createCodecSessions(testKeyring.keys.get(testKeyring.currentKeyId)!);
let codecServer: Awaited<ReturnType<typeof listen>>;
let webUi: Awaited<ReturnType<typeof listen>>;
let codecUrl = '';
beforeAll(async () => {
  // The "Web UI": another origin on this machine, as the dev server's UI is (another port).
  const ui = express();
  ui.get('/', (_req, res) => res.type('html').send('<!doctype html><title>Web UI</title>'));
  webUi = await listen(ui);
  const app = express();
  app.get('/', (_req, res) => res.type('html').send('<!doctype html><title>API</title>'));
  app.use(
    codecRoutes({
      codec: createEncryptionCodec(testKeyring),
      corsOrigins: [`http://127.0.0.1:${webUi.port}`],
      keys: parseApiKeys(developmentKeys),
      sessions,
    }),
  );
  app.use(errorHandler);
  codecServer = await listen(app);
  codecUrl = `http://127.0.0.1:${codecServer.port}`;
});
afterAll(async () => {
  for (const s of [codecServer, webUi]) await new Promise<void>((resolve) => s?.server.close(() => resolve()));
});

const plain = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'e30=' }] };
const encode = (headers: Record<string, string> = {}) =>
  fetch(`${codecUrl}/codec/encode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(plain),
  });

describe('the codec server', () => {
  it('wants a staff key or a codec session from everyone, this machine too', async () => {
    const none = await encode();
    expect([none.status, ((await none.json()) as { error: { code: string } }).error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await encode({ authorization: 'Bearer dev-claimant-key' })).status).toBe(403);
    expect((await encode({ authorization: 'Bearer dev-underwriter-key' })).status).toBe(403);
    expect((await encode({ authorization: 'Bearer dev-admin-key' })).status).toBe(200);
    expect((await encode({ authorization: 'Bearer dev-adjuster-key' })).status).toBe(200);
  });

  it('opens a codec session for a staff key, as an HttpOnly cookie for /codec only, and ends it', async () => {
    expect(
      (await fetch(`${codecUrl}/codec/session`, { method: 'POST', headers: { authorization: 'Bearer dev-claimant-key' } })).status,
    ).toBe(403);
    const opened = await fetch(`${codecUrl}/codec/session`, { method: 'POST', headers: { authorization: 'Bearer dev-adjuster-key' } });
    expect(opened.status).toBe(204);
    const cookie = opened.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^insureflow_codec=[\w-]+\.[\w-]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const value = cookie.split(';')[0]!;
    expect((await encode({ cookie: value })).status).toBe(200);
    // A token altered, or signed by another key (another deployment), is refused.
    const [body, signature] = value.split('=')[1]!.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'adj-1', role: 'admin', exp: 4_000_000_000 })).toString('base64url');
    expect((await encode({ cookie: `insureflow_codec=${forged}.${signature}` })).status).toBe(401);
    const other = createCodecSessions(new Uint8Array(32).fill(7)).issue({ subject: 'adj-1', role: 'adjuster' });
    expect((await encode({ cookie: `insureflow_codec=${other}` })).status).toBe(401);
    expect(body).toBeTruthy();
    const ended = await fetch(`${codecUrl}/codec/session`, { method: 'DELETE' });
    expect(ended.headers.get('set-cookie')).toMatch(/^insureflow_codec=; .*Max-Age=0/);
  });

  it('lets a session lapse after a working day, and never holds a role that may not decrypt', () => {
    const now = Date.parse('2026-12-07T08:00:00Z');
    const token = sessions.issue({ subject: 'adj-1', role: 'adjuster' }, now);
    expect(sessions.verify(token, now + 1_000)).toEqual({ subject: 'adj-1', role: 'adjuster' });
    expect(sessions.verify(token, now + codecSessionSeconds * 1000 + 1_000)).toBeNull();
    expect(sessions.verify(sessions.issue({ subject: 'c-1', role: 'claimant' }, now), now + 1_000)).toBeNull();
  });

  it.skipIf(!browserAvailable)(
    'decrypts for the Web UI in a browser once the staff member signed in, and not before',
    { timeout: 60_000 },
    async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const decodeFromTheWebUi = () =>
          page.evaluate(
            async ({ url, body }) =>
              (
                await fetch(`${url}/codec/decode`, {
                  method: 'POST',
                  credentials: 'include',
                  headers: { 'content-type': 'application/json', 'x-namespace': 'default' },
                  body,
                })
              ).status,
            { url: codecUrl, body: JSON.stringify(plain) },
          );
        await page.goto(`http://127.0.0.1:${webUi.port}/`);
        expect(await decodeFromTheWebUi()).toBe(401);
        // The console's sign-in (on the API's origin) opens the session.
        await page.goto(`${codecUrl}/`);
        expect(
          await page.evaluate(
            async (url) =>
              (await fetch(`${url}/codec/session`, { method: 'POST', headers: { authorization: 'Bearer dev-adjuster-key' } })).status,
            codecUrl,
          ),
        ).toBe(204);
        // Script cannot read the cookie; the browser sends it to /codec from the Web UI's origin.
        expect(await page.evaluate('document.cookie')).toBe('');
        await page.goto(`http://127.0.0.1:${webUi.port}/`);
        expect(await decodeFromTheWebUi()).toBe(200);
      } finally {
        await browser.close();
      }
    },
  );
});
