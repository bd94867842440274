// Red flags from published fraud indicators (NICB, state fraud bureaus), each a reason code with its
// weight in log-odds: how much more likely fraud is when it is present. Weights are set by judgement
// from those publications, not fitted; they are data, reviewed with the rule set's version.
import type { Reason } from '../shared/decision.ts';
import type { Flag } from '../documents/reconcile.ts';
import { displayAmount, type Money } from '../shared/money.ts';
import { daysBetween } from './claim-features.ts';
import { identifierWords, type SharedIdentifierKind } from './shared-identifiers.ts';

export const fraudRulesVersion = 'fraud-rules@1.1.0';

export interface FraudRuleFacts {
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly policyStart: string;
  readonly claimed: Money;
  /** The claimant's claims in the year before this one. */
  readonly claimsInLastYear: number;
  /** Amounts above which a person must approve (authority limits, in the claim currency). */
  readonly approvalThresholds: readonly Money[];
  /** Reconciliation of documents with the claim. */
  readonly flags: readonly Flag[];
  /** Other claims holding a document with the same bytes, or the same text. */
  readonly reusedDocuments: readonly { readonly claimId: string; readonly how: 'same-file' | 'same-text' }[];
  /** Other claimants paid to the same bank account, or reachable at the same phone or email. */
  readonly sharedBankAccountWith: readonly string[];
  readonly sharedContactWith: readonly string[];
  /**
   * Other insurers asked by private set intersection: what each matched (never their data), or why one
   * could not be asked. Absent where no insurers are configured.
   */
  readonly otherInsurers?: readonly OtherInsurerCheck[];
}

export type OtherInsurerCheck =
  | { readonly peer: string; readonly checked: true; readonly matched: readonly SharedIdentifierKind[] }
  | { readonly peer: string; readonly checked: false; readonly why: string };

export interface RuleHit extends Reason {
  readonly logOdds: number;
}

export function fraudRuleHits(f: FraudRuleFacts): RuleHit[] {
  const hits: RuleHit[] = [];
  const sinceStart = daysBetween(f.policyStart, f.incidentDate);
  if (sinceStart >= 0 && sinceStart <= 30) {
    hits.push({
      code: 'LOSS_SOON_AFTER_INCEPTION',
      message: `The loss happened ${sinceStart} days after the policy started.`,
      logOdds: sinceStart <= 7 ? 1.8 : 1.2,
    });
  }
  if (f.claimsInLastYear >= 2) {
    hits.push({
      code: 'SEVERAL_RECENT_CLAIMS',
      message: `The claimant made ${f.claimsInLastYear} other claims in the past year.`,
      logOdds: f.claimsInLastYear >= 4 ? 1.5 : 0.8,
    });
  }
  const under = f.approvalThresholds.find(
    (t) => t.currency === f.claimed.currency && f.claimed.minor < t.minor && f.claimed.minor >= t.minor * 0.95,
  );
  if (under) {
    hits.push({
      code: 'JUST_UNDER_THRESHOLD',
      message: `The amount claimed is just under ${displayAmount(under)}, above which a senior adjuster must approve.`,
      logOdds: 0.7,
    });
  }
  const late = daysBetween(f.incidentDate, f.reportedOn);
  if (late > 30)
    hits.push({ code: 'LATE_REPORTING', message: `The loss was reported ${late} days after it happened.`, logOdds: late > 90 ? 1.0 : 0.6 });
  const contradicting = f.flags.filter((x) => x.severity === 'medium' || x.severity === 'high');
  if (contradicting.length > 0) {
    hits.push({
      code: 'DOCUMENTS_CONTRADICT_CLAIM',
      message: `The documents contradict the claim (${contradicting.map((x) => x.code).join(', ')}).`,
      logOdds: 1.0,
    });
  }
  const sameFile = f.reusedDocuments.filter((d) => d.how === 'same-file');
  const sameText = f.reusedDocuments.filter((d) => d.how === 'same-text');
  if (sameFile.length > 0)
    hits.push({
      code: 'DOCUMENT_REUSED',
      message: `A document was already sent with claim ${sameFile.map((d) => d.claimId).join(', ')}.`,
      logOdds: 2.5,
    });
  else if (sameText.length > 0)
    hits.push({
      code: 'DOCUMENT_TEXT_REUSED',
      message: `A document reads the same as one sent with claim ${sameText.map((d) => d.claimId).join(', ')}.`,
      logOdds: 2.0,
    });
  if (f.sharedBankAccountWith.length > 0) {
    hits.push({
      code: 'BANK_ACCOUNT_SHARED',
      message: `The bank account is also given by ${f.sharedBankAccountWith.length} other claimant(s).`,
      logOdds: 2.0,
    });
  }
  if (f.sharedContactWith.length > 0) {
    hits.push({
      code: 'CONTACT_SHARED',
      message: `The phone or email is also given by ${f.sharedContactWith.length} other claimant(s).`,
      logOdds: 1.0,
    });
  }
  for (const check of f.otherInsurers ?? []) {
    if (check.checked && check.matched.length > 0)
      hits.push({
        code: 'CLAIMED_WITH_ANOTHER_INSURER',
        message: `${check.peer} holds a claim with ${[...new Set(check.matched)].map((k) => identifierWords[k]).join(' and ')}.`,
        logOdds: 2.5,
      });
    // Said in the decision, weighing nothing: a peer that is down never blocks or scores a claim.
    if (!check.checked)
      hits.push({
        code: 'OTHER_INSURER_NOT_CHECKED',
        message: `${check.peer} could not be asked about this claim (${check.why}).`,
        logOdds: 0,
      });
  }
  return hits.sort((a, b) => b.logOdds - a.logOdds);
}
