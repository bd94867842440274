import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../domain/shared/decision.ts';
import { sniffMediaType } from '../../domain/shared/file-type.ts';
import { ulid } from '../../db/ids.ts';

describe('canonicalJson', () => {
  it('is independent of key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
  it('drops undefined fields as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
});

describe('sniffMediaType', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it('recognises the accepted formats by their signatures', () => {
    expect(sniffMediaType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffMediaType(bytes(0x49, 0x49, 0x2a, 0x00))).toBe('image/tiff');
    expect(sniffMediaType(bytes(0x4d, 0x4d, 0x00, 0x2a))).toBe('image/tiff');
  });
  it('recognises nothing else', () => {
    expect(sniffMediaType(new TextEncoder().encode('<html>'))).toBeNull();
    expect(sniffMediaType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull(); // zip
    expect(sniffMediaType(bytes(0xff, 0xd8))).toBeNull(); // truncated
    expect(sniffMediaType(bytes())).toBeNull();
  });
});

describe('ulid', () => {
  it('is 26 Crockford base32 characters, ordered by time', () => {
    const a = ulid(1_700_000_000_000);
    const b = ulid(1_700_000_000_001);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => ulid())).size).toBe(1000);
  });
});
