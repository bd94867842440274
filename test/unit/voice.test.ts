// Voice without Temporal: audio in the formats callers send, resampling, the slots' grammars and parsers,
// the dialogue's rules (read-back, keypad after two failures, silence), the offline engines for real, and
// the OpenAI audio engine against a loopback server speaking the audio API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiFailure } from '../../engines/ai/provider.ts';
import { answerTurn, rejectValue, startDialogue, type CallerAnswer, type Turn } from '../../domain/voice/dialogue.ts';
import { allPerils } from '../../domain/shared/perils.ts';
import { confirmationGrammar } from '../../domain/voice/confirmation.ts';
import { grammars, keypadPerils, parseAnswer, parseKeypad, perilPhrases, readBack } from '../../domain/voice/slots.ts';
import { sayCardinal, sayYear, parseCardinal, parseYear } from '../../domain/voice/spoken-numbers.ts';
import { onPath } from '../../platform/tools.ts';
import { decodeAudio, decodeWav, encodeWav, resample, sniffAudio, type Audio, type AudioError } from '../../engines/speech/audio.ts';
import { createFliteSynthesizer, fliteVoices } from '../../engines/speech/flite.ts';
import { createOpenAiSpeech } from '../../engines/speech/openai-speech.ts';
import { createGrammarRecognizer } from '../../engines/speech/soundswallower.ts';
import { startAudioApiServer, type AudioApiServer } from '../support/openai-audio.ts';

const tone = (rate: number, hz: number, seconds = 0.5): Audio => ({
  sampleRate: rate,
  samples: Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate)),
});
const rms = (a: Audio) => Math.sqrt(a.samples.reduce((s, x) => s + x * x, 0) / a.samples.length);
const limits = { maxSeconds: 60, ffmpegPath: null };

describe('audio', () => {
  it('decodes WAV as PCM, mu-law and A-law telephone audio, float, 24-bit and stereo', () => {
    const a = tone(8_000, 440);
    const pcm = decodeWav(encodeWav(a), 60);
    expect(pcm.sampleRate).toBe(8_000);
    expect(Math.abs(rms(pcm) - rms(a))).toBeLessThan(0.01);
    const mulaw = decodeWav(encodeWav(a, 'mulaw'), 60);
    expect(Math.abs(rms(mulaw) - rms(a))).toBeLessThan(0.02);
    // A-law, float, 24-bit and stereo, written by hand: format tag, channels, bits.
    const header = (tag: number, channels: number, bits: number, data: Buffer) => {
      const b = Buffer.alloc(44);
      b.write('RIFF', 0);
      b.writeUInt32LE(36 + data.length, 4);
      b.write('WAVEfmt ', 8);
      b.writeUInt32LE(16, 16);
      b.writeUInt16LE(tag, 20);
      b.writeUInt16LE(channels, 22);
      b.writeUInt32LE(8_000, 24);
      b.writeUInt32LE((8_000 * channels * bits) / 8, 28);
      b.writeUInt16LE((channels * bits) / 8, 32);
      b.writeUInt16LE(bits, 34);
      b.write('data', 36);
      b.writeUInt32LE(data.length, 40);
      return Buffer.concat([b, data]);
    };
    expect(decodeWav(header(6, 1, 8, Buffer.from([0xd5, 0x55, 0x2a])), 60).samples[2]).toBeLessThan(-0.9); // A-law
    const float = Buffer.alloc(8);
    float.writeFloatLE(0.25, 0);
    float.writeFloatLE(-0.5, 4);
    expect([...decodeWav(header(3, 1, 32, float), 60).samples]).toEqual([0.25, -0.5]);
    expect(decodeWav(header(1, 1, 24, Buffer.from([0x00, 0x00, 0x40])), 60).samples[0]).toBeCloseTo(0.5, 3);
    const stereo = Buffer.alloc(4);
    stereo.writeInt16LE(16_384, 0);
    stereo.writeInt16LE(-16_384, 2);
    expect(decodeWav(header(1, 2, 16, stereo), 60).samples[0]).toBe(0);
  });

  it('refuses what is not audio, corrupt, empty or too long, naming the problem', async () => {
    const problem = (bytes: Uint8Array, max = 60) =>
      decodeAudio(bytes, { ...limits, maxSeconds: max }).then(
        () => null,
        (e: AudioError) => e.code,
      );
    expect(await problem(Buffer.from('%PDF-1.7'))).toBe('UNSUPPORTED_AUDIO');
    expect(await problem(new Uint8Array(0))).toBe('EMPTY_AUDIO');
    expect(await problem(encodeWav(tone(8_000, 440)).subarray(0, 30))).toBe('CORRUPT_AUDIO');
    expect(await problem(encodeWav(tone(8_000, 440, 3)), 2)).toBe('AUDIO_TOO_LONG');
    expect(sniffAudio(Buffer.from('fLaC\0\0\0\x22'))).toBe('flac');
    expect(sniffAudio(Buffer.from('OggS\0\x02'))).toBe('ogg');
    expect(sniffAudio(Buffer.from('ID3\x04\0'))).toBe('mp3');
    // Without ffmpeg, compressed audio is refused with the reason.
    await expect(decodeAudio(Buffer.from('fLaC\0\0\0\x22'), limits)).rejects.toThrow(/need ffmpeg/);
  });

  it('decodes FLAC, OGG/Opus and MP3 through ffmpeg where it is installed', async (ctx) => {
    const ffmpeg = await onPath('ffmpeg', ['-version']);
    if (!ffmpeg) {
      console.log('SKIPPED: FLAC, OGG and MP3 decoding needs ffmpeg on PATH (Debian: ffmpeg); .ci/run installs it.');
      ctx.skip();
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'voice-audio-'));
    try {
      writeFileSync(path.join(dir, 'in.wav'), encodeWav(tone(16_000, 440, 1)));
      for (const [file, args] of [
        ['a.flac', []],
        ['a.ogg', ['-c:a', 'libopus']],
        ['a.mp3', []],
      ] as const) {
        execFileSync(ffmpeg, ['-loglevel', 'error', '-i', path.join(dir, 'in.wav'), ...args, path.join(dir, file)]);
        const audio = await decodeAudio(readFileSync(path.join(dir, file)), { maxSeconds: 60, ffmpegPath: ffmpeg });
        expect(audio.container).toBe(file.split('.')[1] === 'ogg' ? 'ogg' : file.split('.')[1]);
        expect(audio.samples.length / audio.sampleRate).toBeGreaterThan(0.9);
        expect(rms(audio)).toBeGreaterThan(0.2);
      }
      await expect(
        decodeAudio(Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(64, 7)]), { maxSeconds: 60, ffmpegPath: ffmpeg }),
      ).rejects.toMatchObject({ code: 'CORRUPT_AUDIO' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resamples without folding what lies above the new band into it', () => {
    expect(rms(resample(tone(16_000, 1_000), 8_000))).toBeGreaterThan(0.3);
    expect(rms(resample(tone(16_000, 6_000), 8_000))).toBeLessThan(0.02);
    expect(resample(tone(44_100, 440), 8_000).samples.length).toBe(4_000);
  });
});

