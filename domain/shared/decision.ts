// Every automated or human decision is data: an outcome, the reasons in words a person understands, the
// version of the rules that produced it, and the exact inputs (their digest is taken when recorded).

export interface Reason {
  /** Stable, machine-readable code (SCREAMING_SNAKE_CASE). */
  readonly code: string;
  /** The same reason in plain words, for adjusters, letters and auditors. */
  readonly message: string;
}

export type DecisionActor = 'automation' | `user:${string}`;

export interface DecisionRecord<Outcome extends string = string> {
  readonly kind: string;
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly ruleSetVersion: string;
  readonly decidedBy: DecisionActor;
  /** Everything the decision was computed from; recorded with a SHA-256 digest of its canonical JSON. */
  readonly inputs: unknown;
}

/**
 * JSON with object keys sorted at every level, so equal inputs always give the same digest whatever the
 * order their fields were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
