// The issuer's candidates as a trained selector sees them (selector.ts): each line near the top of the
// first page, alone or with the one or two lines below it (names wrap), described by where it is, how
// large it is printed, what it looks like and what the rules (issuer.ts) make of it. Letterheads are
// printed larger, near the top and centred; addresses, phone numbers and registration numbers follow.
import { cleanName, companySuffix, issuerByRules, notIssuer, suffixOnly } from './issuer.ts';
import { evidence, round2, type PlacedLine } from './lines.ts';
import { clip, mostProbable, type FieldSelector } from './selector.ts';
import type { Field } from './field.ts';

export interface IssuerCandidate {
  /** The lines it is made of, top first. */
  readonly lines: readonly PlacedLine[];
  /** The name as it would be reported. */
  readonly name: string;
}

/** Lines in the top half of the first page, and pairs and triples of lines one below the other. */
export function issuerCandidates(lines: readonly PlacedLine[]): { candidates: IssuerCandidate[]; top: PlacedLine[] } {
  const top = lines.filter((p) => p.page.page === 1 && p.position < 0.5);
  const candidates: IssuerCandidate[] = [];
  top.forEach((_, i) => {
    for (let span = 1; span <= 3 && i + span <= top.length; span++) {
      const group = top.slice(i, i + span);
      const name = cleanName(group.map((p) => p.line.text).join(' '));
      if (/[A-Za-z]{2}/.test(name)) candidates.push({ lines: group, name });
    }
  });
  return { candidates, top };
}

export const issuerFeatureBins: Record<string, number> = {
  span: 4,
  index: 12,
  position: 10,
  heightToMedian: 13,
  heightRank: 5,
  suffix: 2,
  suffixOnlyLast: 2,
  notIssuer: 2,
  letterShare: 11,
  lowercaseOnly: 2,
  digits: 6,
  length: 11,
  words: 8,
  ocrCertainty: 11,
  offCentre: 11,
  rulesChoice: 2,
  nextHasSuffix: 2,
  gapBelow: 8,
  gapAbove: 8,
};
export const issuerFeatureNames = Object.keys(issuerFeatureBins);

const height = (p: PlacedLine) => Math.max(1, p.line.box.y1 - p.line.box.y0);

export function issuerFeatures(
  lines: readonly PlacedLine[],
  candidates: readonly IssuerCandidate[],
  top: readonly PlacedLine[],
): number[][] {
  const pageLines = lines.filter((p) => p.page.page === 1);
  const heights = pageLines.map(height).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] ?? 1;
  const topHeights = [...new Set(top.map(height))].sort((a, b) => b - a);
  const rules = issuerByRules(lines as PlacedLine[]);
  return candidates.map((c) => {
    const first = c.lines[0]!;
    const last = c.lines.at(-1)!;
    const text = c.lines.map((p) => p.line.text).join(' ');
    const key = c.lines.map((p) => p.key).join(' ');
    const compact = text.replace(/\s/g, '');
    const letters = compact.replace(/[^A-Za-z]/g, '').length;
    const tallest = Math.max(...c.lines.map(height));
    const centre = (Math.min(...c.lines.map((p) => p.line.box.x0)) + Math.max(...c.lines.map((p) => p.line.box.x1))) / 2;
    const width = Math.max(1, first.page.width);
    const at = top.indexOf(first);
    const below = top[top.indexOf(last) + 1];
    const above = top[at - 1];
    const features: Record<string, number> = {
      span: c.lines.length,
      index: clip(at, 11),
      position: clip(first.position * 20, 9),
      heightToMedian: clip((tallest / median) * 4, 12),
      heightRank: clip(topHeights.indexOf(tallest), 4),
      suffix: companySuffix.test(key) ? 1 : 0,
      suffixOnlyLast: suffixOnly.test(last.key) ? 1 : 0,
      notIssuer: notIssuer.test(key) ? 1 : 0,
      letterShare: clip((letters / Math.max(1, compact.length)) * 10, 10),
      lowercaseOnly: /[A-Z]/.test(text) ? 0 : 1,
      digits: clip(compact.replace(/\D/g, '').length, 5),
      length: clip(c.name.length / 5, 10),
      words: clip(c.name.split(' ').length, 7),
      ocrCertainty: clip(Math.min(...c.lines.map((p) => p.line.confidence)) / 10, 10),
      offCentre: clip((Math.abs(centre - width / 2) / width) * 20, 10),
      rulesChoice: rules && rules.chosen === first && rules.value === c.name ? 1 : 0,
      nextHasSuffix: below && companySuffix.test(below.key) ? 1 : 0,
      gapBelow: below ? clip(((below.line.box.y0 - last.line.box.y1) / height(last)) * 2, 7) : 7,
      gapAbove: above ? clip(((first.line.box.y0 - above.line.box.y1) / height(first)) * 2, 7) : 7,
    };
    return issuerFeatureNames.map((n) => features[n]!);
  });
}

/** The issuer the selector rates most probable, with that probability as the confidence. */
export function issuerBySelector(lines: readonly PlacedLine[], selector: FieldSelector): Field<string> | undefined {
  const { candidates, top } = issuerCandidates(lines);
  const best = mostProbable(selector.model, issuerFeatures(lines, candidates, top));
  if (!best) return undefined;
  const chosen = candidates[best.index]!;
  return { value: chosen.name, confidence: round2(best.probability), evidence: evidence(chosen.lines[0]!) };
}
