// The free-speech engine (engines/speech/moonshine.ts) with the real models from the pinned wheel, on
// speech synthesized here: clean 16 kHz and 8 kHz mu-law telephone audio, and a recording longer than
// the model reads at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatAudio, silence } from '../support/audio.ts';
import { createFliteSynthesizer } from '../../engines/speech/flite.ts';
import { createMoonshineRecognizer, segments, type FreeSpeechRecognizer } from '../../engines/speech/moonshine.ts';
import { ensureModels, moonshineBaseEn } from '../../platform/tools.ts';
import { speak, wordErrors } from '../support/voice-caller.ts';

const sentences = [
  'Someone broke into the garage overnight and took the bike.',
  'A pipe burst in the kitchen and water came through the ceiling.',
  'The other driver reversed into my car in the supermarket car park.',
];

let moonshine: FreeSpeechRecognizer;
beforeAll(async () => {
  const models = await ensureModels(moonshineBaseEn);
  moonshine = await createMoonshineRecognizer({
    encoder: models.encoder!,
    decoder: models.decoder!,
    tokenizer: models.tokenizer!,
    version: 'base-en@test',
  });
});
afterAll(async () => {
  await moonshine?.close();
});

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z' ]/g, ' ');

describe('Moonshine on onnxruntime-node', () => {
  it('transcribes what a caller says, on a clean line and on a phone line', async () => {
    const flite = createFliteSynthesizer();
    let errors = 0;
    let words = 0;
    for (const channel of ['16k', 'phone'] as const)
      for (const sentence of sentences) {
        const { audio } = await speak(flite, sentence, 'slt', channel);
        const heard = await moonshine.recognize(audio, null);
        expect(heard.engine).toBe('moonshine-base-en@test');
        expect(heard.confidence).toBeGreaterThan(0);
        expect(heard.confidence).toBeLessThanOrEqual(1);
        const e = wordErrors(normalize(sentence), normalize(heard.text));
        errors += e.errors;
        words += e.words;
      }
    expect(errors / words).toBeLessThan(0.15);
  });

  it('reads a recording longer than the model takes at once in pieces cut at pauses, losing none of it', async () => {
    const flite = createFliteSynthesizer();
    const parts = [];
    for (let i = 0; i < 4; i++)
      for (const sentence of sentences) {
        parts.push((await speak(flite, sentence, 'slt', '16k')).audio);
        parts.push(silence(16_000, 0.6));
      }
    const long = concatAudio(parts);
    expect(long.samples.length / 16_000).toBeGreaterThan(40);
    expect(segments(long.samples).length).toBeGreaterThan(1);
    const heard = await moonshine.recognize(long, null);
    const reference = normalize(Array.from({ length: 4 }, () => sentences.join(' ')).join(' '));
    const e = wordErrors(reference, normalize(heard.text));
    expect(e.errors / e.words).toBeLessThan(0.15);
  });

  it('cuts only what is longer than a stretch, and at the quietest point near its end', () => {
    const rate = 16_000;
    expect(segments(new Float32Array(rate * 10))).toHaveLength(1);
    // 40 s of tone with a silent gap at 21-21.2 s: the first cut falls in the gap.
    const tone = Float32Array.from({ length: rate * 40 }, (_, i) => (i >= rate * 21 && i < rate * 21.2 ? 0 : Math.sin(i / 5) * 0.5));
    const pieces = segments(tone);
    expect(pieces.length).toBe(2);
    expect(pieces[0]!.length / rate).toBeGreaterThanOrEqual(21);
    expect(pieces[0]!.length / rate).toBeLessThanOrEqual(21.2);
    expect(pieces.reduce((n, p) => n + p.length, 0)).toBe(tone.length);
  });
});
