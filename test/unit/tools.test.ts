import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractZipMember } from '../../platform/tools.ts';

/** A minimal zip with the given entries, written by hand so the reader is tested against the format. */
function zip(entries: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('extractZipMember', () => {
  const binary = Buffer.from('#!/bin/sh\necho temporal\n'.repeat(100));
  const archive = zip([
    { name: 'pkg.dist-info/METADATA', data: Buffer.from('Name: x'), deflate: false },
    { name: 'pkg.data/scripts/temporal', data: binary, deflate: true },
  ]);
  it('extracts deflated and stored members', () => {
    expect(extractZipMember(archive, 'pkg.data/scripts/temporal')).toEqual(binary);
    expect(extractZipMember(archive, 'pkg.dist-info/METADATA').toString()).toBe('Name: x');
  });
  it('says what is missing', () => {
    expect(() => extractZipMember(archive, 'nope')).toThrow('nope not found in archive');
    expect(() => extractZipMember(Buffer.from('not a zip at all, just some bytes here'), 'x')).toThrow(/Not a zip/);
  });
});
