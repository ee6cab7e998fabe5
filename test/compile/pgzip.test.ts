/** Parallel gzip (pigz-style blocks): one gzip member any gunzip reads, the same bytes whatever the
 *  number of blocks in flight, the size of the writes or the thread pool. */
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { BLOCK, ParallelGzip, tableCrc32 } from '../../src/compile/pgzip.js';
import { tempDir } from './helpers.js';

jest.setTimeout(60_000);

/** Text with repeats that reach back across block boundaries, then random bytes, then text. */
function sample(size: number): Buffer {
  const text = Buffer.from(
    Array.from({ length: Math.ceil(size / 40) }, (_, i) => `line ${i % 997} of the sample, ok\n`).join(''),
  );
  const third = Math.floor(size / 3);
  return Buffer.concat([text.subarray(0, third), randomBytes(third), text.subarray(0, size - 2 * third)]);
}

/** Gzips DATA written in pieces of the given sizes (cycled). */
async function pgzip(data: Buffer, pieces: number[], inFlight?: number, level?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let at = 0;
  let i = 0;
  const parts: Buffer[] = [];
  while (at < data.length) {
    const n = pieces[i++ % pieces.length];
    parts.push(data.subarray(at, at + n));
    at += n;
  }
  await pipeline(
    Readable.from(parts),
    new ParallelGzip({ inFlight, level }),
    new Writable({
      write(c: Buffer, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
}

describe('ParallelGzip', () => {
  it.each([0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 12_345])(
    'gives %i bytes back through zlib and GNU gzip, with their CRC-32 and size in the trailer',
    async (size) => {
      const data = sample(size);
      const gz = await pgzip(data, [100_000, 7, 65_536]);
      expect(gunzipSync(gz).equals(data)).toBe(true);
      const file = join(tempDir(), 'x.gz');
      writeFileSync(file, gz);
      expect(execFileSync('gzip', ['-dc', file], { maxBuffer: 1 << 26 }).equals(data)).toBe(true);
      expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32(data));
      expect(gz.readUInt32LE(gz.length - 4)).toBe(size);
      // One member: header without a name or a timestamp, as zlib's gzip writes it at level 6.
      expect([...gz.subarray(0, 10)]).toEqual([...gzipSync(Buffer.alloc(0)).subarray(0, 10)]);
    },
  );

  it('writes the same bytes whatever the size of the writes and the number of blocks in flight', async () => {
    const data = sample(5 * BLOCK + 999);
    const a = await pgzip(data, [BLOCK * 8], 1);
    const b = await pgzip(data, [1000, 333_333, 17], 7);
    const c = await pgzip(data, [4096], 2);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    // Not one zlib stream: each block ends with a sync flush (the empty stored block 00 00 ff ff).
    expect(a.equals(gzipSync(data))).toBe(false);
    expect(a.includes(Buffer.from([0, 0, 0xff, 0xff]))).toBe(true);
  });

  it('uses the end of the previous block as the dictionary: a repeat across a cut still matches', async () => {
    // Random bytes, whose last 16 KiB start the second block again.
    const first = randomBytes(BLOCK);
    const repeat = first.subarray(BLOCK - (16 << 10));
    const gz = await pgzip(Buffer.concat([first, repeat]), [BLOCK]);
    // Without the dictionary the repeat would cost its 16 KiB again.
    expect(gz.length).toBeLessThan(BLOCK + (4 << 10));
    expect(gz.length).toBeGreaterThan(BLOCK);
  });

  it('keeps the level: 9 marks the header and compresses at least as well as 1', async () => {
    const data = sample(2 * BLOCK);
    const best = await pgzip(data, [BLOCK], 2, 9);
    const fast = await pgzip(data, [BLOCK], 2, 1);
    expect(best[8]).toBe(2);
    expect(fast[8]).toBe(4);
    expect(best.length).toBeLessThanOrEqual(fast.length);
    expect(gunzipSync(best).equals(data)).toBe(true);
  });

  it('computes the CRC-32 without zlib.crc32 (Node before 20.15) as zlib does, piece by piece', () => {
    const data = sample(100_000);
    expect(tableCrc32(data.subarray(50_000), tableCrc32(data.subarray(0, 50_000), 0))).toBe(crc32(data));
    expect(tableCrc32(Buffer.alloc(0), 1234)).toBe(1234);
  });

  it('is read by GNU tar -xzf when it carries a tar stream', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big'), sample(2 * BLOCK + 5));
    const tarball = execFileSync('tar', ['-cf', '-', '-C', dir, 'big'], { maxBuffer: 1 << 26 });
    const out = join(dir, 'x.tgz');
    writeFileSync(out, await pgzip(tarball, [10_000]));
    const into = tempDir();
    execFileSync('tar', ['-xzf', out, '-C', into]);
    expect(readFileSync(join(into, 'big')).equals(readFileSync(join(dir, 'big')))).toBe(true);
  });
});
