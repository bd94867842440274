// Underwriting workflow: read the evidence (documents queue) -> price (activity: the committed tariff)
// -> decide (pure: hard rules win, then referrals, loadings and the floor) -> check the evidence against
// the application -> the AI's assessment -> dispose (pure: the AI and the evidence can only make the
// decision more careful) -> record -> issue the policy and tell the applicant, or wait for an
// underwriter (reminders, then senior underwriters) when the engine refers or proposes a decline. The
// engine never declines on its own.
//
// Versions, each still running somewhere and replayed from committed histories:
// - v1 (no patch): rules and tariff only; an underwriter waits without service levels.
// - v2 (`evidence-and-ai`): evidence documents and their checks, the AI assessment under guardrails,
//   authority limits, service levels, notifications.
// - `voice-interview` (only in runs with an interview): the recording transcribed before the assessment.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { Reason } from '../../domain/shared/decision.ts';
import { findUnstorableText } from '../../domain/shared/text.ts';
import { displayAmount } from '../../domain/shared/money.ts';
import { declineReasons, decideApplication, premiumFloorMinor, type UnderwritingDecision } from '../../domain/underwriting/decide.ts';
import { disposeDecision, guardrailsVersion, type AiOpinion } from '../../domain/underwriting/dispose.ts';
import type { EvidenceResult } from '../../domain/underwriting/evidence.ts';
import { defaultProductCode, productOf } from '../../domain/underwriting/products/index.ts';
import {
  analyzeDocument,
  assessWithAi,
  checkApplicationEvidence,
  issuePolicy,
  notifyAboutApplication,
  priceApplication,
  recordApplicationDecision,
  recordInterviewTranscript,
  transcribeStatement,
} from './activities.ts';
import { RecordRefusal, recordOrRefusal } from '../failures.ts';
import { awaitUnderwriter } from './review.ts';
import {
  applicationStatusQuery,
  underwriterDecisionUpdate,
  type UnderwriterDecision,
  type UnderwritingInput,
  type UnderwritingProgress,
  type UnderwritingResult,
  underwritingActivityOptions as options,
} from './messages.ts';

export const evidenceAndAiPatch = 'evidence-and-ai';
export const voiceInterviewPatch = 'voice-interview';

const bullets = (reasons: readonly Reason[]) => reasons.map((r) => `- ${r.code}: ${r.message}`).join('\n');

