// The whole system as a new user runs it: `npm start`'s script, the curl example from the README, the
// Temporal CLI query and the Web UI, a clean Ctrl-C, and a restart that keeps everything.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTool, projectRoot, temporalCli } from '../../platform/tools.ts';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import type { Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { api, claimBody, fixtures, keys, waitForDecision } from '../support/harness.ts';
import { freePort, startSystemProcess, type StartedSystem } from '../support/processes.ts';

const run = promisify(execFile);

let dataDir: string;
let env: Record<string, string>;
let system: StartedSystem | undefined;
let cli: string;
let apiUrl: string;
let temporalAddress: string;
let uiUrl: string;

beforeAll(async () => {
  cli = await ensureTool(temporalCli);
  dataDir = mkdtempSync(path.join(tmpdir(), 'insureflow-e2e-'));
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  temporalAddress = `127.0.0.1:${temporalPort}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  env = {
    INSUREFLOW_DATA_DIR: dataDir,
    PORT: String(apiPort),
    INSUREFLOW_TEMPORAL_PORT: String(temporalPort),
    INSUREFLOW_TEMPORAL_UI_PORT: String(uiPort),
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  await system?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const temporal = async (...args: string[]) =>
  (await run(cli, [...args, '--address', temporalAddress, '--namespace', 'default'], { timeout: 30_000 })).stdout;

describe('npm start', () => {
  let approvedId: string;

  it('brings up Temporal with its Web UI, the workers, the API and a seeded database', async () => {
    system = await startSystemProcess(env);
    console.log(`npm start was ready in ${(system.readyInMs / 1000).toFixed(1)} s (first start, new data folder)`);
    const banner = system.output();
    expect(banner).toContain(`API           ${apiUrl}`);
    expect(banner).toContain(`Temporal UI   ${uiUrl}`);
    expect(banner).toContain(`Console       ${apiUrl}/console/`);
    expect(banner).toContain('Task queues   claims, documents');
    const home = await fetch(`${apiUrl}/`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/console/']);
    const consolePage = await fetch(`${apiUrl}/console/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('insureflow console');
    const ready = await api({ apiUrl }, 'GET', '/readyz', { key: null });
    expect(ready.body.status).toBe('ready');
  });

  it('decides and pays the README example claim, with its letter, found by ClaimStatus in Temporal', async () => {
    const res = await api({ apiUrl }, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody(),
      headers: { 'idempotency-key': 'readme-example-1' },
    });
    expect(res.status).toBe(201);
    approvedId = res.body.id;
    const decided = await waitForDecision({ apiUrl }, approvedId, keys.claimant, 60_000, ['PAID']);
    expect(decided).toMatchObject({
      status: 'PAID',
      payableAmount: { amount: '750.00', currency: 'EUR' },
      payments: [{ status: 'PAID', amount: { amount: '750.00' } }],
    });
    let letter = await fetch(`${apiUrl}/v1/claims/${approvedId}/letter.pdf`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    for (let i = 0; letter.status === 404 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      letter = await fetch(`${apiUrl}/v1/claims/${approvedId}/letter.pdf`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    }
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await letter.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const listed = JSON.parse(await temporal('workflow', 'list', '--query', 'ClaimStatus="PAID"', '--output', 'json')) as {
      execution: { workflowId: string };
    }[];
    expect(listed.map((w) => w.execution.workflowId)).toContain(`claim-${approvedId}`);
    // Encrypted payloads: the CLI reads them through the API's codec server, as the Web UI does.
    const described = await temporal(
      'workflow',
      'describe',
      '--workflow-id',
      `claim-${approvedId}`,
      '--codec-endpoint',
      `${apiUrl}/codec`,
      '--codec-auth',
      `Bearer ${keys.adjuster}`,
    );
    expect(described).toContain(`Claim ${approvedId}: motor collision, EUR 1,250.00`);
  });

  /**
   * What an operator does once to read payloads in the Web UI: signs in to the console (which opens the
   * codec session), and in the Web UI's Codec Server settings gives the endpoint with "Override" and
   * "Include cross-origin credentials" on (the UI keeps them in its local storage).
   */
  async function signInForTheWebUi(page: Page): Promise<void> {
    await page.goto(`${apiUrl}/console/`);
    await page.getByLabel('API key').focus();
    await page.keyboard.type(keys.adjuster);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    await page.goto(`${uiUrl}/`);
    await page.evaluate((endpoint) => {
      const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
      storage.setItem('endpoint', JSON.stringify(endpoint));
      storage.setItem('overrideRemoteCodecConfiguration', 'true');
      storage.setItem('includeCredentials', 'true');
    }, `${apiUrl}/codec`);
  }

  it('serves the run to the Web UI with its summary', async () => {
    const page = await fetch(`${uiUrl}/namespaces/default/workflows`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const query = encodeURIComponent('ClaimStatus="PAID"');
    const listing = (await (await fetch(`${uiUrl}/api/v1/namespaces/default/workflows?query=${query}`)).json()) as {
      executions: { execution: { workflowId: string } }[];
    };
    expect(listing.executions.map((e) => e.execution.workflowId)).toContain(`claim-${approvedId}`);
    const detail = (await (await fetch(`${uiUrl}/api/v1/namespaces/default/workflows/claim-${approvedId}`)).json()) as {
      executionConfig: { userMetadata: { summary: { metadata: Record<string, string>; data: string } } };
    };
    // Payloads are encrypted; the Web UI is told to decode them through the API's codec server.
    const summaryPayload = detail.executionConfig.userMetadata.summary;
    expect(Buffer.from(summaryPayload.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    const settings = (await (await fetch(`${uiUrl}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
    expect(settings.Codec.Endpoint).toBe(`${apiUrl}/codec`);
    const decode = (cookie?: string) =>
      fetch(`${settings.Codec.Endpoint}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: uiUrl, 'x-namespace': 'default', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ payloads: [summaryPayload] }),
      });
    // Only for staff: the codec session an adjuster's console sign-in opens.
    expect((await decode()).status).toBe(401);
    const session = await fetch(`${apiUrl}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${keys.adjuster}` } });
    const decoded = await decode(session.headers.get('set-cookie')!.split(';')[0]);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(uiUrl);
    const [plain] = ((await decoded.json()) as { payloads: { data: string }[] }).payloads;
    expect(JSON.parse(Buffer.from(plain!.data, 'base64').toString())).toBe(`Claim ${approvedId}: motor collision, EUR 1,250.00`);
  });

  it.skipIf(!browserAvailable)('shows the claim, its summary and current details in the Web UI in a browser', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await signInForTheWebUi(page);
      const query = encodeURIComponent('ClaimStatus="PAID"');
      await page.goto(`${uiUrl}/namespaces/default/workflows?query=${query}`);
      await page.getByText(`claim-${approvedId}`).first().waitFor({ timeout: 30_000 });
      await page.goto(`${uiUrl}/namespaces/default/workflows/claim-${approvedId}`);
      // Activity summaries label the events, decrypted through the codec server. (Web UI 2.54 shows them
      // in the Event History; its Timeline graph stays empty once payloads are encrypted.)
      await page.getByRole('tab', { name: /Event History/ }).click();
      await page.getByText('Load policy POL-1001').first().waitFor({ timeout: 30_000 });
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      // The UI renders the markdown of summary, details and current details in frames of their own.
      const shown = async () =>
        (
          await Promise.all(
            page.frames().map((f) =>
              f
                .locator('body')
                .innerText()
                .catch(() => ''),
            ),
          )
        ).join('\n');
      const expected = [`Claim ${approvedId}: motor collision, EUR 1,250.00`, 'Policy POL-1001 (motor)', 'Paid: EUR 750.00'];
      const deadline = Date.now() + 30_000;
      let text = await shown();
      while (!expected.every((e) => text.includes(e)) && Date.now() < deadline) {
        await page.waitForTimeout(250);
        text = await shown();
      }
      if (process.env.INSUREFLOW_SCREENSHOT) await page.screenshot({ path: process.env.INSUREFLOW_SCREENSHOT, fullPage: true });
      for (const e of expected) expect(text).toContain(e);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!browserAvailable)('shows a call reported by voice, its transcript and the claim it opened, in the Web UI', async () => {
    // A caller who answers on the keypad (any phone sends DTMF) and records a description.
    const started = await api({ apiUrl }, 'POST', '/v1/voice/sessions', { key: keys.claimant, json: {} });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    const [y, m, d] = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).split('-');
    for (const digits of ['1001#', '1', `${d}${m}${y}#`, '1', '3', '1', '450#', '1']) {
      const res = await api({ apiUrl }, 'POST', `/v1/voice/sessions/${id}/answer`, { key: keys.claimant, json: { digits } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const form = new FormData();
    const flite = createFliteSynthesizer();
    form.append(
      'audio',
      new Blob([await flite.synthesize('A van backed into my parked car.', 'awb')], { type: 'audio/wav' }),
      'description.wav',
    );
    const done = await api({ apiUrl }, 'POST', `/v1/voice/sessions/${id}/answer`, { key: keys.claimant, body: form });
    expect(done.body).toMatchObject({ status: 'COMPLETED', claimId: expect.stringMatching(/^CLM-/) });
    const claimId = done.body.claimId as string;

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const shown = async () =>
        (
          await Promise.all(
            page.frames().map((f) =>
              f
                .locator('body')
                .innerText()
                .catch(() => ''),
            ),
          )
        ).join('\n');
      const waitFor = async (expected: string[]) => {
        const deadline = Date.now() + 30_000;
        let text = await shown();
        while (!expected.every((e) => text.includes(e)) && Date.now() < deadline) {
          await page.waitForTimeout(250);
          text = await shown();
        }
        for (const e of expected) expect(text).toContain(e);
      };
      await signInForTheWebUi(page);
      await page.goto(`${uiUrl}/namespaces/default/workflows/voice-${id}`);
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      await waitFor([`claim ${claimId}`, 'Transcript', 'Caller: 1001#', 'Agent: I heard policy P O L 1 0 0 1.']);
      await page.goto(`${uiUrl}/namespaces/default/workflows/claim-${claimId}`);
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      await waitFor([`Claim ${claimId}: motor collision, EUR 450.00`, `Reported by voice: session ${id}`]);
    } finally {
      await browser.close();
    }
  });

  it('takes a claim with documents as multipart', async () => {
    const form = new FormData();
    form.append('claim', JSON.stringify(claimBody({ peril: 'glass', claimedAmount: { amount: '310.00', currency: 'EUR' } })));
    form.append('documents', new Blob([fixtures.png()], { type: 'image/png' }), 'crack.png');
    const res = await api({ apiUrl }, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=10' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'APPROVED',
      decision: { outcome: 'APPROVE' },
      documents: [{ fileName: 'crack.png', mediaType: 'image/png', status: 'ANALYZED', textSource: 'ocr' }],
    });
  });

  const receipts = path.join(projectRoot, '..', 'shared', 'data', 'sroie-dev', 'img');
  it.skipIf(!existsSync(receipts))('reads real receipt scans and flags a claimed amount they do not support', async () => {
    // SROIE receipt 052: PAGOH REST AND SERVICE AREA, 23/03/2018, total RM 10.00.
    const scan = readFileSync(path.join(receipts, '052.jpg'));
    const claimWith = async (amount: string) => {
      const form = new FormData();
      form.append(
        'claim',
        JSON.stringify(claimBody({ policyNumber: 'POL-1003', peril: 'theft', claimedAmount: { amount, currency: 'MYR' } })),
      );
      form.append('documents', new Blob([scan], { type: 'image/jpeg' }), 'receipt-052.jpg');
      const res = await api({ apiUrl }, 'POST', '/v1/claims', { key: keys.claimant, body: form, headers: { prefer: 'wait=30' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const honest = await claimWith('10.00');
    expect(honest.flags.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([
      ['RECEIPT_PREDATES_INCIDENT', 'low'],
    ]);
    // Read by PP-OCR with the confidence automation needs (the selector all but sure: ADR 0012, 0015), in ringgit
    // (the receipt prints RM), it corroborates the amount: paid straight through.
    expect(honest.documents[0].fields.total.confidence).toBeGreaterThanOrEqual(0.95);
    expect(['APPROVED', 'PAID']).toContain(honest.status);
    // The same receipt again, for five times as much: the documents do not support it, and a receipt
    // already claimed is itself a red flag.
    const inflated = await claimWith('50.00');
    expect(inflated.status).toBe('IN_REVIEW');
    expect(inflated.documents[0]).toMatchObject({
      kind: 'receipt',
      textSource: 'ocr',
      fields: { total: { value: { amount: '10.00', currency: 'MYR' } }, date: { value: '2018-03-23' } },
    });
    expect(inflated.flags.map((f: { code: string }) => f.code)).toContain('AMOUNT_EXCEEDS_DOCUMENTS');
    expect(inflated.decision.reasons[0]).toEqual({
      code: 'AMOUNT_EXCEEDS_DOCUMENTS',
      message: 'The claimed MYR 50.00 is more than the documents show (MYR 10.00 across 1 document).',
    });
    // The claimant is told a person will look; staff see the fraud score and the signal that fired.
    expect(inflated.fraud).toBeNull();
    expect(inflated.decision.reasons.map((r: { code: string }) => r.code)).toContain('REVIEW_REQUIRED');
    const staff = (await api({ apiUrl }, 'GET', `/v1/claims/${inflated.id}`, { key: keys.adjuster })).body;
    expect(staff.fraud.band).not.toBe('low');
    expect(staff.decision.reasons.find((r: { code: string }) => r.code.startsWith('FRAUD_RISK_')).message).toContain('DOCUMENT_REUSED');
  });

  it('stops cleanly on Ctrl-C, leaving no server behind', async () => {
    const { code, ms } = await system!.stop('SIGINT');
    console.log(`npm start stopped in ${(ms / 1000).toFixed(1)} s`);
    expect(code).toBe(0);
    expect(system!.output()).toContain('Stopped.');
    system = undefined;
    await expect(fetch(`${uiUrl}/`)).rejects.toThrow();
    await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
  });

  it('keeps claims and workflow runs across a restart', async () => {
    system = await startSystemProcess(env);
    console.log(`npm start was ready in ${(system.readyInMs / 1000).toFixed(1)} s (restart)`);
    const again = await api({ apiUrl }, 'GET', `/v1/claims/${approvedId}`, { key: keys.claimant });
    expect(again.body).toMatchObject({ id: approvedId, status: 'PAID' });
    const replayed = await api({ apiUrl }, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody(),
      headers: { 'idempotency-key': 'readme-example-1' },
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body.id).toBe(approvedId);
    const listed = await temporal('workflow', 'list', '--query', 'ClaimStatus="PAID"');
    expect(listed).toContain(`claim-${approvedId}`);
    expect((await system.stop('SIGTERM')).code).toBe(0);
    system = undefined;
  });
});
