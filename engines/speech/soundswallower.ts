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

export async function createGrammarRecognizer(): Promise<SpeechRecognizer & { close(): void }> {
  const modelBase = `${path.join(path.dirname(createRequire(import.meta.url).resolve('soundswallower')), 'model')}/`;
  const ss = await createModule({ modelBase } as Parameters<typeof createModule>[0]);
  // A low word insertion penalty: measured on synthetic calls, the default (0.65) adds a digit after
  // the last one spoken; 0.01 does not (eval:voice).
  const decoder: Decoder = new ss.Decoder({ samprate: modelRate, loglevel: 'FATAL', wip: 0.01 });
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
        const pcm = resample(audio, modelRate).samples;
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
