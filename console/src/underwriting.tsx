// The underwriters' side: applications referred by the engine, oldest first, and the decision on one:
// accept at the quoted premium, accept with a loading (another premium, never below the floor), or
// decline with a documented reason. The workflow's validator decides whether it stands.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, call, query, type Me } from './api.ts';
import { money, when, words } from './format.ts';
import { AudioPlayer } from './audio-player.tsx';
import { DocumentViewer } from './document-viewer.tsx';
import type { ClaimDocument, Money, Reason } from './types.ts';
import { Choices, Problem, ReasonList, ReasonSelect } from './parts.tsx';

interface QueueItem {
  readonly id: string;
  readonly queue: string;
  readonly since: string;
  readonly ageHours: number;
  readonly proposal: string | null;
  readonly reasons: readonly string[];
  readonly premium: Money | null;
}

interface Application {
  readonly id: string;
  readonly status: string;
  readonly waiting: { queue: string; since: string } | null;
  readonly product: string;
  readonly currency: string;
  readonly premium: Money | null;
  readonly policyNumber: string | null;
  readonly decisions: readonly { kind?: string; outcome?: string; reasons?: Reason[]; decidedBy?: string; at?: string }[];
  readonly documents: readonly ClaimDocument[];
  readonly interview: { transcript: string | null; url: string } | null;
}

interface QueuePage {
  readonly items: readonly QueueItem[];
  readonly total: number;
  readonly nextOffset: number | null;
  readonly counts: { readonly underwriters: number; readonly 'senior-underwriters': number };
}

const pageSize = 25;

