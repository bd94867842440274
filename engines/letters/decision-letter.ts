// Renders a decision letter (domain/claims/letter.ts says what it says) as an A4 PDF with pdf-lib.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterText } from '../../domain/claims/letter.ts';
import { ledgerStampLines, printable, type LedgerStamp } from './printable.ts';

const pageSize: [number, number] = [595.28, 841.89];
const margin = 64;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A single word wider than the line (a pasted URL or hash) is cut rather than run off the page.
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** `date` (ISO) dates the file too, so the same letter renders to the same bytes. */
/** `ledger`: the decision's place in the decision ledger, printed at the end. */
export async function renderDecisionLetter(
  letter: LetterText,
  date: string,
  insurer = 'insureflow mutual',
  ledger?: LedgerStamp,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date(`${date}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${date}T00:00:00Z`));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  pdf.setTitle(printable(letter.title, regular));
  pdf.setProducer('insureflow');
  pdf.setCreator('insureflow');
  const width = pageSize[0] - 2 * margin;
  let page: PDFPage = pdf.addPage(pageSize);
  let y = pageSize[1] - margin;

  const write = (text: string, font: PDFFont, size: number, gapAfter: number, indent = 0) => {
    for (const line of wrap(printable(text, font), font, size, width - indent)) {
      if (y - size < margin + 24) {
        page = pdf.addPage(pageSize);
        y = pageSize[1] - margin;
      }
      page.drawText(line, { x: margin + indent, y: y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.35;
    }
    y -= gapAfter;
  };

  write(insurer, bold, 11, 2);
  write('Claims department', regular, 9, 24);
  write(letter.title, bold, 18, 14);
  for (const paragraph of letter.paragraphs) write(paragraph, regular, 11, 8);
  if (letter.reasons.length > 0) {
    write('Why', bold, 12, 4);
    for (const reason of letter.reasons) write(`- ${reason}`, regular, 11, 4, 8);
    y -= 6;
  }
  if (letter.appeal) {
    write('If you disagree', bold, 12, 4);
    write(letter.appeal, regular, 11, 8);
  }
  write('Yours sincerely,', regular, 11, 2);
  write(`The claims team, ${insurer}`, regular, 11, 8);
  if (ledger) {
    y -= 8;
    for (const line of ledgerStampLines(ledger)) write(line, regular, 8, 1);
  }
  for (const [index, p] of pdf.getPages().entries()) {
    p.drawText(printable(`${letter.footer} - page ${index + 1} of ${pdf.getPageCount()}`, regular), {
      x: margin,
      y: margin / 2,
      size: 8,
      font: regular,
      color: rgb(0.4, 0.4, 0.4),
    });
  }
  return pdf.save();
}
