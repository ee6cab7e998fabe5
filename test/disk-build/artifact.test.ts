/** The disk files of an artifact, checked before any AWS call: what vars.env's KIND selects, the
 *  files' sums, the manifest against DISK_SIZE and disk.blocks, and each block's size. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { parseEnv } from '../../src/core/envfile.js';
import { kindOf, kindOfFolder, loadDisk, openBlocks } from '../../src/features/disk-upload/artifact.js';
import { makeDiskArtifact, makeRawDisk } from '../support/disk-artifact.js';

// Writing a 1 GiB disk's blocks takes seconds on a loaded machine.
jest.setTimeout(60_000);
let work: string;
let raw: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'amibake-disk-artifact-'));
  raw = join(work, 'disk.raw');
  makeRawDisk(raw);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const varsOf = (dir: string) => parseEnv(readFileSync(join(dir, 'vars.env'), 'utf8'), join(dir, 'vars.env'));
const load = (dir: string, vars = varsOf(dir)) => loadDisk(dir, vars, join(dir, 'vars.env'));

describe('the kind of an artifact', () => {
  it('is an instance artifact without KIND, a disk with KIND=disk, and anything else is refused', async () => {
    expect(kindOf({}, 'vars.env')).toBe('instance');
    expect(kindOf({ KIND: 'disk' }, 'vars.env')).toBe('disk');
    expect(() => kindOf({ KIND: 'ami' }, 'vars.env')).toThrow(/KIND must be disk or absent/);
    const a = await makeDiskArtifact(raw, { dir: join(work, 'kind') });
    expect(await kindOfFolder(a.dir)).toBe('disk');
    expect(await kindOfFolder(join(work, 'nowhere'))).toBe('instance');
  });
});

describe('the disk files', () => {
  it('load when they are what vars.env says, and every block reads back to its checksum', async () => {
    const a = await makeDiskArtifact(raw, { dir: join(work, 'ok') });
    const disk = await load(a.dir);
    expect(disk.size).toBe(2 ** 30);
    expect(disk.manifest.blocks).toHaveLength(a.disk.blocks);
    const { blocks, close } = await openBlocks(disk);
    for (const b of blocks)
      expect(
        createHash('sha256')
          .update(await b.read())
          .digest('base64'),
      ).toBe(b.expectedSha256);
    await close();
  });

  it.each([
    ['DISK_MANIFEST_SHA256', /DISK_MANIFEST_SHA256 is missing/],
    ['DISK_BLOCKS_SHA256', /DISK_BLOCKS_SHA256 is missing/],
    ['DISK_SIZE', /DISK_SIZE is missing/],
    ['DISK_BASE_DIGEST', /DISK_BASE_DIGEST is missing/],
    ['DISK_RECIPE', /DISK_RECIPE is missing/],
  ])('need %s', async (key, error) => {
    const a = await makeDiskArtifact(raw, { dir: join(work, `missing-${key}`) });
    const vars = varsOf(a.dir);
    delete vars[key];
    await expect(load(a.dir, vars)).rejects.toThrow(error);
  });

  it('refuses a manifest or blocks file other than vars.env names', async () => {
    const a = await makeDiskArtifact(raw, { dir: join(work, 'sums') });
    appendFileSync(join(a.dir, 'disk.blocks'), 'x');
    await expect(load(a.dir)).rejects.toThrow(/disk\.blocks: sha256 .* does not match DISK_BLOCKS_SHA256/);
    const vars = { ...varsOf(a.dir), DISK_MANIFEST_SHA256: 'a'.repeat(64) };
    await expect(load(a.dir, vars)).rejects.toThrow(/disk\.manifest\.json: sha256 .* DISK_MANIFEST_SHA256/);
  });

  it('refuses a manifest whose size is not DISK_SIZE, and a blocks file longer than the manifest', async () => {
    const a = await makeDiskArtifact(raw, { dir: join(work, 'size') });
    await expect(load(a.dir, { ...varsOf(a.dir), DISK_SIZE: String(2 * 2 ** 30) })).rejects.toThrow(
      /size 1073741824 is not DISK_SIZE 2147483648/,
    );
    appendFileSync(join(a.dir, 'disk.blocks'), 'extra');
    const vars = { ...varsOf(a.dir), DISK_BLOCKS_SHA256: hex(readFileSync(join(a.dir, 'disk.blocks'))) };
    await expect(load(a.dir, vars)).rejects.toThrow(/the manifest accounts for/);
  });

  it('refuses a missing disk file, naming it', async () => {
    const a = await makeDiskArtifact(raw, { dir: join(work, 'gone') });
    rmSync(join(a.dir, 'disk.blocks'));
    await expect(load(a.dir)).rejects.toThrow(/disk\.blocks: ENOENT .*KIND=disk/);
  });

  it('never inflates a block past 512 KiB (a gzip bomb stops there)', async () => {
    const a = await makeDiskArtifact(raw, { dir: join(work, 'bomb') });
    const bomb = gzipSync(Buffer.alloc(8 * 524288, 1));
    const manifest = {
      format: 'amibake-disk',
      version: 1,
      blockSize: 524288,
      size: 2 ** 30,
      compression: 'gzip',
      blocks: [{ index: 0, offset: 0, length: bomb.length, sha256: 'A'.repeat(43) + '=' }],
    };
    const text = JSON.stringify(manifest);
    writeFileSync(join(a.dir, 'disk.manifest.json'), text);
    writeFileSync(join(a.dir, 'disk.blocks'), bomb);
    const vars = {
      ...varsOf(a.dir),
      DISK_MANIFEST_SHA256: hex(text),
      DISK_BLOCKS_SHA256: hex(bomb),
    };
    const disk = await load(a.dir, vars);
    const { blocks, close } = await openBlocks(disk);
    await expect(blocks[0].read()).rejects.toThrow(/block 0 is not one gzip member of 524288 bytes/);
    await close();
  });
});
