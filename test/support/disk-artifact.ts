/**
 * Disk artifacts for the build's tests, without the local VM: a synthetic raw disk (sparse, a
 * few MiB of pattern data with zero gaps between), written in the disk format the build reads
 * (disk.manifest.json + disk.blocks: the non-zero 512 KiB blocks, each one gzip member), beside
 * the prepared files of test/bake/fixture.ts, with vars.env's KIND=disk keys.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  statSync,
  closeSync,
  openSync,
  readSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatEnv } from '../../src/core/envfile.js';
import { makePrepared, type Fixture, type FixtureOptions } from '../bake/fixture.js';

export const BLOCK = 524_288;
export const GIB = 1024 ** 3;

/** Where the synthetic disk has data: [offset, length] in bytes. */
export const PATTERN: [number, number][] = [
  [0, 3 * 1024 * 1024], // the first blocks (a partition table, a bootloader)
  [100 * 1024 * 1024 + 4096, 1024 * 1024], // not block-aligned: spans 3 blocks
  [512 * 1024 * 1024 + 7, 1], // one byte: a block that is almost all zeros is still sent
  [GIB - BLOCK, BLOCK], // the last block
];

/** A sparse raw disk of `sizeGiB` with the pattern's data (bytes derived from the offset). */
export function makeRawDisk(path: string, sizeGiB = 1, pattern = PATTERN): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, sizeGiB * GIB);
    for (const [offset, length] of pattern) {
      const data = Buffer.alloc(length);
      for (let i = 0; i < length; i++) data[i] = ((offset + i) * 131 + 7) % 251 || 1;
      writeSync(fd, data, 0, length, offset);
    }
  } finally {
    closeSync(fd);
  }
}

export interface DiskFiles {
  size: number;
  blocks: number;
  manifestSha256: string;
  blocksSha256: string;
}

/** The files written last for a raw disk (path and mtime): reading a sparse GiB costs seconds. */
const written = new Map<string, { dir: string; files: DiskFiles }>();

/** Writes disk.manifest.json and disk.blocks of the raw disk into `dir`. */
export function writeDiskFiles(rawPath: string, dir: string): DiskFiles {
  const key = `${rawPath}@${statSync(rawPath).mtimeMs}`;
  const done = written.get(key);
  if (done) {
    for (const f of ['disk.manifest.json', 'disk.blocks']) copyFileSync(join(done.dir, f), join(dir, f));
    return done.files;
  }
  const files = writeDiskFilesOnce(rawPath, dir);
  written.set(key, { dir, files });
  return files;
}

function writeDiskFilesOnce(rawPath: string, dir: string): DiskFiles {
  const fd = openSync(rawPath, 'r');
  const blocksPath = join(dir, 'disk.blocks');
  writeFileSync(blocksPath, '');
  const entries: { index: number; offset: number; length: number; sha256: string }[] = [];
  const zero = Buffer.alloc(BLOCK);
  const buf = Buffer.alloc(BLOCK);
  let offset = 0;
  let size = 0;
  try {
    for (let index = 0; ; index++) {
      const n = readSync(fd, buf, 0, BLOCK, index * BLOCK);
      if (n === 0) break;
      size += n;
      if (n < BLOCK) buf.fill(0, n);
      if (buf.equals(zero)) continue;
      const gz = gzipSync(buf, { level: 1 });
      appendFileSync(blocksPath, gz);
      entries.push({
        index,
        offset,
        length: gz.length,
        sha256: createHash('sha256').update(buf).digest('base64'),
      });
      offset += gz.length;
    }
  } finally {
    closeSync(fd);
  }
  const manifest = JSON.stringify({
    format: 'amibake-disk',
    version: 1,
    blockSize: BLOCK,
    size,
    compression: 'gzip',
    blocks: entries,
  });
  writeFileSync(join(dir, 'disk.manifest.json'), manifest);
  const fileSha = (p: string) => {
    const h = createHash('sha256');
    const f = openSync(p, 'r');
    const b = Buffer.alloc(1 << 20);
    for (let n; (n = readSync(f, b, 0, b.length, null)) > 0;) h.update(b.subarray(0, n));
    closeSync(f);
    return h.digest('hex');
  };
  return {
    size,
    blocks: entries.length,
    manifestSha256: createHash('sha256').update(manifest).digest('hex'),
    blocksSha256: fileSha(blocksPath),
  };
}

export const BASE_DIGEST = 'b'.repeat(64);
export const RECIPE = 'debian-12-bios-uefi-1';

/** A prepared folder of kind disk: the instance files plus the disk's, vars.env completed. */
export async function makeDiskArtifact(
  rawPath: string,
  opts: FixtureOptions = {},
): Promise<Fixture & { disk: DiskFiles }> {
  const f = await makePrepared(opts);
  const disk = writeDiskFiles(rawPath, f.dir);
  const extra = {
    KIND: 'disk',
    DISK_MANIFEST_SHA256: disk.manifestSha256,
    DISK_BLOCKS_SHA256: disk.blocksSha256,
    DISK_SIZE: String(disk.size),
    DISK_BASE_DIGEST: BASE_DIGEST,
    DISK_RECIPE: RECIPE,
  };
  appendFileSync(join(f.dir, 'vars.env'), formatEnv(extra));
  return { ...f, vars: { ...f.vars, ...extra }, disk };
}
