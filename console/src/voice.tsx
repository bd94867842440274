// Calls in the console: a session's recordings played beside its transcript and the slots it filled
// (value, how it was given, confidence), on a claim reported by phone and for calls left to an agent.
import { useEffect, useState } from 'preact/hooks';
import { call, query } from './api.ts';
import { AudioPlayer } from './audio-player.tsx';
import { percent, when, words } from './format.ts';

interface SessionSummary {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly callerId: string;
  readonly claimId: string | null;
  readonly recordings: number;
  readonly createdAt: string;
}

interface Session {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly slots: Record<string, { value?: unknown; via?: string; confidence?: number; retries?: number } | undefined>;
  readonly transcript: readonly { speaker?: string; text?: string; via?: string; confidence?: number }[];
  /** URLs of the caller's recordings. */
  readonly recordings: readonly string[];
  readonly claimId: string | null;
}

const slotText = (value: unknown) =>
  value === undefined || value === null
    ? '—'
    : typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : JSON.stringify(value);

function Recording({ url, index }: { url: string; index: number }) {
  return (
    <li>
      <AudioPlayer path={url} label={`Recording ${index + 1}`} />
    </li>
  );
}

export function VoicePanel({ sessionId }: { sessionId: string }) {
  const [session, setSession] = useState<Session | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call<Session>('GET', `/v1/voice/sessions/${sessionId}`)
      .then(setSession)
      .catch((e: Error) => setProblem(e.message));
  }, [sessionId]);
  if (problem) return <p class="problem">{problem}</p>;
  if (!session) return <p>Loading the call…</p>;
  const slots = Object.entries(session.slots).filter(([, v]) => v) as [string, NonNullable<Session['slots'][string]>][];
  return (
    <section aria-labelledby={`voice-${session.id}`} class="panel">
      <h2 id={`voice-${session.id}`}>
        {session.kind === 'call' ? 'Reported by phone' : 'Recorded statement'}: {words(session.status)}
      </h2>
      {session.statusReason && <p>{session.statusReason}</p>}
      {slots.length > 0 && (
        <table class="fields">
          <caption>What the caller gave</caption>
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Value</th>
              <th scope="col">Given by</th>
              <th scope="col" class="num">
                Confidence
              </th>
            </tr>
          </thead>
          <tbody>
            {slots.map(([name, slot]) => (
              <tr key={name}>
                <th scope="row">{words(name)}</th>
                <td>{slotText(slot.value)}</td>
                <td>{slot.via ?? '—'}</td>
                <td class="num">{slot.confidence === undefined ? '—' : percent(slot.confidence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Transcript</h3>
      <ol class="notes">
        {session.transcript.map((line, i) => (
          <li key={i}>
            <strong>{line.speaker === 'caller' ? 'Caller' : 'System'}:</strong> {line.text}
            {line.via && line.speaker === 'caller' && (
              <span class="meta">
                {' '}
                ({line.via}
                {line.confidence !== undefined && `, ${percent(line.confidence)}`})
              </span>
            )}
          </li>
        ))}
      </ol>
      <h3>Recordings, in the order the caller sent them</h3>
      {session.recordings.length === 0 ? (
        <p>No recordings.</p>
      ) : (
        <ol>
          {session.recordings.map((url, i) => (
            <Recording key={url} url={url} index={i} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The sessions of a claim reported by phone (usually one). */
export function ClaimCalls({ claimId }: { claimId: string }) {
  const [ids, setIds] = useState<readonly string[]>([]);
  useEffect(() => {
    void call<{ items: SessionSummary[] }>('GET', `/v1/voice/sessions${query({ claimId })}`).then((r) => setIds(r.items.map((s) => s.id)));
  }, [claimId]);
  return (
    <>
      {ids.map((id) => (
        <VoicePanel key={id} sessionId={id} />
      ))}
    </>
  );
}

/** Calls an agent should finish: left to an agent, or hung up before a claim was opened. */
export function VoiceSessions({ id }: { id?: string | undefined }) {
  const [status, setStatus] = useState('NEEDS_AGENT');
  const [items, setItems] = useState<readonly SessionSummary[] | null>(null);
  useEffect(() => {
    if (id) return;
    void call<{ items: SessionSummary[] }>('GET', `/v1/voice/sessions${query({ status })}`).then((r) => setItems(r.items));
  }, [status, id]);
  if (id)
    return (
      <article>
        <p>
          <a href="#/voice">← Back to the calls</a>
        </p>
        <h1>Call {id}</h1>
        <VoicePanel sessionId={id} />
      </article>
    );
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls</h1>
      <label for="call-status">Status</label>{' '}
      <select id="call-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
        <option value="NEEDS_AGENT">left for an agent</option>
        <option value="HUNG_UP">hung up</option>
        <option value="COMPLETED">completed</option>
        <option value="IN_PROGRESS">in progress</option>
        <option value="ABANDONED">abandoned</option>
      </select>
      {items && items.length === 0 && <p>No calls.</p>}
      {items && items.length > 0 && (
        <table class="queue">
          <caption>
            {items.length} call{items.length === 1 ? '' : 's'}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Caller</th>
              <th scope="col">Why</th>
              <th scope="col">Claim</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`#/voice/${s.id}`}>{s.id}</a>
                </td>
                <td>{s.callerId}</td>
                <td>{s.statusReason ?? words(s.status)}</td>
                <td>{s.claimId ? <a href={`#/claims/${s.claimId}`}>{s.claimId}</a> : '—'}</td>
                <td>{when(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
