// Underwriting over HTTP: apply for insurance (a registered product), follow the application, an underwriter's
// decision on a referred one, and the issued policy with its document. Policies issued here are
// immediately claimable through the claims API.
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { ulid } from '../../db/ids.ts';
import { applications, documents, notifications } from '../../db/schema.ts';
import { normalizeIban } from '../../domain/shared/iban.ts';
import { parseAmount } from '../../domain/shared/money.ts';
import { defaultProductCode, findProduct, registeredProducts } from '../../domain/underwriting/products/index.ts';
import { implausibleApplication } from '../../domain/underwriting/plausibility.ts';
import type { BlobStore } from '../../engines/storage/blob-store.ts';
import {
  applicationStatusQuery,
  applicationWorkflowId,
  underwriterDecisionUpdate,
  type UnderwriterDecision,
  type UnderwriterRole,
} from '../../workflows/underwriting/messages.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import { ApiError, ErrorResponse, parseRequestPart } from '../errors.ts';
import { validated, type ApiDescription } from '../openapi.ts';
import { readWhenSettled } from '../prefer.ts';
import { sendUpdate } from '../updates.ts';
import { toDocumentResource } from '../claims/read.ts';
import { pageFramesOf } from '../documents/files.ts';
import { applicationEvidenceRoutes } from './evidence-files.ts';
import { underwritingQueueRoutes } from './queue.ts';
import type { ApplicationIntake } from './intake.ts';
import { money, policyRoutes } from './policies.ts';
import { recordDocuments, storeFiles } from '../stored-documents.ts';
import { jsonOrMultipart, multipartUpload, readJsonWithDocuments, type UploadLimits } from '../uploads.ts';
import type { AudioLimits } from '../../engines/speech/audio.ts';
import { acceptRecording } from '../recordings.ts';
import {
  Application,
  ApplicationForm,
  applicationSubmission,
  applicationSubmissions,
  type ApplicationCommon,
  IdParams,
  UnderwriterDecisionBody,
  staff,
} from './schemas.ts';

const ownApplication = (p: Principal): SQL | undefined => (p.role === 'claimant' ? eq(applications.applicantId, p.subject) : undefined);

export interface UnderwritingRouteDeps {
  readonly api: ApiDescription;
  readonly db: Database;
  readonly temporal: Client;
  readonly blobs: BlobStore;
  readonly uploads: UploadLimits;
  /** Limits for a recorded interview; absent, interviews are refused. */
  readonly audio?: AudioLimits;
  readonly applicationIntake: ApplicationIntake;
}

