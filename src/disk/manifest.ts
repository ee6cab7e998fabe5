/**
 * The disk of a disk artifact, in the EBS direct APIs' terms: the raw disk cut in 512 KiB blocks,
 * the all-zero ones left out (a new snapshot reads zeros where no block was put), every other one
 * gzip'd on its own into `disk.blocks` and listed in `disk.manifest.json` with its place in the
 * disk, its place in `disk.blocks` and the base64 SHA256 of its uncompressed bytes (what
 * PutSnapshotBlock's checksum wants). The build reads it in-process: no qemu-img, no temporary
 * raw disk.
 *
 * The prepare job writes it, the build job reads it: everything here is attacker-controlled on
 * the reading side, so parseManifest checks every rule and readBlocks re-hashes every block.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { UserError } from '../core/errors.js';

/** The EBS direct APIs' block size. */
export const BLOCK_SIZE = 524288;
/** A disk's size is a whole number of GiB (an EBS volume's unit). */
export const DISK_SIZE_UNIT = 1 << 30;
export const MANIFEST_FILE = 'disk.manifest.json';
export const BLOCKS_FILE = 'disk.blocks';
export const MANIFEST_MAX_BYTES = 64 << 20;
export const MANIFEST_FORMAT = 'amibake-disk';
export const MANIFEST_VERSION = 1;
/** gzip's worst case for 512 KiB of incompressible bytes is a few hundred bytes over it: anything
 *  longer is not one of our blocks. */
export const MAX_BLOCK_LENGTH = BLOCK_SIZE + 4096;
/** The smallest gzip member: a 10-byte header, an empty deflate block, the 8-byte trailer. */
const MIN_BLOCK_LENGTH = 20;

export interface DiskBlock {
  /** Block number in the disk (byte offset / BLOCK_SIZE). */
  index: number;
  /** Byte offset of its gzip member in disk.blocks. */
  offset: number;
  /** Compressed bytes. */
  length: number;
  /** base64 SHA256 of the BLOCK_SIZE uncompressed bytes. */
  sha256: string;
}

export interface DiskManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  blockSize: typeof BLOCK_SIZE;
  /** Raw disk bytes, a multiple of DISK_SIZE_UNIT. */
  size: number;
  compression: 'gzip';
  blocks: DiskBlock[];
}

export interface WriteDiskOptions {
  /** gzip level, 1-6 (default 1: the blocks of a disk are mostly binaries and packages already
   *  compressed; higher levels cost CPU for little). */
  level?: number;
  /** Blocks compressed at once (default: twice the cores, at least 2). */
  inFlight?: number;
}

export interface WrittenDisk {
  manifest: DiskManifest;
  manifestPath: string;
  blocksPath: string;
  /** Hex SHA256 of the two files, for vars.env. */
  manifestSha256: string;
  blocksSha256: string;
  /** Bytes of disk.blocks. */
  blocksBytes: number;
}

