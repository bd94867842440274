// The model proposes, rules dispose. The engine's decision (hard rules, referrals, tariff) is the
// ceiling of what automation may do: evidence that contradicts the application and an AI assessment can
// only make it more careful (load the premium, refer to a person). Nothing here accepts what the rules
// decline or refer, prices below the tariff, or declines: a decline is only ever proposed to a person.
import type { Reason } from '../shared/decision.ts';
import type { UnderwritingAssessment } from './assessment.ts';
import type { UnderwritingDecision } from './decide.ts';
import type { EvidenceResult } from './evidence.ts';
import type { UnderwritingProduct } from './products/product.ts';

export const guardrailsVersion = 'ai-guardrails@1.0.0';

/** What the AI step produced: a proposal, or why there is none (the case then goes to a person). */
export type AiOpinion =
  | {
      readonly kind: 'proposal';
      readonly assessment: UnderwritingAssessment;
      readonly provider: string;
      readonly model: string;
      /** Sentences in the applicant's text or documents that address the reader: treated as data. */
      readonly instructionsFound: readonly string[];
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface DisposedDecision {
  readonly decision: UnderwritingDecision;
  /** What automation noticed but did not act on, for the underwriter and the auditor. */
  readonly notes: readonly Reason[];
}

const automatic = (d: UnderwritingDecision) => d.outcome === 'ACCEPT' || d.outcome === 'ACCEPT_RATED';

/** `others`: further reasons a person must look (an interview no engine here could transcribe). */
export function disposeDecision(
  product: UnderwritingProduct,
  engine: UnderwritingDecision,
  evidence: EvidenceResult | null,
  ai: AiOpinion | null,
  others: readonly Reason[] = [],
): DisposedDecision {
  const notes: Reason[] = [];
  let decision = engine;
  const refer = (reasons: readonly Reason[]) => {
    decision = { ...decision, outcome: 'REFER', reasons: [...reasons] };
  };

  const referrals = [...(evidence?.referrals ?? []), ...others];
  if (referrals.length > 0) {
    if (automatic(decision)) refer(referrals);
    else decision = { ...decision, reasons: [...decision.reasons, ...referrals] };
  }

  if (ai?.kind === 'unavailable') {
    const why: Reason = { code: 'AI_UNAVAILABLE', message: `The AI assessment could not be made (${ai.reason}); an underwriter decides.` };
    if (automatic(decision)) refer([why]);
    else notes.push(why);
  } else if (ai?.kind === 'proposal') {
    const { assessment: a } = ai;
    if (ai.instructionsFound.length > 0) {
      notes.push({
        code: 'INSTRUCTIONS_IGNORED',
        message: `The applicant's text or documents address the reader (${ai.instructionsFound.map((s) => `"${s.slice(0, 120)}"`).join('; ')}); treated as data, not instructions.`,
      });
    }
    const concerns: Reason[] = a.concerns.map((c) => ({
      code: `AI_${c.code
        .replace(/[^A-Z0-9_]/gi, '_')
        .toUpperCase()
        .replace(/^AI_/, '')}`.slice(0, 60),
      message: c.message,
    }));
    if (!automatic(decision)) {
      // Rules referred or declined: the AI cannot accept it; what it saw goes to the underwriter.
      if (a.recommendation === 'ACCEPT' || a.recommendation === 'ACCEPT_RATED') {
        notes.push({
          code: 'AI_ACCEPT_NOT_TAKEN',
          message: `The AI proposed to accept; the rules require an underwriter (${decision.outcome}).`,
        });
      }
      notes.push(...concerns);
    } else if (a.recommendation === 'DECLINE') {
      refer([
        {
          code: 'AI_PROPOSED_DECLINE',
          message: `The AI proposed a decline: ${a.rationale} Only a person may decline; an underwriter decides.`,
        },
        ...concerns,
      ]);
    } else if (a.recommendation === 'REFER') {
      refer([{ code: 'AI_REFERRAL', message: `The AI asks for an underwriter: ${a.rationale}` }, ...concerns]);
    } else if (!Number.isFinite(a.premiumAdjustmentPercent) || a.premiumAdjustmentPercent > product.maxAiLoading * 100) {
      refer([
        {
          code: 'AI_LOADING_ABOVE_LIMIT',
          message: `The AI proposed a loading of ${a.premiumAdjustmentPercent}%, above the ${product.maxAiLoading * 100}% automation may apply: ${a.rationale}`,
        },
        ...concerns,
      ]);
    } else if (a.premiumAdjustmentPercent < 0) {
      // The tariff is the price; a model does not discount it.
      notes.push({
        code: 'AI_DISCOUNT_NOT_APPLIED',
        message: `The AI proposed ${a.premiumAdjustmentPercent}%; the premium stays at the tariff's price.`,
      });
    } else if (a.premiumAdjustmentPercent > 0 && decision.premiumMinor !== null) {
      const factor = 1 + Math.round(a.premiumAdjustmentPercent) / 100;
      decision = {
        ...decision,
        outcome: 'ACCEPT_RATED',
        premiumMinor: Math.round(decision.premiumMinor * factor),
        loading: Math.round(decision.loading * factor * 10_000) / 10_000,
        reasons: [
          ...decision.reasons,
          { code: 'AI_LOADING', message: `Loaded by ${Math.round(a.premiumAdjustmentPercent)}% on the AI's assessment: ${a.rationale}` },
          ...concerns,
        ],
      };
    }
  }
  // Whatever happened above, no automated premium is below the engine's own price.
  if (decision.premiumMinor !== null && engine.premiumMinor !== null && decision.premiumMinor < engine.premiumMinor) {
    decision = { ...decision, premiumMinor: engine.premiumMinor };
  }
  return { decision: { ...decision, version: `${engine.version}+${guardrailsVersion}` }, notes };
}
