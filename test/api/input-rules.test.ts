// Input the engine must not accept, refused at the door with a 4xx naming the problem (issue 15). Text the
// record cannot keep (a NUL character, which PostgreSQL refuses, or a lone UTF-16 surrogate) is
// refused where it enters, at once and naming the field: by the API, and by the workflows' update
// validators for clients that go around the API. Before, a NUL in an adjuster's note passed the update's
// validator and its recording activity failed at every retry, wedging the claim for ever (issue 15).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { decideUpdate, withdrawUpdate } from '../../workflows/claim/messages.ts';
import { underwriterDecisionUpdate } from '../../workflows/underwriting/messages.ts';
import {
  api,
  applicationBody,
  claimBody,
  keys,
  referredApplication,
  referredClaim,
  startHarness,
  type Harness,
} from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const nul = 'paid\u0000twice';
const loneSurrogate = 'receipt \uD800';

const refusal = (res: { status: number; body: { error: { code: string; message: string } } }) => [
  res.status,
  res.body.error.code,
  res.body.error.message,
];

describe('text the record cannot keep', () => {
  it('is refused at the door for claims, cursors and applications, naming the field', async () => {
    const claim = await api(h, 'POST', '/v1/claims', { key: keys.claimant, json: claimBody({ description: nul }) });
    expect(refusal(claim)).toEqual([422, 'INVALID_TEXT', 'claim.description contains a NUL character (U+0000).']);
    const cursor = await api(h, 'GET', '/v1/claims?cursor=%00', { key: keys.adjuster });
    expect(refusal(cursor)).toEqual([422, 'INVALID_TEXT', 'query.cursor contains a NUL character (U+0000).']);
    const application = await api(h, 'POST', '/v1/underwriting/applications', {
      key: keys.claimant,
      json: applicationBody({ applicant: { name: 'Margit\u0000Andersson', dateOfBirth: '1976-05-02' }, declarations: loneSurrogate }),
    });
    expect(refusal(application)).toEqual([422, 'INVALID_TEXT', 'application.applicant.name contains a NUL character (U+0000).']);
  });

  it('never wedges a claim: decisions and withdrawals carrying it are refused at once, and the claim stays decidable', async () => {
    const claim = await referredClaim(h);
    const started = Date.now();
    const note = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '800.00', currency: 'EUR' }, note: nul },
    });
    expect(refusal(note)).toEqual([422, 'INVALID_TEXT', 'body.note contains a NUL character (U+0000).']);
    const documents = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'request_documents', documents: [loneSurrogate] },
    });
    expect(refusal(documents)).toEqual([
      422,
      'INVALID_TEXT',
      'body.documents[0] contains a lone UTF-16 surrogate, which is not a character.',
    ]);
    const withdrawal = await api(h, 'POST', `/v1/claims/${claim.id}/withdraw`, { key: keys.claimant, json: { reason: nul } });
    expect(refusal(withdrawal)).toEqual([422, 'INVALID_TEXT', 'body.reason contains a NUL character (U+0000).']);
    expect(Date.now() - started).toBeLessThan(5_000);

    // Around the API (a Temporal client, the CLI): the workflow's validators refuse it before history.
    const handle = h.system.temporal.workflow.getHandle(claim.workflowId);
    const reviewer = { role: 'adjuster' as const, id: 'adjuster-1' };
    await expect(
      handle.executeUpdate(decideUpdate, {
        args: [{ action: 'approve', amount: { minor: 800_00, currency: 'EUR' }, note: nul, reviewer }],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ action: 'request_documents', documents: [loneSurrogate], reviewer }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(withdrawUpdate, { args: [{ by: 'cust-1001', reason: nul }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);

    // A proper decision still goes through.
    const approved = await api(h, 'POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.adjuster,
      json: { action: 'approve', amount: { amount: '800.00', currency: 'EUR' }, note: 'Theft confirmed by the police report.' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  });

  it('is refused in an underwriter’s note, by the API and by the workflow, and the application stays decidable', async () => {
    const referred = await referredApplication(h);
    const id = referred.id;
    const note = await api(h, 'POST', `/v1/underwriting/applications/${id}/decision`, {
      key: keys.underwriter,
      json: { action: 'accept', note: nul },
    });
    expect(refusal(note)).toEqual([422, 'INVALID_TEXT', 'body.note contains a NUL character (U+0000).']);
    const handle = h.system.temporal.workflow.getHandle(referred.workflowId);
    await expect(
      handle.executeUpdate(underwriterDecisionUpdate, {
        args: [{ action: 'accept', note: nul, underwriter: 'uw-1', role: 'underwriter' }],
      }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    const accepted = await api(h, 'POST', `/v1/underwriting/applications/${id}/decision`, {
      key: keys.underwriter,
      json: { action: 'accept', note: 'Experienced rider; accepted at the engine price.' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  });
});

describe('input rules', () => {
  it('refuses a currency not in use, a date the record cannot keep, and a cursor it never gave', async () => {
    const currency = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ claimedAmount: { amount: '10.00', currency: 'XYZ' } }),
    });
    expect(currency.status).toBe(422);
    expect(currency.body.error.message).toContain('ISO 4217');
    const yearZero = await api(h, 'POST', '/v1/claims', { key: keys.claimant, json: claimBody({ incidentDate: '0000-01-01' }) });
    expect(refusal(yearZero)).toEqual([422, 'VALIDATION_FAILED', 'claim.incidentDate: must be 1900-01-01 or later']);
    const cursor = await api(h, 'GET', '/v1/claims?cursor=abc', { key: keys.adjuster });
    expect(refusal(cursor)).toEqual([
      422,
      'VALIDATION_FAILED',
      'query.cursor: is not a cursor this API gave (nextCursor of a previous page)',
    ]);
  });

  it('names a body that is not what its Content-Encoding says, an encoding it does not take, and a broken part header', async () => {
    const post = (headers: Record<string, string>, body: RequestInit['body']) =>
      fetch(`${h.apiUrl}/v1/claims`, { method: 'POST', headers: { authorization: `Bearer ${keys.claimant}`, ...headers }, body });
    const answer = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string; message: string } }).error];
    const json = { 'content-type': 'application/json' };
    // A zstd frame header whose frame descriptor is invalid, and bytes that are not gzip at all.
    expect(await answer(await post({ ...json, 'content-encoding': 'zstd' }, Buffer.from('28b52ffdff0000', 'hex')))).toEqual([
      400,
      {
        code: 'MALFORMED_BODY',
        message: expect.stringMatching(/^The body is not valid zstd data, as its Content-Encoding says/),
        requestId: expect.any(String),
      },
    ]);
    expect(await answer(await post({ ...json, 'content-encoding': 'gzip' }, '{"not":"gzip"}'))).toEqual([
      400,
      expect.objectContaining({ code: 'MALFORMED_BODY', message: expect.stringContaining('not valid gzip data') }),
    ]);
    expect(await answer(await post({ ...json, 'content-encoding': 'compress' }, '{}'))).toEqual([
      415,
      expect.objectContaining({ code: 'UNSUPPORTED_ENCODING', message: expect.stringContaining('identity, gzip, deflate, br, zstd') }),
    ]);
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody()));
    const multipart = new Response(form);
    const type = multipart.headers.get('content-type')!;
    const bytes = Buffer.from(await multipart.arrayBuffer());
    expect(await answer(await post({ 'content-type': type, 'content-encoding': 'gzip' }, bytes))).toEqual([
      415,
      expect.objectContaining({ code: 'UNSUPPORTED_ENCODING', message: expect.stringContaining('multipart body is read as sent') }),
    ]);
    // A NUL in a file name breaks the part's header: busboy's words, and what usually causes them.
    const boundary = 'nul-boundary';
    const nulName = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="documents"; filename="a\u0000b.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--${boundary}--\r\n`,
    );
    expect(await answer(await post({ 'content-type': `multipart/form-data; boundary=${boundary}` }, nulName))).toEqual([
      400,
      expect.objectContaining({ code: 'MALFORMED_MULTIPART', message: expect.stringContaining('such as NUL or a line break') }),
    ]);
  });

  it('refuses a claim whose scans would hold the OCR pool for minutes, naming the budget', async () => {
    const scan = await sharp({ create: { width: 5_000, height: 5_000, channels: 3, background: { r: 255, g: 255, b: 255 } } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody()));
    for (let i = 0; i < 9; i++) form.append('documents', new Blob([scan], { type: 'image/png' }), `scan-${i}.png`);
    const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form });
    expect(refusal(res)).toEqual([
      413,
      'TOO_MUCH_TO_READ',
      'The documents add up to 225 megapixels to read (9 pages); at most 200 megapixels are read for one request. Scan at 200-300 dpi, or send them in parts.',
    ]);
  });

  it('refuses applications that cannot be real: born in the future or 120 years ago, backdated or far-off cover, nothing of value', async () => {
    const apply = (overrides: Record<string, unknown>) =>
      api(h, 'POST', '/v1/underwriting/applications', { key: keys.claimant, json: applicationBody(overrides) });
    const today = new Date().toISOString().slice(0, 10);
    const year = Number(today.slice(0, 4));
    const cases: [Record<string, unknown>, string][] = [
      [{ applicant: { name: 'Margit Andersson', dateOfBirth: '2099-01-01' } }, 'IMPLAUSIBLE_DATE_OF_BIRTH'],
      [{ applicant: { name: 'Margit Andersson', dateOfBirth: `${year - 121}-01-01` } }, 'IMPLAUSIBLE_DATE_OF_BIRTH'],
      [{ startDate: '1900-01-01' }, 'START_DATE_OUT_OF_RANGE'],
      [{ startDate: '2100-01-01' }, 'START_DATE_OUT_OF_RANGE'],
      [{ vehicle: { registration: 'ABC 123', year: 2019, class: 3, value: { amount: '0', currency: 'SEK' } } }, 'INVALID_AMOUNT'],
    ];
    for (const [overrides, code] of cases) {
      const res = await apply(overrides);
      expect([res.status, res.body.error.code], JSON.stringify(overrides)).toEqual([422, code]);
    }
  });
});
