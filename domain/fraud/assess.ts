// One claim's fraud assessment from its facts and its links to other claims: the red-flag rules and, where
// the model applies, the model, combined into a score and band. Pure: the fraud activity gathers the facts
// from the claims store and calls this; evaluations call it with the facts they build.
import type { Flag } from '../documents/reconcile.ts';
import type { Money } from '../shared/money.ts';
import { claimFeatureValues, modelApplies, type ClaimFraudFacts } from './claim-features.ts';
import { modelWeight, scoreWithModel, type FraudModelArtefact } from './model.ts';
import { fraudRuleHits, fraudRulesVersion, type FraudRuleFacts } from './rules.ts';
import { scoreFraud, type FraudAssessment, type FraudBands } from './score.ts';

export interface ClaimFraudCase {
  readonly facts: ClaimFraudFacts;
  readonly claimed: Money;
  readonly claimsInLastYear: number;
  readonly flags: readonly Flag[];
  readonly links: Pick<FraudRuleFacts, 'reusedDocuments' | 'sharedBankAccountWith' | 'sharedContactWith' | 'otherInsurers'>;
}

export interface FraudScoring {
  readonly model: FraudModelArtefact;
  readonly bands: FraudBands;
  /** Amounts a claim may be shaped to stay under: people's and automation's approval limits. */
  readonly approvalThresholds: readonly Money[];
}

export function assessClaimFraud(c: ClaimFraudCase, scoring: FraudScoring): FraudAssessment {
  const rules = fraudRuleHits({
    incidentDate: c.facts.incidentDate,
    reportedOn: c.facts.reportedOn,
    policyStart: c.facts.policyStart,
    claimed: c.claimed,
    claimsInLastYear: c.claimsInLastYear,
    approvalThresholds: scoring.approvalThresholds,
    flags: c.flags,
    ...c.links,
  });
  const model = modelApplies(c.facts)
    ? { ...scoreWithModel(scoring.model, claimFeatureValues(c.facts)), version: scoring.model.version, weight: modelWeight(scoring.model) }
    : null;
  return scoreFraud({ model, rules, rulesVersion: fraudRulesVersion, bands: scoring.bands });
}
