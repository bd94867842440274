// Audio as callers send it: WAV (PCM 8/16/24/32-bit, float, G.711 mu-law and A-law, as telephone
// systems record), and FLAC, OGG/Opus and MP3 where ffmpeg is installed to decode them. Decoded to mono
// floats, the type decided from the bytes, the length checked before anything large is allocated, and
// resampled as each engine needs (the recognizer's model is 8 kHz telephone speech).
import { spawn } from 'node:child_process';

export interface Audio {
  readonly sampleRate: number;
  /** Mono, -1..1. */
  readonly samples: Float32Array;
}

export type AudioContainer = 'wav' | 'flac' | 'ogg' | 'mp3';

export type AudioProblem = 'EMPTY_AUDIO' | 'UNSUPPORTED_AUDIO' | 'CORRUPT_AUDIO' | 'AUDIO_TOO_LONG';

export class AudioError extends Error {
  readonly code: AudioProblem;
  constructor(code: AudioProblem, message: string) {
    super(message);
    this.name = 'AudioError';
    this.code = code;
  }
}

export interface AudioLimits {
  readonly maxSeconds: number;
  /** ffmpeg for FLAC, OGG and MP3; null when it is not installed (those formats are then refused). */
  readonly ffmpegPath: string | null;
}

export function sniffAudio(bytes: Uint8Array): AudioContainer | null {
  const ascii = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return null;
}

export const audioMediaTypes: Record<AudioContainer, string> = {
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
};

export function duration(audio: Audio): number {
  return audio.samples.length / audio.sampleRate;
}

export async function decodeAudio(bytes: Uint8Array, limits: AudioLimits): Promise<Audio & { container: AudioContainer }> {
  if (bytes.byteLength === 0) throw new AudioError('EMPTY_AUDIO', 'The recording is empty.');
  const container = sniffAudio(bytes);
  if (!container) throw new AudioError('UNSUPPORTED_AUDIO', 'The recording is not WAV, FLAC, OGG or MP3, judging by its content.');
  const audio = container === 'wav' ? decodeWav(bytes, limits.maxSeconds) : await decodeWithFfmpeg(bytes, container, limits);
  if (audio.samples.length === 0) throw new AudioError('EMPTY_AUDIO', 'The recording holds no sound.');
  return { ...audio, container };
}

const wavFormats: Record<number, string> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw' };

export function decodeWav(bytes: Uint8Array, maxSeconds: number): Audio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: string | undefined;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let data: { at: number; size: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (size < 16 || at + 8 + size > bytes.length) throw new AudioError('CORRUPT_AUDIO', 'The WAV format chunk is cut short.');
      let tag = view.getUint16(at + 8, true);
      channels = view.getUint16(at + 10, true);
      rate = view.getUint32(at + 12, true);
      bits = view.getUint16(at + 22, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 40) tag = view.getUint16(at + 32, true);
      format = wavFormats[tag];
      if (!format) throw new AudioError('UNSUPPORTED_AUDIO', `WAV encoding ${tag} is not supported (PCM, float, mu-law and A-law are).`);
    } else if (id === 'data') {
      // Some recorders leave the size unset while streaming: take what is there.
      data = { at: at + 8, size: Math.min(size, bytes.length - at - 8) };
      break;
    }
    at += 8 + size + (size % 2);
  }
  if (!format || !data) throw new AudioError('CORRUPT_AUDIO', 'The WAV file has no format or no data chunk.');
  const width = format === 'mulaw' || format === 'alaw' ? 1 : bits / 8;
  if (
    channels < 1 ||
    channels > 8 ||
    rate < 4_000 ||
    rate > 192_000 ||
    ![1, 2, 3, 4].includes(width) ||
    (format === 'float' && width !== 4)
  ) {
    throw new AudioError('CORRUPT_AUDIO', `The WAV header is implausible (${channels} channels, ${rate} Hz, ${bits} bits).`);
  }
  const frames = Math.floor(data.size / (width * channels));
  const seconds = frames / rate;
  if (seconds > maxSeconds)
    throw new AudioError('AUDIO_TOO_LONG', `The recording is ${seconds.toFixed(1)} s long; the limit is ${maxSeconds} s.`);
  const samples = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const p = data.at + (f * channels + c) * width;
      if (format === 'mulaw') sum += muLawDecode(bytes[p]!) / 32768;
      else if (format === 'alaw') sum += aLawDecode(bytes[p]!) / 32768;
      else if (format === 'float') sum += view.getFloat32(p, true);
      else if (width === 1) sum += (bytes[p]! - 128) / 128;
      else if (width === 2) sum += view.getInt16(p, true) / 32768;
      else if (width === 3) sum += (((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8) / 8_388_608;
      else sum += view.getInt32(p, true) / 2_147_483_648;
    }
    samples[f] = sum / channels;
  }
  return { sampleRate: rate, samples };
}

