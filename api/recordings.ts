// A caller's or applicant's recording, taken in: its type from the bytes, its length, decodable, then
// stored by content hash. Refusals name the problem with the status that fits it.
import { AudioError, decodeAudio, duration, type AudioLimits } from '../engines/speech/audio.ts';
import type { BlobStore } from '../engines/storage/blob-store.ts';
import { ApiError } from './errors.ts';

const statusOf = (code: AudioError['code']) => (code === 'UNSUPPORTED_AUDIO' ? 415 : code === 'AUDIO_TOO_LONG' ? 413 : 422);

/** Returns the stored recording's SHA-256; `what` prefixes refusals ("interview: ..."). */
export async function acceptRecording(
  blobs: BlobStore,
  bytes: Buffer,
  limits: AudioLimits,
  options: { minSeconds?: number; what?: string } = {},
): Promise<string> {
  try {
    const decoded = await decodeAudio(bytes, limits);
    if (options.minSeconds && duration(decoded) < options.minSeconds)
      throw new AudioError('EMPTY_AUDIO', `The recording is shorter than ${options.minSeconds} s.`);
  } catch (error) {
    if (!(error instanceof AudioError)) throw error;
    throw new ApiError(statusOf(error.code), error.code, `${options.what ? `${options.what}: ` : ''}${error.message}`);
  }
  return (await blobs.put(bytes)).sha256;
}
