/**
 * The bootable disk base: the built-in Debian image as a whole disk that boots by its own
 * bootloader, for BIOS and UEFI, as an EC2 instance boots an AMI. Made without loop devices or
 * mounts on the host:
 *
 *   GPT (sfdisk on a sparse file): 1 BIOS boot partition (1 MiB, GRUB i386-pc's core image),
 *     2 EFI system partition (100 MiB FAT32, mkfs.fat at its offset), 3 ext4 root (the rest,
 *     `mke2fs -d <tree>` at its offset)
 *   then one boot with qemu's -kernel whose init is a script that runs grub-install for both
 *   targets on /dev/vda and update-grub (root=UUID, so the same disk boots as /dev/nvme0n1 on EC2),
 *   and powers off.
 *
 * Cached beside the tarball, keyed by the same recipe, with the SHA256 of its bytes (the base
 * digest a disk artifact names).
 */
import { createHash, randomUUID, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, stat, writeFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as io from '@actions/io';
import { UserError } from '../core/errors.js';
import { baseRecipe, cacheDir, ensureBaseImage, recipeHash, type BaseSuite } from './base-image.js';
import { exec, requireTools } from './exec.js';
import installGrub from './guest/install-grub.sh';
import { chooseAccel, runVm } from './qemu.js';
import { copyBootFiles, ROOT_LABEL, unpackRootfs } from './rootfs.js';

/** The short id of the recipe a disk artifact names (DISK_RECIPE): bump the last number when the
 *  layout or the way the disk is made changes. */
export const DISK_RECIPE = 'debian-12-bios-uefi-2';
export const BOOT_DISK_MIB = 4096;

const SECTOR = 512;
const MiB = 1 << 20;
/** Partition starts and sizes, in MiB: aligned, the root taking the rest but the last MiB (the
 *  backup GPT lives in the last 33 sectors). */
export const LAYOUT = {
  bios: { start: 1, size: 1 },
  esp: { start: 2, size: 100 },
  root: { start: 102 },
} as const;

export const PART_TYPE = {
  bios: '21686148-6449-6E6F-744E-656564454649',
  esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  linux: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
} as const;

/** What sfdisk is given: a GPT with the three partitions of LAYOUT on a disk of SIZEMIB. */
export function sfdiskScript(sizeMiB: number): string {
  const sectors = (mib: number) => (mib * MiB) / SECTOR;
  const rootSize = sizeMiB - LAYOUT.root.start - 1;
  return [
    'label: gpt',
    'unit: sectors',
    `start=${sectors(LAYOUT.bios.start)}, size=${sectors(LAYOUT.bios.size)}, type=${PART_TYPE.bios}, name="bios"`,
    `start=${sectors(LAYOUT.esp.start)}, size=${sectors(LAYOUT.esp.size)}, type=${PART_TYPE.esp}, name="efi"`,
    `start=${sectors(LAYOUT.root.start)}, size=${sectors(rootSize)}, type=${PART_TYPE.linux}, name="root"`,
    '',
  ].join('\n');
}

export interface BootDisk {
  /** The cached raw disk (read-only for callers: boot a copy). */
  path: string;
  /** Hex SHA256 of its bytes. */
  digest: string;
  recipe: string;
}

export interface BootDiskOptions {
  env?: NodeJS.ProcessEnv;
  suite?: BaseSuite;
  /** Told before a build starts (a few minutes). */
  onBuild?: (path: string) => void;
  onConsole?: (line: string) => void;
  timeoutMs?: number;
}

export function bootDiskPath(env: NodeJS.ProcessEnv = process.env, suite?: BaseSuite): string {
  const recipe = baseRecipe(env, suite, true);
  return join(cacheDir(env), `debian-${recipe.suite}-bootable-${recipeHash(recipe)}.${DISK_RECIPE}.raw`);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 * MiB }), hash);
  return hash.digest('hex');
}

/** A sparse copy of the cached disk (cp keeps the holes; a plain copy would write every zero). */
export async function copySparse(from: string, to: string): Promise<void> {
  await exec('cp', ['--sparse=always', '--reflink=auto', from, to]);
}