describe('slots', () => {
  const context = { today: '2026-11-26', policyPrefix: 'POL-', currency: 'EUR' };
  it('read spoken numbers, years, dates and amounts', () => {
    expect(parseCardinal('one thousand two hundred and fifty'.split(' '))).toBe(1250);
    expect(parseCardinal('twelve hundred and fifty'.split(' '))).toBe(1250);
    expect(parseYear('twenty twenty six'.split(' '))).toBe(2026);
    expect(parseYear('two thousand and five'.split(' '))).toBe(2005);
    for (const n of [7, 19, 40, 99, 100, 1001, 12_345, 999_999]) expect(parseCardinal(sayCardinal(n).split(' '))).toBe(n);
    for (const y of [1999, 2005, 2026]) expect(parseYear(sayYear(y).split(' '))).toBe(y);
    expect(parseAnswer('policyNumber', 'my policy number is p o l one oh oh one', context)).toBe('POL-1001');
    expect(parseAnswer('incidentDate', 'the fourteenth of november twenty twenty six', context)).toBe('2026-11-14');
    expect(parseAnswer('incidentDate', 'december third', context)).toBe('2025-12-03'); // no year: the last one past
    expect(parseAnswer('incidentDate', 'yesterday', context)).toBe('2026-11-25');
    expect(parseAnswer('incidentType', 'it was a burst pipe', context)).toBe('water_damage');
    expect(parseAnswer('amount', 'about twelve hundred and fifty euros and thirty cents', context)).toBe('1250.30');
  });

  it('read what a free-speech engine writes', () => {
    expect(parseAnswer('policyNumber', 'POL-1001.', context)).toBe('POL-1001');
    expect(parseAnswer('incidentDate', 'It was on November 14th, 2026.', context)).toBe('2026-11-14');
    // Without a year, as transcribers write a date said without one: the last such day.
    expect(parseAnswer('incidentDate', 'November 14th.', context)).toBe('2026-11-14');
    expect(parseAnswer('incidentDate', 'The 3rd of November', context)).toBe('2026-11-03');
    expect(parseAnswer('incidentDate', 'Around 14 o clock', context)).toBeNull();
    expect(parseAnswer('incidentType', 'Somebody stole it.', context)).toBe('theft');
    expect(parseAnswer('incidentType', 'Something happened to it.', context)).toBeNull();
    expect(parseAnswer('incidentType', 'There was a fire in the garage.', context)).toBe('fire');
    expect(parseAnswer('amount', 'About €1,250.', context)).toBe('1250.00');
  });

  it('know every peril a policy can cover, by voice and by keypad', () => {
    expect([...keypadPerils].sort()).toEqual([...allPerils].sort());
    keypadPerils.forEach((peril, i) => {
      for (const phrase of perilPhrases[peril]) {
        expect(grammars.incidentType).toContain(phrase);
        expect(parseAnswer('incidentType', phrase, context)).toBe(peril);
      }
      expect(parseKeypad('incidentType', `${i + 1}#`, context)).toBe(peril);
    });
    expect(parseAnswer('incidentType', 'It was third party liability.', context)).toBe('third_party_liability');
    expect(parseKeypad('incidentType', `${keypadPerils.length + 1}#`, context)).toBeNull();
  });

  it('read keypad entries, and read values back', () => {
    expect(parseKeypad('policyNumber', '1001#', context)).toBe('POL-1001');
    expect(parseKeypad('incidentDate', '14112026#', context)).toBe('2026-11-14');
    expect(parseKeypad('incidentDate', '14122026#', context)).toBeNull(); // in the future
    expect(parseKeypad('incidentType', '3', context)).toBe('collision');
    expect(parseKeypad('amount', '1250*5#', context)).toBe('1250.50');
    expect(readBack('policyNumber', 'POL-1001', 'EUR')).toBe('I heard policy P O L 1 0 0 1. Is that right?');
    expect(readBack('amount', '1250.30', 'SEK')).toBe('I heard one thousand two hundred and fifty kronor and thirty cents. Is that right?');
  });
});

