// The business record. Workflows own the process; these tables own the facts: what was claimed, what
// was decided and why, what was paid. Amounts are integer minor units.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  pgSequence,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ClaimStatus, ReviewQueue } from '../domain/claims/claim.ts';
import type { Reason } from '../domain/shared/decision.ts';
import type { DocumentKind } from '../domain/documents/classify.ts';
import type { ExtractedFields } from '../domain/documents/extract.ts';
import type { Line, TextSource } from '../domain/documents/layout.ts';
import type { Flag } from '../domain/documents/reconcile.ts';
import type { LineOfBusiness, Peril } from '../domain/shared/perils.ts';
import type { Coverage, PolicyStatus } from '../domain/claims/policy.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const minor = (name: string) => bigint(name, { mode: 'number' });

/** Numbers of policies issued by underwriting: digits only, so a caller can say them or key them in. */
export const policyNumbers = pgSequence('policy_numbers', { startWith: 500001 });
/** Numbers the spoken claim references are made from (domain/claims/reference.ts). */
export const claimReferenceNumbers = pgSequence('claim_reference_numbers', { startWith: 1 });

export const policies = pgTable(
  'policies',
  {
    policyNumber: text('policy_number').primaryKey(),
    lineOfBusiness: text('line_of_business').$type<LineOfBusiness>().notNull(),
    holderId: text('holder_id').notNull(),
    holderName: text('holder_name').notNull(),
    status: text('status').$type<PolicyStatus>().notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to').notNull(),
    cancelledOn: date('cancelled_on'),
    currency: text('currency').notNull(),
    coverages: jsonb('coverages').$type<Coverage[]>().notNull(),
    /** The policyholder's account on file: claims are paid here unless the claim names another. */
    payoutIban: text('payout_iban'),
    /** For policies issued by underwriting: the annual premium, the application, the policy document. */
    premiumMinor: minor('premium_minor'),
    applicationId: text('application_id'),
    documentSha256: text('document_sha256'),
    createdAt: createdAt(),
  },
  (t) => [index('policies_holder_idx').on(t.holderId), check('policies_period_check', sql`${t.effectiveFrom} <= ${t.effectiveTo}`)],
);

export interface ClaimContact {
  email?: string;
  phone?: string;
}

/** Where the claimant wants to be paid, when not to the account on the policy. */
export interface PayoutAccount {
  iban: string;
  holder: string;
}

