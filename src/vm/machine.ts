/**
 * A throwaway cloud instance on this machine: a disk (the built-in Debian base image or the
 * user's own image), a NoCloud seed with the user data, one qemu run until the guest powers off,
 * then the disk is read back without mounting.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import * as io from '@actions/io';
import { RESULT_LINE_RE } from '../core/contract.js';
import { UserError } from '../core/errors.js';
import { ensureBaseImage, type BaseSuite } from './base-image.js';
import { requireTools } from './exec.js';
import { Ext4Image, type Ext4Stat } from './ext4.js';
import { chooseAccel, runVm, type Boot, type Forward, type NetworkMode, type VmExit } from './qemu.js';
import { copyBootFiles, makeExt4, unpackRootfs } from './rootfs.js';
import { makeSeed } from './seed.js';
import { rootFsOffset, workingCopy } from './user-image.js';

export const DEFAULT_DISK_MIB = 4096;
export const DEFAULT_MEMORY_MIB = 1024;
export const DEFAULT_TIMEOUT_MS = 20 * 60_000;
/** Kernel command line of the built-in image (no bootloader: qemu loads kernel and initrd). */
export const KERNEL_APPEND = 'root=/dev/vda rw console=ttyS0 quiet fsck.mode=skip';

/** OVMF (package ovmf): the UEFI firmware's code, and the variable store each UEFI boot copies. */
export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

/** The guest's network unless told: `AMIBAKE_VM_NETWORK` (nat or isolated), else nat. */
export function defaultNetwork(env: NodeJS.ProcessEnv = process.env): NetworkMode {
  const v = (env.AMIBAKE_VM_NETWORK || 'nat').toLowerCase();
  if (v !== 'nat' && v !== 'isolated') {
    throw new UserError(`AMIBAKE_VM_NETWORK must be nat or isolated, not "${env.AMIBAKE_VM_NETWORK}"`);
  }
  return v;
}

export const VM_TOOLS = ['qemu-system-x86_64', 'mkfs.ext4', 'debugfs', 'mkfs.vfat', 'mcopy', 'socat', 'zstd'];

/** The built-in image, unpacked once and stamped into as many disks as needed. */
export class BaseImage {
  private constructor(
    /** The unpacked root file system (read-only for callers). */
    readonly tree: string,
    readonly kernel: string,
    readonly initrd: string,
    private readonly dir: string,
  ) {}

  /** `onBuild` is told when the cached tarball is missing and has to be built first. */
  static async open(
    workDir: string,
    onBuild?: (path: string) => void,
    suite?: BaseSuite,
  ): Promise<BaseImage> {
    await checkHost(false);
    const tarball = await ensureBaseImage({ onBuild, suite });
    await io.mkdirP(workDir);
    const dir = await mkdtemp(join(workDir, 'base-'));
    const tree = await unpackRootfs(tarball, dir);
    const boot = await copyBootFiles(tree, dir);
    return new BaseImage(tree.dir, boot.kernel, boot.initrd, dir);
  }

  async makeDisk(path: string, sizeMiB = DEFAULT_DISK_MIB): Promise<void> {
    await makeExt4(this.tree, path, sizeMiB);
  }

  async dispose(): Promise<void> {
    await io.rmRF(this.dir);
  }
}

/** Fails early, with what to do, when this machine cannot run the built-in image or a user image. */
export async function checkHost(userImage: boolean): Promise<void> {
  if (!userImage && process.getuid?.() !== 0) {
    throw new UserError(
      "the VM runner needs root for the built-in image: its disk is built from a tree that keeps the files' owners",
    );
  }
  await requireTools(userImage ? VM_TOOLS.filter((t) => t !== 'zstd') : VM_TOOLS);
}

