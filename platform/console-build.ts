// The operations console's built assets: Vite builds console/ into console/dist when the sources are
// newer than the last build (or there is none), so a fresh clone's `npm start` serves it. Vite is a
// development dependency: an install without it serves a console built before, or says how to build one.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as Vite from 'vite';
import { projectRoot } from './tools.ts';

export const consoleDir = path.join(projectRoot, 'console');
export const consoleDist = path.join(consoleDir, 'dist');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const builtAt = () => {
  try {
    return statSync(path.join(consoleDist, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
};

export function consoleIsStale(): boolean {
  const sources = Math.max(
    newest(path.join(consoleDir, 'src')),
    statSync(path.join(consoleDir, 'index.html')).mtimeMs,
    statSync(path.join(consoleDir, 'vite.config.ts')).mtimeMs,
  );
  return builtAt() < sources;
}

/** Builds the console when stale; resolves to whether a built console is there to serve. */
export async function ensureConsoleBuilt(log: (line: string) => void = console.error): Promise<boolean> {
  if (!consoleIsStale()) return true;
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch {
    log(
      builtAt() > 0
        ? 'The console sources changed but Vite is not installed: serving the earlier build.'
        : 'Vite is not installed: the console is not built (npm install, then npm run build:console).',
    );
    return builtAt() > 0;
  }
  log('Building the operations console (Vite)...');
  await vite.build({ root: consoleDir, configFile: path.join(consoleDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