describe('dialogue', () => {
  const context = { today: '2026-11-26', policyPrefix: 'POL-', currency: 'EUR' };
  const run = (answers: CallerAnswer[]): Turn => answers.reduce((turn, a) => answerTurn(turn.state, a, context), startDialogue(context));
  const speech = (text: string, confidence = 0.9, coverage?: number): CallerAnswer => ({
    kind: 'speech',
    text,
    confidence,
    ...(coverage === undefined ? {} : { coverage }),
  });

  it('asks, reads back, and moves on only on yes', () => {
    const t = run([speech('p o l one zero zero one'), speech('no'), speech('p o l one zero zero two'), speech('yes')]);
    expect(t.state.slots.policyNumber).toEqual({ value: 'POL-1002', via: 'voice', confidence: 0.9, retries: 1 });
    expect(t.state.slot).toBe('incidentDate');
  });

  it('takes a yes only when clearly heard: every natural no is a no, anything unsure is asked again', () => {
    const confirming = run([speech('p o l one zero zero one')]);
    expect(confirming.listenFor).toEqual({ grammar: confirmationGrammar, keypad: false });
    const answer = (a: CallerAnswer) => answerTurn(confirming.state, a, context);
    for (const no of ['no', 'not right', "no it isn't", "that's not it", 'no that is not right', 'incorrect', "that's wrong"]) {
      const t = answer(speech(no));
      expect(t.state.slots.policyNumber, no).toBeUndefined();
      expect(t.state.phase, no).toBe('ask');
    }
    // A bare "right", a yes heard faintly, or a yes whose word accounts for little of what was said.
    for (const unsure of [speech('right'), speech('yes', 0.2), speech('yeah', 0.9, 0.3), speech('what')]) {
      const t = answer(unsure);
      expect(t.state.slots.policyNumber, JSON.stringify(unsure)).toBeUndefined();
      expect(t.state.phase).toBe('confirm');
      expect(t.prompt).toBe('Please say yes or no.');
    }
    expect(answer(speech("yes that's right", 0.9, 0.9)).state.slots.policyNumber).toMatchObject({ value: 'POL-1001' });
  });

  it('reads a yes or no as the first dialogue did for calls begun under it', () => {
    const legacy = { ...context, safeConfirmations: false };
    const confirming = startDialogue(legacy);
    const t = answerTurn(confirming.state, speech('p o l one zero zero one'), legacy);
    expect(t.listenFor).toEqual({ grammar: grammars.confirm, keypad: false });
    expect(answerTurn(t.state, speech('right'), legacy).state.slots.policyNumber).toMatchObject({ value: 'POL-1001' });
  });

  it('does not read back a guess it is unsure of, and takes the keypad after two failures', () => {
    let t = run([speech('p o l one zero zero one', 0.2)]);
    expect(t.prompt).toContain('did not get that');
    t = answerTurn(t.state, speech('banana'), context);
    expect(t.listenFor).toEqual({ grammar: null, keypad: true });
    t = answerTurn(t.state, { kind: 'digits', digits: '1001#' }, context);
    expect(t.prompt).toContain('Press 1 for yes');
    t = answerTurn(t.state, { kind: 'digits', digits: '1' }, context);
    expect(t.state.slots.policyNumber).toMatchObject({ value: 'POL-1001', via: 'keypad' });
    expect(t.listenFor).toEqual({ grammar: grammars.incidentDate, keypad: false });
  });

  it('completes with a description kept as a recording, or ends after two silences', () => {
    const t = run([
      speech('p o l one zero zero one'),
      speech('yes'),
      speech('yesterday'),
      speech('yes'),
      speech('fire'),
      speech('yes'),
      speech('three hundred and eighty'),
      speech('yes'),
      { kind: 'recording', reference: 'abc' },
    ]);
    expect(t.state.phase).toBe('done');
    expect(t.listenFor).toBeNull();
    expect(t.state.slots.description?.value).toBe('(recording abc)');
    const silent = run([{ kind: 'silence' }, { kind: 'silence' }]);
    expect(silent.state.phase).toBe('abandoned');
    expect(run([{ kind: 'silence' }, speech('p o l one zero zero one')]).state.phase).toBe('confirm');
  });

  it('asks again for a value the system cannot use', () => {
    const t = run([speech('p o l two zero zero one'), speech('yes')]);
    const again = rejectValue(t.state, 'policyNumber', 'I could not find that policy.', context);
    expect(again.state).toMatchObject({ slot: 'policyNumber', phase: 'ask', failures: 1 });
    expect(again.state.slots.policyNumber).toBeUndefined();
    expect(again.prompt).toContain('I could not find that policy.');
  });
});

