// Words and numbers as a person reads them: amounts in major units with their currency, times in the
// reader's locale, codes turned into words where the API gives none.
import type { Money } from './types.ts';

export function money(m: Money | null | undefined): string {
  if (!m) return '—';
  const [whole = '0', fraction] = m.amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m.currency} ${fraction === undefined ? grouped : `${grouped}.${fraction}`}`;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** A code or a field name as words: 'AMOUNT_NOT_CORROBORATED' and 'dateOfBirth' read 'Amount not corroborated', 'Date of birth'. */
export const words = (code: string) =>
  code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[_-]+/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

export const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

export const kindWords: Record<string, string> = {
  CLAIM_ASSESSMENT: 'Assessed by automation',
  ADJUSTER_DECISION: 'Decided by a person',
  PAYMENT: 'Payment',
  DECISION_LETTER: 'Letter written',
  CLAIM_CLOSED: 'Closed',
  CLAIM_WITHDRAWN: 'Withdrawn',
  NOTE: 'Note',
  ASSIGNED: 'Assigned',
  UNASSIGNED: 'Released',
};
