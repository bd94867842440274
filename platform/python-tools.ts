// Python command-line tools the tests drive (the schemathesis fuzzer), installed into a project-local
// virtual environment from a requirements file that pins every package by version and SHA-256, so a fresh
// machine gets exactly what was checked and nothing else (pip --require-hashes --no-deps).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, toolsDir } from './tools.ts';

const run = promisify(execFile);

export interface PythonToolSpec {
  readonly name: string;
  /** The requirements file, relative to the project root. */
  readonly requirements: string;
  /** The command the environment's bin/ then holds. */
  readonly command: string;
}

export const schemathesis: PythonToolSpec = {
  name: 'schemathesis',
  requirements: 'platform/python/schemathesis.txt',
  command: 'schemathesis',
};

/** Why this machine cannot have the tool (no python3 with venv), or null. */
export async function pythonToolUnavailable(): Promise<string | null> {
  try {
    await run('python3', ['-c', 'import venv, sys; assert sys.version_info >= (3, 10)']);
    return null;
  } catch {
    return 'python3 (3.10 or later, with venv) is not installed';
  }
}

/** The tool's executable, installing its environment on first use or when its requirements change. */
export async function ensurePythonTool(spec: PythonToolSpec, log: (line: string) => void = console.error): Promise<string> {
  const requirements = await readFile(path.join(projectRoot, spec.requirements));
  const digest = createHash('sha256').update(requirements).digest('hex').slice(0, 16);
  const dir = path.join(toolsDir, 'python', `${spec.name}-${digest}`);
  const command = path.join(dir, 'bin', spec.command);
  if (existsSync(path.join(dir, 'installed')) && existsSync(command)) return command;
  log(`Installing ${spec.name} from ${spec.requirements} (pinned, hashes checked) into ${path.relative(projectRoot, dir)}/ ...`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await run('python3', ['-m', 'venv', dir]);
  await run(path.join(dir, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--require-hashes',
    '--no-deps',
    '-r',
    path.join(projectRoot, spec.requirements),
  ]);
  await writeFile(path.join(dir, 'installed'), `${new Date().toISOString()}\n`);
  return command;
}
