/**
 * One qemu-system-x86_64 run: software emulation unless a smoke boot proves KVM works, the serial
 * console streamed to a file and to the caller, `-no-reboot` (a guest reboot ends the run), a hard
 * timeout, and a user-mode network: NAT by default (the guest reaches what the host reaches, as an
 * instance in a subnet with internet does), or isolated (`restrict=on`: the only way out is the
 * guestfwd rules to the host's loopback).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { GUEST_MAC, HOST_ALIAS_IP } from './seed.js';
import { exec, which } from './exec.js';

export interface Forward {
  /** Port on HOST_ALIAS_IP inside the guest. */
  guestPort: number;
  /** Loopback address on the host (127.0.0.0/8 only). */
  hostAddr?: string;
  hostPort: number;
}

export interface Disk {
  path: string;
  format: 'raw' | 'qcow2';
  readonly?: boolean;
  /** Writes go to a throwaway overlay: the file is left as it was (a second boot of a baked disk). */
  snapshot?: boolean;
}

export type Boot =
  | { kind: 'kernel'; kernel: string; initrd: string; append: string }
  /** The disk's own bootloader through the firmware: SeaBIOS, or with `uefi` OVMF (its code, and a
   *  private writable copy of its variable store). */
  | { kind: 'firmware'; uefi?: { code: string; vars: string } };

/** nat: outbound network through qemu's user-mode NAT; isolated: loopback forwards only. */
export type NetworkMode = 'nat' | 'isolated';

export type Accel = 'tcg' | 'kvm';

export interface VmSpec {
  boot: Boot;
  disks: Disk[];
  forwards?: Forward[];
  /** Default nat. */
  network?: NetworkMode;
  memoryMiB?: number;
  cpus?: number;
  accel?: Accel;
  consoleLog: string;
  timeoutMs: number;
  onConsole?: (line: string) => void;
  signal?: AbortSignal;
}

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  ms: number;
  /** qemu's own messages (not the guest's). */
  stderr: string;
}

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isLoopback(addr: string): boolean {
  const m = LOOPBACK.exec(addr);
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

export function netdev(forwards: Forward[], mode: NetworkMode = 'nat'): string {
  const rules = forwards.map((f) => {
    const host = f.hostAddr ?? '127.0.0.1';
    if (!isLoopback(host)) throw new Error(`guest forward to ${host}: only loopback addresses are allowed`);
    for (const port of [f.guestPort, f.hostPort]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
    }
    // `cmd:` runs one socat per guest connection; a `tcp:` chardev would serve a single connection.
    return `guestfwd=tcp:${HOST_ALIAS_IP}:${f.guestPort}-cmd:socat STDIO TCP4:${host}:${f.hostPort}`;
  });
  // restrict=on: the guest reaches nothing but the guestfwd rules (no NAT to the host or beyond).
  // Without it, slirp NATs the guest's connections and serves DNS at 10.0.2.3.
  return ['user', 'id=n0', ...(mode === 'isolated' ? ['restrict=on'] : []), 'ipv6=off', ...rules].join(',');
}

export function qemuArgs(spec: VmSpec): string[] {
  const args = [
    '-machine',
    `q35,accel=${spec.accel ?? 'tcg'}`,
    '-cpu',
    spec.accel === 'kvm' ? 'host' : 'max',
    '-smp',
    String(spec.cpus ?? 2),
    '-m',
    String(spec.memoryMiB ?? 1024),
    '-display',
    'none',
    '-monitor',
    'none',
    '-no-reboot',
    '-chardev',
    'stdio,id=con0,signal=off',
    '-serial',
    'chardev:con0',
    '-netdev',
    netdev(spec.forwards ?? [], spec.network),
    '-device',
    `virtio-net-pci,netdev=n0,mac=${GUEST_MAC}`,
  ];
  for (const d of spec.disks) {
    if (/,/.test(d.path)) throw new Error(`disk path must not contain a comma: ${d.path}`);
    args.push(
      '-drive',
      `file=${d.path},if=virtio,format=${d.format}${d.readonly ? ',readonly=on' : ''}${d.snapshot ? ',snapshot=on' : ''}`,
    );
  }
  if (spec.boot.kind === 'kernel') {
    args.push('-kernel', spec.boot.kernel, '-initrd', spec.boot.initrd, '-append', spec.boot.append);
  } else if (spec.boot.uefi) {
    for (const f of [spec.boot.uefi.code, spec.boot.uefi.vars]) {
      if (/,/.test(f)) throw new Error(`firmware path must not contain a comma: ${f}`);
    }
    args.push(
      '-drive',
      `if=pflash,format=raw,unit=0,readonly=on,file=${spec.boot.uefi.code}`,
      '-drive',
      `if=pflash,format=raw,unit=1,file=${spec.boot.uefi.vars}`,
    );
  }
  return args;
}

export async function runVm(spec: VmSpec): Promise<VmExit> {
  const qemu = (await which('qemu-system-x86_64')) ?? 'qemu-system-x86_64';
  const log = createWriteStream(spec.consoleLog);
  const started = Date.now();
  const child = spawn(qemu, qemuArgs(spec), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  child.stdout.on('data', (b: Buffer) => {
    log.write(b);
    if (!spec.onConsole) return;
    const lines = (partial + b.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) spec.onConsole(l.replace(/\r$/, ''));
  });
  let timedOut = false;
  let aborted = false;
  const kill = () => child.kill('SIGKILL');
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, spec.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  spec.signal?.addEventListener('abort', onAbort);
  if (spec.signal?.aborted) onAbort();
  // Never leave a qemu behind when this process exits.
  process.once('exit', kill);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, s) => resolve([c, s]));
    });
    if (partial && spec.onConsole) spec.onConsole(partial);
    return { code, signal, timedOut, aborted, ms: Date.now() - started, stderr };
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
    process.removeListener('exit', kill);
    await new Promise((r) => log.end(r));
  }
}

