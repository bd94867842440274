// Callers the voice dialogue was not tuned with: Debian's espeak-ng (a formant synthesizer, unlike
// flite's), run as a program. A voice is espeak-ng's name with an optional speed in words a minute:
// "en-gb-x-gbcwmd@170". Absent when espeak-ng is not installed (the evaluation says so).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SpeechSynthesizer } from '../../engines/speech/engines.ts';

const run = promisify(execFile);

export async function createEspeakSynthesizer(voices: readonly string[]): Promise<SpeechSynthesizer | null> {
  const installed = await run('espeak-ng', ['--version']).then(
    () => true,
    () => false,
  );
  if (!installed) return null;
  return {
    name: 'espeak-ng',
    voices,
    async synthesize(text, voice = 'en-us') {
      const [name = 'en-us', speed = '160'] = voice.split('@');
      const { stdout } = await run('espeak-ng', ['-v', name, '-s', speed, '--stdout', text], { encoding: 'buffer', maxBuffer: 64 << 20 });
      return stdout;
    },
  };
}
