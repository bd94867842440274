// The operations console in a real browser (Debian Chromium through playwright-core) against the real
// system: an adjuster signs in, filters the queue to a referred receipt claim, sees the receipt with the
// total's box drawn on it, approves within authority, and the claim goes on to PAID; an approval above
// authority is refused in the page with the workflow validator's words. Driven from the keyboard; every
// page checked by axe-core for serious and critical violations. An underwriter sees an application's scanned
// evidence and plays its recorded interview. Screenshots are kept as artefacts.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import { projectRoot } from '../../platform/tools.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { api, applicationBody, claimBody, keys, startHarness, type Harness } from '../support/harness.ts';
import { encode, rasterize, textPdf } from '../support/documents.ts';
import { encodeWav } from '../../engines/speech/audio.ts';

const artefacts = process.env.INSUREFLOW_ARTEFACTS ?? path.join(projectRoot, '.data', 'test-artefacts', 'console');
const receipt = readFileSync(path.join(projectRoot, 'docs/examples/receipt-myr.png'));

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  if (!browserAvailable) return;
  mkdirSync(artefacts, { recursive: true });
  h = await startHarness();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** axe-core's serious and critical findings on the page as it is now (run through CDP, so the page's CSP stays on). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = await page.evaluate<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>(
    'axe.run(document)',
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function referred(body: Record<string, unknown>, document?: Buffer) {
  const form = new FormData();
  form.append('claim', JSON.stringify(body));
  if (document) form.append('documents', new Blob([document], { type: 'image/png' }), 'receipt-myr.png');
  const res = await api(h, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=30' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('IN_REVIEW');
  return res.body as { id: string };
}

async function signIn(page: Page, key: string) {
  await page.goto(`${h.apiUrl}/console/`);
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByLabel('API key').focus();
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
}

describe.skipIf(!browserAvailable)('operations console', () => {
  it('takes an adjuster from the queue to a paid receipt claim, and refuses an approval above authority in the page', async () => {
    const receiptClaim = await referred(
      claimBody({ policyNumber: 'POL-1003', peril: 'theft', claimedAmount: { amount: '87.00', currency: 'MYR' } }),
      receipt,
    );
    const large = await referred(claimBody({ claimedAmount: { amount: '15000.00', currency: 'EUR' } }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The browser reports every 4xx as an error; the refused approval is the one expected.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));

    await signIn(page, keys.adjuster);
    await page.getByRole('heading', { name: 'Claims waiting for people' }).waitFor();
    // Counts per queue arrive with the first page.
    await page.getByRole('tab', { name: /^Adjusters \d+$/ }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    // Filter to the receipt claim's reason, from the keyboard.
    await page.getByLabel('Reason code').focus();
    await page.keyboard.type('AMOUNT_EXCEEDS_DOCUMENTS');
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: receiptClaim.id });
    await page.getByRole('link', { name: large.id }).waitFor({ state: 'detached' });
    await link.waitFor();
    await page.screenshot({ path: path.join(artefacts, 'queue.png'), fullPage: true });
    await link.focus();
    await page.keyboard.press('Enter');

    // The claim page: why it waits, and the receipt with the total's box on it.
    await page.getByRole('heading', { name: `Claim ${receiptClaim.id}` }).waitFor();
    await page.getByText('AMOUNT_EXCEEDS_DOCUMENTS').first().waitFor();
    const image = page.getByRole('img', { name: /Page 1 of receipt-myr\.png, with the boxes of .*total/ });
    await image.waitFor();
    await page.waitForFunction('[...document.images].every((i) => i.complete && i.naturalWidth > 0)');
    const totalBox = await page.locator('g[data-field="total"] rect').boundingBox();
    const imageBox = await image.boundingBox();
    expect(totalBox && imageBox).toBeTruthy();
    expect(totalBox!.width * totalBox!.height).toBeGreaterThan(50);
    expect(totalBox!.x).toBeGreaterThanOrEqual(imageBox!.x - 1);
    expect(totalBox!.y + totalBox!.height).toBeLessThanOrEqual(imageBox!.y + imageBox!.height + 1);
    expect(await page.locator('tr[data-field-row="total"]').textContent()).toContain('58.00');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(artefacts, 'claim-in-review.png'), fullPage: true });

    // Approve what the receipt shows, within authority.
    const amount = page.getByLabel(/Amount to pay/);
    await amount.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('58.00');
    await page.keyboard.press('Enter');
    await page.getByTestId('claim-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('payment').filter({ hasText: 'MYR 58.00' }).waitFor();
    const paid = await api(h, 'GET', `/v1/claims/${receiptClaim.id}`, { key: keys.adjuster });
    expect([paid.body.status, paid.body.payments[0].amount]).toEqual(['PAID', { amount: '58.00', currency: 'MYR' }]);
    await page.screenshot({ path: path.join(artefacts, 'claim-paid.png'), fullPage: true });

    // Above the adjuster's EUR 10,000: the workflow's validator refuses, and the page says why.
    await page.goto(`${h.apiUrl}/console/#/claims/${large.id}`);
    await page.getByRole('heading', { name: `Claim ${large.id}` }).waitFor();
    await page.getByLabel(/Amount to pay/).fill('12000.00');
    await page.getByRole('button', { name: 'Submit decision' }).focus();
    await page.keyboard.press('Enter');
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/ABOVE_AUTHORITY.*EUR 12,000.00 is above the adjuster limit of EUR 10,000.00/s);
    expect(await refusal.textContent()).toContain('senior adjuster');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(artefacts, 'above-authority.png'), fullPage: true });
    // The page offers the way on: the senior adjusters' queue, with the adjuster's reason.
    await page.getByRole('button', { name: 'Send to a senior adjuster' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Senior adjusters since').waitFor();
    const sent = await api(h, 'GET', `/v1/claims/${large.id}`, { key: keys.adjuster });
    expect([sent.body.status, sent.body.queue]).toEqual(['IN_REVIEW', 'senior-adjusters']);
    expect(errors).toEqual([]);
    expect(failed).toEqual([`403 POST /v1/claims/${large.id}/decision`]);
    await page.close();
  });

  it('brings an appeal to a second adjuster, and refuses the adjuster who decided the claim', async () => {
    const created = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '640.00', currency: 'EUR' } }),
      headers: { prefer: 'wait=30' },
    });
    const id = created.body.id as string;
    expect(
      (await api(h, 'POST', `/v1/claims/${id}/decision`, { key: keys.adjuster, json: { action: 'deny', reasonCode: 'NOT_COVERED' } }))
        .status,
    ).toBe(200);
    let appealed = { status: 0 };
    for (let i = 0; i < 60 && appealed.status !== 201; i++) {
      appealed = await api(h, 'POST', `/v1/claims/${id}/appeal`, {
        key: keys.claimant,
        json: { reasons: 'The shed was locked; theft from it is covered.' },
      });
      if (appealed.status !== 201) await new Promise((r) => setTimeout(r, 250)); // the letter closes the claim
    }
    expect(appealed.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const decideAs = async (key: string) => {
      await signIn(page, key);
      await page.getByRole('tab', { name: 'Appeals' }).focus();
      await page.keyboard.press('Enter');
      if (key === keys.adjuster) await page.getByLabel('Only appeals given to me').uncheck();
      const link = page.getByRole('link', { name: id });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Appeal: Open' }).waitFor();
      await page
        .getByLabel(/Reason \(the claimant reads it/)
        .fill('Reviewed with the police report: the exclusion for unlocked outbuildings does not apply.');
      await page.getByRole('button', { name: 'Decide the appeal' }).focus();
      await page.keyboard.press('Enter');
    };
    await decideAs(keys.adjuster);
    const refused = page.getByRole('alert').filter({ hasText: 'DECIDED_THE_CLAIM' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('a different adjuster must review the appeal');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await decideAs('dev-adjuster2-key');
    await page.getByRole('heading', { name: 'Appeal: Upheld' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Open the appeal letter (PDF)' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(artefacts, 'appeal-decided.png'), fullPage: true });
    const appeal = await api(h, 'GET', `/v1/claims/${id}/appeal`, { key: keys.claimant });
    expect(appeal.body).toMatchObject({ status: 'UPHELD', decidedBy: 'user:adj-2', assignee: 'adj-2' });
    await page.close();
  });

  it("plays a phoned-in claim's recordings beside its transcript and slots", async () => {
    const started = await api(h, 'POST', '/v1/voice/sessions', { key: keys.claimant, json: {} });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    const [y, m, d] = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).split('-');
    for (const digits of ['1001#', '1', `${d}${m}${y}#`, '1', '3', '1', '450#', '1']) {
      const res = await api(h, 'POST', `/v1/voice/sessions/${id}/answer`, { key: keys.claimant, json: { digits } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const form = new FormData();
    form.append(
      'audio',
      new Blob([await createFliteSynthesizer().synthesize('A van backed into my parked car.', 'awb')], { type: 'audio/wav' }),
      'description.wav',
    );
    const done = await api(h, 'POST', `/v1/voice/sessions/${id}/answer`, { key: keys.claimant, body: form });
    expect(done.body).toMatchObject({ status: 'COMPLETED', claimId: expect.stringMatching(/^CLM-/) });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.adjuster);
    await page.getByRole('heading', { name: 'Claims waiting for people' }).waitFor();
    await page.goto(`${h.apiUrl}/console/#/claims/${done.body.claimId}`);
    await page.getByRole('heading', { name: /Reported by phone/ }).waitFor();
    await page.getByRole('cell', { name: 'keypad' }).first().waitFor();
    const recording = page.getByTestId('recording').last();
    await recording.waitFor();
    // The browser can play it: the description as recorded.
    await page.waitForFunction("[...document.querySelectorAll('audio')].every((a) => a.readyState >= 1 && a.duration > 0.5)");
    expect(await page.getByText('Caller:').count()).toBeGreaterThan(3);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(artefacts, 'voice-claim.png'), fullPage: true });
    await page.close();
  });

  it("shows an underwriter the application's scanned evidence and plays its interview; the underwriter accepts it", async () => {
    const [licence] = await rasterize(
      await textPdf([['DRIVING LICENCE', 'Name: ANDERSSON MARGIT', 'Date of birth: 02.05.1976', 'Licence number: 760502-1234']], {
        fontSize: 22,
      }),
    );
    const form = new FormData();
    form.append('application', JSON.stringify(applicationBody()));
    form.append('documents', new Blob([await encode.png(licence!)], { type: 'image/png' }), 'licence.png');
    // Silence no engine here can transcribe: the application waits for an underwriter to listen.
    const interview = encodeWav({ sampleRate: 8_000, samples: new Float32Array(12_000) }, 'mulaw');
    form.append('interview', new Blob([interview], { type: 'audio/wav' }), 'interview.wav');
    const res = await api(h, 'POST', '/v1/underwriting/applications', { key: keys.claimant, body: form, headers: { prefer: 'wait=30' } });
    expect([res.status, res.body.status], JSON.stringify(res.body)).toEqual([201, 'IN_REVIEW']);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, keys.underwriter);
    await page.getByRole('heading', { name: 'Applications waiting for an underwriter' }).waitFor();
    // The inbox counted per queue, filtered to the application's reason from the keyboard.
    await page.getByRole('radio', { name: /^Underwriters \d+$/ }).waitFor();
    await page.getByLabel('Reason code').focus();
    await page.keyboard.type('INTERVIEW_NOT_TRANSCRIBED');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: res.body.id }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Application APP-/ }).waitFor();
    await page.getByRole('img', { name: /^Page 1 of licence\.png/ }).waitFor();
    await page.waitForFunction("[...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0)");
    await page.waitForFunction("[...document.querySelectorAll('audio')].some((a) => a.readyState >= 1 && a.duration > 1)");
    await page.getByText('Not transcribed: listen to the recording.').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(artefacts, 'application-evidence.png'), fullPage: true });
    await page.getByLabel(/^Note/).focus();
    await page.keyboard.type('Listened to the interview: nothing to disclose.');
    await page.getByRole('button', { name: 'Submit decision' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Issued/ }).waitFor({ timeout: 30_000 });
    expect((await api(h, 'GET', `/v1/underwriting/applications/${res.body.id}`, { key: keys.claimant })).body.status).toBe('ISSUED');
    await page.close();
  });

  it('keeps the key out of the address bar and refuses a claimant key', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await signIn(page, keys.claimant);
    await page.getByRole('alert').filter({ hasText: 'claimant key' }).waitFor();
    await signIn(page, 'dev-admin-key');
    await page.getByRole('heading', { name: 'Claims waiting for people' }).waitFor();
    await page.getByRole('link', { name: 'Underwriting' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Applications waiting for an underwriter' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    for (const url of [...requests, page.url()]) expect(url).not.toMatch(/dev-(admin|claimant)-key/);
    await page.close();
  });
});
