// The HTTP API against the real system: authentication, bad input, idempotency, visibility.
// long file: the cases share one started system (Temporal, database, workers), which takes seconds to start.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaimIntake } from '../../api/claims/intake.ts';
import { ClaimSubmission } from '../../api/claims/schemas.ts';
import { desc } from 'drizzle-orm';
import { claims, decisions, documents } from '../../db/schema.ts';
import { badFiles, imagePdf, rasterize, textPdf } from '../support/documents.ts';
import { createLogger } from '../../platform/logger.ts';
import { createFileBlobStore } from '../../engines/storage/blob-store.ts';
import { Client } from '@temporalio/client';
import path from 'node:path';
import { api, claimBody, fixtures, keys, startHarness, waitForDecision, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    INSUREFLOW_MAX_FILE_BYTES: String(1024 * 1024),
    INSUREFLOW_MAX_DOCUMENTS: '2',
    // The test below drives the pending-claim sweep itself.
    INSUREFLOW_SWEEP_INTERVAL_MS: String(3_600_000),
  });
});
afterAll(async () => {
  await h?.stop();
});

const post = (json: unknown, key: string = keys.claimant, headers: Record<string, string> = {}) =>
  api(h, 'POST', '/v1/claims', { key, json, headers });

function multipart(claim: unknown, files: { bytes: Buffer; name: string; type: string }[] = []): FormData {
  const form = new FormData();
  form.append('claim', typeof claim === 'string' ? claim : JSON.stringify(claim));
  for (const f of files) form.append('documents', new Blob([f.bytes], { type: f.type }), f.name);
  return form;
}