function gzipBlock(data: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zlib.gzip(data, { level }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

const ZERO = Buffer.alloc(BLOCK_SIZE);

/**
 * Writes TARGET/disk.blocks and TARGET/disk.manifest.json from the raw disk at RAWPATH (each
 * through a temporary name and a rename, so a failure leaves neither half-written).
 */
export async function writeDisk(
  rawPath: string,
  targetDir: string,
  opts: WriteDiskOptions = {},
): Promise<WrittenDisk> {
  const level = opts.level ?? 1;
  if (!Number.isInteger(level) || level < 1 || level > 6) throw new Error(`gzip level ${level}: 1-6`);
  const inFlight = opts.inFlight ?? Math.max(2, 2 * availableParallelism());
  const size = (await stat(rawPath)).size;
  if (size === 0 || size % DISK_SIZE_UNIT !== 0) {
    throw new UserError(`${rawPath}: a disk of ${size} bytes is not a whole number of GiB`);
  }
  const blocksPath = join(targetDir, BLOCKS_FILE);
  const manifestPath = join(targetDir, MANIFEST_FILE);
  const tmpBlocks = `${blocksPath}.${process.pid}.tmp`;
  const tmpManifest = `${manifestPath}.${process.pid}.tmp`;
  const input = await open(rawPath, 'r');
  const out = createWriteStream(tmpBlocks);
  const outDone = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const blocksHash = createHash('sha256');
  const blocks: DiskBlock[] = [];
  let offset = 0;
  /** Blocks being compressed, in disk order. */
  const queue: { index: number; sha256: string; gz: Promise<Buffer> }[] = [];
  const emit = async () => {
    const next = queue.shift()!;
    const gz = await next.gz;
    blocks.push({ index: next.index, offset, length: gz.length, sha256: next.sha256 });
    offset += gz.length;
    blocksHash.update(gz);
    if (!out.write(gz)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  try {
    for (let index = 0; index * BLOCK_SIZE < size; index++) {
      // A fresh buffer per block: the one being compressed must not be overwritten.
      const data = Buffer.allocUnsafe(BLOCK_SIZE);
      let got = 0;
      while (got < BLOCK_SIZE) {
        const { bytesRead } = await input.read(data, got, BLOCK_SIZE - got, index * BLOCK_SIZE + got);
        if (bytesRead === 0) throw new Error(`${rawPath}: shorter than its size while reading`);
        got += bytesRead;
      }
      if (data.equals(ZERO)) continue;
      const gz = gzipBlock(data, level);
      // Awaited in order by emit; a failure behind one that is thrown first must not go unhandled.
      gz.catch(() => undefined);
      queue.push({ index, sha256: createHash('sha256').update(data).digest('base64'), gz });
      while (queue.length >= inFlight) await emit();
    }
    while (queue.length) await emit();
    out.end();
    await outDone;
    const manifest: DiskManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      blockSize: BLOCK_SIZE,
      size,
      compression: 'gzip',
      blocks,
    };
    const text = JSON.stringify(manifest);
    if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES) throw new Error(`${MANIFEST_FILE}: over 64 MiB`);
    await writeFile(tmpManifest, text);
    await rename(tmpBlocks, blocksPath);
    await rename(tmpManifest, manifestPath);
    return {
      manifest,
      manifestPath,
      blocksPath,
      manifestSha256: createHash('sha256').update(text).digest('hex'),
      blocksSha256: blocksHash.digest('hex'),
      blocksBytes: offset,
    };
  } catch (err) {
    out.destroy();
    await rm(tmpBlocks, { force: true });
    await rm(tmpManifest, { force: true });
    throw err;
  } finally {
    await input.close();
  }
}

const SHA256_B64 = /^[A-Za-z0-9+/]{43}=$/;
const MANIFEST_KEYS = ['format', 'version', 'blockSize', 'size', 'compression', 'blocks'];
const BLOCK_KEYS = ['index', 'offset', 'length', 'sha256'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function exactKeys(v: Record<string, unknown>, keys: string[], where: string, fail: (m: string) => never) {
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(`${where}${k}: unknown field`);
  for (const k of keys) if (!(k in v)) fail(`${where}${k}: missing`);
}

/**
 * The manifest in TEXT (read from SOURCE, named in every error with the field at fault), checked
 * against every rule of the format: the reader trusts nothing it did not check here.
 */
export function parseManifest(text: string, source: string): DiskManifest {
  const fail = (m: string): never => {
    throw new UserError(`${source}: ${m}`);
  };
  if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES) fail('over 64 MiB');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) return fail('not a JSON object');
  exactKeys(doc, MANIFEST_KEYS, '', fail);
  if (doc.format !== MANIFEST_FORMAT) fail(`format: expected "${MANIFEST_FORMAT}"`);
  if (doc.version !== MANIFEST_VERSION) fail(`version: expected ${MANIFEST_VERSION}`);
  if (doc.blockSize !== BLOCK_SIZE) fail(`blockSize: expected ${BLOCK_SIZE}`);
  if (doc.compression !== 'gzip') fail('compression: expected "gzip"');
  const size = doc.size;
  if (!isCount(size) || size === 0 || size % DISK_SIZE_UNIT !== 0) {
    return fail('size: expected a positive whole number of GiB in bytes');
  }
  if (!Array.isArray(doc.blocks)) return fail('blocks: expected an array');
  const count = size / BLOCK_SIZE;
  let offset = 0;
  let previous = -1;
  const blocks: DiskBlock[] = doc.blocks.map((b: unknown, i: number) => {
    const where = `blocks[${i}].`;
    if (!isObject(b)) return fail(`blocks[${i}]: expected an object`);
    exactKeys(b, BLOCK_KEYS, where, fail);
    const { index, offset: at, length, sha256 } = b;
    if (!isCount(index) || index >= count) fail(`${where}index: expected an integer from 0 to ${count - 1}`);
    if ((index as number) <= previous) {
      fail(`${where}index: blocks must be sorted by index with no duplicates (${index} after ${previous})`);
    }
    if (!isCount(at) || at !== offset) fail(`${where}offset: expected ${offset} (offsets contiguous from 0)`);
    if (!isCount(length) || length < MIN_BLOCK_LENGTH || length > MAX_BLOCK_LENGTH) {
      fail(`${where}length: expected an integer from ${MIN_BLOCK_LENGTH} to ${MAX_BLOCK_LENGTH}`);
    }
    if (typeof sha256 !== 'string' || !SHA256_B64.test(sha256)) {
      fail(`${where}sha256: expected the base64 SHA256 of the block (44 characters)`);
    }
    previous = index as number;
    offset += length as number;
    return { index, offset: at, length, sha256 } as DiskBlock;
  });
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    blockSize: BLOCK_SIZE,
    size,
    compression: 'gzip',
    blocks,
  };
}