async function decodeWithFfmpeg(bytes: Uint8Array, container: AudioContainer, limits: AudioLimits): Promise<Audio> {
  if (!limits.ffmpegPath) {
    throw new AudioError('UNSUPPORTED_AUDIO', `${container.toUpperCase()} recordings need ffmpeg, which is not installed here; send WAV.`);
  }
  const rate = 16_000;
  const child = spawn(
    limits.ffmpegPath,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
      '-t',
      String(limits.maxSeconds + 1),
      '-f',
      'f32le',
      '-ac',
      '1',
      '-ar',
      String(rate),
      'pipe:1',
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const chunks: Buffer[] = [];
  let errors = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
  // ffmpeg stops reading once it has enough: a closed pipe is not a failure.
  child.stdin.on('error', () => {});
  child.stdin.end(bytes);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const out = Buffer.concat(chunks);
  if (code !== 0 || out.length === 0)
    throw new AudioError(
      'CORRUPT_AUDIO',
      `The ${container.toUpperCase()} recording could not be decoded${errors ? `: ${errors.trim().split('\n')[0]}` : ''}.`,
    );
  const samples = new Float32Array(out.buffer, out.byteOffset, Math.floor(out.length / 4)).slice();
  if (samples.length / rate > limits.maxSeconds)
    throw new AudioError('AUDIO_TOO_LONG', `The recording is longer than the limit of ${limits.maxSeconds} s.`);
  return { sampleRate: rate, samples };
}

/**
 * Band-limited resampling (windowed sinc): going down to 8 kHz, what lies above 4 kHz is filtered out
 * rather than folded back into the speech band.
 */
export function resample(audio: Audio, rate: number): Audio {
  if (audio.sampleRate === rate) return audio;
  const ratio = audio.sampleRate / rate;
  const cutoff = Math.min(1, 1 / ratio);
  const half = 16;
  const x = audio.samples;
  const out = new Float32Array(Math.floor(x.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const t = i * ratio;
    const center = Math.floor(t);
    const reach = Math.ceil(half / cutoff);
    let sum = 0;
    let weights = 0;
    for (let k = center - reach + 1; k <= center + reach; k++) {
      if (k < 0 || k >= x.length) continue;
      const d = (t - k) * cutoff;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * d) / half);
      const w = Math.abs(d) < half ? sinc * window : 0;
      sum += x[k]! * w;
      weights += w;
    }
    out[i] = weights > 0 ? sum / weights : 0;
  }
  return { sampleRate: rate, samples: out };
}

export function encodeWav(audio: Audio, encoding: 'pcm16' | 'mulaw' = 'pcm16'): Buffer {
  const width = encoding === 'mulaw' ? 1 : 2;
  const dataSize = audio.samples.length * width;
  const b = Buffer.alloc(44 + dataSize);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + dataSize, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(encoding === 'mulaw' ? 7 : 1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(audio.sampleRate, 24);
  b.writeUInt32LE(audio.sampleRate * width, 28);
  b.writeUInt16LE(width, 32);
  b.writeUInt16LE(width * 8, 34);
  b.write('data', 36);
  b.writeUInt32LE(dataSize, 40);
  audio.samples.forEach((s, i) => {
    const v = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
    if (encoding === 'mulaw') b[44 + i] = muLawEncode(v);
    else b.writeInt16LE(v, 44 + 2 * i);
  });
  return b;
}

// G.711 companding, as telephone networks carry speech.
export function muLawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(32635, Math.abs(sample)) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

export function aLawDecode(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}
