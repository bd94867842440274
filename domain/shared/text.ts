// Text the business record can keep. PostgreSQL's text type refuses the NUL character, and a lone UTF-16
// surrogate is not a character at all (it would be stored as U+FFFD, silently changing what was said).
// Such text is refused where it enters (the API, the workflows' update validators), so it can never reach
// an activity that would fail on it at every retry.

/** Why `text` cannot be stored as it is, in words; null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate, which is not a character';
  return null;
}

/** The first string anywhere in `value` (object keys included) that cannot be stored, with its path. */
export function findUnstorableText(value: unknown, at = ''): { readonly path: string; readonly problem: string } | null {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem ? { path: at || '(value)', problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const name = at ? `${at}.${key}` : key;
      const keyProblem = unstorableText(key);
      if (keyProblem) return { path: name, problem: `has a field name that ${keyProblem}` };
      const found = findUnstorableText(inner, name);
      if (found) return found;
    }
  }
  return null;
}
