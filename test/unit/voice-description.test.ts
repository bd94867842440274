// When a caller's description counts as heard (domain/voice/dialogue.ts), and the offline engines'
// choice for free speech (engines/speech/speech-engines.ts).
import { describe, expect, it } from 'vitest';
import { descriptionHeard, descriptionHeardConfidence } from '../../domain/voice/dialogue.ts';
import type { Audio } from '../../engines/speech/audio.ts';
import type { SpeechRecognizer } from '../../engines/speech/engines.ts';
import { withFreeSpeech } from '../../engines/speech/speech-engines.ts';

const spoken = (value: string, confidence: number) => ({ value, via: 'voice' as const, confidence, retries: 0 });

describe('a description heard', () => {
  it('is transcribed words the transcriber was sure of', () => {
    expect(descriptionHeard(spoken('Another car ran into the back of mine.', 0.93))).toBe(true);
    expect(descriptionHeard(spoken('Another car ran into the back of mine.', descriptionHeardConfidence))).toBe(true);
    // Unsure words, too few words, nothing, a recording kept for a person, keyed digits: not heard.
    expect(descriptionHeard(spoken('Another car ran into the back of my NATA traffic lights.', 0.71))).toBe(false);
    expect(descriptionHeard(spoken('Crash.', 0.99))).toBe(false);
    expect(descriptionHeard(spoken('', 0))).toBe(false);
    expect(descriptionHeard(spoken(`(recording ${'ab'.repeat(32)})`, 0))).toBe(false);
    expect(descriptionHeard({ value: '12', via: 'keypad', confidence: 1, retries: 0 })).toBe(false);
    expect(descriptionHeard(undefined)).toBe(false);
  });
});

describe('free speech beside a grammar engine', () => {
  const audio: Audio = { sampleRate: 8_000, samples: new Float32Array(8_000) };
  const grammar: SpeechRecognizer = {
    name: 'grammar',
    freeSpeech: false,
    recognize: (_audio, jsgf) => Promise.resolve({ text: `grammar:${jsgf}`, confidence: 0.9, engine: 'grammar' }),
  };
  it('sends answers with a grammar to the grammar engine and free speech to the transcriber, opened once, on first use', async () => {
    let opened = 0;
    const both = withFreeSpeech(grammar, {
      name: 'free',
      open: () => {
        opened++;
        return Promise.resolve({
          name: 'free',
          freeSpeech: true,
          recognize: () => Promise.resolve({ text: 'free words', confidence: 0.8, engine: 'free' }),
          close: () => Promise.resolve(),
        });
      },
    });
    expect(both.freeSpeech).toBe(true);
    expect((await both.recognize(audio, '#JSGF V1.0;')).engine).toBe('grammar');
    expect(opened).toBe(0);
    expect((await both.recognize(audio, null)).text).toBe('free words');
    await both.recognize(audio, null);
    expect(opened).toBe(1);
    await both.close();
  });

  it('tries to open the transcriber again after it failed to (a download that failed)', async () => {
    let attempts = 0;
    const both = withFreeSpeech(grammar, {
      name: 'free',
      open: () =>
        ++attempts === 1
          ? Promise.reject(new Error('offline'))
          : Promise.resolve({ ...grammar, freeSpeech: true, close: () => Promise.resolve() }),
    });
    await expect(both.recognize(audio, null)).rejects.toThrow('offline');
    expect((await both.recognize(audio, null)).engine).toBe('grammar');
    expect(attempts).toBe(2);
  });
});
