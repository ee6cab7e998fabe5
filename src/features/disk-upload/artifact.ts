/**
 * The disk files of an artifact (attacker-controlled, like the rest of it): which kind of artifact
 * vars.env says it is (that only decides which files must be present and verified), the sha256 of
 * disk.manifest.json and disk.blocks against vars.env, the manifest's rules and its size against
 * DISK_SIZE, and the blocks, read one by one: each gunzipped to exactly 512 KiB, no further.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DISK_VARS } from '../../core/contract.js';
import { parseEnv } from '../../core/envfile.js';
import { UserError, errorMessage } from '../../core/errors.js';
import type { UploadBlock } from '../../aws/ebs-direct.js';
import {
  BLOCKS_FILE,
  BLOCK_SIZE,
  MANIFEST_FILE,
  MANIFEST_MAX_BYTES,
  blocksBytes,
  parseManifest,
  type DiskManifest,
} from '../../disk/manifest.js';

const gunzipAsync = promisify(gunzip);

export const DISK_FILES = { manifest: MANIFEST_FILE, blocks: BLOCKS_FILE } as const;

/** Variables of a disk prepare's vars.env: the stage contract's names. */
export { DISK_VARS };

export type ArtifactKind = 'instance' | 'disk';

/** The kind vars.env claims: absent is an instance artifact; anything but `disk` is refused. */
export function kindOf(vars: Record<string, string>, varsPath: string): ArtifactKind {
  const kind = vars[DISK_VARS.kind];
  if (kind === undefined || kind === '') return 'instance';
  if (kind === 'disk') return 'disk';
  throw new UserError(`${varsPath}: ${DISK_VARS.kind} must be disk or absent (an instance artifact)`);
}

/**
 * The kind of the prepared folder, read before the options are checked (an instance bake needs a
 * subnet, a disk upload does not). A folder whose vars.env cannot be read counts as an instance
 * artifact: loading it names the problem.
 */
export async function kindOfFolder(dir: string): Promise<ArtifactKind> {
  let text: string;
  try {
    text = await readFile(join(dir, 'vars.env'), 'utf8');
  } catch {
    return 'instance';
  }
  let vars: Record<string, string>;
  try {
    vars = parseEnv(text, join(dir, 'vars.env'));
  } catch {
    return 'instance';
  }
  return kindOf(vars, join(dir, 'vars.env'));
}

export interface DiskArtifact {
  manifestPath: string;
  blocksPath: string;
  manifest: DiskManifest;
  /** Raw disk bytes. */
  size: number;
  /** Claims of the prepare job that built the disk (docs/security.md): digest inputs only. */
  baseDigest: string;
  recipe: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const RECIPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Checks the disk files of `dir` against its vars.env (`vars`), before any AWS call. */
export async function loadDisk(
  dir: string,
  vars: Record<string, string>,
  varsPath: string,
): Promise<DiskArtifact> {
  const need = (key: string, re: RegExp, what: string) => {
    const v = vars[key];
    if (v === undefined || v === '') throw new UserError(`${varsPath}: ${key} is missing (KIND=disk)`);
    if (!re.test(v)) throw new UserError(`${varsPath}: ${key} must be ${what}`);
    return v;
  };
  const manifestSha = need(DISK_VARS.manifestSha256, HEX64, 'a hex sha256');
  const blocksSha = need(DISK_VARS.blocksSha256, HEX64, 'a hex sha256');
  const size = Number(need(DISK_VARS.size, /^[1-9][0-9]{0,15}$/, 'a number of bytes'));
  const baseDigest = need(DISK_VARS.baseDigest, HEX64, 'a hex sha256');
  const recipe = need(DISK_VARS.recipe, RECIPE, 'a short id (letters, digits, . _ -)');

  const manifestPath = join(dir, DISK_FILES.manifest);
  const blocksPath = join(dir, DISK_FILES.blocks);
  const sizeOf = async (path: string) => {
    try {
      return (await stat(path)).size;
    } catch (err) {
      throw new UserError(
        `${path}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)} (${varsPath} says KIND=disk: amibake prepare --disk writes it)`,
      );
    }
  };
  if ((await sizeOf(manifestPath)) > MANIFEST_MAX_BYTES)
    throw new UserError(`${manifestPath}: more than ${MANIFEST_MAX_BYTES} bytes: not what prepare writes`);
  const blocksSize = await sizeOf(blocksPath);
  const manifestBytes = await readFile(manifestPath);
  const check = (path: string, actual: string, key: string, expected: string) => {
    if (actual !== expected)
      throw new UserError(
        `${path}: sha256 ${actual} does not match ${key} in ${varsPath} (${expected}): the files do not come from the same prepare run`,
      );
  };
  check(
    manifestPath,
    createHash('sha256').update(manifestBytes).digest('hex'),
    DISK_VARS.manifestSha256,
    manifestSha,
  );
  check(blocksPath, await sha256File(blocksPath), DISK_VARS.blocksSha256, blocksSha);
  const manifest = parseManifest(manifestBytes.toString('utf8'), manifestPath);
  if (manifest.size !== size)
    throw new UserError(
      `${manifestPath}: size ${manifest.size} is not ${DISK_VARS.size} ${size} of ${varsPath}`,
    );
  if (blocksBytes(manifest) !== blocksSize)
    throw new UserError(
      `${blocksPath}: ${blocksSize} bytes, the manifest accounts for ${blocksBytes(manifest)}`,
    );
  return { manifestPath, blocksPath, manifest, size, baseDigest, recipe };
}

/** One block of disk.blocks, gunzipped to exactly 512 KiB (more is refused, not inflated). */
async function readBlock(file: FileHandle, disk: DiskArtifact, n: number): Promise<Buffer> {
  const b = disk.manifest.blocks[n];
  const gz = Buffer.alloc(b.length);
  const { bytesRead } = await file.read(gz, 0, b.length, b.offset);
  if (bytesRead !== b.length) throw new UserError(`${disk.blocksPath}: block ${b.index} is cut short`);
  let data: Buffer;
  try {
    data = await gunzipAsync(gz, { maxOutputLength: BLOCK_SIZE });
  } catch (err) {
    throw new UserError(
      `${disk.blocksPath}: block ${b.index} is not one gzip member of ${BLOCK_SIZE} bytes: ${errorMessage(err)}`,
    );
  }
  if (data.length !== BLOCK_SIZE)
    throw new UserError(`${disk.blocksPath}: block ${b.index} holds ${data.length} bytes, not ${BLOCK_SIZE}`);
  return data;
}

/** The disk's blocks for the uploader, each with the manifest's checksum to hold it to; the file
 *  stays open until `close`. */
export async function openBlocks(
  disk: DiskArtifact,
): Promise<{ blocks: UploadBlock[]; close(): Promise<void> }> {
  const file = await open(disk.blocksPath, 'r');
  return {
    blocks: disk.manifest.blocks.map((b, n) => ({
      index: b.index,
      expectedSha256: b.sha256,
      read: () => readBlock(file, disk, n),
    })),
    close: () => file.close(),
  };
}

/** `amibake build TARGET`: the prepared folder (either kind), or its userdata.gz as before. */
export async function preparedUserdata(target: string): Promise<string> {
  try {
    if ((await stat(target)).isDirectory()) return join(target, 'userdata.gz');
  } catch {
    // not there: loading it names the problem
  }
  return target;
}
