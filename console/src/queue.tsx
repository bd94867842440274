// The adjusters' work queue: waiting claims by queue (with counts), filtered, sorted and paged by the
// API. Filters live in the URL-free component state; "Assigned to me" is one of the tabs.
import { useEffect, useState } from 'preact/hooks';
import { call, query, type Me } from './api.ts';
import { money, words } from './format.ts';
import type { QueuePage } from './types.ts';
import { AppealList } from './appeals.tsx';
import { Problem, ReasonList } from './parts.tsx';

const tabs = [
  { id: 'adjusters', label: 'Adjusters' },
  { id: 'senior-adjusters', label: 'Senior adjusters' },
  { id: 'claimant', label: 'Waiting for documents' },
  { id: 'mine', label: 'Assigned to me' },
  { id: 'appeals', label: 'Appeals' },
] as const;
type Tab = (typeof tabs)[number]['id'];

interface Filter {
  fraudBand: string;
  reason: string;
  minWaitingHours: string;
  currency: string;
  minAmount: string;
  maxAmount: string;
  assignedTo: string;
  sort: string;
}

const emptyFilter: Filter = {
  fraudBand: '',
  reason: '',
  minWaitingHours: '',
  currency: '',
  minAmount: '',
  maxAmount: '',
  assignedTo: '',
  sort: 'oldest',
};
const pageSize = 20;

export function Queue({ me }: { me: Me }) {
  const [tab, setTab] = useState<Tab>(me.role === 'senior_adjuster' ? 'senior-adjusters' : 'adjusters');
  const [draft, setDraft] = useState<Filter>(emptyFilter);
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<QueuePage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (tab === 'appeals') return;
    const params = {
      ...(tab === 'mine' ? { assignedTo: 'me' } : { queue: tab, assignedTo: filter.assignedTo }),
      fraudBand: filter.fraudBand,
      reason: filter.reason.trim().toUpperCase(),
      minWaitingHours: filter.minWaitingHours,
      currency: filter.currency.trim().toUpperCase(),
      minAmount: filter.minAmount,
      maxAmount: filter.maxAmount,
      sort: filter.sort,
      limit: pageSize,
      offset,
    };
    setProblem(null);
    call<QueuePage>('GET', `/v1/review-queue${query(params)}`)
      .then(setPage)
      .catch((error: Error) => setProblem(error.message));
  }, [tab, filter, offset]);

  const field = (name: keyof Filter) => ({
    id: `filter-${name}`,
    name,
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Claims waiting for people</h1>
      <div role="tablist" aria-label="Queues" class="tabs">
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="queue-panel"
            onClick={() => {
              setTab(t.id);
              setOffset(0);
            }}
          >
            {t.label} {t.id !== 'appeals' && <span class="count">{page ? page.counts[t.id] : '…'}</span>}
          </button>
        ))}
      </div>
      {tab === 'appeals' && (
        <div id="queue-panel" role="tabpanel" aria-labelledby="tab-appeals">
          <AppealList />
        </div>
      )}
      {tab !== 'appeals' && (
        <>
          <form
            class="filters"
            aria-label="Filter the queue"
            onSubmit={(e) => {
              e.preventDefault();
              setFilter(draft);
              setOffset(0);
            }}
          >
            <label for="filter-fraudBand">Fraud band</label>
            <select {...field('fraudBand')}>
              <option value="">any</option>
              <option value="high">high</option>
              <option value="medium">medium</option>
              <option value="low">low</option>
              <option value="unscored">not scored</option>
            </select>
            <label for="filter-reason">Reason code</label>
            <input {...field('reason')} placeholder="e.g. AMOUNT_EXCEEDS_DOCUMENTS" size={26} />
            <label for="filter-minWaitingHours">Waiting at least (hours)</label>
            <input {...field('minWaitingHours')} inputMode="decimal" size={5} />
            <label for="filter-currency">Currency</label>
            <input {...field('currency')} size={4} maxLength={3} placeholder="EUR" />
            <label for="filter-minAmount">Amount from</label>
            <input {...field('minAmount')} inputMode="decimal" size={8} />
            <label for="filter-maxAmount">to</label>
            <input {...field('maxAmount')} inputMode="decimal" size={8} />
            {tab !== 'mine' && (
              <>
                <label for="filter-assignedTo">Assigned</label>
                <select {...field('assignedTo')}>
                  <option value="">anyone or nobody</option>
                  <option value="me">to me</option>
                  <option value="nobody">to nobody</option>
                </select>
              </>
            )}
            <label for="filter-sort">Sort</label>
            <select {...field('sort')}>
              <option value="oldest">oldest first</option>
              <option value="newest">newest first</option>
              <option value="amount-desc">largest amount</option>
              <option value="amount-asc">smallest amount</option>
              <option value="fraud-desc">highest fraud score</option>
            </select>
            <button type="submit">Apply</button>
            <button
              type="button"
              onClick={() => {
                setDraft(emptyFilter);
                setFilter(emptyFilter);
                setOffset(0);
              }}
            >
              Clear
            </button>
          </form>
          {problem && <Problem>{problem}</Problem>}
          <div id="queue-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
            {page && page.items.length === 0 && <p>No claims match.</p>}
            {page && page.items.length > 0 && (
              <table class="queue">
                <caption>
                  {page.total} claim{page.total === 1 ? '' : 's'}; showing {offset + 1}–{offset + page.items.length}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Claim</th>
                    <th scope="col">Claimant</th>
                    <th scope="col">Peril</th>
                    <th scope="col" class="num">
                      Claimed
                    </th>
                    <th scope="col">Fraud</th>
                    <th scope="col">Why it waits</th>
                    <th scope="col" class="num">
                      Waiting (h)
                    </th>
                    <th scope="col">Assigned</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((item) => (
                    <tr key={item.claimId}>
                      <td>
                        <a href={`#/claims/${item.claimId}`}>{item.claimId}</a>
                      </td>
                      <td>{item.claimantId}</td>
                      <td>{words(item.peril)}</td>
                      <td class="num">{money(item.claimedAmount)}</td>
                      <td>{item.fraudBand ? `${item.fraudBand} (${item.fraudScore ?? '?'})` : 'not scored'}</td>
                      <td>
                        <ReasonList reasons={item.why} />
                      </td>
                      <td class="num">{item.waitingHours}</td>
                      <td>{item.assignee ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <nav aria-label="Pages" class="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
                Previous page
              </button>
              <button
                type="button"
                disabled={page?.nextOffset == null}
                onClick={() => page?.nextOffset != null && setOffset(page.nextOffset)}
              >
                Next page
              </button>
            </nav>
          </div>
        </>
      )}
    </section>
  );
}
