import { randomBytes } from 'node:crypto';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID (48-bit millisecond time + 80 random bits, Crockford base32): unique without coordination and
 * sorted by creation time, so ids read naturally in lists and logs.
 */
export function ulid(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(10);
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += crockford[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return time + tail;
}

export const newClaimId = () => `CLM-${ulid()}`;
export const newDocumentId = () => `DOC-${ulid()}`;
