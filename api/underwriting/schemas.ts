// What the underwriting API takes and gives: the application (JSON or a form with documents), an
// underwriter's decision, the application, policy and queue resources, as zod schemas that validate
// requests and are published in the OpenAPI document.
import { z } from 'zod';
import { isValidIban } from '../../domain/shared/iban.ts';
import { ClaimDocument, isoDate } from '../claims/schemas.ts';
import { named } from '../openapi.ts';
import { defaultProductCode, registeredProducts, type UnderwritingProduct } from '../../domain/underwriting/products/index.ts';

/** What every application brings, whatever its product: who applies, from when, and in their words. */
const applicationCommon = {
  applicant: z
    .object({
      name: z.string().trim().min(1).max(140),
      dateOfBirth: isoDate,
      email: z.email().max(254).optional(),
      payoutIban: z
        .string()
        .max(42)
        .refine(isValidIban, 'is not a valid IBAN (its check digits do not match)')
        .optional()
        .describe('Where claims on the policy are paid'),
    })
    .strict(),
  startDate: isoDate,
  declarations: z
    .string()
    .max(4000)
    .optional()
    .describe('Anything else the applicant wants us to know (modifications, use, convictions), in their words'),
};

/** The common part of an application as the API has parsed it. */
export type ApplicationCommon = z.infer<z.ZodObject<typeof applicationCommon>>;

const submissions = new Map<UnderwritingProduct, z.ZodObject>();

/** A product's application: the common part and the product's own fields, named after the product. */
export function applicationSubmission(product: UnderwritingProduct): z.ZodObject {
  let schema = submissions.get(product);
  if (!schema) {
    const code =
      product.code === defaultProductCode
        ? z.literal(product.code).optional().describe(`The product; absent means ${product.code}`)
        : z.literal(product.code).describe('The product');
    schema = named(
      product.schemaName,
      z.object({ product: code, ...applicationCommon, ...product.applicationFields(z).shape }).strict(),
      `An application for ${product.name.toLowerCase()} (${product.code}, ${product.currency}).`,
    );
    submissions.set(product, schema);
  }
  return schema;
}

const submissionUnions = new Map<string, z.ZodType>();

/** Every registered product's application, for the OpenAPI document (requests are parsed per product). */
export function applicationSubmissions(): z.ZodType {
  const products = registeredProducts();
  const key = products.map((p) => p.code).join(',');
  let schema = submissionUnions.get(key);
  if (!schema) {
    const [first, ...rest] = products.map(applicationSubmission);
    schema = rest.length === 0 ? first! : z.union([first!, ...rest]);
    submissionUnions.set(key, schema);
  }
  return schema;
}

export const ApplicationForm = named(
  'ApplicationForm',
  z.object({
    application: z
      .string()
      .describe("The application as JSON, as its product's schema says (a text field or a file part of type application/json)"),
    documents: z
      .array(z.file())
      .optional()
      .describe(
        "Evidence: ID or driving licence, the vehicle's registration certificate, the previous insurer's claims history (PDF, JPEG, PNG, TIFF)",
      ),
    interview: z.file().optional().describe('A recorded interview (WAV, FLAC, OGG, MP3): transcribed and read with the declarations'),
  }),
);

export const UnderwriterDecisionBody = named(
  'UnderwriterDecision',
  z.discriminatedUnion('action', [
    z
      .object({
        action: z.literal('accept'),
        premium: z
          .object({ amount: z.union([z.string(), z.number()]), currency: z.string().describe("The application's currency") })
          .strict()
          .optional(),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
    z.object({ action: z.literal('decline'), reasonCode: z.string(), note: z.string().trim().max(2000).optional() }).strict(),
  ]),
);

export const Application = named(
  'Application',
  z.object({
    id: z.string(),
    status: z.enum(['RECEIVED', 'IN_REVIEW', 'ISSUED', 'DECLINED']),
    waiting: z
      .object({ queue: z.enum(['underwriters', 'senior-underwriters']), since: z.string() })
      .nullable()
      .describe('While IN_REVIEW: whose queue, since when'),
    product: z.string(),
    currency: z.string().describe("The product's currency: premiums and the cover are in it"),
    premium: z.object({ amount: z.string(), currency: z.string() }).nullable(),
    policyNumber: z.string().nullable(),
    decisions: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Every decision, oldest first: engine, evidence checks, the AI proposal and what the guardrails kept, people'),
    documents: z.array(ClaimDocument).describe('Evidence sent with the application: kind, fields read, status'),
    interview: z
      .object({
        transcript: z.string().nullable().describe('null until transcribed, or when no engine here could'),
        url: z.string().describe('The recording as sent'),
      })
      .nullable()
      .describe('A recorded interview, when one was sent'),
    notifications: z
      .array(z.object({ audience: z.string(), kind: z.string(), message: z.string(), createdAt: z.string() }))
      .describe('Messages sent about the application'),
    progress: z.unknown().nullable(),
    workflowId: z.string(),
    createdAt: z.string(),
  }),
);

export const Policy = named(
  'Policy',
  z.object({
    policyNumber: z.string(),
    holderId: z.string(),
    lineOfBusiness: z.string(),
    status: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string(),
    premium: z.object({ amount: z.string(), currency: z.string() }).nullable(),
    coverages: z.array(
      z.object({
        peril: z.string(),
        limit: z.object({ amount: z.string(), currency: z.string() }),
        deductible: z.object({ amount: z.string(), currency: z.string() }),
      }),
    ),
    documentUrl: z.string().nullable(),
  }),
);

export const UnderwritingQueue = named(
  'UnderwritingQueue',
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        queue: z.enum(['underwriters', 'senior-underwriters']),
        since: z.string(),
        ageHours: z.number(),
        proposal: z.string().nullable().describe('REFER or PROPOSE_DECLINE'),
        reasons: z.array(z.string()),
        premium: z.object({ amount: z.string(), currency: z.string() }).nullable(),
      }),
    ),
    total: z.number().int().describe('Applications matching the filters'),
    nextOffset: z.number().int().nullable().describe('The next page, or null on the last'),
    counts: z
      .object({ underwriters: z.number().int(), 'senior-underwriters': z.number().int() })
      .describe('Waiting in each queue, unfiltered'),
  }),
);

export const UnderwritingQueueQuery = z.object({
  queue: z.enum(['underwriters', 'senior-underwriters']).optional(),
  reason: z.string().max(64).optional().describe('Only applications the engine referred for this reason code'),
  minWaitingHours: z.coerce.number().min(0).max(100_000).optional(),
  sort: z.enum(['oldest', 'newest', 'premium']).default('oldest'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const IdParams = z.object({ id: z.string().regex(/^APP-[0-9A-Z]{10,32}$/, 'must be an application id like APP-01J...') });
export const PolicyParams = z.object({ id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'must be a policy number') });
export const staff = ['underwriter', 'senior_underwriter', 'admin'] as const;
