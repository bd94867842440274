// Building test recordings out of pieces: silence, and recordings one after another (resampled to the
// first one's rate).
import { resample, type Audio } from '../../engines/speech/audio.ts';

export function silence(sampleRate: number, seconds: number): Audio {
  return { sampleRate, samples: new Float32Array(Math.round(sampleRate * seconds)) };
}

export function concatAudio(parts: readonly Audio[]): Audio {
  const sampleRate = parts[0]?.sampleRate ?? 16_000;
  const same = parts.map((p) => resample(p, sampleRate).samples);
  const samples = new Float32Array(same.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of same) {
    samples.set(s, at);
    at += s.length;
  }
  return { sampleRate, samples };
}