export interface MachineOptions {
  userData: Buffer;
  /** Vendor data for the NoCloud seed: the image vendor's config, applied apart from the user data. */
  vendorData?: string;
  /** The built-in image (opened by the caller, shareable between machines) or a user image file. */
  base: BaseImage | { image: string };
  /** Holds disk.raw, seed.img and console.log. */
  dir: string;
  forwards?: Forward[];
  /** nat (outbound network, as an instance in a subnet with internet) or isolated (the forwards
   *  only); default defaultNetwork(). */
  network?: NetworkMode;
  /** The firmware a user image boots with (default bios: SeaBIOS). */
  firmware?: 'bios' | 'uefi';
  timeoutMs?: number;
  memoryMiB?: number;
  cpus?: number;
  diskMiB?: number;
  instanceId?: string;
  /** Walk the disk before boot, to tell afterwards what the boot changed. */
  snapshot?: boolean;
  onConsole?: (line: string) => void;
  onPhase?: (message: string) => void;
  signal?: AbortSignal;
}

export interface MachineResult {
  exit: VmExit;
  /** The status of the `AMIBAKE-RESULT status=<n>` console line, when the guest printed one. */
  status?: number;
  /** The guest powered off by itself (rather than timing out, crashing or rebooting). */
  poweredOff: boolean;
  instanceId: string;
  diskPath: string;
  consoleLog: string;
  disk: Ext4Image;
  before?: Map<string, Ext4Stat>;
}

export function newInstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export async function runMachine(opts: MachineOptions): Promise<MachineResult> {
  const phase = opts.onPhase ?? (() => undefined);
  await io.mkdirP(opts.dir);
  const diskPath = join(opts.dir, 'disk.raw');
  const seedPath = join(opts.dir, 'seed.img');
  const consoleLog = join(opts.dir, 'console.log');
  const instanceId = opts.instanceId ?? newInstanceId();
  const diskMiB = opts.diskMiB ?? DEFAULT_DISK_MIB;

  let disk: Ext4Image;
  let boot: Boot;
  let kernelForProbe: string | undefined;
  if (opts.base instanceof BaseImage) {
    phase(`making the ${diskMiB} MiB root disk`);
    await opts.base.makeDisk(diskPath, diskMiB);
    disk = new Ext4Image(diskPath);
    boot = { kind: 'kernel', kernel: opts.base.kernel, initrd: opts.base.initrd, append: KERNEL_APPEND };
    kernelForProbe = opts.base.kernel;
  } else {
    await checkHost(true);
    phase(`copying ${opts.base.image}`);
    await workingCopy(opts.base.image, diskPath, diskMiB);
    disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
    boot = { kind: 'firmware' };
    if (opts.firmware === 'uefi') {
      const vars = join(opts.dir, 'OVMF_VARS.fd');
      await copyFile(OVMF_VARS, vars);
      boot = { kind: 'firmware', uefi: { code: OVMF_CODE, vars } };
    }
  }
  const before = opts.snapshot ? await disk.walk() : undefined;
  const network = opts.network ?? defaultNetwork();
  await makeSeed(seedPath, {
    instanceId,
    userData: opts.userData,
    vendorData: opts.vendorData,
    nameservers: network === 'nat',
  });

  const accel = await chooseAccel(kernelForProbe);
  let status: number | undefined;
  let rebooted = false;
  phase(`booting (${accel === 'kvm' ? 'KVM' : 'software emulation'}), instance ${instanceId}`);
  const exit = await runVm({
    boot,
    accel,
    disks: [
      { path: diskPath, format: 'raw' },
      { path: seedPath, format: 'raw', readonly: true },
    ],
    forwards: opts.forwards,
    network,
    memoryMiB: opts.memoryMiB ?? DEFAULT_MEMORY_MIB,
    cpus: opts.cpus ?? 2,
    consoleLog,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: opts.signal,
    onConsole: (line) => {
      const m = RESULT_LINE_RE.exec(line);
      if (m) status = Number(m[1]);
      if (/\breboot: Restarting system\b/.test(line)) rebooted = true;
      opts.onConsole?.(line);
    },
  });
  if (exit.code !== 0 && !exit.timedOut && !exit.aborted) {
    throw new Error(`qemu failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().slice(-2000)}`);
  }
  // With -no-reboot qemu exits 0 both on power-off and on a reboot request.
  const poweredOff = exit.code === 0 && !exit.timedOut && !exit.aborted && !rebooted;
  if (disk.offset) disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
  return { exit, status, poweredOff, instanceId, diskPath, consoleLog, disk, before };
}