/** Bytes of disk.blocks the manifest accounts for. */
export function blocksBytes(manifest: DiskManifest): number {
  const last = manifest.blocks.at(-1);
  return last ? last.offset + last.length : 0;
}

function gunzipBlock(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // One byte over the block is enough to tell a block that inflates too far (a bomb stops there).
    zlib.gunzip(data, { maxOutputLength: BLOCK_SIZE + 1 }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/**
 * The blocks of TARGET/disk.blocks in manifest order, each decompressed, checked to be exactly
 * BLOCK_SIZE bytes and to hash to the manifest's sha256. The file must be exactly as long as the
 * manifest says.
 */
export async function* readBlocks(
  targetDir: string,
  manifest: DiskManifest,
): AsyncGenerator<{ index: number; data: Buffer; sha256: string }> {
  const path = join(targetDir, BLOCKS_FILE);
  const fh = await open(path, 'r');
  try {
    const total = (await fh.stat()).size;
    const expected = blocksBytes(manifest);
    if (total !== expected) {
      throw new UserError(`${path}: ${total} bytes, the manifest accounts for ${expected}`);
    }
    for (const block of manifest.blocks) {
      const gz = Buffer.alloc(block.length);
      let got = 0;
      while (got < block.length) {
        const { bytesRead } = await fh.read(gz, got, block.length - got, block.offset + got);
        if (bytesRead === 0) throw new UserError(`${path}: ends inside block ${block.index}`);
        got += bytesRead;
      }
      const data = await gunzipBlock(gz).catch((err: Error) => {
        throw new UserError(`${path}: block ${block.index} does not decompress (${err.message})`);
      });
      if (data.length !== BLOCK_SIZE) {
        throw new UserError(
          `${path}: block ${block.index} inflates to ${data.length > BLOCK_SIZE ? 'more than that' : data.length} ` +
            `bytes, not ${BLOCK_SIZE}`,
        );
      }
      const sha256 = createHash('sha256').update(data).digest('base64');
      if (sha256 !== block.sha256) {
        throw new UserError(`${path}: block ${block.index} does not match its sha256 in the manifest`);
      }
      yield { index: block.index, data, sha256 };
    }
  } finally {
    await fh.close();
  }
}
