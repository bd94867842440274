// The one data converter used by the API's client, the workers, the history replayer and the codec
// server: JSON payloads, encrypted by the payload codec. Built from the keyring the process was given.
import type { DataConverter } from '@temporalio/common';
import { createEncryptionCodec, type PayloadKeyring } from './payload-codec.ts';

export function createDataConverter(keyring: PayloadKeyring): DataConverter {
  return { payloadCodecs: [createEncryptionCodec(keyring)] };
}
