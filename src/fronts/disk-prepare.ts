/**
 * The disk half of `amibake prepare --disk` (and action-prepare's `disk: true`): after the usual
 * prepare, the bootable base (a copy of the cached built-in disk, or the user's image) is booted in
 * the local VM with the user data an instance would get, the guest installs, sanitises and powers
 * off, and the disk goes into TARGET as blocks and a manifest. vars.env gains KIND=disk and the
 * DISK_* keys; PREPARED_DIGEST is unchanged (the build's reuse digest adds the base and recipe).
 */
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as io from '@actions/io';
import type { PrepareResult } from '../compile/prepare.js';
import { DISK_VARS, VARS } from '../compile/vars.js';
import { UserError } from '../core/errors.js';
import { formatEnv, parseEnv } from '../core/envfile.js';
import { neutraliseLine } from '../core/inert.js';
import { DISK_SIZE_UNIT, writeDisk } from '../disk/manifest.js';
import { BOOT_DISK_MIB, ensureBootDisk, sha256File } from '../vm/boot-disk.js';
import { scanFile } from '../vm/ext4.js';
import { checkHost } from '../vm/machine.js';
import type { NetworkMode } from '../vm/qemu.js';
import { localBake } from './local-bake.js';

/** DISK_RECIPE of a disk baked from the user's own image: what amibake did to it (booted it once
 *  with the install), the image itself being named by DISK_BASE_DIGEST. */
export const USER_IMAGE_RECIPE = 'user-image-1';

export interface DiskPrepareOptions {
  prepared: PrepareResult;
  /** A user's raw or qcow2 cloud image instead of the built-in base. */
  image?: string;
  network?: NetworkMode;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  say: (message: string) => void;
  onConsole?: (line: string) => void;
  /** Told the stage URLs' secret, to mask it in logs. */
  onToken?: (token: string) => void;
}

export interface DiskPrepareResult {
  /** The files of TARGET the artifact carries (the prepare's and the disk's). */
  files: string[];
  vars: Record<string, string>;
  size: number;
  blocks: number;
  blocksBytes: number;
}

// Terminal escapes and carriage returns: noise once out of a terminal.
export const ANSI = new RegExp(String.raw`\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r`, 'g');

const roundUp = (n: number, unit: number) => Math.ceil(n / unit) * unit;

export async function prepareDisk(opts: DiskPrepareOptions): Promise<DiskPrepareResult> {
  const env = opts.env ?? process.env;
  const { prepared, say } = opts;
  await checkHost(!!opts.image);
  const work = await mkdtemp(join(tmpdir(), 'amibake-disk-'));
  try {
    let image: string;
    let baseDigest: string;
    let recipe: string;
    let diskMiB = BOOT_DISK_MIB;
    if (opts.image) {
      image = resolve(opts.image);
      say(`hashing ${opts.image}`);
      baseDigest = await sha256File(image).catch((err: Error) => {
        throw new UserError(`--image ${opts.image}: ${err.message}`);
      });
      recipe = USER_IMAGE_RECIPE;
      // A whole number of GiB from the start (an EBS volume's unit), so the partition table's
      // backup header stays at the end of the disk; at least the default size.
      diskMiB = Math.max(diskMiB, roundUp((await stat(image)).size, DISK_SIZE_UNIT) / (1 << 20));
    } else {
      const base = await ensureBootDisk({
        env,
        onBuild: (path) =>
          say(`building the bootable Debian base disk (first run only: a few minutes; cached as ${path})`),
      });
      image = base.path;
      baseDigest = base.digest;
      recipe = base.recipe;
    }
    if (opts.signal?.aborted) throw new UserError('interrupted');

    const bake = await localBake({
      userdataPath: prepared.userdataPath,
      fsTgzPath: prepared.fsTgzPath,
      base: { image },
      dir: join(work, 'vm'),
      network: opts.network,
      diskMiB,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onPhase: say,
      onRequest: say,
      onConsole: opts.onConsole,
      onToken: opts.onToken,
    });
    if (bake.status !== 0 || bake.problems.length) {
      // The guest's text, inert: no workflow command or terminal escape reaches the runner.
      const tail = (bake.log ?? '')
        .trimEnd()
        .split('\n')
        .slice(-30)
        .map((l) => `  ${neutraliseLine(l.replace(ANSI, ''))}`);
      const log = bake.log ? `\ninstall log (tail):\n${tail.join('\n')}` : '';
      throw new UserError(
        `the install in the local VM failed (status ${bake.status ?? 'none'}` +
          `${bake.problems.length ? `; ${bake.problems.join('; ')}` : ''}): no disk written${log}`,
      );
    }
    const raw = bake.machine.diskPath;
    // The disk ships as the AMI: the stage URLs' secret must not be on it.
    const leaks = (await scanFile(raw, [bake.token])).get(bake.token)!.length;
    if (leaks) throw new UserError(`the stage URLs are on the baked disk (${leaks} copies): no disk written`);
    // A qcow2 image's virtual size is whatever it is: the disk the build uploads is whole GiB.
    const rawSize = (await stat(raw)).size;
    if (rawSize % DISK_SIZE_UNIT) await truncate(raw, roundUp(rawSize, DISK_SIZE_UNIT));

    say('writing the disk blocks');
    const written = await writeDisk(raw, prepared.target);
    await rm(raw, { force: true });
    const vars = await addDiskVars(prepared.varsPath, {
      [DISK_VARS.kind]: 'disk',
      [DISK_VARS.manifestSha256]: written.manifestSha256,
      [DISK_VARS.blocksSha256]: written.blocksSha256,
      [DISK_VARS.size]: String(written.manifest.size),
      [DISK_VARS.baseDigest]: baseDigest,
      [DISK_VARS.recipe]: recipe,
    });
    return {
      files: [...prepared.files, written.manifestPath, written.blocksPath],
      vars,
      size: written.manifest.size,
      blocks: written.manifest.blocks.length,
      blocksBytes: written.blocksBytes,
    };
  } finally {
    await io.rmRF(work);
  }
}

/** vars.env with the disk keys added before PREPARED_DIGEST (which stays last, and the same). */
async function addDiskVars(varsPath: string, disk: Record<string, string>): Promise<Record<string, string>> {
  const current = parseEnv(await readFile(varsPath, 'utf8'), varsPath);
  const { [VARS.preparedDigest]: digest, ...rest } = current;
  const vars = { ...rest, ...disk, [VARS.preparedDigest]: digest };
  await writeFile(varsPath, formatEnv(vars));
  return vars;
}