describe('operations', () => {
  it('answers liveness and readiness, naming each dependency', async () => {
    expect((await api(h, 'GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    const ready = await api(h, 'GET', '/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { ok: true }, temporal: { ok: true } } });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await api(h, 'GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/claims',
        '/v1/claims/{id}',
        '/v1/claims/{id}/documents',
        '/healthz',
        '/readyz',
        // What the console uses, so an integration has it too.
        '/v1/me',
        '/v1/review/denial-reasons',
        '/v1/claims/{id}/documents/{documentId}/file',
        '/v1/claims/{id}/documents/{documentId}/pages/{page}',
        '/v1/claims/{id}/history',
        '/v1/claims/{id}/notes',
        '/v1/claims/{id}/assignment',
        '/v1/claims/{id}/refer',
        '/v1/claims/{id}/appeal',
        '/v1/claims/{id}/appeal/decision',
        '/v1/appeals',
        '/v1/voice/sessions',
        '/v1/underwriting/decline-reasons',
        '/v1/underwriting/applications/{id}/documents/{documentId}/file',
        '/v1/underwriting/applications/{id}/documents/{documentId}/pages/{page}',
        '/v1/underwriting/applications/{id}/interview',
      ]),
    );
    const submit = res.body.paths['/v1/claims'].post;
    expect(submit.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ClaimSubmission' });
    expect(Object.keys(submit.requestBody.content)).toContain('multipart/form-data');
    expect(submit.parameters.map((p: { name: string }) => p.name)).toEqual(['Idempotency-Key', 'Prefer']);
    expect(res.body.paths['/v1/claims'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['status', 'limit', 'cursor']);
    // Routes behind a role document how it answers a missing key or the wrong role, and may say more.
    expect(Object.keys(res.body.paths['/v1/voice/sessions/{id}/answer'].post.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(res.body.paths['/v1/claims/{id}/withdraw'].post.responses['403'].description).toBe('Not a claimant');
    expect(res.body.paths['/healthz'].get.responses['401']).toBeUndefined();
    const schemas = res.body.components.schemas;
    expect(schemas.ClaimSubmission.required).toEqual(
      expect.arrayContaining(['policyNumber', 'peril', 'incidentDate', 'claimedAmount', 'description']),
    );
    expect(schemas.ClaimSubmission.additionalProperties).toBe(false);
    expect(schemas.Claim.properties.claimedAmount).toEqual({ $ref: '#/components/schemas/Money' });
    // Every $ref resolves, and points into the components (a `#/$defs/...` would point at nothing).
    const refs = [...JSON.stringify(res.body).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(ref.startsWith('#/components/schemas/') && schemas[ref.split('/').pop()!], ref).toBeTruthy();
    // And the document is valid OpenAPI 3.1 by the specification's own schema.
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('answers unknown routes with the error shape and a request id', async () => {
    const res = await api(h, 'GET', '/nope', { key: null, headers: { 'x-request-id': 'trace-123' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /nope', requestId: 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });
});

describe('authentication and roles', () => {
  it('requires a valid bearer key', async () => {
    expect((await post(claimBody(), '')).body.error.code).toBe('UNAUTHENTICATED');
    const wrong = await post(claimBody(), 'not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The API key is not valid.' });
  });

  it('keeps underwriters out of claims', async () => {
    const res = await api(h, 'GET', '/v1/claims', { key: keys.underwriter });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('lets a claimant claim and see only their own claims', async () => {
    const other = await post(claimBody({ policyNumber: 'POL-2001', claimedAmount: { amount: '2000', currency: 'USD' } }), keys.claimant2);
    expect(other.status).toBe(201);
    const mine = await post(claimBody());
    expect(mine.status).toBe(201);
    expect((await api(h, 'GET', `/v1/claims/${other.body.id}`, { key: keys.claimant })).status).toBe(404);
    const list = await api(h, 'GET', '/v1/claims?limit=100', { key: keys.claimant });
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((c: { claimantId: string }) => c.claimantId === 'cust-1001')).toBe(true);
    const staff = await api(h, 'GET', '/v1/claims?limit=100', { key: keys.adjuster });
    expect(staff.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([other.body.id, mine.body.id]));
  });

  it("refuses a claim on someone else's policy as if it did not exist", async () => {
    const res = await post(claimBody({ policyNumber: 'POL-2001' }), keys.claimant);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('POLICY_NOT_FOUND');
    expect((await post(claimBody({ policyNumber: 'POL-9999' }), keys.admin)).body.error.code).toBe('POLICY_NOT_FOUND');
  });
});

describe('bad input gets a clear 4xx naming the problem', () => {
  it('malformed JSON', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      body: '{"policyNumber": "POL-1001",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('unsupported content type', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      body: 'policy=POL-1001',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('schema violations, each with its path', async () => {
    const res = await post({ ...claimBody({ incidentDate: '2026-13-01' }), surprise: 1, description: undefined });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['claim.incidentDate', 'claim.description', 'claim']));
  });

  it('amounts, dates and text the rules cannot accept', async () => {
    expect((await post(claimBody({ claimedAmount: { amount: '10.001', currency: 'EUR' } }))).body.error).toEqual(
      expect.objectContaining({ code: 'INVALID_AMOUNT', message: 'claimedAmount: EUR amounts have at most 2 decimal places.' }),
    );
    expect((await post(claimBody({ claimedAmount: { amount: '0', currency: 'EUR' } }))).body.error.code).toBe('INVALID_AMOUNT');
    expect((await post(claimBody({ incidentDate: '2999-01-01' }))).body.error.code).toBe('INCIDENT_DATE_IN_FUTURE');
    const nul = await post(claimBody({ description: 'broken\u0000text' }));
    expect(nul.status).toBe(422);
    expect(nul.body.error).toMatchObject({ code: 'INVALID_TEXT', message: 'claim.description contains a NUL character (U+0000).' });
  });

  it('a body that is too large', async () => {
    const res = await post(claimBody({ description: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('multipart without a claim part, or with broken JSON in it', async () => {
    const form = new FormData();
    form.append('documents', new Blob([fixtures.png()], { type: 'image/png' }), 'a.png');
    expect((await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form })).body.error.message).toContain("'claim' part");
    const broken = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: multipart('{nope') });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('MALFORMED_JSON');
  });

  it('a truncated multipart body', async () => {
    const boundary = 'XyZ';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="claim"\r\n\r\n{"a":1}\r\n--${boundary}\r\nContent-Disposition: form-data; name="documents"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`;
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_MULTIPART');
  });

  it('files that lie about their type, are of no accepted type, empty, too big or too many', async () => {
    const send = (files: { bytes: Buffer; name: string; type: string }[]) =>
      api(h, 'POST', '/v1/claims', { key: keys.claimant, body: multipart(claimBody(), files) });
    const lying = await send([{ bytes: fixtures.png(), name: 'invoice.pdf', type: 'application/pdf' }]);
    expect(lying.status).toBe(415);
    expect(lying.body.error).toMatchObject({
      code: 'FILE_TYPE_MISMATCH',
      message: "The file 'invoice.pdf' was sent as application/pdf but its content is image/png.",
    });
    const script = await send([{ bytes: Buffer.from('<script>alert(1)</script>'), name: 'photo.jpg', type: 'image/jpeg' }]);
    expect(script.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect((await send([{ bytes: Buffer.alloc(0), name: 'a.png', type: 'image/png' }])).body.error.code).toBe('EMPTY_FILE');
    const big = await send([{ bytes: Buffer.concat([fixtures.png(), Buffer.alloc(1100 * 1024)]), name: 'big.png', type: 'image/png' }]);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('FILE_TOO_LARGE');
    const three = await Promise.all(
      Array.from({ length: 3 }, async (_, i) => ({ bytes: await fixtures.pdf(`doc ${i}`), name: `d${i}.pdf`, type: 'application/pdf' })),
    );
    const many = await send(three);
    expect(many.status).toBe(413);
    expect(many.body.error.code).toBe('TOO_MANY_FILES');
  });

  it('accepts nothing from a refused request', async () => {
    const before = await h.system.database.db.select({ id: claims.id }).from(claims);
    await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      body: multipart(claimBody(), [{ bytes: Buffer.from('MZ\x90\x00'), name: 'setup.exe', type: 'application/octet-stream' }]),
    });
    const after = await h.system.database.db.select({ id: claims.id }).from(claims);
    expect(after.length).toBe(before.length);
  });
});

describe('documents', () => {
  it('refuses every bad file, each with its own code', async () => {
    for (const bad of await badFiles(h.config.documents.limits.maxPages)) {
      const res = await api(h, 'POST', '/v1/claims', {
        key: keys.claimant,
        body: multipart(claimBody(), [{ bytes: bad.bytes, name: bad.file, type: bad.type }]),
      });
      expect([res.status, res.body.error?.code], bad.name).toEqual([bad.status, bad.code]);
      expect(res.body.error.message, bad.name).toContain(bad.file);
    }
  });

  it('adds documents to a claim being assessed, which reads them before it decides', async () => {
    // Six scanned pages keep the claim busy reading for a few seconds.
    const [scan] = await rasterize(await textPdf([['REPAIR ESTIMATE', 'Labour 100.00']]), 200);
    const slow = await imagePdf(Array.from({ length: 6 }, () => scan!));
    const submitted = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      body: multipart(claimBody({ claimedAmount: { amount: '640.00', currency: 'EUR' } }), [
        { bytes: slow, name: 'scan.pdf', type: 'application/pdf' },
      ]),
    });
    expect(submitted.status).toBe(201);
    const invoice = await fixtures.pdf('BODY SHOP LTD', 'INVOICE', 'TOTAL EUR 640.00');
    const form = new FormData();
    form.append('documents', new Blob([invoice], { type: 'application/pdf' }), 'invoice.pdf');
    const added = await api(h, 'POST', `/v1/claims/${submitted.body.id}/documents`, { key: keys.claimant, body: form });
    expect(added.status, JSON.stringify(added.body)).toBe(202);
    expect(added.body.documents).toMatchObject([{ fileName: 'invoice.pdf', added: true }]);

    const decided = await waitForDecision(h, submitted.body.id, keys.claimant);
    expect(decided.documents.map((d: { fileName: string; status: string }) => [d.fileName, d.status]).sort()).toEqual([
      ['invoice.pdf', 'ANALYZED'],
      ['scan.pdf', 'ANALYZED'],
    ]);
    const scanned = decided.documents.find((d: { fileName: string }) => d.fileName === 'scan.pdf');
    expect(scanned).toMatchObject({ pages: 6, textSource: 'ocr', progress: null });
    const history = await h.system.temporal.workflow.getHandle(decided.workflowId).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'addDocuments');
    expect(signals).toHaveLength(1);
    const [decision] = await h.system.database.db
      .select()
      .from(decisions)
      .where(and(eq(decisions.claimId, submitted.body.id), eq(decisions.kind, 'CLAIM_ASSESSMENT')))
      .orderBy(desc(decisions.id));
    expect((decision!.inputs as { documents: unknown[] }).documents).toHaveLength(2);
  });

  it('refuses documents for a decided claim and keeps none of them', async () => {
    const submitted = await post(claimBody(), keys.claimant, { prefer: 'wait=10' });
    expect(['APPROVED', 'PAID']).toContain(submitted.body.status);
    const form = new FormData();
    form.append('documents', new Blob([await fixtures.pdf('late receipt')], { type: 'application/pdf' }), 'late.pdf');
    const res = await api(h, 'POST', `/v1/claims/${submitted.body.id}/documents`, { key: keys.claimant, body: form });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CLAIM_CLOSED');
    const docs = await h.system.database.db.select().from(documents).where(eq(documents.claimId, submitted.body.id));
    expect(docs).toHaveLength(0);
  });

  it("does not let a claimant add to someone else's claim", async () => {
    const other = await post(claimBody({ policyNumber: 'POL-2001', claimedAmount: { amount: '1500', currency: 'USD' } }), keys.claimant2);
    const form = new FormData();
    form.append('documents', new Blob([fixtures.png()], { type: 'image/png' }), 'a.png');
    const res = await api(h, 'POST', `/v1/claims/${other.body.id}/documents`, { key: keys.claimant, body: form });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CLAIM_NOT_FOUND');
  });
});

describe('submission', () => {
  it('returns the decision in the response when asked to wait', async () => {
    const res = await post(claimBody(), keys.claimant, { prefer: 'wait=10' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/claims/${res.body.id}`);
    // Answered once automation has decided; the payment follows at once (the test gateway settles at once).
    expect(res.body).toMatchObject({ payableAmount: { amount: '750.00', currency: 'EUR' }, decision: { outcome: 'APPROVE' } });
    expect(['APPROVED', 'PAID']).toContain(res.body.status);
  });

  it('shows live progress while the claim is being worked on, then the decision', async () => {
    const res = await post(claimBody({ peril: 'glass', claimedAmount: { amount: '99.90', currency: 'EUR' } }));
    expect(res.status).toBe(201);
    expect(['RECEIVED', 'APPROVED', 'PAID']).toContain(res.body.status);
    const paid = await waitForDecision(h, res.body.id, keys.claimant, 30_000, ['PAID']);
    for (let i = 0; i < 100 && !paid.closedAt; i++)
      Object.assign(paid, (await api(h, 'GET', `/v1/claims/${res.body.id}`, { key: keys.claimant })).body);
    expect(paid).toMatchObject({
      status: 'PAID',
      payableAmount: { amount: '99.90', currency: 'EUR' },
      progress: null,
      letterUrl: `/v1/claims/${res.body.id}/letter.pdf`,
    });
    const decided = paid;
    expect(decided.decision.reasons).toEqual([{ code: 'COVERAGE_CONFIRMED', message: 'The loss is covered by the policy.' }]);
  });

  it('lists by status, newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await post(claimBody({ policyNumber: 'POL-1002', peril: 'theft' }), keys.claimant, { prefer: 'wait=10' })).body.id);
    const first = await api(h, 'GET', '/v1/claims?status=IN_REVIEW&limit=2', { key: keys.claimant });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.every((c: { status: string }) => c.status === 'IN_REVIEW')).toBe(true);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await api(h, 'GET', `/v1/claims?status=IN_REVIEW&limit=2&cursor=${first.body.nextCursor}`, { key: keys.claimant });
    expect(second.body.items[0].id).toBe(ids[0]);
    expect((await api(h, 'GET', '/v1/claims?status=LOST', { key: keys.claimant })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api(h, 'GET', '/v1/claims?limit=1000', { key: keys.claimant })).status).toBe(422);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same claim for a retried submission and starts one workflow', async () => {
    const body = claimBody({ claimedAmount: { amount: '640.00', currency: 'EUR' } });
    const first = await post(body, keys.claimant, { 'idempotency-key': 'retry-test-1' });
    const again = await post(body, keys.claimant, { 'idempotency-key': 'retry-test-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const runs = [];
    for await (const w of h.system.temporal.workflow.list({ query: `WorkflowId = "claim-${first.body.id}"` })) runs.push(w);
    expect(runs).toHaveLength(1);
  });

  it('returns one claim to concurrent retries', async () => {
    const body = claimBody({ claimedAmount: { amount: '641.00', currency: 'EUR' } });
    const results = await Promise.all(Array.from({ length: 6 }, () => post(body, keys.claimant, { 'idempotency-key': 'race-1' })));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
  });

  it('refuses a reused key with a different request', async () => {
    await post(claimBody(), keys.claimant, { 'idempotency-key': 'reuse-1' });
    const res = await post(claimBody({ claimedAmount: { amount: '9999', currency: 'EUR' } }), keys.claimant, {
      'idempotency-key': 'reuse-1',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the submitter', async () => {
    const a = await post(claimBody(), keys.claimant, { 'idempotency-key': 'shared-key' });
    const b = await post(claimBody({ policyNumber: 'POL-2001', claimedAmount: { amount: '1250.00', currency: 'USD' } }), keys.claimant2, {
      'idempotency-key': 'shared-key',
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('refuses malformed keys', async () => {
    const res = await post(claimBody(), keys.claimant, { 'idempotency-key': 'has spaces' });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('header.Idempotency-Key');
  });
});

describe('when Temporal is unreachable', () => {
  it('keeps the accepted claim and starts its workflow once Temporal is back', async () => {
    // An intake whose Temporal connection points at a closed port: the claim is stored, the start fails.
    const deadConnection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const deadClient = new Client({ connection: deadConnection });
    const logger = createLogger('silent');
    const offline = createClaimIntake({
      db: h.system.database.db,
      blobs: createFileBlobStore(path.join(h.config.dataDir, 'blobs')),
      temporal: deadClient,
      logger,
    });
    const started = Date.now();
    const { claimId } = await offline.submit({
      principal: { role: 'claimant', subject: 'cust-1001' },
      submission: ClaimSubmission.parse(claimBody()),
      files: [],
      idempotencyKey: undefined,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const [stored] = await h.system.database.db.select().from(claims).where(eq(claims.id, claimId));
    expect(stored).toMatchObject({ status: 'RECEIVED', workflowStartedAt: null });
    await deadConnection.close();

    // The sweep of the running system (same database, reachable Temporal) picks it up.
    const online = createClaimIntake({
      db: h.system.database.db,
      blobs: createFileBlobStore(path.join(h.config.dataDir, 'blobs')),
      temporal: h.system.temporal,
      logger,
    });
    expect(await online.startPending(0)).toBeGreaterThanOrEqual(1);
    expect(await online.startPending(0)).toBe(0);
    const decided = await waitForDecision(h, claimId);
    expect(['APPROVED', 'PAID']).toContain(decided.status);
  });
});