export function underwritingRoutes({ api, db, temporal, blobs, uploads, audio, applicationIntake }: UnderwritingRouteDeps): Router {
  /** A recorded interview, checked and stored; its digest, or null when none was sent. */
  async function acceptInterview(req: express.Request): Promise<string | null> {
    const file = (req.files as Record<string, Express.Multer.File[]> | undefined)?.interview?.[0];
    if (!file) return null;
    if (!audio) throw new ApiError(415, 'UNSUPPORTED_AUDIO', 'Recorded interviews are not accepted here.');
    return acceptRecording(blobs, file.buffer, audio, { what: 'interview' });
  }
  const router = Router();
  router.use(applicationEvidenceRoutes({ api, db, blobs, uploads, visible: visibleApplication }));

  /** The application, if this principal may see it (an applicant sees only their own); else 404. */
  async function visibleApplication(principal: Principal, id: string) {
    const [row] = await db
      .select()
      .from(applications)
      .where(and(eq(applications.id, id), ownApplication(principal)));
    if (!row) throw new ApiError(404, 'APPLICATION_NOT_FOUND', `No application ${id} that you can see.`);
    return row;
  }

  async function readApplication(principal: Principal, id: string) {
    const row = await visibleApplication(principal, id);
    let progress: unknown = null;
    if (row.status === 'RECEIVED' || row.status === 'IN_REVIEW') {
      progress = await temporal
        .withDeadline(Date.now() + 2_000, () => temporal.workflow.getHandle(row.workflowId).query(applicationStatusQuery))
        .catch(() => null);
    }
    const docs = await db
      .select()
      .from(documents)
      .where(eq(documents.applicationId, id))
      .orderBy(asc(documents.createdAt), asc(documents.id));
    const frames = await pageFramesOf(
      db,
      docs.map((d) => d.id),
    );
    const sent = await db.select().from(notifications).where(eq(notifications.applicationId, id)).orderBy(asc(notifications.id));
    return {
      id: row.id,
      status: row.status,
      waiting: row.status === 'IN_REVIEW' ? row.waiting : null,
      product: row.product,
      currency: row.currency,
      premium: money(row.premiumMinor, row.currency),
      policyNumber: row.policyNumber,
      decisions: row.decisions,
      documents: docs.map((d) => toDocumentResource(d, [], frames.get(d.id))),
      interview: row.interviewSha256
        ? { transcript: row.interviewTranscript, url: `/v1/underwriting/applications/${row.id}/interview` }
        : null,
      // Staff see every message; an applicant sees those addressed to them.
      notifications: sent
        .filter((n) => principal.role !== 'claimant' || n.audience === 'applicant')
        .map((n) => ({ audience: n.audience, kind: n.kind, message: n.message, createdAt: n.createdAt.toISOString() })),
      progress,
      workflowId: row.workflowId,
      createdAt: row.createdAt.toISOString(),
    };
  }

  router.post(
    '/v1/underwriting/applications',
    api.route({
      method: 'post',
      path: '/v1/underwriting/applications',
      operationId: 'apply',
      summary:
        'Apply for insurance (motorcycle unless `product` names another); a clear application is decided and its policy issued at once',
      description:
        'JSON, or multipart/form-data with an `application` part (the same JSON) and evidence `documents` files, which are read and ' +
        'checked against the application. `product` chooses the product and with it the fields the application brings: ' +
        `${registeredProducts()
          .map((p) => `${p.code} (${p.name}, ${p.currency})`)
          .join(', ')}. With \`Prefer: wait=N\` the response waits up to N seconds for the decision.`,
      tags: ['underwriting'],
      roles: ['claimant', 'admin'],
      body: { required: true, content: { 'application/json': applicationSubmissions(), 'multipart/form-data': ApplicationForm } },
      responses: {
        201: { description: 'Accepted', schema: Application },
        400: { description: 'Malformed JSON or multipart body', schema: ErrorResponse },
        403: { description: 'Not an applicant', schema: ErrorResponse },
        413: { description: 'A file or the body is too large, or too many files', schema: ErrorResponse },
        415: {
          description: 'Unsupported content type, or a file whose bytes are not an accepted type or not its declared type',
          schema: ErrorResponse,
        },
        422: { description: 'Invalid application, an unknown product, or a file that cannot be read', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', 'admin'),
    jsonOrMultipart(
      '32kb',
      multipartUpload(uploads, 'application', 'interview'),
      'Send the application as application/json or multipart/form-data.',
    ),
    async (req, res) => {
      const principal = principalOf(req);
      const { body: submitted, files } = await readJsonWithDocuments(req, uploads, 'application');
      const code = (submitted as { product?: unknown } | null)?.product ?? defaultProductCode;
      const product = typeof code === 'string' ? findProduct(code) : undefined;
      if (!product)
        throw new ApiError(
          422,
          'UNKNOWN_PRODUCT',
          `product: must be one of ${registeredProducts()
            .map((p) => p.code)
            .join(', ')}.`,
        );
      const {
        product: _code,
        applicant,
        startDate,
        declarations,
        ...fields
      } = parseRequestPart(applicationSubmission(product), submitted, 'application') as ApplicationCommon & {
        product?: string;
      } & Record<string, unknown>;
      const read = product.readRisk(fields);
      if (!read.ok) throw new ApiError(422, read.code, `${read.problem}.`);
      const implausible = implausibleApplication(
        { dateOfBirth: applicant.dateOfBirth, startDate, insuredValueMinor: product.insuredValueMinor(read.risk) },
        new Date().toISOString().slice(0, 10),
      );
      if (implausible) throw new ApiError(422, implausible.code, implausible.message);
      const interview = await acceptInterview(req);
      const id = `APP-${ulid()}`;
      const workflowId = applicationWorkflowId(id);
      const stored = await storeFiles(blobs, files);
      await db.transaction(async (tx) => {
        await tx.insert(applications).values({
          id,
          applicantId: principal.subject,
          submittedBy: `${principal.role}:${principal.subject}`,
          product: product.code,
          applicant: {
            name: applicant.name,
            dateOfBirth: applicant.dateOfBirth,
            ...(applicant.email ? { email: applicant.email } : {}),
            ...(applicant.payoutIban ? { payoutIban: normalizeIban(applicant.payoutIban) } : {}),
          },
          risk: read.risk,
          startDate,
          declarations: declarations ?? null,
          interviewSha256: interview,
          status: 'RECEIVED',
          currency: product.currency,
          workflowId,
        });
        return recordDocuments(tx, { applicationId: id }, stored);
      });
      // Accepted: written above. Started now, or by the sweep if Temporal does not answer.
      await applicationIntake.ensureWorkflow(id);
      // Until the engine has decided (issued, or waiting for an underwriter), or the wait is over.
      const body = await readWhenSettled(
        req,
        () => readApplication(principal, id),
        (a) => a.status !== 'RECEIVED' && a.decisions.length > 0,
      );
      res.status(201).location(`/v1/underwriting/applications/${id}`).json(body);
    },
  );

  router.use(underwritingQueueRoutes({ api, db }));

  router.get(
    '/v1/underwriting/applications/:id',
    api.route({
      method: 'get',
      path: '/v1/underwriting/applications/:id',
      operationId: 'getApplication',
      summary: 'An application: status, premium, every decision with its reasons, the policy once issued',
      tags: ['underwriting'],
      roles: ['claimant', ...staff],
      params: IdParams,
      responses: {
        200: { description: 'The application', schema: Application },
        404: { description: 'No such application', schema: ErrorResponse },
      },
    }),
    requireRole('claimant', ...staff),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      res.json(await readApplication(principalOf(req), params.id));
    },
  );

  router.post(
    '/v1/underwriting/applications/:id/decision',
    api.route({
      method: 'post',
      path: '/v1/underwriting/applications/:id/decision',
      operationId: 'underwrite',
      summary: 'An underwriter accepts (optionally at another premium, never below the floor) or declines a referred application',
      tags: ['underwriting'],
      roles: [...staff],
      params: IdParams,
      body: { required: true, content: { 'application/json': UnderwriterDecisionBody } },
      responses: {
        200: { description: 'The application after the decision', schema: Application },
        403: { description: 'Not an underwriter, or above their authority', schema: ErrorResponse },
        409: { description: 'Not waiting for an underwriter', schema: ErrorResponse },
        422: {
          description:
            "Invalid decision (below the price floor, unknown reason, override without a note, above the underwriter's authority), or the database refused to record it (RECORD_REFUSED: nothing was decided, the application still waits)",
          schema: ErrorResponse,
        },
      },
    }),
    requireRole(...staff),
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const { params } = validated<{ id: string }, object>(res);
      const principal = principalOf(req);
      const input = parseRequestPart(UnderwriterDecisionBody, req.body, 'decision', 'body');
      const app = await readApplication(principal, params.id);
      let decision: UnderwriterDecision;
      if (input.action === 'accept') {
        if (input.premium && input.premium.currency !== app.currency)
          throw new ApiError(422, 'CURRENCY_MISMATCH', `premium.currency: the application is in ${app.currency}.`);
        const premium = input.premium ? parseAmount(input.premium.amount, app.currency) : null;
        if (premium && !premium.ok) throw new ApiError(422, 'INVALID_AMOUNT', `premium: ${premium.problem}.`);
        decision = {
          action: 'accept',
          underwriter: principal.subject,
          role: principal.role as UnderwriterRole,
          ...(premium?.ok ? { premiumMinor: premium.money.minor } : {}),
          ...(input.note ? { note: input.note } : {}),
        };
      } else {
        decision = {
          action: 'decline',
          underwriter: principal.subject,
          role: principal.role as UnderwriterRole,
          reasonCode: input.reasonCode,
          ...(input.note ? { note: input.note } : {}),
        };
      }
      await sendUpdate(temporal, app.workflowId, underwriterDecisionUpdate, [decision], {
        closed: () => new ApiError(409, 'NOT_AWAITING_UNDERWRITER', `Application ${app.id} is ${app.status}.`),
        statusOf: (type) => (type === 'NOT_AWAITING_UNDERWRITER' ? 409 : type === 'ABOVE_AUTHORITY' ? 403 : 422),
      });
      res.json(await readApplication(principal, params.id));
    },
  );

  policyRoutes(router, { api, db, blobs });

  return router;
}
