// Speech recognition with soundswallower (MIT; CMU PocketSphinx in WebAssembly) and the US English 8 kHz
// telephone model it ships: recognition against a grammar per question, which is what keeps it accurate
// on phone audio. One decoder, used one call at a time (the WebAssembly module is single-threaded and
// each call is tens of milliseconds).
import { createRequire } from 'node:module';
import path from 'node:path';
import createModule, { type Decoder } from 'soundswallower';
import { extraPronunciations } from '../../domain/voice/slots.ts';
import { resample } from './audio.ts';
import { SpeechEngineFailure, type SpeechRecognizer } from './engines.ts';

const modelRate = 8_000;

const frameSamples = modelRate / 100; // the decoder's 10 ms frames

/**
 * The share of the utterance's speech (frames well above its noise floor) that falls inside the words
 * recognised. A grammar always finds its closest phrase: "that's not it" can come back "yeah", one short
 * word with most of what was said left over as silence or noise. Low coverage says the words heard do
 * not account for what was said.
 */
export function speechCovered(pcm: Float32Array, words: readonly { b: number; d: number }[]): number {
  // Word starts and durations are in seconds.
  const frames = Math.floor(pcm.length / frameSamples);
  if (frames === 0) return 0;
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * frameSamples; i < (f + 1) * frameSamples; i++) e += pcm[i]! * pcm[i]!;
    energy[f] = 10 * Math.log10(e / frameSamples + 1e-12);
  }
  const sorted = Float64Array.from(energy).sort();
  const floor = sorted[Math.floor(frames * 0.1)]!;
  const peak = sorted[Math.floor(frames * 0.98)]!;
  // Speech: within 25 dB of the loud end and 10 dB above the floor.
  const threshold = Math.max(floor + 10, peak - 25);
  const inWord = new Uint8Array(frames);
  for (const w of words) for (let f = Math.round(w.b * 100); f < Math.min(frames, Math.round((w.b + w.d) * 100)); f++) inWord[f] = 1;
  let speech = 0;
  let covered = 0;
  for (let f = 0; f < frames; f++)
    if (energy[f]! >= threshold) {
      speech++;
      covered += inWord[f]!;
    }
  return speech === 0 ? 0 : covered / speech;
}

/**
 * The front end's preparation of what the decoder hears: the level brought to half of full scale, then a
 * faint noise floor (-45 dB of full scale, seeded by the recording's length so a run repeats). The
 * decoder's noise and silence estimates are made for a telephone line, which is never silent: on clean
 * audio, whose pauses are digital zero, they fail, and clean speech was recognised worse than noisy
 * speech (issue 16). Measured on the development voices of eval:voice (192 answers to the four questions,
 * clean and phone; the untuned callers were not used): espeak-ng's eight, right 44 before, 134 with the
 * level, the noise floor and the wider beams below; flite's four, 187 before, 183 after. A floor of -40 dB
 * read espeak-ng's 135 and flite's 172; -50 dB, 127 and 187.
 */
export function prepareForDecoder(pcm: Float32Array): Float32Array {
  let peak = 0;
  for (const x of pcm) peak = Math.max(peak, Math.abs(x));
  const gain = peak > 1e-4 ? 0.5 / peak : 1;
  const floor = 10 ** (-45 / 20);
  let state = pcm.length + 1;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648 - 0.5;
  return Float32Array.from(pcm, (x) => x * gain + floor * random());
}

/**
 * Wider beams than the decoder's defaults: with the default ones, a grammar path through long numbers
 * ("forty eight hundred and sixty one") was pruned and nothing at all was recognised (development voices,
 * with the noise floor at -40 dB: 127 right with the default beams, 135 with these), at about 0.2 s an answer.
 */
const beams = { beam: 1e-80, wbeam: 1e-60, pbeam: 1e-80 };

export interface GrammarRecognizerOptions {
  /** Decoder settings beyond this module's own (PocketSphinx's names: dither, cmn, remove_noise, ...). */
  readonly decoder?: Readonly<Record<string, string | number | boolean>>;
  /** What is done to the 8 kHz samples before the decoder hears them (prepareForDecoder unless given). */
  readonly prepare?: (pcm: Float32Array) => Float32Array;
}

export async function createGrammarRecognizer(options: GrammarRecognizerOptions = {}): Promise<SpeechRecognizer & { close(): void }> {
  const modelBase = `${path.join(path.dirname(createRequire(import.meta.url).resolve('soundswallower')), 'model')}/`;
  const ss = await createModule({ modelBase } as Parameters<typeof createModule>[0]);
  // A low word insertion penalty: measured on synthetic calls, the default (0.65) adds a digit after
  // the last one spoken; 0.01 does not (eval:voice).
  const decoder: Decoder = new ss.Decoder({ samprate: modelRate, loglevel: 'FATAL', wip: 0.01, ...beams, ...options.decoder });
  await decoder.initialize();
  decoder.add_words(...extraPronunciations);
  let grammarInUse: string | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => T): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };
  return {
    name: 'soundswallower',
    freeSpeech: false,
    recognize(audio, grammar) {
      if (!grammar)
        return Promise.reject(new SpeechEngineFailure('The offline recognizer needs a grammar: it does not take free speech', false));
      return exclusive(() => {
        if (grammar !== grammarInUse) {
          decoder.set_grammar(grammar);
          grammarInUse = grammar;
        }
        const resampled = resample(audio, modelRate).samples;
        const pcm = (options.prepare ?? prepareForDecoder)(resampled);
        decoder.start();
        decoder.process_audio(pcm, false, true);
        decoder.stop();
        const text = decoder.get_text().trim();
        const words = (decoder.get_alignment().w ?? []).filter((w) => !/^(<sil>|\(NULL\)|<s>|<\/s>|\[NOISE\]|\+\+.*\+\+)$/.test(w.t));
        const confidence = text && words.length > 0 ? words.reduce((s, w) => s + w.p, 0) / words.length : 0;
        return {
          text,
          confidence: Math.round(confidence * 1000) / 1000,
          coverage: Math.round(speechCovered(pcm, words) * 1000) / 1000,
          engine: 'soundswallower',
        };
      });
    },
    close() {
      decoder.delete();
    },
  };
}
