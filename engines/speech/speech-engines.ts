// The speech engines a worker runs with, from configuration: offline (flite and soundswallower, in
// process, and Moonshine for free speech) unless INSUREFLOW_SPEECH_PROVIDER=openai; the audio limits
// (ffmpeg found by the caller, once).
import type { VoiceActivityDeps } from '../../activities/voice/index.ts';
import type { Config } from '../../platform/config.ts';
import { ensureModels, moonshineBaseEn } from '../../platform/tools.ts';
import type { Audio } from './audio.ts';
import type { SpeechRecognizer } from './engines.ts';
import { createFliteSynthesizer } from './flite.ts';
import { createMoonshineRecognizer, type FreeSpeechRecognizer } from './moonshine.ts';
import { createOpenAiSpeech } from './openai-speech.ts';
import { createGrammarRecognizer } from './soundswallower.ts';

/**
 * One recognizer for both kinds of question: answers with a grammar go to the grammar engine, free speech
 * (no grammar) to the free-speech engine, made on first use (its models are fetched once and take a
 * few hundred megabytes of memory, which a worker that never hears a description does not need).
 */
export function withFreeSpeech(
  grammar: SpeechRecognizer,
  free: { readonly name: string; open(): Promise<FreeSpeechRecognizer> },
): SpeechRecognizer & { close(): Promise<void> } {
  let opened: Promise<FreeSpeechRecognizer> | undefined;
  return {
    name: `${grammar.name}+${free.name}`,
    freeSpeech: true,
    async recognize(audio: Audio, jsgf: string | null) {
      if (jsgf !== null) return grammar.recognize(audio, jsgf);
      opened ??= free.open().catch((error: unknown) => {
        opened = undefined; // a failed download or load is tried again on the next recording
        throw error;
      });
      return (await opened).recognize(audio, null);
    },
    async close() {
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
}

export async function createSpeechEngines(
  config: Pick<Config, 'speech'>,
  audio: AudioLimitsOf,
  log: (line: string) => void = console.error,
): Promise<{
  deps: Omit<VoiceActivityDeps, 'db' | 'blobs'>;
  close(): Promise<void>;
}> {
  const { speech } = config;
  if (speech.openai) {
    const engines = createOpenAiSpeech({
      ...speech.openai,
      transcriptionModel: speech.transcriptionModel,
      speechModel: speech.speechModel,
      voice: speech.voice,
    });
    return { deps: { ...engines, voice: speech.voice, audio }, close: () => Promise.resolve() };
  }
  const grammar = await createGrammarRecognizer();
  const synthesizer = createFliteSynthesizer();
  if (speech.freeSpeech === 'none') {
    return { deps: { recognizer: grammar, synthesizer, voice: speech.voice, audio }, close: () => Promise.resolve(grammar.close()) };
  }
  const recognizer = withFreeSpeech(grammar, {
    name: `moonshine-base-en@${moonshineBaseEn.version}`,
    open: async () => {
      const models = await ensureModels(moonshineBaseEn, log);
      return createMoonshineRecognizer({
        encoder: models.encoder!,
        decoder: models.decoder!,
        tokenizer: models.tokenizer!,
        version: `base-en@${moonshineBaseEn.version}`,
      });
    },
  });
  return {
    deps: { recognizer, synthesizer, voice: speech.voice, audio },
    async close() {
      grammar.close();
      await recognizer.close();
    },
  };
}

type AudioLimitsOf = VoiceActivityDeps['audio'];
