/**
 * Parallel gzip, pigz-style: one gzip member whose deflate stream is compressed in fixed blocks at
 * once on the libuv thread pool (Node's async zlib calls run there), so deflate uses every core
 * without worker threads.
 *
 * Reproducible whatever the number of cores or the timing: the input is cut at fixed offsets
 * (every BLOCK bytes, not where the writes happened to end), each block is deflated raw with the
 * 32 KiB of input before it as its dictionary (so matches still reach back across the cut, as one
 * deflate stream's would), and ends with a sync flush (an empty stored block that byte-aligns it)
 * except the last, which ends the stream. The blocks, concatenated in order, are one valid deflate
 * stream: any gunzip reads it. The header has no timestamp and no name; CRC-32 and size are over
 * the whole input.
 */
import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/** Input bytes per deflate block. Small enough to spread over the cores and to bound memory, large
 *  enough that the per-block costs (a zlib state, its 32 KiB dictionary hashed again, a thread-pool
 *  round trip, the 5 bytes of each sync flush) stay small: 512 KiB took 5% less CPU than pigz's
 *  128 KiB on bench/prepare.mjs's tree. Changing it changes the archive's bytes. */
export const BLOCK = 512 << 10;
/** deflate's window: the most a match can reach back, so the most of a dictionary that counts. */
const WINDOW = 32 << 10;

export interface ParallelGzipOptions {
  /** 0-9; default 6, GNU gzip's. */
  level?: number;
  /** Blocks being compressed at once (bounds memory; does not change the output). Default: twice
   *  the cores, at least 2. */
  inFlight?: number;
}

/** CRC-32 (the gzip trailer's): zlib.crc32 from Node 20.15 and 22.2; a table before. */
const crc32: (data: Buffer, prev: number) => number =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

let table: Int32Array | undefined;
/** Exported for the tests. */
export function tableCrc32(data: Buffer, prev: number): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = ~prev;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** The 10-byte header zlib's gzip writes (no name, no timestamp; XFL from the level, OS Unix), so
 *  the header is the one fs.tgz always had. */
function header(level: number): Buffer {
  const xfl = level === 9 ? 2 : level < 2 ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]);
}

function deflateBlock(block: Buffer, dictionary: Buffer | undefined, level: number, last: boolean) {
  return new Promise<Buffer>((resolve, reject) => {
    zlib.deflateRaw(
      block,
      {
        level,
        ...(dictionary ? { dictionary } : {}),
        finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
        // Room for the whole block's output (deflate's worst case is a few bytes per 16 KiB over
        // the input), so each block is one trip to the thread pool.
        chunkSize: BLOCK + (BLOCK >> 4) + 1024,
      },
      (err, out) => (err ? reject(err) : resolve(out)),
    );
  });
}

/** A Transform from bytes to their gzip, compressed in parallel (see the module comment). */
export class ParallelGzip extends Transform {
  private readonly level: number;
  private readonly inFlight: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private previous: Buffer | undefined;
  /** Blocks submitted and not yet pushed, in input order. */
  private queue: Promise<Buffer>[] = [];
  private crc = 0;
  private isize = 0;
  private started = false;

  constructor(opts: ParallelGzipOptions = {}) {
    super();
    this.level = opts.level ?? 6;
    this.inFlight = opts.inFlight ?? Math.max(2, 2 * availableParallelism());
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drain(false).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    this.drain(true).then(() => {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.crc >>> 0, 0);
      trailer.writeUInt32LE(this.isize >>> 0, 4);
      cb(null, trailer);
    }, cb);
  }

  /** Submits every whole block (and, at the end, the rest as the last block), waiting for the
   *  oldest whenever as many as inFlight are being compressed. */
  private async drain(end: boolean): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.push(header(this.level));
    }
    while (this.pendingBytes >= BLOCK || end) {
      const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      // Exactly BLOCK bytes, unless this is the last block; a final empty block (input of a whole
      // number of blocks, or none) just ends the stream.
      const last = end && all.length <= BLOCK;
      const block = all.subarray(0, last ? all.length : BLOCK);
      const rest = all.subarray(block.length);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      // Not with an empty block: zlib's crc32 of a null buffer (an empty Buffer's may be) is 0,
      // its way of giving the initial value.
      if (block.length) this.crc = crc32(block, this.crc);
      this.isize = (this.isize + block.length) % 2 ** 32;
      const dict = this.previous?.subarray(Math.max(0, this.previous.length - WINDOW));
      const deflated = deflateBlock(block, dict, this.level, last);
      // Awaited in order below; a failure behind one that is thrown first must not go unhandled.
      deflated.catch(() => undefined);
      this.queue.push(deflated);
      this.previous = block;
      while (this.queue.length >= this.inFlight || (last && this.queue.length)) {
        this.push(await this.queue.shift());
      }
      if (last) return;
    }
  }
}
