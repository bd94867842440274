// Underwriting through the API on the real system: a clear application is priced from the tariff and
// its policy issued (document and all) without a person, and the policy takes claims at once; a referred
// one waits for an underwriter's update (validated: no price below the floor); a decline is only ever
// proposed, and an underwriter confirms it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policies } from '../../db/schema.ts';
import { openPdf, textLayer } from '../../documents/pdf.ts';
import { api, keys, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const today = new Date().toISOString().slice(0, 10);
const application = (overrides: Record<string, unknown> = {}) => ({
  applicant: { name: 'Margit Andersson', dateOfBirth: '1976-05-02', email: 'margit@example.se' },
  vehicle: { registration: 'ABC 123', year: 2019, class: 3, value: { amount: '85000', currency: 'SEK' } },
  zone: 4,
  bonusClass: 6,
  licenceYears: 25,
  priorClaims: 0,
  startDate: today,
  ...overrides,
});
const apply = (body: unknown) => api(h, 'POST', '/v1/underwriting/applications', { key: keys.claimant, json: body, headers: { prefer: 'wait=20' } });
const underwrite = (id: string, body: unknown, key = 'dev-underwriter-key') => api(h, 'POST', `/v1/underwriting/applications/${id}/decision`, { key, json: body });

describe('underwriting', () => {
  it('issues a clear application at once, with its document, and the policy takes a claim', async () => {
    const started = Date.now();
    const res = await apply(application());
    const ms = Date.now() - started;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'ISSUED', premium: { currency: 'SEK' }, decisions: [{ kind: 'UNDERWRITING_ASSESSMENT', outcome: 'ACCEPT', decidedBy: 'automation' }] });
    console.log(`clear application decided and issued in ${ms} ms`);
    const policy = await api(h, 'GET', `/v1/policies/${res.body.policyNumber}`, { key: keys.claimant });
    expect(policy.body).toMatchObject({ holderId: 'cust-1001', status: 'ACTIVE', effectiveFrom: today, premium: res.body.premium, documentUrl: `/v1/policies/${res.body.policyNumber}/document.pdf` });
    expect(policy.body.coverages).toContainEqual({ peril: 'collision', limit: { amount: '85000.00', currency: 'SEK' }, deductible: { amount: '2000.00', currency: 'SEK' } });
    const doc = await fetch(`${h.apiUrl}${policy.body.documentUrl}`, { headers: { authorization: `Bearer ${keys.claimant}` } });
    const pdf = await openPdf(new Uint8Array(await doc.arrayBuffer()));
    const text = (await textLayer(await pdf.getPage(1), 1)).lines.map((l) => l.text).join('\n');
    expect(text).toContain(`Policy ${res.body.policyNumber}`);
    expect(text).toContain('Margit Andersson');
    // Someone else's policy is not visible.
    expect((await api(h, 'GET', `/v1/policies/${res.body.policyNumber}`, { key: keys.claimant2 })).status).toBe(404);

    const claim = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: { policyNumber: res.body.policyNumber, peril: 'collision', incidentDate: today, claimedAmount: { amount: '12000', currency: 'SEK' }, description: 'Slid on gravel.' },
      headers: { prefer: 'wait=20' },
    });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect(['APPROVED', 'PAID', 'IN_REVIEW']).toContain(claim.body.status);
    expect(claim.body.decision.reasons.map((r: { code: string }) => r.code)).toContain('DEDUCTIBLE_APPLIED');
  });

  it('loads the premium for recent claims', async () => {
    // A rider in a city centre on a new bike: a premium well above the product's minimum.
    const risky = { applicant: { name: 'Sven Ek', dateOfBirth: '1996-03-03' }, zone: 1, vehicle: { registration: 'KLM 456', year: 2025, class: 5, value: { amount: '120000', currency: 'SEK' } } };
    const clear = await apply(application(risky));
    expect(Number(clear.body.premium.amount)).toBeGreaterThan(1000);
    const rated = await apply(application({ ...risky, priorClaims: 2 }));
    expect(rated.body).toMatchObject({ status: 'ISSUED', decisions: [{ outcome: 'ACCEPT_RATED', loading: 1.3 }] });
    expect(Number(rated.body.premium.amount)).toBeCloseTo(Number(clear.body.premium.amount) * 1.3, 0);
  });

  it('refers a young rider on a powerful bike to an underwriter, who cannot price below the floor', async () => {
    const res = await apply(application({ applicant: { name: 'Olle Berg', dateOfBirth: '2006-01-10' }, vehicle: { registration: 'XYZ 987', year: 2024, class: 6, value: { amount: '140000', currency: 'SEK' } }, zone: 1 }));
    expect(res.body).toMatchObject({ status: 'IN_REVIEW', decisions: [{ outcome: 'REFER', reasons: [{ code: 'YOUNG_RIDER_POWERFUL_VEHICLE' }] }] });
    const enginePremium = Number(res.body.premium.amount);
    expect((await underwrite(res.body.id, { action: 'accept' }, keys.claimant)).status).toBe(403);
    const cheap = await underwrite(res.body.id, { action: 'accept', premium: { amount: '100', currency: 'SEK' } });
    expect([cheap.status, cheap.body.error.code]).toEqual([422, 'BELOW_PRICE_FLOOR']);
    const accepted = await underwrite(res.body.id, { action: 'accept', premium: { amount: String(Math.ceil(enginePremium * 1.2)), currency: 'SEK' }, note: 'Advanced rider course completed.' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ISSUED' });
    expect(accepted.body.decisions.at(-1)).toMatchObject({ kind: 'UNDERWRITER_DECISION', outcome: 'ACCEPT', decidedBy: 'user:uw-1' });
    const [policy] = await h.system.database.db.select().from(policies).where(eq(policies.policyNumber, accepted.body.policyNumber));
    expect(policy?.premiumMinor).toBe(Math.ceil(enginePremium * 1.2) * 100);
  });

  it('only proposes a decline; the underwriter confirms it with a reason', async () => {
    const res = await apply(application({ priorClaims: 5 }));
    expect(res.body).toMatchObject({ status: 'IN_REVIEW', premium: null, decisions: [{ outcome: 'PROPOSE_DECLINE' }] });
    expect(res.body.decisions[0].reasons.map((r: { code: string }) => r.code)).toEqual(['TOO_MANY_CLAIMS', 'PROPOSED_DECLINE']);
    expect((await underwrite(res.body.id, { action: 'decline', reasonCode: 'BECAUSE' })).body.error.code).toBe('UNKNOWN_REASON');
    const declined = await underwrite(res.body.id, { action: 'decline', reasonCode: 'CLAIMS_HISTORY' });
    expect(declined.body).toMatchObject({ status: 'DECLINED', policyNumber: null });
    expect((await underwrite(res.body.id, { action: 'decline', reasonCode: 'CLAIMS_HISTORY' })).status).toBe(409);
  });

  it('refuses malformed applications with the field named', async () => {
    const res = await apply(application({ zone: 9 }));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject([{ path: 'application.zone' }]);
  });
});
