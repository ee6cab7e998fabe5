/** The disk format of a disk artifact: a sparse raw disk written as gzip'd 512 KiB blocks and a
 *  manifest, read back block by block; the manifest parser rejects every broken rule by name. */
import { describe, expect, it, jest } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  BLOCKS_FILE,
  BLOCK_SIZE,
  MANIFEST_FILE,
  parseManifest,
  readBlocks,
  writeDisk,
  type DiskManifest,
} from '../../src/disk/manifest.js';

jest.setTimeout(120_000);

const GiB = 1 << 30;
const tempDir = () => mkdtempSync(join(tmpdir(), 'amibake-disk-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A sparse 1 GiB file with data at a few places: returns the bytes written at each offset. */
function sparseDisk(path: string): Map<number, Buffer> {
  const writes = new Map<number, Buffer>([
    [0, Buffer.from('first sector of the disk')],
    // Straddles the boundary of blocks 3 and 4.
    [4 * BLOCK_SIZE - 10, randomBytes(30)],
    // A whole block of random bytes (gzip cannot shrink it).
    [100 * BLOCK_SIZE, randomBytes(BLOCK_SIZE)],
    [GiB - 7, Buffer.from('the end')],
  ]);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, GiB);
  for (const [at, data] of writes) writeSync(fd, data, 0, data.length, at);
  closeSync(fd);
  return writes;
}

function expectedImage(writes: Map<number, Buffer>): (index: number) => Buffer {
  return (index) => {
    const block = Buffer.alloc(BLOCK_SIZE);
    const start = index * BLOCK_SIZE;
    for (const [at, data] of writes) {
      for (let i = 0; i < data.length; i++) {
        const pos = at + i - start;
        if (pos >= 0 && pos < BLOCK_SIZE) block[pos] = data[i];
      }
    }
    return block;
  };
}

describe('writeDisk and readBlocks', () => {
  it('round-trips a sparse disk, leaving the zero blocks out', async () => {
    const dir = tempDir();
    const raw = join(dir, 'disk.raw');
    const writes = sparseDisk(raw);
    const target = join(dir, 'target');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(target);

    const written = await writeDisk(raw, target, { inFlight: 3 });

    const text = readFileSync(join(target, MANIFEST_FILE), 'utf8');
    const manifest = parseManifest(text, MANIFEST_FILE);
    expect(manifest).toEqual(written.manifest);
    expect(manifest.size).toBe(GiB);
    expect(manifest.blocks.map((b) => b.index)).toEqual([0, 3, 4, 100, GiB / BLOCK_SIZE - 1]);
    expect(written.manifestSha256).toBe(sha(Buffer.from(text)));
    const blocksFile = readFileSync(join(target, BLOCKS_FILE));
    expect(written.blocksSha256).toBe(sha(blocksFile));
    expect(written.blocksBytes).toBe(blocksFile.length);
    // Each block is its own gzip member at its offset.
    const expected = expectedImage(writes);
    for (const b of manifest.blocks) {
      const data = (await import('node:zlib')).gunzipSync(blocksFile.subarray(b.offset, b.offset + b.length));
      expect(data.equals(expected(b.index))).toBe(true);
    }

    const seen: number[] = [];
    for await (const { index, data, sha256 } of readBlocks(target, manifest)) {
      seen.push(index);
      expect(data.length).toBe(BLOCK_SIZE);
      expect(data.equals(expected(index))).toBe(true);
      expect(sha256).toBe(createHash('sha256').update(data).digest('base64'));
    }
    expect(seen).toEqual(manifest.blocks.map((b) => b.index));
    // Only the temporary-free result is left.
    expect(statSync(join(target, BLOCKS_FILE)).size).toBe(written.blocksBytes);
  });

  it('refuses a disk that is not a whole number of GiB', async () => {
    const dir = tempDir();
    const raw = join(dir, 'odd.raw');
    const fd = openSync(raw, 'w');
    ftruncateSync(fd, GiB + BLOCK_SIZE);
    closeSync(fd);
    await expect(writeDisk(raw, dir)).rejects.toThrow(/odd\.raw.*whole number of GiB/);
  });

  it('rejects a block that is not what the manifest says', async () => {
    const dir = tempDir();
    const good = Buffer.alloc(BLOCK_SIZE, 7);
    const short = Buffer.alloc(BLOCK_SIZE - 1, 7);
    const b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
    const write = (parts: Buffer[], hashes: string[]): DiskManifest => {
      const gz = parts.map((p) => gzipSync(p));
      writeFileSync(join(dir, BLOCKS_FILE), Buffer.concat(gz));
      let offset = 0;
      return parseManifest(
        JSON.stringify({
          format: 'amibake-disk',
          version: 1,
          blockSize: BLOCK_SIZE,
          size: GiB,
          compression: 'gzip',
          blocks: gz.map((g, i) => {
            const b = { index: i, offset, length: g.length, sha256: hashes[i] };
            offset += g.length;
            return b;
          }),
        }),
        'm.json',
      );
    };
    const drain = async (m: DiskManifest) => {
      for await (const _ of readBlocks(dir, m)) void _;
    };
    await expect(drain(write([good, short], [b64(good), b64(short)]))).rejects.toThrow(
      /disk\.blocks: block 1 inflates to 524287 bytes, not 524288/,
    );
    await expect(drain(write([good, Buffer.alloc(BLOCK_SIZE + 1)], [b64(good), b64(good)]))).rejects.toThrow(
      /block 1 inflates to more than that bytes|block 1 does not decompress/,
    );
    await expect(drain(write([good, good], [b64(good), b64(short)]))).rejects.toThrow(
      /block 1 does not match its sha256/,
    );
    // A file longer than the manifest accounts for.
    const m = write([good], [b64(good)]);
    writeFileSync(join(dir, BLOCKS_FILE), Buffer.concat([gzipSync(good), Buffer.from('x')]));
    await expect(drain(m)).rejects.toThrow(/accounts for/);
  });
});

describe('parseManifest', () => {
  const hash = createHash('sha256').update(Buffer.alloc(BLOCK_SIZE, 1)).digest('base64');
  const valid = () => ({
    format: 'amibake-disk',
    version: 1,
    blockSize: BLOCK_SIZE,
    size: 2 * GiB,
    compression: 'gzip',
    blocks: [
      { index: 0, offset: 0, length: 600, sha256: hash },
      { index: 5, offset: 600, length: 700, sha256: hash },
    ],
  });
  type Doc = ReturnType<typeof valid> & Record<string, unknown>;

  it('accepts a valid manifest', () => {
    expect(parseManifest(JSON.stringify(valid()), 'a.json')).toEqual(valid());
  });

  const cases: [string, (d: Doc) => unknown, RegExp][] = [
    ['format', (d) => (d.format = 'other'), /format: expected "amibake-disk"/],
    ['version', (d) => (d.version = 2), /version: expected 1/],
    ['blockSize', (d) => (d.blockSize = 512), /blockSize: expected 524288/],
    ['compression', (d) => (d.compression = 'zstd'), /compression: expected "gzip"/],
    ['size not GiB', (d) => (d.size = GiB + 512), /size: expected/],
    ['size zero', (d) => (d.size = 0), /size: expected/],
    ['size string', (d) => ((d as Record<string, unknown>).size = '1073741824'), /size: expected/],
    ['unknown field', (d) => (d.extra = 1), /extra: unknown field/],
    ['missing field', (d) => delete (d as Partial<Doc>).compression, /compression: missing/],
    ['blocks not array', (d) => ((d as Record<string, unknown>).blocks = {}), /blocks: expected an array/],
    ['block not object', (d) => ((d.blocks as unknown[])[1] = 3), /blocks\[1\]: expected an object/],
    [
      'block unknown field',
      (d) => ((d.blocks[0] as Record<string, unknown>).crc = 1),
      /blocks\[0\]\.crc: unknown/,
    ],
    [
      'block missing field',
      (d) => delete (d.blocks[1] as Partial<DiskManifest['blocks'][0]>).sha256,
      /blocks\[1\]\.sha256: missing/,
    ],
    [
      'index beyond the disk',
      (d) => (d.blocks[1].index = (2 * GiB) / BLOCK_SIZE),
      /blocks\[1\]\.index: expected an integer from 0 to 4095/,
    ],
    ['negative index', (d) => (d.blocks[0].index = -1), /blocks\[0\]\.index/],
    ['fractional index', (d) => (d.blocks[1].index = 2.5), /blocks\[1\]\.index/],
    [
      'unsorted',
      (d) => (d.blocks[1].index = 0),
      /blocks\[1\]\.index: blocks must be sorted by index with no duplicates/,
    ],
    ['offset gap', (d) => (d.blocks[1].offset = 601), /blocks\[1\]\.offset: expected 600/],
    ['first offset', (d) => (d.blocks[0].offset = 1), /blocks\[0\]\.offset: expected 0/],
    ['length zero', (d) => (d.blocks[0].length = 0), /blocks\[0\]\.length/],
    ['length too long', (d) => (d.blocks[0].length = BLOCK_SIZE + 5000), /blocks\[0\]\.length/],
    ['sha256 hex', (d) => (d.blocks[0].sha256 = 'ab'.repeat(32)), /blocks\[0\]\.sha256/],
    ['sha256 number', (d) => ((d.blocks[0] as Record<string, unknown>).sha256 = 5), /blocks\[0\]\.sha256/],
  ];
  it.each(cases)('rejects %s, naming the file and the field', (_name, mutate, error) => {
    const doc = valid() as Doc;
    mutate(doc);
    const run = () => parseManifest(JSON.stringify(doc), 'art/disk.manifest.json');
    expect(run).toThrow(error);
    expect(run).toThrow(/^art\/disk\.manifest\.json: /);
  });

  it('rejects text that is not a JSON object, or too big', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow(/^m\.json: not JSON/);
    expect(() => parseManifest('[]', 'm.json')).toThrow(/^m\.json: not a JSON object/);
    expect(() => parseManifest(' '.repeat((64 << 20) + 1), 'm.json')).toThrow(/^m\.json: over 64 MiB/);
  });
});
