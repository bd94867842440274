// Speech engines behind two interfaces: recognition (audio to text, constrained by a grammar when the
// engine needs one) and synthesis (text to WAV). Offline by default (soundswallower and flite, both
// WebAssembly, nothing downloaded at run time); the OpenAI SDK (or any server speaking its audio API)
// by configuration.
import type { Audio } from './audio.ts';

export interface Recognition {
  /** Lower-case words as recognized; '' when nothing in the grammar matched. */
  readonly text: string;
  /** 0-1: how sure the engine is (mean word posterior for the grammar engine). */
  readonly confidence: number;
  readonly engine: string;
  /** Share of the speech in the audio inside the words recognised (grammar engines), 0 to 1. */
  readonly coverage?: number;
}

export interface SpeechRecognizer {
  readonly name: string;
  /** Whether it can take free speech (no grammar); the grammar engine cannot. */
  readonly freeSpeech: boolean;
  /** `grammar` is JSGF; engines that recognize free speech may ignore it. */
  recognize(audio: Audio, grammar: string | null): Promise<Recognition>;
}

export interface SpeechSynthesizer {
  readonly name: string;
  readonly voices: readonly string[];
  /** WAV bytes (PCM) of the text spoken in the voice (the engine's default when absent). */
  synthesize(text: string, voice?: string): Promise<Buffer>;
}

export class SpeechEngineFailure extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'SpeechEngineFailure';
    this.retryable = retryable;
  }
}
