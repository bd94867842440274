// The outbox relay: messages the workflows, the letters and the intake put in `notifications` for
// claimants and applicants are emailed from here, each once. A relay leases a few due messages at a time
// (FOR UPDATE SKIP LOCKED, so several API processes never send the same one), sends each, and records
// SENT, or retries later with backoff, or records FAILED with the reason when the server refuses for good
// or the attempts run out. Delivery is at least once: a crash between the server's acceptance and the
// record sends it again, under the same Message-ID, which mail clients show as one message.
import { eq, sql } from 'drizzle-orm';
import { MailRefused, type Mailer } from '../engines/mail/smtp.ts';
import type { Logger } from '../platform/logger.ts';
import type { Database } from './client.ts';
import { notifications } from './schema.ts';

export interface OutboxRelayOptions {
  readonly db: Database;
  readonly mailer: Mailer;
  readonly logger: Logger;
  /** How often due messages are looked for. */
  readonly intervalMs?: number;
  /** The first retry waits this long, each next one twice as long, at most ten minutes. */
  readonly retryBaseMs?: number;
  /** After this many failed attempts a message is FAILED. */
  readonly maxAttempts?: number;
}

interface DueMessage {
  readonly id: number;
  readonly claimId: string | null;
  readonly applicationId: string | null;
  readonly kind: string;
  readonly message: string;
  readonly attempts: number;
  readonly email: string | null;
}

const subjects: Record<string, string> = {
  CLAIM_RECEIVED: 'We have your claim',
  DOCUMENTS_REQUESTED: 'We need documents for your claim',
  DOCUMENTS_REMINDER: 'Reminder: documents for your claim',
  DECISION_LETTER: 'A decision on your claim',
  POLICY_ISSUED: 'Your policy is issued',
  APPLICATION_DECLINED: 'About your application',
};

/** Leases up to `limit` due messages for two minutes, with the address each goes to. */
async function leaseDue(db: Database, limit: number): Promise<DueMessage[]> {
  const result = (await db.execute(sql`
    with due as (
      select id from notifications
      where delivery_status is null and audience in ('claimant', 'applicant')
        and (next_delivery_at is null or next_delivery_at <= now())
      order by id limit ${limit} for update skip locked
    )
    update notifications n set next_delivery_at = now() + interval '2 minutes'
    from due where n.id = due.id
    returning n.id, n.claim_id as "claimId", n.application_id as "applicationId", n.kind, n.message,
      n.delivery_attempts as attempts,
      coalesce((select c.contact->>'email' from claims c where c.id = n.claim_id),
               (select a.applicant->>'email' from applications a where a.id = n.application_id)) as email
  `)) as { rows: DueMessage[] };
  return result.rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
}

export function startOutboxRelay(options: OutboxRelayOptions): { stop(): Promise<void>; runOnce(): Promise<number> } {
  const { db, mailer, logger } = options;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 8;

  async function deliver(m: DueMessage): Promise<void> {
    const done = (set: Partial<typeof notifications.$inferInsert>) => db.update(notifications).set(set).where(eq(notifications.id, m.id));
    if (!m.email) return void (await done({ deliveryStatus: 'NO_ADDRESS', nextDeliveryAt: null }));
    const about = m.claimId ? `claim ${m.claimId}` : `application ${m.applicationId}`;
    try {
      await mailer.send({
        to: m.email,
        subject: subjects[m.kind] ? `${subjects[m.kind]} (${about})` : `A message about your ${about}`,
        text: `${m.message}\n\n-- \nInsureflow claims. This message is about your ${about}.`,
        messageId: `<notification-${m.id}@insureflow>`,
      });
      await done({
        deliveryStatus: 'SENT',
        sentAt: new Date(),
        nextDeliveryAt: null,
        deliveryAttempts: m.attempts + 1,
        deliveryError: null,
      });
    } catch (error) {
      const attempts = m.attempts + 1;
      const reason = (error as Error).message.slice(0, 500);
      if (error instanceof MailRefused || attempts >= maxAttempts) {
        logger.warn({ notification: m.id, attempts, reason }, 'message could not be emailed');
        await done({ deliveryStatus: 'FAILED', deliveryAttempts: attempts, deliveryError: reason, nextDeliveryAt: null });
      } else {
        const wait = Math.min(600_000, retryBaseMs * 2 ** (attempts - 1));
        await done({ deliveryAttempts: attempts, deliveryError: reason, nextDeliveryAt: new Date(Date.now() + wait) });
      }
    }
  }

  async function runOnce(): Promise<number> {
    const due = await leaseDue(db, 20);
    for (const m of due) await deliver(m);
    return due.length;
  }

  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        if (!stopped) while ((await runOnce()) === 20 && !stopped);
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'the outbox relay will try again'));
  }, options.intervalMs ?? 2_000);
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      mailer.close();
    },
  };
}