let kvmVerdict: Promise<boolean> | undefined;

/**
 * Whether KVM really boots Linux here: /dev/kvm can exist on hosts where it cannot (nested
 * virtualisation without the needed features). The smoke boot starts the kernel with no root
 * disk; reaching the kernel's panic about the root filesystem proves the CPU runs it.
 */
export function kvmWorks(kernel: string): Promise<boolean> {
  kvmVerdict ??= (async () => {
    try {
      await access('/dev/kvm', constants.R_OK | constants.W_OK);
    } catch {
      return false;
    }
    const qemu = await which('qemu-system-x86_64');
    if (!qemu) return false;
    const res = await exec(
      'timeout',
      [
        '-s',
        'KILL',
        '30',
        qemu,
        ...['-machine', 'q35,accel=kvm', '-cpu', 'host', '-m', '256', '-display', 'none'],
        ...['-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', kernel],
        ...['-append', 'console=ttyS0 panic=-1 root=/dev/amibake-none'],
      ],
      { allowFail: true },
    );
    return res.code === 0 && /Kernel panic|VFS: (Unable|Cannot) (to )?mount root/.test(res.stdout.toString());
  })();
  return kvmVerdict;
}

/** `AMIBAKE_VM_ACCEL`: tcg, kvm, or auto (default: KVM only when the smoke boot proves it). */
export async function chooseAccel(kernel: string | undefined, env = process.env): Promise<Accel> {
  const want = (env.AMIBAKE_VM_ACCEL || 'auto').toLowerCase();
  if (want === 'tcg' || want === 'kvm') return want;
  if (want !== 'auto') throw new Error(`AMIBAKE_VM_ACCEL must be tcg, kvm or auto, not "${want}"`);
  return kernel && (await kvmWorks(kernel)) ? 'kvm' : 'tcg';
}
