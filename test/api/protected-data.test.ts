// Personal data in Temporal: every payload is encrypted, so a history fetched raw (as anyone with
// access to the Temporal server or its database would see it) shows no name, account or description;
// the codec server shows it decrypted to the Web UI's operator.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTool, temporalCli } from '../../platform/tools.ts';
import { encryptedEncoding } from '../../platform/temporal/payload-codec.ts';
import { api, claimBody, fixtures, keys, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const personal = ['Lovelace', 'DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'ada@example.org', 'the blue Volvo of my neighbour'];

type WirePayload = { metadata?: Record<string, string>; data?: string };

/**
 * Every payload in a history, as the server stores it, with where it was found. Search attributes must
 * stay readable by the server; activity summaries, patch markers and headers (the trace context) are written
 * plain by the SDK; none holds personal data (the raw text check covers them, and the trace header's
 * content is checked below).
 */
function payloadsOf(value: unknown, at = '', out: { at: string; payload: WirePayload }[] = []) {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.metadata && typeof v.metadata === 'object' && 'encoding' in v.metadata) out.push({ at, payload: v });
    else for (const [k, child] of Object.entries(v)) payloadsOf(child, `${at}.${k}`, out);
  }
  return out;
}
const traceHeader = /\.header\.fields\._tracer-data$/;
const readByTheServer = /\.(searchAttributes|indexedFields|userMetadata|patch-data)\.|\.header\.fields\._tracer-data$/;

describe('protected data', () => {
  it('keeps names, accounts and descriptions out of a raw history, and decrypts them for an operator', async () => {
    const form = new FormData();
    form.append(
      'claim',
      JSON.stringify(
        claimBody({
          description: 'Reversed into the blue Volvo of my neighbour',
          contact: { email: 'ada@example.org' },
          payoutAccount: { iban: 'DE89 3704 0044 0532 0130 00', holder: 'Ada Lovelace' },
        }),
      ),
    );
    // The claim form names the claimant and the account: extraction puts them in an activity result.
    const claimForm = await fixtures.pdf(
      'CLAIM FORM',
      'Policy number: POL-1001',
      'Claimant: Ada Lovelace',
      'IBAN DE89370400440532013000',
      'Amount claimed: EUR 1,250.00',
    );
    form.append('documents', new Blob([claimForm], { type: 'application/pdf' }), 'claim-form.pdf');
    const created = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const handle = h.system.temporal.workflow.getHandle(created.body.workflowId);
    await handle.result();

    // Raw: the history as the server returns it, with no codec.
    const raw = await h.system.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: created.body.workflowId },
      maximumPageSize: 1000,
    });
    const rawText = JSON.stringify(raw.history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    for (const secret of personal) expect(rawText, secret).not.toContain(secret);
    const found = payloadsOf(
      JSON.parse(JSON.stringify(raw.history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))),
    );
    const payloads = found.filter((f) => !readByTheServer.test(f.at)).map((f) => f.payload);
    expect(payloads.length).toBeGreaterThan(10);
    for (const f of found.filter((x) => !readByTheServer.test(x.at))) {
      expect([f.at, Buffer.from(f.payload.metadata!.encoding!, 'base64').toString()]).toEqual([f.at, encryptedEncoding]);
    }
    // Headers do not pass through the payload codec (the SDK writes them plain); the one header written is
    // the trace context, which must hold W3C trace context and nothing else (no caller's baggage).
    for (const f of found.filter((x) => traceHeader.test(x.at))) {
      const carried = JSON.parse(Buffer.from(f.payload.data ?? '', 'base64').toString()) as Record<string, unknown>;
      expect(Object.keys(carried).filter((k) => k !== 'traceparent' && k !== 'tracestate')).toEqual([]);
    }

    // Nobody decrypts without being staff, not even from this machine.
    const refused = await fetch(`${h.apiUrl}/codec/decode`, {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:8233', 'content-type': 'application/json' },
      body: JSON.stringify({ payloads }),
    });
    expect(refused.status).toBe(401);
    // Through the codec server, as the Web UI calls it with the codec session an adjuster's console sign-in
    // opened, the same payloads read in full.
    const session = await fetch(`${h.apiUrl}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${keys.adjuster}` } });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const origin = 'http://127.0.0.1:8233';
    const preflight = await fetch(`${h.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    const decoded = await fetch(`${h.apiUrl}/codec/decode`, {
      method: 'POST',
      headers: { origin, cookie, 'content-type': 'application/json', 'x-namespace': 'default' },
      body: JSON.stringify({ payloads }),
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    expect(decoded.headers.get('access-control-allow-origin')).toBe(origin);
    const plain = ((await decoded.json()) as { payloads: { data: string }[] }).payloads
      .map((p) => Buffer.from(p.data, 'base64').toString())
      .join('\n');
    // The name read from the claim form is in an activity result; the account itself never reaches
    // Temporal (the payment activity reads it from the database).
    expect(plain).toContain('Lovelace');
  });

  it('serves the codec only to the Web UI origins, and refuses what it cannot decode', async () => {
    const other = await fetch(`${h.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const garbage = await api(h, 'POST', '/codec/decode', {
      key: keys.adjuster,
      json: {
        payloads: [
          {
            metadata: {
              encoding: Buffer.from(encryptedEncoding).toString('base64'),
              'encryption-key-id': Buffer.from('test-1').toString('base64'),
            },
            data: 'AAAA',
          },
        ],
      },
    });
    expect([garbage.status, garbage.body.error.code]).toEqual([422, 'UNDECODABLE_PAYLOAD']);
    const malformed = await api(h, 'POST', '/codec/encode', { key: keys.adjuster, json: { payloads: 'no' } });
    expect(malformed.status).toBe(422);
  });

  it('answers the temporal CLI, whose query without arguments sends no payloads, through the codec server', async () => {
    const created = await api(h, 'POST', '/v1/claims', { key: keys.claimant, json: claimBody() });
    expect(created.status).toBe(201);
    await h.system.temporal.workflow.getHandle(created.body.workflowId).result();
    expect((await api(h, 'POST', '/codec/encode', { key: keys.adjuster, json: {} })).body).toEqual({ payloads: [] });
    const cli = await ensureTool(temporalCli);
    const { stdout } = await promisify(execFile)(cli, [
      'workflow',
      'query',
      '--address',
      h.env.address,
      '--namespace',
      'default',
      '--workflow-id',
      created.body.workflowId,
      '--type',
      'status',
      '--codec-endpoint',
      `${h.apiUrl}/codec`,
      // The CLI sends a staff key with every codec call.
      '--codec-auth',
      `Bearer ${keys.admin}`,
      '--output',
      'json',
    ]);
    // Decoded through the codec: the claim's progress in plain JSON, not an encrypted payload.
    expect(stdout).toMatch(/"step"/);
  });
});
