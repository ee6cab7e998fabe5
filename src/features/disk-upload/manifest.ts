/**
 * The block manifest of a disk artifact (`disk.manifest.json` beside `disk.blocks`), read
 * strictly: it comes from the artifact, so every rule of the format is checked before a byte is
 * uploaded, and every error names the file and the field. The format: the non-zero 512 KiB blocks
 * of the raw disk, each one gzip member in `disk.blocks`, contiguous from offset 0, sorted by
 * index, with the base64 SHA256 of the uncompressed block.
 */
import { UserError } from '../../core/errors.js';

export const BLOCK_SIZE = 524_288;
/** The manifest is read whole: a bigger one is not what prepare writes. */
export const MANIFEST_LIMIT = 64 * 1024 * 1024;
const GIB = 1024 ** 3;

export interface DiskBlock {
  index: number;
  offset: number;
  length: number;
  /** base64 SHA256 of the 524288 uncompressed bytes. */
  sha256: string;
}

export interface DiskManifest {
  format: 'amibake-disk';
  version: 1;
  blockSize: typeof BLOCK_SIZE;
  /** Raw disk bytes, a multiple of 1 GiB. */
  size: number;
  compression: 'gzip';
  blocks: DiskBlock[];
}

const B64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parseManifest(text: string, source: string): DiskManifest {
  const fail = (field: string, what: string) => new UserError(`${source}: ${field}: ${what}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${source}: not JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw fail('(top)', 'must be an object');
  const m = raw as Record<string, unknown>;
  const known = ['format', 'version', 'blockSize', 'size', 'compression', 'blocks'];
  for (const k of Object.keys(m)) if (!known.includes(k)) throw fail(k, 'unknown field');
  if (m.format !== 'amibake-disk') throw fail('format', 'must be "amibake-disk"');
  if (m.version !== 1) throw fail('version', 'must be 1');
  if (m.blockSize !== BLOCK_SIZE) throw fail('blockSize', `must be ${BLOCK_SIZE}`);
  if (m.compression !== 'gzip') throw fail('compression', 'must be "gzip"');
  if (!isCount(m.size) || m.size === 0 || m.size % GIB !== 0)
    throw fail('size', 'must be a positive multiple of 1 GiB');
  if (!Array.isArray(m.blocks)) throw fail('blocks', 'must be an array');
  const count = m.size / BLOCK_SIZE;
  const blocks: DiskBlock[] = [];
  let offset = 0;
  let last = -1;
  for (const [n, b] of m.blocks.entries()) {
    const at = `blocks[${n}]`;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw fail(at, 'must be an object');
    const e = b as Record<string, unknown>;
    for (const k of Object.keys(e))
      if (!['index', 'offset', 'length', 'sha256'].includes(k)) throw fail(`${at}.${k}`, 'unknown field');
    if (!isCount(e.index) || e.index >= count)
      throw fail(`${at}.index`, `must be a block number below ${count}`);
    if (e.index <= last) throw fail(`${at}.index`, 'blocks must be sorted by index, without duplicates');
    if (e.offset !== offset) throw fail(`${at}.offset`, `must be ${offset} (offsets are contiguous from 0)`);
    if (!isCount(e.length) || e.length === 0) throw fail(`${at}.length`, 'must be a positive integer');
    if (typeof e.sha256 !== 'string' || !B64_SHA256.test(e.sha256))
      throw fail(`${at}.sha256`, 'must be a base64 SHA256');
    blocks.push({ index: e.index, offset, length: e.length, sha256: e.sha256 });
    last = e.index;
    offset += e.length;
  }
  return {
    format: 'amibake-disk',
    version: 1,
    blockSize: BLOCK_SIZE,
    size: m.size,
    compression: 'gzip',
    blocks,
  };
}

/** Bytes of `disk.blocks` the manifest accounts for. */
export const blocksLength = (m: DiskManifest): number =>
  m.blocks.length ? m.blocks[m.blocks.length - 1].offset + m.blocks[m.blocks.length - 1].length : 0;
