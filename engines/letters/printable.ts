// Text for the standard PDF fonts, shared by every document the engine writes.
import type { PDFFont } from 'pdf-lib';

/**
 * The standard PDF fonts cover Windows-1252 only; names and notes can hold any character. Accents are
 * kept where the font has them, other characters are decomposed (e.g. "ł" stays unreadable, but "ő"
 * becomes "o"), and the rest become "?", rather than failing the letter.
 */
export function printable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (supported.has(code)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += [...base].every((c) => supported.has(c.codePointAt(0)!)) && base !== '' ? base : '?';
  }
  return out;
}

/** Where a decision sits in the decision ledger: printed on its letter, so its holder can check it later. */
export interface LedgerStamp {
  readonly origin: string;
  readonly leafIndex: number;
  readonly leafHash: string;
}

/** The ledger's lines for a letter: the record's place and hash, and where anyone can check it. */
export function ledgerStampLines(stamp: LedgerStamp): string[] {
  return [
    `Decision record ${stamp.leafIndex} in the decision ledger ${stamp.origin}`,
    `Leaf hash (SHA-256): ${stamp.leafHash}`,
    `Check it is in the record, unchanged: GET /v1/ledger/leaves/${stamp.leafIndex}`,
  ];
}
