// Messages reach people: the outbox relay emails what claimants are told (the acknowledgement, the
// decision letter's words) through a real SMTP server in its own process on loopback, each message once
// (a 451 is retried with backoff and delivered once; a 550 is recorded FAILED with the server's reason and
// not retried; a claim without an email address is NO_ADDRESS).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../db/schema.ts';
import { freePort } from '../../platform/net.ts';
import { projectRoot } from '../../platform/tools.ts';
import { api, claimBody, keys, startHarness, until, waitForDecision, type Harness } from '../support/harness.ts';

interface Received {
  readonly to: string[];
  readonly subject: string;
  readonly messageId: string;
  readonly text: string;
}

let h: Harness;
let smtp: ChildProcess;
const received: Received[] = [];

beforeAll(async () => {
  const port = await freePort();
  smtp = spawn(process.execPath, [path.join(projectRoot, 'test', 'support', 'smtp-server.ts'), String(port)], {
    env: { ...process.env, SMTP_TEMPFAIL_FIRST: '1', SMTP_REJECT: 'nobody@example.com' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    smtp.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('listening')) resolve();
        else if (line.startsWith('{')) received.push(JSON.parse(line) as Received);
      }
    });
    smtp.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
  });
  h = await startHarness({
    INSUREFLOW_SMTP_URL: `smtp://127.0.0.1:${port}`,
    INSUREFLOW_MAIL_FROM: 'claims@insureflow.test',
    INSUREFLOW_MAIL_INTERVAL_MS: '200',
    INSUREFLOW_MAIL_RETRY_MS: '300',
  });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  smtp?.kill('SIGTERM');
});

const outbox = (claimId: string) => h.system.database.db.select().from(notifications).where(eq(notifications.claimId, claimId));

describe('email to claimants', () => {
  it('sends the acknowledgement and the decision once each, retrying a server that asks to try later', async () => {
    const res = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({
        peril: 'glass',
        claimedAmount: { amount: '120.00', currency: 'EUR' },
        contact: { email: 'ada@example.com' },
      }),
      headers: { prefer: 'wait=20' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    await waitForDecision(h, id, keys.admin, 30_000, ['PAID']);
    const rows = await until(
      () => outbox(id),
      (r) => r.length === 2 && r.every((n) => n.deliveryStatus === 'SENT'),
      'both messages sent',
    );
    const mine = received.filter((m) => m.text.includes(id));
    expect(mine.map((m) => m.subject).sort()).toEqual([`A decision on your claim (claim ${id})`, `We have your claim (claim ${id})`]);
    expect(mine.every((m) => m.to.join() === 'ada@example.com')).toBe(true);
    // Each once, under the Message-ID of its outbox row; the acknowledgement took a second attempt (451).
    expect(new Set(mine.map((m) => m.messageId)).size).toBe(2);
    expect(mine.map((m) => m.messageId).sort()).toEqual(rows.map((r) => `<notification-${r.id}@insureflow>`).sort());
    const ack = rows.find((r) => r.kind === 'CLAIM_RECEIVED')!;
    expect(ack).toMatchObject({ deliveryAttempts: 2, deliveryError: null });
    expect(mine.find((m) => m.subject.startsWith('A decision'))!.text).toContain('Your claim is approved');
  });

  it('records a refusal for good without retrying, and a claimant without an address', async () => {
    const refused = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ peril: 'glass', claimedAmount: { amount: '90.00', currency: 'EUR' }, contact: { email: 'nobody@example.com' } }),
    });
    const silent = await api(h, 'POST', '/v1/claims', {
      key: keys.claimant,
      json: claimBody({ peril: 'glass', claimedAmount: { amount: '80.00', currency: 'EUR' } }),
    });
    const [failed] = await until(
      async () => (await outbox(refused.body.id)).filter((n) => n.kind === 'CLAIM_RECEIVED'),
      (r) => r[0]?.deliveryStatus === 'FAILED',
      'the refusal recorded',
    );
    expect(failed).toMatchObject({ deliveryAttempts: 1, deliveryError: expect.stringContaining('No such mailbox here') });
    const [none] = await until(
      async () => (await outbox(silent.body.id)).filter((n) => n.kind === 'CLAIM_RECEIVED'),
      (r) => r[0]?.deliveryStatus === 'NO_ADDRESS',
      'no address recorded',
    );
    expect(none).toMatchObject({ deliveryAttempts: 0 });
    expect(received.filter((m) => m.to.includes('nobody@example.com'))).toEqual([]);
  });
});