describe('offline engines', () => {
  it('flite speaks in each voice, and soundswallower hears it against a grammar, also over a phone line', async () => {
    const flite = createFliteSynthesizer();
    const recognizer = await createGrammarRecognizer();
    try {
      for (const voice of fliteVoices) {
        const audio = decodeWav(await flite.synthesize('p o l one zero zero one', voice), 60);
        expect(audio.samples.length / audio.sampleRate).toBeGreaterThan(1);
        if (voice === 'awb' || voice === 'kal16') {
          const phone = decodeWav(encodeWav(resample(audio, 8_000), 'mulaw'), 60);
          const heard = await recognizer.recognize(phone, grammars.policyNumber);
          expect(heard.text).toBe('p o l one zero zero one');
          expect(heard.confidence).toBeGreaterThan(0.5);
        }
      }
      await expect(recognizer.recognize(tone(8_000, 440), null)).rejects.toThrow(/needs a grammar/);
      await expect(flite.synthesize('hello', 'nobody')).rejects.toThrow(/no voice/);
    } finally {
      recognizer.close();
    }
  });
});

describe('OpenAI audio engine (loopback server)', () => {
  let server: AudioApiServer;
  beforeAll(async () => {
    server = await startAudioApiServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const engines = () =>
    createOpenAiSpeech({
      apiKey: 'sk-test',
      baseUrl: server.baseUrl,
      transcriptionModel: 'gpt-4o-mini-transcribe',
      speechModel: 'gpt-4o-mini-tts',
      voice: 'alloy',
      timeoutMs: 500,
    });

  it('transcribes free speech and speaks prompts', async () => {
    server.transcriptions = [{ status: 200, text: ' My policy is POL-1001. ' }];
    const heard = await engines().recognizer.recognize(tone(8_000, 440), null);
    expect(heard).toMatchObject({ text: 'My policy is POL-1001.', engine: 'openai:gpt-4o-mini-transcribe' });
    expect(server.requests[0]).toMatchObject({ path: '/audio/transcriptions', model: 'gpt-4o-mini-transcribe' });
    expect(server.requests[0]!.contentType).toContain('multipart/form-data');
    const wav = await engines().synthesizer.synthesize('Please say your policy number.');
    expect(decodeWav(wav, 60).sampleRate).toBe(24_000);
    expect(server.requests[1]).toMatchObject({
      path: '/audio/speech',
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Please say your policy number.',
    });
  });

  it('classifies failures for the retry policy: 429, 5xx and timeouts retry; 4xx do not', async () => {
    const fail = async (reply: { status: number; body?: unknown; delayMs?: number }) => {
      server.transcriptions = [reply];
      return engines()
        .recognizer.recognize(tone(8_000, 440), null)
        .catch((e: AiFailure) => e);
    };
    expect(await fail({ status: 429, body: { error: { message: 'Rate limit' } } })).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
    });
    expect(await fail({ status: 503, body: { error: { message: 'busy' } } })).toMatchObject({ kind: 'server_error', retryable: true });
    expect(await fail({ status: 200, body: { text: 'late' }, delayMs: 1_500 })).toMatchObject({ kind: 'timeout', retryable: true });
    const rejected = await fail({ status: 400, body: { error: { message: 'Invalid file format' } } });
    expect(rejected).toBeInstanceOf(AiFailure);
    expect(rejected).toMatchObject({ kind: 'rejected', retryable: false });
  });
});
