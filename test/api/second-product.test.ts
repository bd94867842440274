// A second line of business is one product module and its tariff: the test-only home contents product
// (test/products/home-contents) goes from application to issued policy, referral and underwriter
// included, through the production workflow, activities, API and policy document, and its policy takes a
// claim. Nothing outside its folder names it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPdf, textLayer } from '../../engines/documents/pdf.ts';
import { projectRoot } from '../../platform/tools.ts';
import { homeContentsProduct } from '../products/home-contents/product.ts';
import { api, keys, startHarness, today, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { workflowsPath: path.join(import.meta.dirname, '..', 'products', 'workflows.ts') });
});
afterAll(async () => {
  await h?.stop();
});

const home = (contents: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  product: homeContentsProduct.code,
  applicant: { name: 'Ines Duarte', dateOfBirth: '1984-09-14', payoutIban: 'DE89 3704 0044 0532 0130 00' },
  startDate: today(),
  contents: { dwelling: 'apartment', alarm: false, ...contents },
  zone: 2,
  priorClaims: 0,
  ...overrides,
});
const apply = (body: unknown) =>
  api(h, 'POST', '/v1/underwriting/applications', { key: keys.claimant, json: body, headers: { prefer: 'wait=20' } });
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('a second product, registered from the test suite', () => {
  it('issues a home contents policy priced by its own tariff, with its own cover and document', async () => {
    const res = await apply(home({ sumInsured: eur('60000') }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // 60 x EUR 1.80 per thousand x zone 2 (1.2) x apartment (0.8) x no alarm (1.0) = EUR 103.68 of expected
    // claims, grossed up for 30% expenses: EUR 148.11.
    expect(res.body).toMatchObject({
      status: 'ISSUED',
      product: 'HOME-CONTENTS-TEST',
      currency: 'EUR',
      premium: eur('148.11'),
      decisions: [
        {
          outcome: 'ACCEPT',
          ruleSetVersion: expect.stringMatching(/\+home-contents-test@1\.0\.0\+home-contents-test-tariff@1$/),
          inputs: { cell: { zone: '2', dwelling: 'apartment', alarm: 'no' }, riskPremiumMinor: 10368 },
        },
      ],
    });
    const policy = await api(h, 'GET', `/v1/policies/${res.body.policyNumber}`, { key: keys.claimant });
    expect(policy.body).toMatchObject({ lineOfBusiness: 'home', status: 'ACTIVE', premium: eur('148.11') });
    expect(policy.body.coverages).toEqual([
      { peril: 'fire', limit: eur('60000.00'), deductible: eur('150.00') },
      { peril: 'water_damage', limit: eur('60000.00'), deductible: eur('150.00') },
      { peril: 'theft', limit: eur('60000.00'), deductible: eur('150.00') },
      { peril: 'burglary', limit: eur('60000.00'), deductible: eur('150.00') },
      { peril: 'liability', limit: eur('1000000.00'), deductible: eur('0.00') },
    ]);
    const doc = await fetch(`${h.apiUrl}${policy.body.documentUrl}`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    const pdf = await openPdf(new Uint8Array(await doc.arrayBuffer()));
    const text = (await textLayer(await pdf.getPage(1), 1)).lines.map((l) => l.text).join('\n');
    expect(text).toContain('Home contents (home-contents-test@1.0.0)');
    expect(text).toContain('Home contents: apartment, zone 2, without an alarm');

    // The policy takes a claim at once, under the home line's automation policy (theft needs documents).
    const claim = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: {
        policyNumber: res.body.policyNumber,
        peril: 'theft',
        incidentDate: today(),
        claimedAmount: eur('900.00'),
        description: 'My bicycle was stolen from the courtyard.',
      },
      headers: { prefer: 'wait=20' },
    });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect(claim.body).toMatchObject({ lineOfBusiness: 'home', status: 'IN_REVIEW', decision: { outcome: 'REFER' } });
    // Its deductible came from this product's cover; the home line's automation policy asked for documents.
    expect(codes(claim.body.decision.reasons)).toEqual(expect.arrayContaining(['DOCUMENTS_REQUIRED', 'DEDUCTIBLE_APPLIED']));
    expect(claim.body.decision.reasons.find((r: { code: string }) => r.code === 'DEDUCTIBLE_APPLIED').message).toContain('EUR 150.00');
  });

  it('refers what its own rules refer; an underwriter accepts in the product currency, never below its floor', async () => {
    const res = await apply(home({ sumInsured: eur('120000'), dwelling: 'house', alarm: true }, { zone: 3 }));
    expect(res.body).toMatchObject({ status: 'IN_REVIEW', waiting: { queue: 'underwriters' } });
    expect(codes(res.body.decisions[0].reasons)).toEqual(['HIGH_VALUE_CONTENTS']);
    const decide = (body: unknown) =>
      api(h, 'POST', `/v1/underwriting/applications/${res.body.id}/decision`, { key: keys.underwriter, json: body });
    // 120 x 1.80 x 1.0 x 1.0 x 0.85 = EUR 183.60 expected claims: the floor is EUR 262.29.
    expect((await decide({ action: 'accept', premium: { amount: '300', currency: 'SEK' } })).body.error.code).toBe('CURRENCY_MISMATCH');
    expect((await decide({ action: 'accept', premium: eur('262.28') })).body.error.code).toBe('BELOW_PRICE_FLOOR');
    const accepted = await decide({ action: 'accept', premium: eur('300') });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ISSUED', premium: eur('300.00') });
  });

  it('refuses fields of another product, and a product no one registered, naming the problem', async () => {
    const motorFields = { vehicle: { registration: 'ABC 123', year: 2019, class: 3, value: { amount: '85000', currency: 'SEK' } } };
    const wrong = await apply({ ...home({ sumInsured: eur('20000') }), ...motorFields });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain('vehicle');
    const unknown = await apply({ ...home({ sumInsured: eur('20000') }), product: 'TRAVEL' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_PRODUCT', message: expect.stringContaining('HOME-CONTENTS-TEST') });
    const doc = await api(h, 'GET', '/openapi.json', { key: null });
    expect(Object.keys(doc.body.components.schemas)).toEqual(expect.arrayContaining(['MotorcycleApplication', 'HomeContentsApplication']));
  });

  it('is one module: nothing outside the test suite names the product', () => {
    const files = execFileSync('git', ['grep', '-l', '-e', homeContentsProduct.code, '-e', 'home-contents', '--', '.'], {
      cwd: projectRoot,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    // Tests may exercise it (this one, the underwriting workflow's branches); no production file knows it.
    expect(files.filter((f) => !f.startsWith('test/'))).toEqual([]);
    expect(files).toContain('test/products/home-contents/product.ts');
  });
});
