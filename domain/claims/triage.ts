// Triage: from the assessments made so far, does the claim go straight through or to a person?
// Automation may approve; anything it cannot approve is referred to an adjuster, never denied.
import type { AuthorityAssessment } from './automation.ts';
import type { CoverageAssessment } from './coverage.ts';
import type { Reason } from '../shared/decision.ts';
import type { FraudAssessment } from '../fraud/score.ts';
import type { Flag } from '../documents/reconcile.ts';
import type { Money } from '../shared/money.ts';

export const triageRulesVersion = 'triage-rules@1.3.0';

/** Flags of these severities send a claim to a person; lower ones are only shown. */
export const referringSeverities: readonly Flag['severity'][] = ['medium', 'high'];

export interface TriageInput {
  /** Problems with the claim itself, or its policy, found before coverage could be assessed. */
  readonly blockers: readonly Reason[];
  readonly coverage: CoverageAssessment | null;
  /** Documents that could not be verified as stored (unreadable, altered, unsupported). */
  readonly unverifiedDocuments: readonly { readonly documentId: string; readonly reason: string }[];
  /** What reconciling the documents with the claim found. */
  readonly flags?: readonly Flag[];
  /** The fraud checks' score (absent before they existed): medium and high send the claim to a person. */
  readonly fraud?: Pick<FraudAssessment, 'score' | 'band' | 'reasons'> | null;
  /** Whether automation may pay this much on this evidence (absent before automation limits existed). */
  readonly authority?: Pick<AuthorityAssessment, 'withinAuthority' | 'reasons'> | null;
}

export interface TriageDecision {
  readonly outcome: 'APPROVE' | 'REFER';
  readonly payable: Money | null;
  readonly reasons: readonly Reason[];
  readonly version: string;
}

export function triageClaim(input: TriageInput): TriageDecision {
  const reasons: Reason[] = [...input.blockers];
  for (const doc of input.unverifiedDocuments) {
    reasons.push({
      code: 'DOCUMENT_UNVERIFIED',
      message: `Document ${doc.documentId} could not be verified: ${doc.reason}`,
    });
  }
  const referring = (input.flags ?? []).filter((f) => referringSeverities.includes(f.severity));
  for (const f of referring) reasons.push({ code: f.code, message: f.message });
  const fraud = input.fraud && input.fraud.band !== 'low' ? input.fraud : null;
  if (fraud) {
    reasons.push({
      code: fraud.band === 'high' ? 'FRAUD_RISK_HIGH' : 'FRAUD_RISK_MEDIUM',
      message: `Fraud score ${fraud.score} of 100 (${fraud.band}): ${fraud.reasons
        .slice(0, 3)
        .map((r) => r.code)
        .join(', ')}. An adjuster must look before anything is paid.`,
    });
  }
  const coverage = input.coverage;
  const outsideAuthority = coverage?.outcome === 'COVERED' && input.authority && !input.authority.withinAuthority ? input.authority : null;
  if (outsideAuthority) reasons.push(...outsideAuthority.reasons);
  if (coverage) reasons.push(...coverage.reasons);

  if (input.blockers.length > 0 || !coverage) {
    return { outcome: 'REFER', payable: null, reasons, version: triageRulesVersion };
  }
  if (coverage.outcome !== 'COVERED') {
    reasons.push({
      code: 'PROPOSED_DENIAL',
      message: 'The rules found no cover; a person must confirm before the claim can be declined.',
    });
    return { outcome: 'REFER', payable: null, reasons, version: triageRulesVersion };
  }
  if (input.unverifiedDocuments.length > 0 || referring.length > 0 || fraud || outsideAuthority) {
    return { outcome: 'REFER', payable: coverage.payable, reasons, version: triageRulesVersion };
  }
  reasons.unshift({ code: 'COVERAGE_CONFIRMED', message: 'The loss is covered by the policy.' });
  return { outcome: 'APPROVE', payable: coverage.payable, reasons, version: triageRulesVersion };
}
