// A claim as a person reads it: what was claimed, why it waits, its story from the decision records
// (coverage with deductible and limit, fraud with its ranked reasons), each flag with its evidence, the
// documents with what was read drawn on them, payments and the letter; and, while it waits, the decision.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, fileUrl, type Me } from './api.ts';
import { AppealPanel, type Appeal } from './appeals.tsx';
import { Casework } from './casework.tsx';
import { DocumentViewer } from './document-viewer.tsx';
import { kindWords, money, when, words } from './format.ts';
import { ReviewActions } from './review-actions.tsx';
import { ClaimCalls } from './voice.tsx';
import type { Claim, HistoryEntry } from './types.ts';
import { Problem, ReasonList } from './parts.tsx';

function Story({ items }: { items: readonly HistoryEntry[] }) {
  return (
    <ol class="story">
      {items.map((item, i) => (
        <li key={i}>
          <p>
            <strong>{kindWords[item.kind] ?? words(item.kind)}</strong>
            {item.outcome && `: ${words(item.outcome)}`}
            {item.payableAmount && `, ${money(item.payableAmount)}`}{' '}
            <span class="meta">
              — {item.by.replace(/^user:/, '')}, {when(item.at)}
            </span>
          </p>
          {item.text && item.kind !== 'NOTE' && <p>To {item.text}</p>}
          {item.kind === 'NOTE' && <p>“{item.text}”</p>}
          {item.coverage && (
            <p>
              Coverage: {words(item.coverage.outcome)}; pays {money(item.coverage.payable)} after a deductible of{' '}
              {money(item.coverage.deductible)}, up to a limit of {money(item.coverage.limit)}.
            </p>
          )}
          {item.fraud && (
            <div>
              <p>
                Fraud score {item.fraud.score} ({item.fraud.band}). Largest contributions first:
              </p>
              <ol>
                {item.fraud.reasons.map((r) => (
                  <li key={r.code}>{r.message}</li>
                ))}
              </ol>
            </div>
          )}
          {item.reasons.length > 0 && <ReasonList reasons={item.reasons} />}
        </li>
      ))}
    </ol>
  );
}

export function ClaimPage({ id, me }: { id: string; me: Me }) {
  const [claim, setClaim] = useState<Claim | null>(null);
  const [history, setHistory] = useState<readonly HistoryEntry[]>([]);
  const [appeal, setAppeal] = useState<Appeal | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([call<Claim>('GET', `/v1/claims/${id}`), call<{ items: HistoryEntry[] }>('GET', `/v1/claims/${id}/history`)])
      .then(async ([c, h]) => {
        setClaim(c);
        setHistory(h.items);
        setAppeal(c.appeal ? await call<Appeal>('GET', c.appeal.url) : null);
      })

      .catch((error: Error) => setProblem(error.message));
  }, [id]);
  useEffect(load, [load]);
  // While automation or the payment is still working, the page follows it.
  useEffect(() => {
    if (!claim || (claim.closedAt && appeal?.status !== 'OPEN') || claim.status === 'IN_REVIEW' || claim.status === 'AWAITING_DOCUMENTS')
      return;
    const timer = setTimeout(load, 1500);
    return () => clearTimeout(timer);
  }, [claim, load]);

  if (problem) return <Problem>{problem}</Problem>;
  if (!claim) return <p>Loading {id}…</p>;
  const notes = history.filter((h) => h.kind === 'NOTE');
  return (
    <article aria-labelledby="claim-title">
      <p>
        <a href="#/queue">← Back to the queue</a>
      </p>
      <h1 id="claim-title">
        Claim {claim.id}{' '}
        <span class={`status status-${claim.status}`} data-testid="claim-status">
          {words(claim.status)}
        </span>
      </h1>
      <dl class="facts">
        <dt>Claimant</dt>
        <dd>{claim.claimantId}</dd>
        <dt>Policy</dt>
        <dd>
          {claim.policyNumber} ({words(claim.lineOfBusiness)})
        </dd>
        <dt>Peril</dt>
        <dd>{words(claim.peril)}</dd>
        <dt>Incident</dt>
        <dd>
          {claim.incidentDate}, reported {claim.reportedOn}
        </dd>
        <dt>Claimed</dt>
        <dd>{money(claim.claimedAmount)}</dd>
        <dt>Payable</dt>
        <dd>{money(claim.payableAmount)}</dd>
        <dt>Fraud score</dt>
        <dd>{claim.fraud ? `${claim.fraud.score} (${claim.fraud.band})` : 'not scored'}</dd>
        <dt>Waiting for</dt>
        <dd>{claim.queue ? `${words(claim.queue)} since ${when(claim.waitingSince)}` : '—'}</dd>
      </dl>
      <p class="description">“{claim.description}”</p>

      {claim.decision && (
        <section aria-labelledby="why-title" class="panel">
          <h2 id="why-title">{claim.status === 'IN_REVIEW' ? 'Why it waits for a person' : 'Latest decision'}</h2>
          <ReasonList reasons={claim.decision.reasons} />
        </section>
      )}

      {appeal && <AppealPanel claim={claim} appeal={appeal} onChanged={load} />}
      {claim.status === 'IN_REVIEW' && <ReviewActions claim={claim} me={me} onDecided={() => load()} />}
      <Casework claim={claim} me={me} notes={notes} onChanged={load} />

      {claim.flags.length > 0 && (
        <section aria-labelledby="flags-title" class="panel">
          <h2 id="flags-title">Flags</h2>
          <ul>
            {claim.flags.map((f, i) => (
              <li key={i}>
                <strong>
                  {f.severity}: {f.code}
                </strong>{' '}
                {f.message}
                {f.evidence.length > 0 && (
                  <ul>
                    {f.evidence.map((e, j) => (
                      <li key={j}>
                        “{e.text}” — {claim.documents.find((d) => d.id === e.documentId)?.fileName ?? e.documentId}, page {e.page}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <ClaimCalls claimId={claim.id} />

      <section aria-labelledby="documents-title" class="panel">
        <h2 id="documents-title">Documents</h2>
        {claim.documents.length === 0 ? (
          <p>No documents were sent.</p>
        ) : (
          claim.documents.map((d) => <DocumentViewer key={d.id} base={`/v1/claims/${claim.id}`} doc={d} />)
        )}
      </section>

      <section aria-labelledby="story-title" class="panel">
        <h2 id="story-title">The claim's story</h2>
        <Story items={history} />
      </section>

      <section aria-labelledby="payments-title" class="panel">
        <h2 id="payments-title">Payments and letter</h2>
        {claim.payments.length === 0 ? (
          <p>No payments.</p>
        ) : (
          <ul>
            {claim.payments.map((p) => (
              <li key={p.id} data-testid="payment">
                {money(p.amount)} to {p.payee ?? 'the account on the policy'}: {words(p.status)}
                {p.failureReason && ` (${p.failureReason})`}, {when(p.createdAt)}
              </li>
            ))}
          </ul>
        )}
        {claim.letterUrl ? (
          <button type="button" onClick={() => void fileUrl(claim.letterUrl!).then((u) => window.open(u, '_blank', 'noopener'))}>
            Open the decision letter (PDF)
          </button>
        ) : (
          <p>The letter is written when the claim closes.</p>
        )}
      </section>
    </article>
  );
}
