// What a line of business is to underwriting: one module of this shape (terms as data, the fields an
// application brings, how its risk is rated from its tariff, the product's own hard rules and referral
// triggers, and what its policy document says is insured). The workflow, the activities, the API and the
// policy document read a product from the registry (registry.ts) by its code and never name one.
import type { z } from 'zod';
import type { Reason } from '../../shared/decision.ts';
import type { LineOfBusiness, Peril } from '../../shared/perils.ts';
import type { EvidenceKind } from '../evidence.ts';

/** The facts the rules decide on, computed when the application is rated; every product has these two. */
export interface ApplicationFacts {
  /** Age in whole years on the start date. */
  readonly applicantAge: number;
  /** Claims in the last three years. */
  readonly priorClaims: number;
  readonly [fact: string]: number;
}

/** The risk as the application stored it (JSON): the product's own shape, checked by its schema at the API. */
export type ApplicationRisk = Readonly<Record<string, unknown>>;

/** A rated application: the facts for the rules and the tariff's expected claims cost, with its workings. */
export interface RatedRisk {
  readonly facts: ApplicationFacts;
  /** The rating cell (factor levels) the tariff priced. */
  readonly cell: Readonly<Record<string, string>>;
  /** The tariff's expected claims cost per year, minor units of the product's currency. */
  readonly riskPremiumMinor: number;
  readonly tariffVersion: string;
  /** Each factor's multiplier on the premium. */
  readonly relativities: Record<string, number>;
}

/** What a product has to say about an application, beside the applicant, start date and declarations. */
export interface ProductTerms {
  readonly code: string;
  readonly version: string;
  /** The product in words, for the policy document and the API. */
  readonly name: string;
  readonly lineOfBusiness: LineOfBusiness;
  readonly currency: string;
  /** Hard rules every product has: outside these the engine proposes a decline (a person confirms it). */
  readonly eligibility: { readonly minAge: number; readonly maxAge: number; readonly maxPriorClaims: number };
  /** Loading on the premium per claim in the last three years, when accepted rated. */
  readonly loadingPerPriorClaim: number;
  /** Share of the premium that pays expenses and profit: premium = risk premium x loadings / (1 - this). */
  readonly expenseRatio: number;
  readonly minimumPremiumMinor: number;
  /** Cover of an issued policy; 'insured-value' is the value the application declares. */
  readonly cover: readonly { readonly peril: Peril; readonly limit: 'insured-value' | number; readonly deductibleMinor: number }[];
  /** Documents an application must bring; any that are sent are checked against the application. */
  readonly evidence: { readonly required: readonly EvidenceKind[] };
  /** The most an AI assessment may load the premium by (0.5 = 50%) before an underwriter must look. */
  readonly maxAiLoading: number;
  /** Above this insured value, or to override a proposed decline, a senior underwriter must accept. */
  readonly underwriterAuthority: { readonly maxInsuredValueMinor: number };
  /** The product's tariff artefact, relative to the project root (loaded by the worker, passed to `rate`). */
  readonly tariffFile: string;
}

/** A product module as it is written: typed in its own risk, facts and tariff. */
export interface ProductDefinition<Risk extends ApplicationRisk, Facts extends ApplicationFacts, Tariff> extends ProductTerms {
  /**
   * The product's own fields of an application, built with the zod the API hands in (published in the
   * OpenAPI document under `schemaName`). A function, so that zod stays out of the workflow bundle,
   * which holds the products for their rules.
   */
  applicationFields(zod: typeof z): z.ZodObject;
  readonly schemaName: string;
  /** The risk to store from the fields the schema accepted, or what is wrong with them (a 422). */
  readRisk(
    fields: Record<string, unknown>,
  ): { readonly ok: true; readonly risk: Risk } | { readonly ok: false; readonly code: string; readonly problem: string };
  /** The value that limits cover and the underwriter's authority, from the stored risk. */
  insuredValueMinor(risk: Risk): number;
  /** Rates the risk with the product's tariff (the artefact read from `tariffFile`). */
  rate(
    tariff: Tariff,
    risk: Risk,
    on: { readonly applicantAge: number; readonly startDate: string },
  ): Omit<RatedRisk, 'facts'> & {
    readonly facts: Facts;
  };
  /** The product's own hard rules, after the common ones (age, claims): each proposes a decline. */
  declines(facts: Facts): readonly Reason[];
  /** The product's referral triggers: each sends the application to an underwriter with a price. */
  referrals(facts: Facts): readonly Reason[];
  /** The insured value among the rated facts (the workflow holds the facts, not the risk). */
  insuredValueOfFacts(facts: Facts): number;
  /** What documents can confirm: a registration for vehicles (null when nothing is registered). */
  declaredObject(risk: Risk): { readonly registration: string | null; readonly priorClaims: number };
  /** The risk for the AI's brief: facts, never who the applicant is. */
  brief(risk: Risk, on: { readonly applicantAge: number; readonly startDate: string }): Readonly<Record<string, number | string | boolean>>;
  /** What is insured, in one line of the policy document. */
  insuredObject(risk: Risk): string;
  /** A line for the Web UI's workflow list. */
  summary(risk: Risk): string;
}

/** A product as the registry holds it: the same functions over stored JSON. */
export type UnderwritingProduct = ProductDefinition<ApplicationRisk, ApplicationFacts, unknown>;

/**
 * A product typed in its own risk, facts and tariff, as the registry holds it (methods are bivariant in
 * their parameters, so no cast is needed). Sound because each function only ever meets values its own
 * module made: the risk its schema and readRisk accepted at the API, the facts its rate returned, the
 * tariff read from its own tariffFile.
 */
export function defineProduct<Risk extends ApplicationRisk, Facts extends ApplicationFacts, Tariff>(
  definition: ProductDefinition<Risk, Facts, Tariff>,
): UnderwritingProduct {
  return definition;
}