/** The cached bootable disk, built first (tarball too, when missing). Needs root, as the tarball. */
export async function ensureBootDisk(opts: BootDiskOptions = {}): Promise<BootDisk> {
  const env = opts.env ?? process.env;
  const target = bootDiskPath(env, opts.suite);
  const digestFile = `${target}.sha256`;
  if ((await exists(target)) && (await exists(digestFile))) {
    return { path: target, digest: (await readFile(digestFile, 'utf8')).trim(), recipe: DISK_RECIPE };
  }
  if (process.getuid?.() !== 0) {
    throw new UserError(
      "building the bootable base disk needs root: its root file system keeps the files' owners",
    );
  }
  await requireTools(['sfdisk', 'mke2fs', 'mkfs.fat', 'mmd', 'qemu-system-x86_64', 'zstd', 'cp']);
  const tarball = await ensureBaseImage({ env, suite: opts.suite, bootable: true, onBuild: opts.onBuild });
  opts.onBuild?.(target);
  await io.mkdirP(cacheDir(env));
  const work = await mkdtemp(`${target}.${process.pid}.`);
  try {
    const raw = join(work, 'disk.raw');
    await buildDisk(tarball, raw, work, opts);
    const digest = await sha256File(raw);
    await writeFile(`${raw}.sha256`, `${digest}\n`);
    // The disk first: a digest file only ever sits beside the disk it hashes.
    await rename(raw, target);
    await rename(`${raw}.sha256`, digestFile);
    return { path: target, digest, recipe: DISK_RECIPE };
  } finally {
    await io.rmRF(work);
  }
}

async function buildDisk(tarball: string, raw: string, work: string, opts: BootDiskOptions): Promise<void> {
  const tree = await unpackRootfs(tarball, work);
  const rootUuid = randomUUID();
  // FAT's volume id: 8 hex digits, shown as XXXX-XXXX.
  const espId = randomBytes(4).toString('hex').toUpperCase();
  await writeFile(
    join(tree.dir, 'etc/fstab'),
    `UUID=${rootUuid} / ext4 defaults,discard,errors=remount-ro 0 1\n` +
      `UUID=${espId.slice(0, 4)}-${espId.slice(4)} /boot/efi vfat umask=0077,nofail 0 2\n`,
  );
  const script = join(tree.dir, 'usr/local/sbin/amibake-install-grub');
  // The kernel execs it: its first line must be the interpreter's, whatever a loader made of the
  // text (jest's transform blanks a leading `#!` line).
  await writeFile(script, `#!/bin/sh\n${installGrub.replace(/^(#![^\n]*)?\n/, '')}`);
  await chmod(script, 0o755);
  const boot = await copyBootFiles(tree, work);

  await writeFile(raw, '');
  await truncate(raw, BOOT_DISK_MIB * MiB);
  await exec('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', raw], {
    input: sfdiskScript(BOOT_DISK_MIB),
  });
  // FAT32 with one-sector clusters: a FAT's type is told by its cluster count, and 100 MiB of the
  // default 4 KiB clusters is too few for FAT32, which OVMF and mtools then read as FAT16 (Linux
  // goes by the boot sector, and hid it).
  await exec('mkfs.fat', [
    '-F',
    '32',
    '-s',
    '1',
    '-n',
    'EFI',
    '-i',
    espId,
    `--offset=${(LAYOUT.esp.start * MiB) / SECTOR}`,
    raw,
    String((LAYOUT.esp.size * MiB) / 1024),
  ]);
  const rootMiB = BOOT_DISK_MIB - LAYOUT.root.start - 1;
  await exec('mke2fs', [
    '-q',
    '-F',
    '-t',
    'ext4',
    '-L',
    ROOT_LABEL,
    '-U',
    rootUuid,
    '-E',
    `offset=${LAYOUT.root.start * MiB}`,
    '-d',
    tree.dir,
    raw,
    `${rootMiB}M`,
  ]);
  await tree.dispose();

  let status: number | undefined;
  const accel = await chooseAccel(boot.kernel);
  const exit = await runVm({
    boot: {
      kind: 'kernel',
      kernel: boot.kernel,
      initrd: boot.initrd,
      append: `root=UUID=${rootUuid} rw console=ttyS0 panic=-1 init=/usr/local/sbin/amibake-install-grub`,
    },
    accel,
    disks: [{ path: raw, format: 'raw' }],
    network: 'isolated',
    memoryMiB: 1024,
    consoleLog: join(work, 'console.log'),
    timeoutMs: opts.timeoutMs ?? 15 * 60_000,
    onConsole: (line) => {
      const m = /AMIBAKE-GRUB status=(\d+)/.exec(line);
      if (m) status = Number(m[1]);
      opts.onConsole?.(line);
    },
  });
  if (status !== 0) {
    const log = await readFile(join(work, 'console.log'), 'utf8').catch(() => '');
    throw new Error(
      `installing GRUB on the bootable base failed (${exit.timedOut ? 'timed out' : `status ${status ?? 'none'}`}): ` +
        log.slice(-3000),
    );
  }
}
