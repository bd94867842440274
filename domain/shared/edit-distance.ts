// Levenshtein distance between two strings (characters) or two word lists: OCR slips in names and
// keywords, and the error rates the evaluations report.

/**
 * Insertions, deletions and substitutions turning `a` into `b`. With a `limit`, gives up as soon as the
 * distance must exceed it and returns limit + 1 (what callers asking "within one edit?" need, cheaply).
 */
export function editDistance(a: string | readonly string[], b: string | readonly string[], limit = Number.POSITIVE_INFINITY): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
      rowMin = Math.min(rowMin, row[j]!);
    }
    if (rowMin > limit) return limit + 1;
  }
  return row[b.length]!;
}
