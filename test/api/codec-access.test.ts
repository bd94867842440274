// Who may use the codec server outside production: the browser beside a developer's Web UI (this machine)
// without a key, anyone else only with a staff key — the case where HOST opens the API to a network.
// A real server on all interfaces, called once over loopback and once over this machine's network address.
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecRoutes } from '../../api/codec.ts';
import { developmentKeys, parseApiKeys } from '../../api/auth.ts';
import { errorHandler } from '../../api/errors.ts';
import { createEncryptionCodec } from '../../platform/temporal/payload-codec.ts';
import { testKeyring } from '../support/payload-keys.ts';

const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let server: ReturnType<express.Express['listen']>;
let port = 0;
beforeAll(async () => {
  const app = express();
  app.use(
    codecRoutes({ codec: createEncryptionCodec(testKeyring), corsOrigins: [], keys: parseApiKeys(developmentKeys), requireStaff: false }),
  );
  app.use(errorHandler);
  await new Promise<void>((resolve) => {
    server = app.listen(0, '0.0.0.0', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

const encode = (host: string, key?: string) =>
  fetch(`http://${host}:${port}/codec/encode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'e30=' }] }),
  });

describe('the codec server in development', () => {
  it('answers this machine without a key', async () => {
    const res = await encode('127.0.0.1');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payloads: unknown[] }).payloads).toHaveLength(1);
  });

  it.skipIf(!networkAddress)('wants a staff key from any other address, and refuses a claimant', async () => {
    const none = await encode(networkAddress!);
    expect([none.status, ((await none.json()) as { error: { code: string } }).error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await encode(networkAddress!, 'dev-claimant-key')).status).toBe(403);
    expect((await encode(networkAddress!, 'dev-admin-key')).status).toBe(200);
  });
});
