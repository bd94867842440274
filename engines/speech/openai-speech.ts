// Speech through the OpenAI SDK's audio API (transcriptions and speech), against OpenAI or any server that
// speaks the same API (OPENAI_BASE_URL). Free speech: no grammar needed, so descriptions and one-shot
// statements are transcribed too. Failures are classified like the other OpenAI calls, for the
// activity's retry policy.
import OpenAI, { toFile } from 'openai';
import { classify } from '../ai/openai.ts';
import { encodeWav, resample } from './audio.ts';
import type { SpeechRecognizer, SpeechSynthesizer } from './engines.ts';

export interface OpenAiSpeechSettings {
  readonly apiKey: string;
  readonly baseUrl?: string;
  readonly transcriptionModel: string;
  readonly speechModel: string;
  readonly voice: string;
  readonly timeoutMs: number;
}

export const openAiVoices = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'] as const;

export function createOpenAiSpeech(settings: OpenAiSpeechSettings): { recognizer: SpeechRecognizer; synthesizer: SpeechSynthesizer } {
  const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: settings.timeoutMs, maxRetries: 0 });
  return {
    recognizer: {
      name: `openai:${settings.transcriptionModel}`,
      freeSpeech: true,
      async recognize(audio) {
        // 16 kHz PCM WAV: what every transcription model takes, and small.
        const wav = encodeWav(resample(audio, 16_000));
        try {
          const result = (await client.audio.transcriptions.create({
            file: await toFile(wav, 'answer.wav', { type: 'audio/wav' }),
            model: settings.transcriptionModel,
            response_format: 'json',
            language: 'en',
          })) as { text: string; logprobs?: { logprob: number }[] };
          const logprobs = result.logprobs ?? [];
          // Without token log-probabilities the service reports no confidence: taken as fair, and read back.
          const confidence = logprobs.length > 0 ? Math.exp(logprobs.reduce((s, l) => s + l.logprob, 0) / logprobs.length) : 0.8;
          return {
            text: result.text.trim(),
            confidence: Math.round(confidence * 1000) / 1000,
            engine: `openai:${settings.transcriptionModel}`,
          };
        } catch (error) {
          throw classify(error);
        }
      },
    },
    synthesizer: {
      name: `openai:${settings.speechModel}`,
      voices: openAiVoices,
      async synthesize(text, voice = settings.voice) {
        try {
          const response = await client.audio.speech.create({
            model: settings.speechModel,
            voice,
            input: text.slice(0, 4_000),
            response_format: 'wav',
          });
          return Buffer.from(await response.arrayBuffer());
        } catch (error) {
          throw classify(error);
        }
      },
    },
  };
}
