// Reads the labelled claims CSV: a header row and plain comma-separated fields (the file has no
// quoted fields; a quote is refused rather than misread).
import { readFileSync } from 'node:fs';

export function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!header) throw new Error(`${file} is empty`);
  const columns = header.split(',').map((c) => c.trim());
  return lines.map((line, i) => {
    if (line.includes('"')) throw new Error(`${file}:${i + 2}: quoted fields are not supported`);
    const cells = line.split(',');
    if (cells.length !== columns.length) throw new Error(`${file}:${i + 2}: ${cells.length} fields, the header has ${columns.length}`);
    return Object.fromEntries(columns.map((c, j) => [c, cells[j]!.trim()]));
  });
}
