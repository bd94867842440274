// International bank account numbers (ISO 13616): checked with the mod-97 check digits before any money
// is sent, and shown masked wherever people read them.

export function normalizeIban(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

export function isValidIban(text: string): boolean {
  const iban = normalizeIban(text);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? ch.charCodeAt(0) - 55 : Number(ch);
    remainder = Number(`${remainder}${value}`) % 97;
  }
  return remainder === 1;
}

/** "DE89 **** **** **** **30 00": enough to recognise one's own account, not enough to use it. */
export function maskIban(text: string): string {
  const iban = normalizeIban(text);
  const shown = `${iban.slice(0, 4)}${'*'.repeat(Math.max(0, iban.length - 8))}${iban.slice(-4)}`;
  return shown.replace(/(.{4})/g, '$1 ').trim();
}
