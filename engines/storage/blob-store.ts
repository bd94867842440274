// Uploaded files, stored once by the SHA-256 of their bytes. Workflows and database rows carry the
// digest, never the bytes: Temporal payloads are small and histories are kept.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredBlob {
  readonly sha256: string;
  readonly sizeBytes: number;
  /** False when identical bytes were already stored. */
  readonly created: boolean;
}

export interface BlobStore {
  put(bytes: Uint8Array): Promise<StoredBlob>;
  /** The stored bytes; throws BlobNotFoundError when there are none. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

export class BlobNotFoundError extends Error {
  readonly sha256: string;
  constructor(sha256: string) {
    super(`No stored file with SHA-256 ${sha256}`);
    this.name = 'BlobNotFoundError';
    this.sha256 = sha256;
  }
}

const digestPattern = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A folder of files named by digest (`ab/cd/abcd...`); writes are atomic (temp file, then rename). */
export function createFileBlobStore(root: string): BlobStore {
  const pathFor = (sha256: string): string => {
    if (!digestPattern.test(sha256)) throw new Error(`Invalid SHA-256 digest '${sha256}'`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  const has = async (sha256: string): Promise<boolean> => {
    try {
      await stat(pathFor(sha256));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };
  return {
    has,
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      if (await has(sha256)) return { sha256, sizeBytes: bytes.byteLength, created: false };
      const target = pathFor(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await writeFile(temp, bytes);
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, sizeBytes: bytes.byteLength, created: true };
    },
    async get(sha256) {
      try {
        return await readFile(pathFor(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
        throw error;
      }
    },
  };
}
