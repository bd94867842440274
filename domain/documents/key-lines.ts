// Lines whose exact characters decide a field (totals, payments, dates): the pipeline reads these
// again, enlarged, because one misread digit or dropped decimal point there changes a decision.
import type { Line } from './layout.ts';

const keyWords =
  /TOTAL|T0TAL|ROUND|AMOUNT|\bAMT\b|\bDUE\b|PAYABLE|\bNETT?\b|\bCASH\b|CHANGE|TENDER|\bPAID\b|BALANCE|JUMLAH|\bDATE\b|TARIKH|\bDATED\b/i;
const datePattern = /\d{1,4}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}|\d{1,2}\s?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)/i;

export function isKeyLine(line: Line): boolean {
  return keyWords.test(line.text) || datePattern.test(line.text);
}
