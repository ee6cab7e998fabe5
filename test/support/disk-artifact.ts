/**
 * Disk artifacts for the build's tests, without the local VM: a synthetic raw disk (sparse, a
 * few MiB of pattern data with zero gaps between), written in the disk format the build reads
 * (disk.manifest.json + disk.blocks, by prepare's own writer), beside
 * the prepared files of test/bake/fixture.ts, with vars.env's KIND=disk keys.
 */
import {
  appendFileSync,
  copyFileSync,
  statSync,
  closeSync,
  openSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { formatEnv } from '../../src/core/envfile.js';
import { writeDisk } from '../../src/disk/manifest.js';
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
export async function writeDiskFiles(rawPath: string, dir: string): Promise<DiskFiles> {
  const key = `${rawPath}@${statSync(rawPath).mtimeMs}`;
  const done = written.get(key);
  if (done) {
    for (const f of ['disk.manifest.json', 'disk.blocks']) copyFileSync(join(done.dir, f), join(dir, f));
    return done.files;
  }
  const files = await writeDiskFilesOnce(rawPath, dir);
  written.set(key, { dir, files });
  return files;
}

async function writeDiskFilesOnce(rawPath: string, dir: string): Promise<DiskFiles> {
  // The writer prepare --disk uses.
  const w = await writeDisk(rawPath, dir);
  return {
    size: w.manifest.size,
    blocks: w.manifest.blocks.length,
    manifestSha256: w.manifestSha256,
    blocksSha256: w.blocksSha256,
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
  const disk = await writeDiskFiles(rawPath, f.dir);
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
