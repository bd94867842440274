// The payload codec: AES-256-GCM with the key id in metadata, rotation, tampering and unknown keys.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { createEncryptionCodec, encryptedEncoding, parsePayloadKeys } from '../../platform/temporal/payload-codec.ts';

const key = () => randomBytes(32).toString('base64');
const plain = defaultPayloadConverter.toPayload({ claimant: 'Ada Lovelace', iban: 'DE89370400440532013000' });

describe('payload codec', () => {
  it('encrypts with the current key, naming it, and decrypts to the same payload', async () => {
    const codec = createEncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const [sealed] = await codec.encode([plain]);
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe(encryptedEncoding);
    expect(new TextDecoder().decode(sealed!.metadata!['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('Lovelace');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ claimant: 'Ada Lovelace', iban: 'DE89370400440532013000' });
    // A fresh nonce each time: equal payloads do not look equal.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('reads payloads of a retired key after rotation, and writes with the new one', async () => {
    const old = key();
    const before = createEncryptionCodec(parsePayloadKeys(`k1:${old}`));
    const after = createEncryptionCodec(parsePayloadKeys(`k2:${key()},k1:${old}`, 'k2'));
    const [sealed] = await before.encode([plain]);
    expect(defaultPayloadConverter.fromPayload((await after.decode([sealed!]))[0]!)).toMatchObject({ claimant: 'Ada Lovelace' });
    expect(new TextDecoder().decode((await after.encode([plain]))[0]!.metadata!['encryption-key-id'])).toBe('k2');
  });

  it('refuses a tampered payload and one whose key it does not have, and passes plain payloads through', async () => {
    const codec = createEncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const [sealed] = await codec.encode([plain]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow();
    await expect(createEncryptionCodec(parsePayloadKeys(`k9:${key()}`)).decode([sealed!])).rejects.toThrow(/No payload key 'k1'/);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses malformed key configuration', () => {
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parsePayloadKeys(`k1:${key()}`, 'k2')).toThrow(/not among/);
    expect(() => parsePayloadKeys('nokey')).toThrow(/id:base64key/);
  });
});