export const claims = pgTable(
  'claims',
  {
    id: text('id').primaryKey(),
    /** The reference a person can say: nine digits with a check digit; null for claims opened before it. */
    reference: text('reference').unique(),
    policyNumber: text('policy_number')
      .notNull()
      .references(() => policies.policyNumber),
    claimantId: text('claimant_id').notNull(),
    /** The authenticated principal that submitted it (the claimant, or staff filing on their behalf). */
    submittedBy: text('submitted_by').notNull(),
    lineOfBusiness: text('line_of_business').$type<LineOfBusiness>().notNull(),
    peril: text('peril').$type<Peril>().notNull(),
    incidentDate: date('incident_date').notNull(),
    reportedOn: date('reported_on').notNull(),
    description: text('description').notNull(),
    /** False for a description that is a recording nobody has heard (voice intake); null when it came in writing. */
    descriptionHeard: boolean('description_heard'),
    contact: jsonb('contact').$type<ClaimContact>().notNull().default({}),
    claimedMinor: minor('claimed_minor').notNull(),
    currency: text('currency').notNull(),
    status: text('status').$type<ClaimStatus>().notNull(),
    payableMinor: minor('payable_minor'),
    workflowId: text('workflow_id').notNull().unique(),
    /** Set once Temporal has accepted the workflow; a sweep starts any claim still without it. */
    workflowStartedAt: timestamp('workflow_started_at', { withTimezone: true }),
    idempotencyKey: text('idempotency_key'),
    /** Digest of the submission, so a reused Idempotency-Key with a different body is refused. */
    requestDigest: text('request_digest').notNull(),
    /** While the claim waits for people: whom, since when, and (from the claimant) which documents. */
    queue: text('queue').$type<ReviewQueue>(),
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    requestedDocuments: jsonb('requested_documents').$type<string[]>(),
    payoutAccount: jsonb('payout_account').$type<PayoutAccount>(),
    /** Money set aside for the claim from when it is opened until it is closed (the reserve). */
    reserveMinor: minor('reserve_minor'),
    reserveReleasedAt: timestamp('reserve_released_at', { withTimezone: true }),
    fraudScore: integer('fraud_score'),
    fraudBand: text('fraud_band').$type<'low' | 'medium' | 'high'>(),
    assignee: text('assignee'), // the staff member working the claim (user id), as the claim journal last recorded it
    /** The decision letter (a PDF in the blob store), once the claim is closed. */
    letterSha256: text('letter_sha256'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('claims_idempotency_idx').on(t.submittedBy, t.idempotencyKey),
    index('claims_status_idx').on(t.status, t.createdAt),
    index('claims_claimant_idx').on(t.claimantId, t.createdAt),
    check('claims_amount_check', sql`${t.claimedMinor} > 0`),
  ],
);

/** Uploaded file contents, stored once by SHA-256 whatever claim or document refers to them. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  mediaType: text('media_type').notNull(),
  createdAt: createdAt(),
});

/** VERIFIED is the first workflow version's end state (integrity only); ANALYZED adds text and fields. */
export type DocumentStatus = 'RECEIVED' | 'VERIFIED' | 'ANALYZING' | 'ANALYZED' | 'FAILED';

export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    /** The claim or the application the document was sent with: exactly one. */
    claimId: text('claim_id').references(() => claims.id),
    applicationId: text('application_id').references((): AnyPgColumn => applications.id),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    fileName: text('file_name').notNull(),
    declaredMediaType: text('declared_media_type'),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    status: text('status').$type<DocumentStatus>().notNull(),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    kind: text('kind').$type<DocumentKind>(),
    kindConfidence: real('kind_confidence'),
    fields: jsonb('fields').$type<ExtractedFields>(),
    pageCount: integer('page_count'),
    pagesDone: integer('pages_done').notNull().default(0),
    /** Mean OCR word confidence over OCRed pages (0-100); null when every page had a text layer. */
    ocrConfidence: real('ocr_confidence'),
    textSource: text('text_source').$type<TextSource | 'mixed'>(),
    extractionVersion: text('extraction_version'),
    analyzedAt: timestamp('analyzed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('documents_claim_content_idx').on(t.claimId, t.sha256),
    uniqueIndex('documents_application_content_idx').on(t.applicationId, t.sha256),
    index('documents_sha256_idx').on(t.sha256),
    check('documents_owner_check', sql`num_nonnulls(${t.claimId}, ${t.applicationId}) = 1`),
  ],
);

/** The text of each page with its lines, words, boxes and confidences: the evidence behind the fields. */
export const documentPages = pgTable(
  'document_pages',
  {
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id),
    page: integer('page').notNull(),
    source: text('source').$type<TextSource>().notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    rotation: integer('rotation').notNull(),
    confidence: real('confidence').notNull(),
    text: text('text').notNull(),
    lines: jsonb('lines').$type<Line[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.page] })],
);

