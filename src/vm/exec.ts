/** Running the host tools the VM runner is made of (mmdebstrap, mkfs.ext4, debugfs, mtools, qemu). */
import { spawn, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import * as io from '@actions/io';
import { UserError } from '../core/errors.js';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs a command without a shell; rejects with its stderr tail when it exits non-zero (unless
 *  `allowFail`). The command is looked up like `which` does, sbin folders included. */
export async function exec(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { input?: Buffer | string; allowFail?: boolean } = {},
): Promise<ExecResult> {
  const { input, allowFail, ...spawnOpts } = opts;
  const path = cmd.includes('/') ? cmd : ((await which(cmd)) ?? cmd);
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { ...spawnOpts, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const res = { stdout: Buffer.concat(out), stderr, code: code ?? 128 };
      if (res.code !== 0 && !allowFail) {
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${cmd} ${signal ? `killed by ${signal}` : `exited with ${res.code}`}: ${tail}`));
      } else resolve(res);
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(input ?? '');
  });
}

/** Where mkfs.ext4, debugfs and the like live, and a non-login root shell's PATH may not reach. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The full path of an executable on PATH, else in the sbin folders. @actions/io's `which` checks
 *  that the match is an executable file (a directory named like the tool is no match); it searches
 *  process.env.PATH only, so the sbin folders are asked by full path after it. */
export async function which(name: string): Promise<string | undefined> {
  for (const candidate of [name, ...SBIN.map((dir) => join(dir, name))]) {
    const found = await io.which(candidate);
    if (found) return found;
  }
  return undefined;
}

/** Debian package of each tool the runner calls, for the error that says what to install. */
export const TOOL_PACKAGES: Record<string, string> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-img': 'qemu-utils',
  mmdebstrap: 'mmdebstrap',
  'mkfs.ext4': 'e2fsprogs',
  debugfs: 'e2fsprogs',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  socat: 'socat',
  zstd: 'zstd',
  tar: 'tar',
};

/** Fails with one message naming every missing tool and the package that provides it. */
export async function requireTools(names: string[]): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const n of names) {
    const p = await which(n);
    if (p) found[n] = p;
    else missing.push(n);
  }
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => TOOL_PACKAGES[m] ?? m))];
    throw new UserError(
      `the VM runner needs ${missing.join(', ')}: install the Debian/Ubuntu packages ${pkgs.join(' ')} ` +
        `(apt-get install ${pkgs.join(' ')})`,
    );
  }
  return found;
}
