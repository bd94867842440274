import { parseReference } from '../../domain/claims/reference.ts';
import { z } from 'zod';
import { claimStatuses, isIsoDate } from '../../domain/claims/claim.ts';
import { isCurrencyCode } from '../../domain/shared/money.ts';
import { isValidIban } from '../../domain/shared/iban.ts';
import { documentKinds } from '../../domain/documents/classify.ts';
import { allPerils, linesOfBusiness } from '../../domain/shared/perils.ts';
import { named } from '../openapi.ts';

// Text from the outside is data: kept verbatim, but control characters (NUL above all, which
// PostgreSQL cannot store) are refused rather than silently changed.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

/**
 * A calendar date the record can keep and a claim or application can mean: from 1900 (PostgreSQL has no
 * year 0, and nothing here happened before 1900). Dates ahead are judged by each field's own rule.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-25')
  .refine(isIsoDate, 'is not a calendar date')
  .refine((d) => d >= '1900-01-01', 'must be 1900-01-01 or later');

export const Money = named(
  'Money',
  z.object({
    amount: z.string().describe('Decimal amount in major units, e.g. "1250.00"'),
    currency: z.string().describe('ISO 4217 code'),
  }),
);

export const ClaimSubmission = named(
  'ClaimSubmission',
  z
    .object({
      policyNumber: z
        .string()
        .trim()
        .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'must be a policy number like POL-1001'),
      peril: z.enum(allPerils as [string, ...string[]]).describe('What caused the loss'),
      incidentDate: isoDate.describe('Date of the loss (YYYY-MM-DD), not in the future'),
      claimedAmount: z
        .object({
          amount: z.union([z.string().max(32), z.number()]).describe('Decimal amount in major units: "1250.00" (preferred) or 1250.5'),
          currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 code of a currency in use, like EUR'),
        })
        .strict(),
      description: text(5_000).trim().min(1, 'must describe what happened'),
      contact: z
        .object({
          email: z.email().max(254).optional(),
          phone: z
            .string()
            .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number like +44 20 7946 0000')
            .optional(),
        })
        .strict()
        .optional(),
      payoutAccount: z
        .object({
          iban: z.string().max(42).refine(isValidIban, 'is not a valid IBAN (its check digits do not match)'),
          holder: text(140).trim().min(1, 'must name the account holder'),
        })
        .strict()
        .optional()
        .describe('Where to pay the claim; without it, the account on the policy'),
    })
    .strict(),
  'First notice of loss. Unknown fields are refused so that typos are caught.',
);
export type ClaimSubmission = z.infer<typeof ClaimSubmission>;

export const ClaimSubmissionForm = named(
  'ClaimSubmissionForm',
  z.object({
    claim: z.string().describe('The ClaimSubmission as JSON (a text field or a file part of type application/json)'),
    documents: z.array(z.file()).optional().describe('Supporting documents: PDF, JPEG, PNG or TIFF'),
  }),
);

export const Reason = named('Reason', z.object({ code: z.string(), message: z.string() }));

export const Flag = named(
  'Flag',
  z.object({
    code: z.string(),
    severity: z.enum(['info', 'low', 'medium', 'high']).describe('medium and high send the claim to an adjuster'),
    message: z.string(),
    documentId: z.string().nullable(),
    evidence: z.array(
      z.object({
        documentId: z.string(),
        page: z.number().int(),
        box: z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() }).describe('Pixels of the page image'),
        text: z.string().describe('The line the value was read from'),
      }),
    ),
  }),
);

export const ExtractedField = named(
  'ExtractedField',
  z.object({
    value: z.union([
      z.string(),
      z.number().int().describe('a count (claimCount)'),
      z.object({ amount: z.string(), currency: z.string().nullable() }),
    ]),
    confidence: z.number().min(0).max(1),
    evidence: z.object({
      page: z.number().int(),
      box: z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() }),
      text: z.string(),
    }),
  }),
);

export const ClaimDocument = named(
  'ClaimDocument',
  z.object({
    id: z.string(),
    fileName: z.string(),
    mediaType: z.string().describe('Decided from the file bytes'),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    status: z.enum(['RECEIVED', 'VERIFIED', 'ANALYZING', 'ANALYZED', 'FAILED']),
    statusReason: z.string().nullable(),
    progress: z.string().nullable().describe('While being read, e.g. "OCR 2/3 pages"'),
    kind: z
      .enum(documentKinds)
      .nullable()
      .describe(
        'receipt (or invoice), estimate, medical bill, police report, ID document, claim form, vehicle registration, claims history, other',
      ),
    kindConfidence: z.number().nullable(),
    pages: z.number().int().nullable(),
    pageFrames: z
      .array(z.object({ page: z.number().int(), width: z.number().int(), height: z.number().int(), rotation: z.number().int() }))
      .describe(
        'Each read page as the engine saw it: evidence boxes are pixels of this frame (the page image route draws it at any width, turned by rotation)',
      ),
    textSource: z.enum(['text-layer', 'ocr', 'mixed']).nullable(),
    ocrConfidence: z.number().nullable().describe('Mean OCR word confidence, 0-100'),
    fields: z
      .partialRecord(
        z.enum(['total', 'date', 'issuer', 'policyNumber', 'claimantName', 'vehicleRegistration', 'vin', 'dateOfBirth', 'claimCount']),
        ExtractedField,
      )
      .describe('Each with its confidence (0-1) and where on which page it was read'),
    flags: z.array(Flag).describe("This document's flags from the latest assessment"),
  }),
);

export const AddedDocuments = named(
  'AddedDocuments',
  z.object({
    claimId: z.string(),
    documents: z.array(ClaimDocument.extend({ added: z.boolean().describe('false when the same file was already on the claim') })),
  }),
);

export const Decision = named(
  'Decision',
  z.object({
    kind: z.string(),
    outcome: z.string(),
    reasons: z.array(Reason),
    payableAmount: Money.nullable(),
    ruleSetVersion: z.string(),
    decidedBy: z.string().describe("'automation' or 'user:<id>'"),
    decidedAt: z.string(),
    inputsDigest: z.string().describe('SHA-256 of the canonical JSON of the decision inputs'),
  }),
);

export const ClaimProgress = named(
  'ClaimProgress',
  z.object({
    step: z.string(),
    waitingFor: z.string().nullable(),
    documents: z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int() }),
  }),
);

export const Claim = named(
  'Claim',
  z.object({
    id: z.string(),
    reference: z
      .string()
      .nullable()
      .describe('Nine digits, the last a check digit, told in groups of three (481 205 937); null for claims opened before references'),
    status: z.enum(claimStatuses),
    policyNumber: z.string(),
    claimantId: z.string(),
    lineOfBusiness: z.enum(linesOfBusiness),
    peril: z.string(),
    incidentDate: z.string(),
    reportedOn: z.string(),
    description: z.string(),
    contact: z.object({ email: z.string().optional(), phone: z.string().optional() }),
    claimedAmount: Money,
    payableAmount: Money.nullable(),
    decision: Decision.nullable().describe('The latest decision, with its reasons'),
    flags: z.array(Flag).describe('What reconciling the documents with the claim found, in the latest decision'),
    documents: z.array(ClaimDocument),
    progress: ClaimProgress.nullable().describe('Live state of the running workflow; null once settled'),
    queue: z.enum(['adjusters', 'senior-adjusters', 'claimant']).nullable().describe('Whom the claim waits for'),
    waitingSince: z.string().nullable(),
    assignee: z.string().nullable().describe('The staff member working the claim (user id), if anyone took it'),
    requestedDocuments: z.array(z.string()).nullable().describe('Documents asked of the claimant'),
    payoutAccount: z
      .object({ iban: z.string().describe('Masked'), holder: z.string() })
      .nullable()
      .describe('The account named on the claim'),
    reserve: z.object({ amount: Money, released: z.boolean() }).nullable().describe('Money set aside for the claim while it is open'),
    payments: z.array(
      z.object({
        id: z.string(),
        amount: Money,
        status: z.enum(['PENDING', 'PAID', 'FAILED', 'CANCELED', 'REVERSED']),
        payee: z.string().nullable().describe('The account paid, masked'),
        failureReason: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    letterUrl: z.string().nullable().describe('The decision letter (PDF), once the claim is closed'),
    appeal: z
      .object({ status: z.enum(['OPEN', 'UPHELD', 'OVERTURNED']), url: z.string() })
      .nullable()
      .describe("The claimant's appeal against the decision, if any"),
    fraud: z
      .object({ score: z.number().int().min(0).max(100), band: z.enum(['low', 'medium', 'high']) })
      .nullable()
      .describe("The fraud checks' score; its reasons are in the decision"),
    closedAt: z.string().nullable(),
    workflowId: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type Claim = z.infer<typeof Claim>;

export const ClaimList = named(
  'ClaimList',
  z.object({ items: z.array(Claim), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page') }),
);

export const ClaimIdParams = z.object({ id: z.string().regex(/^CLM-[0-9A-Z]{10,32}$/, 'must be a claim id like CLM-01J...') });
/** Reading a claim: by its id, or by the reference a person says (nine digits; spaces, dashes or dots between groups). */
export const ClaimIdOrReferenceParams = z.object({
  id: z
    .string()
    .regex(
      /^(?:CLM-[0-9A-Z]{10,32}|\d{3}[\s.-]?\d{3}[\s.-]?\d{3})$/,
      'must be a claim id like CLM-01J... or a claim reference like 481 205 937',
    )
    .refine((id) => id.startsWith('CLM-') || parseReference(id) !== null, 'is not a claim reference: its check digit does not match'),
});

export const ClaimListQuery = z.object({
  status: z.enum(claimStatuses).optional().describe('Only claims with this status'),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1-100'),
  cursor: z
    .string()
    .regex(/^CLM-[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a cursor this API gave (nextCursor of a previous page)')
    .optional()
    .describe('nextCursor from the previous page'),
});
