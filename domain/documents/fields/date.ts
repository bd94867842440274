// The document's date: the one labelled, printed with the time of sale, or repeated, near the top.
import { findDates, type DateOrder } from '../dates.ts';
import type { Box } from '../layout.ts';
import type { Field } from './field.ts';
import { evidence, ocrCertainty, round2, wordBoxAt, type PlacedLine } from './lines.ts';

const dateLabel = /\bDATE\b|\bDATED\b|\bTARIKH\b|\bDT\b|\bISSUED\b|\bINVOICE\s*DATE|\bDATE\s*OF\s*(?:LOSS|INCIDENT|ACCIDENT|ISSUE)/;
const timeOfDay = /^\s*[,@-]?\s*(?:[01]?\d|2[0-3])\s?(?::|\.\s?[0-5]\d)/;
const otherDate = /EXPIR|\bEXP\b|VALID|BIRTH|\bDOB\b|\bDUE\b|PRINTED|MANUFACTUR/;

export function extractDate(lines: PlacedLine[], order: DateOrder): Field<string> | undefined {
  let best: { score: number; iso: string; at: PlacedLine; box: Box } | undefined;
  const counts = new Map<string, number>();
  const candidates: { iso: string; at: PlacedLine; box: Box; base: number }[] = [];
  for (const p of lines) {
    if (otherDate.test(p.key)) continue;
    for (const d of findDates(p.line.text, order)) {
      counts.set(d.iso, (counts.get(d.iso) ?? 0) + 1);
      const after = p.line.text.slice(d.index + d.text.length);
      const before = p.line.text.slice(0, d.index);
      const base =
        (dateLabel.test(p.key) ? 2 : 0) +
        (d.unambiguous ? 0.5 : 0) +
        (1 - p.position) * 0.5 +
        (p.page.page === 1 ? 0.25 : 0) -
        (d.repaired ? 0.75 : 0) +
        // Tills print the date with the time of sale; digits glued to letters are a code or a number.
        (timeOfDay.test(after) ? 0.75 : 0) -
        (/[A-Za-z]$/.test(before) ? 0.75 : 0);
      candidates.push({ iso: d.iso, at: p, box: wordBoxAt(p.line, d.index, d.text.length), base });
    }
  }
  for (const c of candidates) {
    const score = c.base + ((counts.get(c.iso) ?? 1) - 1) * 0.5;
    if (!best || score > best.score) best = { score, iso: c.iso, at: c.at, box: c.box };
  }
  if (!best) return undefined;
  const certainty = Math.min(1, 0.5 + best.score / 4);
  return { value: best.iso, confidence: round2(certainty * ocrCertainty(best.at)), evidence: evidence(best.at, best.box) };
}
