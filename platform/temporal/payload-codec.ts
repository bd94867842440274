// Encryption of everything the engine hands to Temporal (workflow inputs and results, activity inputs
// and results, update arguments, queries): AES-256-GCM, a fresh 96-bit nonce per payload, the key id in
// the payload's metadata so keys can be rotated (new payloads use the current key; old ones decrypt with
// the key they name). Search attributes are not payloads and stay readable: they never hold personal data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

// The package is CommonJS: its namespaces come through the default export under native ESM.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';

export interface PayloadKeyring {
  /** The key new payloads are encrypted with. */
  readonly currentKeyId: string;
  /** Every key that may still be needed to decrypt (32 bytes each). */
  readonly keys: ReadonlyMap<string, Buffer>;
}

const text = new TextEncoder();
const fromText = new TextDecoder();

export function createEncryptionCodec(keyring: PayloadKeyring): PayloadCodec {
  const current = keyring.keys.get(keyring.currentKeyId);
  if (!current || current.length !== 32) throw new Error(`Payload key '${keyring.currentKeyId}' must be 32 bytes`);
  return {
    encode(payloads: Payload[]): Promise<Payload[]> {
      return new Promise((resolve) =>
        resolve(
          payloads.map((payload) => {
            const plain = PayloadMessage.encode(payload).finish();
            const nonce = randomBytes(12);
            const cipher = createCipheriv('aes-256-gcm', current, nonce);
            const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
            return {
              metadata: { encoding: text.encode(encryptedEncoding), [keyIdMetadata]: text.encode(keyring.currentKeyId) },
              data: sealed,
            };
          }),
        ),
      );
    },
    decode(payloads: Payload[]): Promise<Payload[]> {
      // Synchronous work: a failure must reject the promise, not throw from decode().
      return new Promise((resolve) =>
        resolve(
          payloads.map((payload) => {
            const encoding = payload.metadata?.encoding;
            // Payloads written before encryption existed (and by other tools) pass through as they are.
            if (!encoding || fromText.decode(encoding) !== encryptedEncoding) return payload;
            const keyIdBytes = payload.metadata?.[keyIdMetadata];
            const keyId = keyIdBytes ? fromText.decode(keyIdBytes) : '';
            const key = keyring.keys.get(keyId);
            if (!key)
              throw new ValueError(`No payload key '${keyId}' is configured (INSUREFLOW_PAYLOAD_KEYS); this payload cannot be read`);
            const sealed = Buffer.from(payload.data ?? new Uint8Array());
            if (sealed.length < 28) throw new ValueError('Encrypted payload is too short');
            const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
            decipher.setAuthTag(sealed.subarray(sealed.length - 16));
            const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
            return PayloadMessage.decode(plain);
          }),
        ),
      );
    },
  };
}

/** "id:base64key,id2:base64key" (INSUREFLOW_PAYLOAD_KEYS); the current key is `currentKeyId` or the first. */
export function parsePayloadKeys(spec: string, currentKeyId?: string): PayloadKeyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at).trim();
    const key = Buffer.from(entry.slice(at + 1).trim(), 'base64');
    if (at <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`Payload key entry '${entry.slice(0, 20)}...' must be id:base64key`);
    if (key.length !== 32) throw new Error(`Payload key '${id}' must be 32 bytes (44 characters of base64), not ${key.length}`);
    keys.set(id, key);
  }
  const current = currentKeyId ?? [...keys.keys()][0];
  if (!current || !keys.has(current)) throw new Error(`The current payload key '${current ?? ''}' is not among INSUREFLOW_PAYLOAD_KEYS`);
  return { currentKeyId: current, keys };
}
