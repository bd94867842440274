// Starting an application's workflow: the database row is the acceptance. If Temporal is unreachable
// when the application arrives, it waits (RECEIVED) and a sweep starts it later; starting is idempotent
// (workflow id from the application id), so a second sweeper never starts a second workflow.
import type { Client } from '@temporalio/client';
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { applications, documents } from '../../db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { taskQueues } from '../../platform/temporal/task-queues.ts';
import { findProduct } from '../../domain/underwriting/products/index.ts';
import { underwritingWorkflowType, type UnderwritingInput } from '../../workflows/underwriting/messages.ts';
import { startEach, startOnce } from '../workflow-starts.ts';

export function createApplicationIntake({
  db,
  temporal,
  logger,
  serviceLevels,
}: {
  db: Database;
  temporal: Client;
  logger: Logger;
  serviceLevels: NonNullable<UnderwritingInput['serviceLevels']>;
}) {
  /** Starts the application's workflow unless it already exists; false (and logged) when Temporal is unreachable. */
  async function ensureWorkflow(applicationId: string): Promise<boolean> {
    const [a] = await db.select().from(applications).where(eq(applications.id, applicationId));
    if (!a) throw new Error(`Application ${applicationId} not found`);
    if (a.workflowStartedAt) return true;
    const docs = await db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.applicationId, applicationId))
      .orderBy(asc(documents.createdAt), asc(documents.id));
    const input: UnderwritingInput = {
      applicationId,
      product: a.product,
      documentIds: docs.map((d) => d.id),
      serviceLevels,
      ...(a.interviewSha256 ? { interview: a.interviewSha256 } : {}),
    };
    const started = await startOnce(
      temporal,
      () =>
        temporal.workflow.start(underwritingWorkflowType, {
          workflowId: a.workflowId,
          taskQueue: taskQueues.claims,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `Application ${applicationId}: ${findProduct(a.product)?.summary(a.risk) ?? a.product}`,
        }),
      (error) => logger.warn({ err: error, applicationId }, 'could not start the underwriting workflow yet; the sweep will retry'),
    );
    if (!started) return false;
    await db.update(applications).set({ workflowStartedAt: new Date() }).where(eq(applications.id, applicationId));
    return true;
  }

  /** Starts workflows for accepted applications that have none yet (Temporal was down when they arrived). */
  async function startPending(olderThanMs = 5_000): Promise<number> {
    const pending = await db
      .select({ id: applications.id })
      .from(applications)
      .where(and(isNull(applications.workflowStartedAt), lt(applications.createdAt, new Date(Date.now() - olderThanMs))))
      .orderBy(asc(applications.createdAt))
      .limit(100);
    const started = await startEach(
      pending.map((p) => p.id),
      ensureWorkflow,
    );
    if (started > 0) logger.info({ started }, 'started workflows for applications accepted while Temporal was unavailable');
    return started;
  }

  return { ensureWorkflow, startPending };
}

export type ApplicationIntake = ReturnType<typeof createApplicationIntake>;
