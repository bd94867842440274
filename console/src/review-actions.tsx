// An adjuster's decision on a claim in review: approve an amount, deny with a documented reason, or ask
// for documents. The claim workflow's validator decides whether it stands; its refusal (above
// authority, more than the policy pays, an override without a note) is shown beside the form.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type Me } from './api.ts';
import { money } from './format.ts';
import type { Claim, Reason } from './types.ts';
import { Choices, ReasonSelect } from './parts.tsx';

type Action = 'approve' | 'deny' | 'request_documents';

export function ReviewActions({ claim, me, onDecided }: { claim: Claim; me: Me; onDecided: (claim: Claim) => void }) {
  const [action, setAction] = useState<Action>('approve');
  const [amount, setAmount] = useState((claim.payableAmount ?? claim.claimedAmount).amount);
  const [reasonCode, setReasonCode] = useState('');
  const [documents, setDocuments] = useState('');
  const [note, setNote] = useState('');
  const [reasons, setReasons] = useState<readonly Reason[]>([]);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const limit = me.approvalLimits?.[claim.claimedAmount.currency];

  useEffect(() => {
    void call<{ items: Reason[] }>('GET', '/v1/review/denial-reasons').then((r) => setReasons(r.items));
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    const extra = note.trim() ? { note: note.trim() } : {};
    const body =
      action === 'approve'
        ? { action, amount: { amount: amount.trim(), currency: claim.claimedAmount.currency }, ...extra }
        : action === 'deny'
          ? { action, reasonCode, ...extra }
          : {
              action,
              documents: documents
                .split('\n')
                .map((d) => d.trim())
                .filter(Boolean),
              ...extra,
            };
    try {
      onDecided(await call<Claim>('POST', `/v1/claims/${claim.id}/decision`, body));
    } catch (error) {
      setRefusal(error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'ERROR', message: String(error) });
    } finally {
      setBusy(false);
    }
  }

  // Above authority: the claim goes to the senior adjusters' queue with the adjuster's note (or the refusal's words).
  async function refer() {
    setBusy(true);
    try {
      const why =
        note.trim() ||
        `Approve ${money({ amount: amount.trim(), currency: claim.claimedAmount.currency })}? ${refusal?.message ?? ''}`.trim();
      onDecided(await call<Claim>('POST', `/v1/claims/${claim.id}/refer`, { note: why }));
      setRefusal(null);
    } catch (error) {
      setRefusal(error instanceof ApiError ? { code: error.code, message: error.message } : { code: 'ERROR', message: String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="decide-title" class="panel">
      <h2 id="decide-title">Decide</h2>
      <p>
        Your approval authority in {claim.claimedAmount.currency}:{' '}
        {limit ? money({ amount: limit, currency: claim.claimedAmount.currency }) : 'no limit'}.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-describedby={refusal ? 'decision-refusal' : undefined}>
        <Choices
          legend="Decision"
          name="action"
          options={
            [
              ['approve', 'Approve'],
              ['deny', 'Deny'],
              ['request_documents', 'Request documents'],
            ] as const
          }
          value={action}
          onChange={setAction}
        />
        {action === 'approve' && (
          <p>
            <label for="approve-amount">Amount to pay ({claim.claimedAmount.currency})</label>
            <input
              id="approve-amount"
              name="amount"
              inputMode="decimal"
              required
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </p>
        )}
        {action === 'deny' && <ReasonSelect id="deny-reason" reasons={reasons} value={reasonCode} onChange={setReasonCode} />}
        {action === 'request_documents' && (
          <p>
            <label for="request-documents">Documents to ask for (one a line)</label>
            <textarea
              id="request-documents"
              name="documents"
              rows={3}
              required
              value={documents}
              onInput={(e) => setDocuments(e.currentTarget.value)}
            />
          </p>
        )}
        <p>
          <label for="decision-note">Note (why; required to approve what the rules found not covered)</label>
          <textarea id="decision-note" name="note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </p>
        <button type="submit" disabled={busy}>
          Submit decision
        </button>
        {refusal && (
          <div id="decision-refusal" role="alert" class="problem">
            <p>
              <strong>Not accepted ({refusal.code}).</strong> {refusal.message}
            </p>
            {refusal.code === 'ABOVE_AUTHORITY' && me.role === 'adjuster' && (
              <p>
                This amount needs a senior adjuster.{' '}
                <button type="button" onClick={() => void refer()}>
                  Send to a senior adjuster
                </button>
              </p>
            )}
          </div>
        )}
      </form>
    </section>
  );
}