/** Append-only (a trigger refuses UPDATE and DELETE): the audit trail of every decision. */
export const decisions = pgTable(
  'decisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    claimId: text('claim_id')
      .notNull()
      .references(() => claims.id),
    kind: text('kind').notNull(),
    outcome: text('outcome').notNull(),
    reasons: jsonb('reasons').$type<Reason[]>().notNull(),
    payableMinor: minor('payable_minor'),
    currency: text('currency'),
    inputs: jsonb('inputs').notNull(),
    inputsDigest: text('inputs_digest').notNull(),
    ruleSetVersion: text('rule_set_version').notNull(),
    decidedBy: text('decided_by').notNull(),
    /** What reconciling the documents with the claim found, with evidence. */
    flags: jsonb('flags').$type<Flag[]>().notNull().default([]),
    /** One row per decision however often the recording activity is retried. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('decisions_claim_idx').on(t.claimId, t.createdAt)],
);

export type DeliveryStatus = 'SENT' | 'FAILED' | 'NO_ADDRESS';

export type NotificationAudience = 'claimant' | 'adjusters' | 'senior-adjusters' | 'applicant' | 'underwriters' | 'senior-underwriters';

/**
 * Outbox of messages to people: reminders, escalations, requests for documents. Written once per
 * workflow step (idempotency key); a mail or chat relay sends them and sets sent_at.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The claim or the application the message is about: exactly one. */
    claimId: text('claim_id').references(() => claims.id),
    applicationId: text('application_id').references((): AnyPgColumn => applications.id),
    audience: text('audience').$type<NotificationAudience>().notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: createdAt(),
    /** When the email was accepted by the SMTP server (claimant and applicant messages). */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Null while a claimant's or applicant's message waits to be emailed; then SENT, FAILED (with the reason) or NO_ADDRESS. Staff read theirs in the queues. */
    deliveryStatus: text('delivery_status').$type<DeliveryStatus>(),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** Not before this is the next attempt made; also a relay's lease on the message while it sends it. */
    nextDeliveryAt: timestamp('next_delivery_at', { withTimezone: true }),
    deliveryError: text('delivery_error'),
  },
  (t) => [
    index('notifications_unsent_idx').on(t.sentAt, t.createdAt),
    index('notifications_delivery_idx').on(t.deliveryStatus, t.nextDeliveryAt),
    check('notifications_subject_check', sql`num_nonnulls(${t.claimId}, ${t.applicationId}) = 1`),
  ],
);

/** PENDING until the gateway settles it; CANCELED when compensated before it settled. */
export type PaymentStatus = 'PENDING' | 'PAID' | 'FAILED' | 'CANCELED' | 'REVERSED';

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    claimId: text('claim_id')
      .notNull()
      .references(() => claims.id),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    status: text('status').$type<PaymentStatus>().notNull(),
    /** The gateway is called with this key, so a retried payment is never made twice. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    gatewayReference: text('gateway_reference'),
    /** The payee's account, masked: which account was paid, without the number. */
    payee: text('payee'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payments_claim_idx').on(t.claimId), check('payments_amount_check', sql`${t.amountMinor} > 0`)],
);

export type ApplicationStatus = 'RECEIVED' | 'IN_REVIEW' | 'ISSUED' | 'DECLINED';

export interface ApplicantDetails {
  name: string;
  dateOfBirth: string;
  email?: string;
  /** The account claims on the issued policy are paid to, unless a claim names another. */
  payoutIban?: string;
}

/** Applications for insurance, with every underwriting decision on them (append-only, oldest first). */
export const applications = pgTable(
  'applications',
  {
    id: text('id').primaryKey(),
    applicantId: text('applicant_id').notNull(),
    submittedBy: text('submitted_by').notNull(),
    product: text('product').notNull(),
    applicant: jsonb('applicant').$type<ApplicantDetails>().notNull(),
    /** The insured risk in its product's own shape (domain/underwriting/products), checked by its schema. */
    risk: jsonb('risk').$type<Readonly<Record<string, unknown>>>().notNull(),
    startDate: date('start_date').notNull(),
    /** What the applicant wanted us to know, in their words: data for the assessment, never instructions. */
    declarations: text('declarations'),
    /** A recorded interview (blob SHA-256), and its transcript once an engine that takes free speech made one. */
    interviewSha256: text('interview_sha256'),
    interviewTranscript: text('interview_transcript'),
    status: text('status').$type<ApplicationStatus>().notNull(),
    /** While IN_REVIEW: which underwriters' queue it waits in, since when. */
    waiting: jsonb('waiting').$type<{ queue: 'underwriters' | 'senior-underwriters'; since: string }>(),
    currency: text('currency').notNull(),
    premiumMinor: minor('premium_minor'),
    decisions: jsonb('decisions').$type<Record<string, unknown>[]>().notNull().default([]),
    policyNumber: text('policy_number'),
    workflowId: text('workflow_id').notNull().unique(),
    /** Set once Temporal has accepted the workflow; a sweep starts any application still without it. */
    workflowStartedAt: timestamp('workflow_started_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('applications_applicant_idx').on(t.applicantId, t.createdAt)],
);