export function UnderwritingQueue() {
  const [queue, setQueue] = useState<'all' | 'underwriters' | 'senior-underwriters'>('all');
  const [reason, setReason] = useState('');
  const [minHours, setMinHours] = useState('');
  const [sort, setSort] = useState('oldest');
  const [applied, setApplied] = useState({ reason: '', minHours: '' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<QueuePage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const params = query({
      queue: queue === 'all' ? undefined : queue,
      reason: applied.reason.trim(),
      minWaitingHours: applied.minHours.trim(),
      sort,
      limit: pageSize,
      offset,
    });
    call<QueuePage>('GET', `/v1/underwriting/review-queue${params}`)
      .then((r) => {
        setPage(r);
        setProblem(null);
      })
      .catch((e: Error) => setProblem(e.message));
  }, [queue, applied, sort, offset]);
  const counts = page?.counts;
  return (
    <section aria-labelledby="uw-title">
      <h1 id="uw-title">Applications waiting for an underwriter</h1>
      <Choices
        legend="Queue"
        name="uw-queue"
        options={[
          ['all', `All ${counts ? counts.underwriters + counts['senior-underwriters'] : ''}`.trim()],
          ['underwriters', `Underwriters ${counts?.underwriters ?? ''}`.trim()],
          ['senior-underwriters', `Senior underwriters ${counts?.['senior-underwriters'] ?? ''}`.trim()],
        ]}
        value={queue}
        onChange={(q) => {
          setQueue(q);
          setOffset(0);
        }}
      />
      <form
        class="filters"
        aria-label="Filter the applications"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ reason, minHours });
          setOffset(0);
        }}
      >
        <label for="uw-filter-reason">Reason code</label>
        <input
          id="uw-filter-reason"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          placeholder="e.g. YOUNG_RIDER"
          size={24}
        />
        <label for="uw-filter-hours">Waiting at least (hours)</label>
        <input id="uw-filter-hours" inputMode="decimal" size={5} value={minHours} onInput={(e) => setMinHours(e.currentTarget.value)} />
        <label for="uw-filter-sort">Sort</label>
        <select
          id="uw-filter-sort"
          value={sort}
          onChange={(e) => {
            setSort(e.currentTarget.value);
            setOffset(0);
          }}
        >
          <option value="oldest">oldest first</option>
          <option value="newest">newest first</option>
          <option value="premium">highest premium</option>
        </select>
        <button type="submit">Apply</button>
      </form>
      {problem && <Problem>{problem}</Problem>}
      {page && page.items.length === 0 && <p>No applications match.</p>}
      {page && page.items.length > 0 && (
        <table class="queue">
          <caption>
            {page.total} waiting; showing {offset + 1}–{offset + page.items.length}
          </caption>
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Queue</th>
              <th scope="col">Proposal</th>
              <th scope="col">Reasons</th>
              <th scope="col" class="num">
                Premium
              </th>
              <th scope="col" class="num">
                Waiting (h)
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`#/underwriting/${i.id}`}>{i.id}</a>
                </td>
                <td>{words(i.queue)}</td>
                <td>{i.proposal ? words(i.proposal) : '—'}</td>
                <td>{i.reasons.join(', ')}</td>
                <td class="num">{money(i.premium)}</td>
                <td class="num">{i.ageHours}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (offset > 0 || page.nextOffset !== null) && (
        <nav aria-label="Pages" class="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
            Previous page
          </button>
          <button type="button" disabled={page.nextOffset === null} onClick={() => page.nextOffset !== null && setOffset(page.nextOffset)}>
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}

export function ApplicationPage({ id, me }: { id: string; me: Me }) {
  const [app, setApp] = useState<Application | null>(null);
  const [reasons, setReasons] = useState<readonly Reason[]>([]);
  const [action, setAction] = useState<'accept' | 'load' | 'decline'>('accept');
  const [premium, setPremium] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const load = useCallback(() => {
    call<Application>('GET', `/v1/underwriting/applications/${id}`)
      .then(setApp)
      .catch((e: Error) => setRefusal(e.message));
  }, [id]);
  useEffect(load, [load]);
  useEffect(() => {
    void call<{ items: Reason[] }>('GET', '/v1/underwriting/decline-reasons').then((r) => setReasons(r.items));
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (!app) return;
    setRefusal(null);
    const extra = note.trim() ? { note: note.trim() } : {};
    const body =
      action === 'decline'
        ? { action: 'decline', reasonCode, ...extra }
        : { action: 'accept', ...(action === 'load' ? { premium: { amount: premium.trim(), currency: app.currency } } : {}), ...extra };
    try {
      setApp(await call<Application>('POST', `/v1/underwriting/applications/${id}/decision`, body));
    } catch (error) {
      setRefusal(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    }
  }

  if (!app) return refusal ? <Problem>{refusal}</Problem> : <p>Loading {id}…</p>;
  return (
    <article aria-labelledby="app-title">
      <p>
        <a href="#/underwriting">← Back to the applications</a>
      </p>
      <h1 id="app-title">
        Application {app.id} <span class="status">{words(app.status)}</span>
      </h1>
      <dl class="facts">
        <dt>Product</dt>
        <dd>{app.product}</dd>
        <dt>Quoted premium</dt>
        <dd>{money(app.premium)}</dd>
        <dt>Waiting for</dt>
        <dd>{app.waiting ? `${words(app.waiting.queue)} since ${when(app.waiting.since)}` : '—'}</dd>
        <dt>Policy</dt>
        <dd>{app.policyNumber ?? '—'}</dd>
      </dl>
      <section aria-labelledby="app-story" class="panel">
        <h2 id="app-story">Decisions so far</h2>
        <ol class="story">
          {app.decisions.map((d, i) => (
            <li key={i}>
              <strong>{words(d.kind ?? 'decision')}</strong>
              {d.outcome && `: ${words(d.outcome)}`} {d.decidedBy && <span class="meta">— {d.decidedBy}</span>}
              {d.reasons && <ReasonList reasons={d.reasons} />}
            </li>
          ))}
        </ol>
      </section>
      {app.documents.length > 0 && (
        <section aria-labelledby="app-docs" class="panel">
          <h2 id="app-docs">Evidence</h2>
          {app.documents.map((d) => (
            <DocumentViewer key={d.id} base={`/v1/underwriting/applications/${app.id}`} doc={d} />
          ))}
        </section>
      )}
      {app.interview && (
        <section aria-labelledby="app-interview" class="panel">
          <h2 id="app-interview">Recorded interview</h2>
          <p>
            <AudioPlayer path={app.interview.url} label="The interview" />
          </p>
          <p>{app.interview.transcript ? `Transcript: “${app.interview.transcript}”` : 'Not transcribed: listen to the recording.'}</p>
        </section>
      )}
      {app.status === 'IN_REVIEW' && (
        <section aria-labelledby="uw-decide" class="panel">
          <h2 id="uw-decide">Decide ({me.role.replace('_', ' ')})</h2>
          <form onSubmit={(e) => void submit(e)}>
            <Choices
              legend="Decision"
              name="uw-action"
              options={
                [
                  ['accept', 'Accept at the quoted premium'],
                  ['load', 'Accept with a loading'],
                  ['decline', 'Decline'],
                ] as const
              }
              value={action}
              onChange={setAction}
            />
            {action === 'load' && (
              <p>
                <label for="uw-premium">Premium ({app.currency})</label>
                <input id="uw-premium" inputMode="decimal" required value={premium} onInput={(e) => setPremium(e.currentTarget.value)} />
              </p>
            )}
            {action === 'decline' && <ReasonSelect id="uw-reason" reasons={reasons} value={reasonCode} onChange={setReasonCode} />}
            <p>
              <label for="uw-note">Note (required to override a proposed decline)</label>
              <textarea id="uw-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </p>
            <button type="submit">Submit decision</button>
            {refusal && <Problem>Not accepted: {refusal}</Problem>}
          </form>
        </section>
      )}
    </article>
  );
}