export async function underwritingWorkflow(input: UnderwritingInput): Promise<UnderwritingResult> {
  const v2 = patched(evidenceAndAiPatch);
  // A product this build does not hold fails the task (retried), not the application: deploy it.
  const product = productOf(input.product ?? defaultProductCode);
  const documentIds = v2 ? (input.documentIds ?? []) : [];
  let progress: UnderwritingProgress = { status: 'ASSESSING', proposal: null };
  setHandler(applicationStatusQuery, () => progress);

  if (documentIds.length > 0) {
    const documents = { total: documentIds.length, done: 0, failed: 0 };
    const report = () => {
      progress = { ...progress, status: 'READING_EVIDENCE', documents: { ...documents } };
      setCurrentDetails(`**Reading evidence**: ${documents.done + documents.failed} of ${documents.total} documents`);
    };
    report();
    await Promise.all(
      documentIds.map(async (documentId, i) => {
        try {
          await analyzeDocument.executeWithOptions(
            { ...options.evidence, summary: `Read evidence ${i + 1} of ${documentIds.length} (${documentId})` },
            [{ applicationId: input.applicationId, documentId }],
          );
          documents.done++;
        } catch (error) {
          if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
          documents.failed++; // never dropped: the check sees it unread and an underwriter looks
        }
        report();
      }),
    );
    progress = { ...progress, status: 'ASSESSING' };
  }
  setCurrentDetails('**Assessing the application**');

  const priced = await priceApplication.executeWithOptions({ ...options.record, summary: 'Price from the tariff' }, [
    { applicationId: input.applicationId },
  ]);
  const engine = decideApplication(product, priced.facts, priced.riskPremiumMinor);
  const floorMinor = premiumFloorMinor(product, priced.riskPremiumMinor);

  let decision: UnderwritingDecision = engine;
  let notes: readonly Reason[] = [];
  let evidence: EvidenceResult | null = null;
  let opinion: AiOpinion | null = null;
  const others: Reason[] = [];
  if (v2 && input.interview && patched(voiceInterviewPatch)) {
    try {
      const { text } = await transcribeStatement.executeWithOptions({ ...options.interview, summary: 'Transcribe the interview' }, [
        { recording: input.interview },
      ]);
      await recordInterviewTranscript.executeWithOptions({ ...options.record, summary: 'Keep the interview transcript' }, [
        { applicationId: input.applicationId, transcript: text },
      ]);
    } catch (error) {
      if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
      others.push({
        code: 'INTERVIEW_NOT_TRANSCRIBED',
        message: `The recorded interview could not be transcribed (${error.cause?.message ?? error.message}); an underwriter listens to it.`,
      });
    }
  }
  if (v2) {
    if (documentIds.length > 0 || product.evidence.required.length > 0) {
      evidence = await checkApplicationEvidence.executeWithOptions(
        { ...options.record, summary: 'Check the evidence against the application' },
        [{ applicationId: input.applicationId }],
      );
    }
    opinion = await assessWithAi(input.applicationId, engine);
    ({ decision, notes } = disposeDecision(product, engine, evidence, opinion, others));
  }
  progress = { ...progress, proposal: { outcome: decision.outcome, premiumMinor: decision.premiumMinor, reasons: decision.reasons } };
  const automated = {
    kind: 'UNDERWRITING_ASSESSMENT',
    outcome: decision.outcome,
    reasons: decision.reasons,
    premiumMinor: decision.premiumMinor,
    loading: decision.loading,
    decidedBy: 'automation',
    ruleSetVersion: `${decision.version}+${product.version}+${priced.tariffVersion}`,
    inputs: { facts: priced.facts, cell: priced.cell, riskPremiumMinor: priced.riskPremiumMinor, relativities: priced.relativities },
    ...(v2
      ? {
          engine: { outcome: engine.outcome, premiumMinor: engine.premiumMinor, reasons: engine.reasons },
          evidence,
          ai:
            opinion?.kind === 'proposal'
              ? {
                  provider: opinion.provider,
                  model: opinion.model,
                  proposal: opinion.assessment,
                  instructionsFound: opinion.instructionsFound,
                }
              : opinion,
          notes,
          guardrails: guardrailsVersion,
        }
      : {}),
  };

  const issue = async (premiumMinor: number, reasons: readonly Reason[]): Promise<UnderwritingResult> => {
    progress = { ...progress, status: 'ISSUING' };
    setCurrentDetails(`**Issuing the policy**: ${displayAmount({ minor: premiumMinor, currency: product.currency })} a year`);
    const { policyNumber } = await issuePolicy.executeWithOptions({ ...options.record, summary: 'Issue the policy and its document' }, [
      { applicationId: input.applicationId, premiumMinor, reasons: reasons.map((r) => r.message) },
    ]);
    if (v2) {
      await notifyAboutApplication.executeWithOptions({ ...options.record, summary: 'Tell the applicant: policy issued' }, [
        {
          applicationId: input.applicationId,
          audience: 'applicant',
          kind: 'POLICY_ISSUED',
          message: `Your policy ${policyNumber} is issued at ${displayAmount({ minor: premiumMinor, currency: product.currency })} a year. Its document: /v1/policies/${policyNumber}/document.pdf`,
        },
      ]);
    }
    progress = { ...progress, status: 'ISSUED' };
    setCurrentDetails(`**Issued** policy ${policyNumber}`);
    return { applicationId: input.applicationId, status: 'ISSUED', policyNumber, premiumMinor, reasons };
  };

  if (decision.outcome === 'ACCEPT' || decision.outcome === 'ACCEPT_RATED') {
    await recordApplicationDecision.executeWithOptions({ ...options.record, summary: `Record decision: ${decision.outcome}` }, [
      { applicationId: input.applicationId, status: 'RECEIVED', premiumMinor: decision.premiumMinor, decision: automated },
    ]);
    return issue(decision.premiumMinor!, decision.reasons);
  }

  // Referred, or a decline proposed: an underwriter decides.
  const since = new Date().toISOString();
  await recordApplicationDecision.executeWithOptions({ ...options.record, summary: `Record decision: ${decision.outcome}` }, [
    {
      applicationId: input.applicationId,
      status: 'IN_REVIEW',
      premiumMinor: decision.premiumMinor,
      decision: automated,
      ...(v2 ? { waiting: { queue: 'underwriters' as const, since } } : {}),
    },
  ]);
  progress = { ...progress, status: 'IN_REVIEW', ...(v2 ? { queue: 'underwriters' as const } : {}) };
  const waitingDetails = () =>
    `**Waiting for ${progress.queue === 'senior-underwriters' ? 'a senior underwriter' : 'an underwriter'}**\n\n${bullets([...decision.reasons, ...notes])}`;
  setCurrentDetails(v2 ? waitingDetails() : `**Waiting for an underwriter**\n\n${bullets(decision.reasons)}`);
  const needsSenior = v2 && product.insuredValueOfFacts(priced.facts) > product.underwriterAuthority.maxInsuredValueMinor;
  // The decision taken, and (when the database refused to record it) the refusal to answer it with.
  let taken: UnderwriterDecision | null = null;
  let refusal: { decision: UnderwriterDecision; refusal: RecordRefusal } | null = null;
  setHandler(
    underwriterDecisionUpdate,
    async (d) => {
      taken = d;
      await condition(() => progress.status === 'ISSUED' || progress.status === 'DECLINED' || refusal?.decision === d);
      if (refusal?.decision === d)
        throw ApplicationFailure.create({ type: refusal.refusal.code, message: refusal.refusal.message, nonRetryable: true });
      return { status: progress.status };
    },
    {
      validator: (d: UnderwriterDecision) => {
        const refuse = (type: string, message: string) => {
          throw ApplicationFailure.create({ type, message, nonRetryable: true });
        };
        if (taken || progress.status !== 'IN_REVIEW')
          refuse('NOT_AWAITING_UNDERWRITER', 'The application is not waiting for an underwriter.');
        // A note the record cannot keep would fail its recording at every retry.
        const unstorable = findUnstorableText({ note: d.note, underwriter: d.underwriter });
        if (unstorable) refuse('INVALID_TEXT', `${unstorable.path} ${unstorable.problem}.`);
        if (d.action === 'decline' && !declineReasons[d.reasonCode])
          refuse('UNKNOWN_REASON', `Decline reason must be one of ${Object.keys(declineReasons).join(', ')}.`);
        if (d.action === 'accept') {
          const premium = d.premiumMinor ?? decision.premiumMinor;
          // Rules dispose: no one accepts what the hard rules exclude without saying why, or below the floor.
          if (premium === null) refuse('PREMIUM_REQUIRED', 'This application has no engine price; give the premium.');
          if (premium !== null && premium < floorMinor)
            refuse(
              'BELOW_PRICE_FLOOR',
              `The premium may not be below ${displayAmount({ minor: floorMinor, currency: product.currency })}.`,
            );
          if (decision.outcome === 'PROPOSE_DECLINE' && !d.note)
            refuse('OVERRIDE_REASON_REQUIRED', 'Accepting what the rules exclude needs a note saying why.');
          const senior = d.role === 'senior_underwriter' || d.role === 'admin';
          if (v2 && !senior && (needsSenior || decision.outcome === 'PROPOSE_DECLINE')) {
            refuse(
              'ABOVE_AUTHORITY',
              needsSenior
                ? `An insured value above ${displayAmount({ minor: product.underwriterAuthority.maxInsuredValueMinor, currency: product.currency })} needs a senior underwriter to accept.`
                : 'Accepting what the rules exclude needs a senior underwriter.',
            );
          }
        }
      },
    },
  );
  if (v2) {
    await notifyAboutApplication.executeWithOptions({ ...options.record, summary: 'Tell underwriters' }, [
      {
        applicationId: input.applicationId,
        audience: 'underwriters',
        kind: 'APPLICATION_REFERRED',
        message: `Application ${input.applicationId} waits for an underwriter: ${decision.reasons.map((r) => r.code).join(', ')}.`,
      },
    ]);
    await awaitUnderwriter(
      input,
      since,
      () => taken !== null,
      () => {
        progress = { ...progress, queue: 'senior-underwriters' };
        setCurrentDetails(waitingDetails());
      },
    );
  } else {
    await condition(() => taken !== null);
  }
  // A decision the database refuses to record is refused to its underwriter; the application waits for another.
  for (;;) {
    const d: UnderwriterDecision = taken!;
    const decided = await recordOrRefusal('the application is still waiting for a decision', () => underwriterDecides(d));
    if (!(decided instanceof RecordRefusal)) return decided;
    refusal = { decision: d, refusal: decided };
    taken = null;
    await condition(() => taken !== null);
  }

  async function underwriterDecides(d: UnderwriterDecision): Promise<UnderwritingResult> {
    const decidedBy = `user:${d.underwriter}`;
    if (d.action === 'decline') {
      const reasons: Reason[] = [
        { code: d.reasonCode, message: declineReasons[d.reasonCode]! },
        ...(d.note ? [{ code: 'UNDERWRITER_NOTE', message: d.note }] : []),
      ];
      await recordApplicationDecision.executeWithOptions({ ...options.record, summary: 'Record decision: DECLINE' }, [
        {
          applicationId: input.applicationId,
          status: 'DECLINED',
          premiumMinor: null,
          decision: {
            kind: 'UNDERWRITER_DECISION',
            outcome: 'DECLINE',
            reasons,
            decidedBy,
            automated: decision.outcome,
            ...(d.role ? { role: d.role } : {}),
          },
          ...(v2 ? { waiting: null } : {}),
        },
      ]);
      if (v2) {
        await notifyAboutApplication.executeWithOptions({ ...options.record, summary: 'Tell the applicant: declined' }, [
          {
            applicationId: input.applicationId,
            audience: 'applicant',
            kind: 'APPLICATION_DECLINED',
            message: `We cannot offer cover: ${reasons.map((r) => r.message).join(' ')}`,
          },
        ]);
      }
      progress = { ...progress, status: 'DECLINED' };
      setCurrentDetails(`**Declined** by ${d.underwriter}`);
      return { applicationId: input.applicationId, status: 'DECLINED', policyNumber: null, premiumMinor: null, reasons };
    }
    const premiumMinor = d.premiumMinor ?? decision.premiumMinor!;
    const reasons: Reason[] = [
      { code: 'ACCEPTED_ON_REVIEW', message: `Accepted by underwriter ${d.underwriter}.` },
      ...(d.note ? [{ code: 'UNDERWRITER_NOTE', message: d.note }] : []),
    ];
    await recordApplicationDecision.executeWithOptions({ ...options.record, summary: 'Record decision: ACCEPT' }, [
      {
        applicationId: input.applicationId,
        status: 'IN_REVIEW',
        premiumMinor,
        decision: {
          kind: 'UNDERWRITER_DECISION',
          outcome: 'ACCEPT',
          reasons,
          premiumMinor,
          decidedBy,
          automated: decision.outcome,
          override: decision.outcome === 'PROPOSE_DECLINE' ? d.note : null,
          ...(d.role ? { role: d.role } : {}),
        },
      },
    ]);
    return issue(premiumMinor, reasons);
  }
}
