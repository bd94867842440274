// Which database failures a retry can cure. PostgreSQL (and PGlite, the same server compiled to
// WebAssembly) names every error by its SQLSTATE; drizzle wraps the driver's error as its `cause`.
// An outage, a lock, a deadlock or a race between two writers is transient: the same statement succeeds
// later. Data the server will never take (a NUL in text, a value out of range, a check or not-null
// constraint) is permanent: retrying it only wedges the run that tries.

/** The SQLSTATE of a database error anywhere in `error`'s cause chain, if it has one. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Whether the database refused the data itself: class 22 (data exception: invalid text, a value out of
 * range, a bad date), not-null and check violations (23502, 23514), and class 54 (a program limit, such as
 * a value too large). Unique, foreign-key and exclusion violations are left to retry: between two writers
 * they are races that the next attempt finds settled.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  const state = sqlState(error);
  if (!state) return false;
  return state.startsWith('22') || state === '23502' || state === '23514' || state.startsWith('54');
}

const refusals: Record<string, string> = {
  '22001': 'a text longer than its column takes',
  '22003': 'a number out of range',
  '22007': 'a date or time it cannot read',
  '22008': 'a date or time out of range',
  '22021': 'text with a character it cannot store (such as NUL)',
  '22P02': 'a value not in the form its column takes',
  '22P05': 'text with a character it cannot store',
  '23502': 'a required value missing',
  '23514': 'a value its rules refuse',
  '54000': 'a value too large',
};

/**
 * What the database refused, in words safe to keep in a workflow's history (failure messages are stored
 * in the clear): the SQLSTATE and what it means, never the server's message, the statement or its
 * parameters, which can quote the claim's data.
 */
export function databaseRefusal(error: unknown): string {
  const state = sqlState(error);
  if (!state) return 'The database refused to record this.';
  const what = refusals[state] ?? (state.startsWith('22') ? 'data it cannot take' : 'what it was asked to store');
  return `The database refused to record this: ${what} (SQLSTATE ${state}).`;
}
