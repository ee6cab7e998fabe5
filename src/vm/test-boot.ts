/**
 * The image test on this machine: the baked disk booted a second time, as an instance launched
 * from the new AMI would be, with the test user data (userdata-test.gz plus the stage part) as a
 * new NoCloud seed under a new instance id. The disk is the one the first boot sanitised and
 * powered off; qemu writes to a throwaway overlay, so the disk stays as the AMI would have it.
 */
import { join } from 'node:path';
import * as io from '@actions/io';
import { RESULT_LINE_RE } from '../core/contract.js';
import {
  BaseImage,
  KERNEL_APPEND,
  newInstanceId,
  DEFAULT_MEMORY_MIB,
  DEFAULT_TIMEOUT_MS,
  defaultNetwork,
} from './machine.js';
import { chooseAccel, runVm, type Boot, type Forward, type NetworkMode, type VmExit } from './qemu.js';
import { makeSeed } from './seed.js';

/** How the first boot started the disk: the built-in image's kernel, or the image's own bootloader. */
export function bootOf(base: BaseImage | { image: string }): Boot {
  return base instanceof BaseImage
    ? { kind: 'kernel', kernel: base.kernel, initrd: base.initrd, append: KERNEL_APPEND }
    : { kind: 'firmware' };
}

export interface TestBootOptions {
  /** The baked disk (raw), left as it is. */
  diskPath: string;
  boot: Boot;
  /** The test user data as the instance gets it (the build's or try's stage part appended). */
  userData: Buffer;
  vendorData?: string;
  /** Holds the seed and the console log of this boot. */
  dir: string;
  forwards?: Forward[];
  /** As the first boot's (runMachine): default defaultNetwork(). */
  network?: NetworkMode;
  timeoutMs?: number;
  memoryMiB?: number;
  cpus?: number;
  instanceId?: string;
  onConsole?: (line: string) => void;
  onPhase?: (message: string) => void;
  signal?: AbortSignal;
}

export interface TestBootResult {
  exit: VmExit;
  /** The status of the `AMIBAKE-RESULT status=<n>` console line, when the runner printed one. */
  status?: number;
  poweredOff: boolean;
  instanceId: string;
  consoleLog: string;
  /** Boot to power-off (or to the timeout). */
  ms: number;
}

export async function runTestBoot(opts: TestBootOptions): Promise<TestBootResult> {
  await io.mkdirP(opts.dir);
  const seedPath = join(opts.dir, 'test-seed.img');
  const consoleLog = join(opts.dir, 'test-console.log');
  const instanceId = opts.instanceId ?? newInstanceId();
  const network = opts.network ?? defaultNetwork();
  await makeSeed(seedPath, {
    instanceId,
    userData: opts.userData,
    vendorData: opts.vendorData,
    nameservers: network === 'nat',
  });
  const accel = await chooseAccel(opts.boot.kind === 'kernel' ? opts.boot.kernel : undefined);
  opts.onPhase?.(
    `booting the baked disk again (${accel === 'kvm' ? 'KVM' : 'software emulation'}), instance ${instanceId}`,
  );
  let status: number | undefined;
  let rebooted = false;
  const exit = await runVm({
    boot: opts.boot,
    accel,
    disks: [
      { path: opts.diskPath, format: 'raw', snapshot: true },
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
  if (exit.code !== 0 && !exit.timedOut && !exit.aborted)
    throw new Error(`qemu failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().slice(-2000)}`);
  const poweredOff = exit.code === 0 && !exit.timedOut && !exit.aborted && !rebooted;
  return { exit, status, poweredOff, instanceId, consoleLog, ms: exit.ms };
}
