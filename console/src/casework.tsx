// Who holds the claim and what colleagues noted: take or release it (senior adjusters and admins assign
// anyone), and add a note to the claim's append-only journal.
import { useState } from 'preact/hooks';
import { ApiError, call, type Me } from './api.ts';
import { when } from './format.ts';
import type { Claim, HistoryEntry } from './types.ts';
import { Problem } from './parts.tsx';

export function Casework({ claim, me, notes, onChanged }: { claim: Claim; me: Me; notes: readonly HistoryEntry[]; onChanged: () => void }) {
  const [text, setText] = useState('');
  const [assignee, setAssignee] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const balancer = me.role === 'senior_adjuster' || me.role === 'admin';

  async function act(run: () => Promise<unknown>) {
    setProblem(null);
    try {
      await run();
      onChanged();
    } catch (error) {
      setProblem(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    }
  }
  const assign = (to: string | null) => act(() => call('PUT', `/v1/claims/${claim.id}/assignment`, { assignee: to }));

  return (
    <section aria-labelledby="casework-title" class="panel">
      <h2 id="casework-title">Assignment and notes</h2>
      <p>
        Assigned to: <strong>{claim.assignee ?? 'nobody'}</strong>{' '}
        {claim.closedAt === null && claim.assignee !== me.subject && (
          <button type="button" onClick={() => void assign(me.subject)}>
            Take this claim
          </button>
        )}{' '}
        {claim.assignee !== null && (claim.assignee === me.subject || balancer) && (
          <button type="button" onClick={() => void assign(null)}>
            Release
          </button>
        )}
      </p>
      {balancer && claim.closedAt === null && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void assign(assignee.trim());
          }}
        >
          <label for="assign-to">Assign to (user id)</label>{' '}
          <input id="assign-to" value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} required />{' '}
          <button type="submit">Assign</button>
        </form>
      )}
      <h3>Notes</h3>
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ol class="notes">
          {notes.map((n) => (
            <li key={`${n.at}-${n.by}`}>
              <p>{n.text}</p>
              <p class="meta">
                {n.by.replace(/^user:/, '')}, {when(n.at)}
              </p>
            </li>
          ))}
        </ol>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await call('POST', `/v1/claims/${claim.id}/notes`, { text });
            setText('');
          });
        }}
      >
        <label for="note-text">Add a note (kept in the claim's record; it cannot be edited)</label>
        <textarea id="note-text" rows={3} maxLength={4000} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">Add note</button>
      </form>
      {problem && <Problem>{problem}</Problem>}
    </section>
  );
}
