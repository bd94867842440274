// Appeals in the console: the open appeals (all, or those given to me), and on a claim's page its
// appeal with the claimant's reasons and, for the reviewer it was given to, the decision: uphold, or
// overturn with an amount to pay. The appeal workflow refuses whoever decided the claim.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, fileUrl } from './api.ts';
import { money, when, words } from './format.ts';
import type { Claim, Money } from './types.ts';
import { Choices, Problem } from './parts.tsx';

export interface Appeal {
  readonly id: string;
  readonly claimId: string;
  readonly status: 'OPEN' | 'UPHELD' | 'OVERTURNED';
  readonly queue: string | null;
  readonly reasons: string;
  readonly lodgedAt: string;
  readonly assignee: string | null;
  readonly originalDecidedBy: string;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
  readonly paid: Money | null;
  readonly letterUrl: string | null;
}

export function AppealList() {
  const [mine, setMine] = useState(true);
  const [items, setItems] = useState<readonly Appeal[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call<{ items: Appeal[] }>('GET', `/v1/appeals${mine ? '?assignedTo=me' : ''}`)
      .then((r) => setItems(r.items))
      .catch((e: Error) => setProblem(e.message));
  }, [mine]);
  return (
    <div>
      <p>
        <label class="choice">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} /> Only appeals given to me
        </label>
      </p>
      {problem && <Problem>{problem}</Problem>}
      {items && items.length === 0 && <p>No open appeals.</p>}
      {items && items.length > 0 && (
        <table class="queue">
          <caption>
            {items.length} open appeal{items.length === 1 ? '' : 's'}, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Lodged</th>
              <th scope="col">Claimant's reasons</th>
              <th scope="col">Given to</th>
              <th scope="col">Decided first by</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`#/claims/${a.claimId}`}>{a.claimId}</a>
                </td>
                <td>{when(a.lodgedAt)}</td>
                <td>{a.reasons}</td>
                <td>{a.assignee ?? (a.queue ? words(a.queue) : '—')}</td>
                <td>{a.originalDecidedBy.replace(/^user:/, '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function AppealPanel({ claim, appeal, onChanged }: { claim: Claim; appeal: Appeal; onChanged: () => void }) {
  const [action, setAction] = useState<'uphold' | 'overturn'>('uphold');
  const [amount, setAmount] = useState(claim.claimedAmount.amount);
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    const body =
      action === 'overturn'
        ? { action, amount: { amount: amount.trim(), currency: claim.claimedAmount.currency }, note }
        : { action, note };
    try {
      await call('POST', `/v1/claims/${claim.id}/appeal/decision`, body);
      onChanged();
    } catch (error) {
      setRefusal(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="appeal-title" class="panel">
      <h2 id="appeal-title">Appeal: {words(appeal.status)}</h2>
      <p>
        Lodged {when(appeal.lodgedAt)}; given to <strong>{appeal.assignee ?? 'the queue'}</strong>
        {appeal.queue && ` (${words(appeal.queue)} queue)`}. The claim was decided by {appeal.originalDecidedBy.replace(/^user:/, '')}, who
        may not decide the appeal.
      </p>
      <blockquote>{appeal.reasons}</blockquote>
      {appeal.status !== 'OPEN' && (
        <p>
          Decided by {appeal.decidedBy?.replace(/^user:/, '')}: {appeal.decisionNote}
          {appeal.paid && ` Paid ${money(appeal.paid)}.`}{' '}
          {appeal.letterUrl && (
            <button
              type="button"
              class="link"
              onClick={() => void fileUrl(appeal.letterUrl!).then((u) => window.open(u, '_blank', 'noopener'))}
            >
              Open the appeal letter (PDF)
            </button>
          )}
        </p>
      )}
      {appeal.status === 'OPEN' && (
        <form onSubmit={(e) => void submit(e)}>
          <Choices
            legend="Appeal decision"
            name="appeal-action"
            options={[
              ['uphold', 'Uphold the decision'],
              ['overturn', 'Overturn and pay'],
            ]}
            value={action}
            onChange={setAction}
          />
          {action === 'overturn' && (
            <p>
              <label for="appeal-amount">Amount to pay now ({claim.claimedAmount.currency})</label>
              <input id="appeal-amount" inputMode="decimal" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
            </p>
          )}
          <p>
            <label for="appeal-note">Reason (the claimant reads it in the appeal letter)</label>
            <textarea id="appeal-note" rows={3} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </p>
          <button type="submit" disabled={busy}>
            Decide the appeal
          </button>
          {refusal && <Problem>Not accepted: {refusal}</Problem>}
        </form>
      )}
    </section>
  );
}
