// The speech engines a worker runs with, from configuration: offline (flite and soundswallower, in
// process) unless INSUREFLOW_SPEECH_PROVIDER=openai; the audio limits (ffmpeg found by the caller, once).
import type { VoiceActivityDeps } from '../../activities/voice/index.ts';
import type { Config } from '../../platform/config.ts';
import type { AudioLimits } from './audio.ts';
import { createFliteSynthesizer } from './flite.ts';
import { createOpenAiSpeech } from './openai-speech.ts';
import { createGrammarRecognizer } from './soundswallower.ts';

export async function createSpeechEngines(
  config: Pick<Config, 'speech'>,
  audio: AudioLimits,
): Promise<{
  deps: Omit<VoiceActivityDeps, 'db' | 'blobs'>;
  close(): void;
}> {
  const { speech } = config;
  if (speech.openai) {
    const engines = createOpenAiSpeech({
      ...speech.openai,
      transcriptionModel: speech.transcriptionModel,
      speechModel: speech.speechModel,
      voice: speech.voice,
    });
    return { deps: { ...engines, voice: speech.voice, audio }, close() {} };
  }
  const recognizer = await createGrammarRecognizer();
  return { deps: { recognizer, synthesizer: createFliteSynthesizer(), voice: speech.voice, audio }, close: () => recognizer.close() };
}
