/**
 * The work folder: a copy of the source in which script/compile.sh runs (the spec's "work folder
 * context"), and running compile.sh in it.
 */
import { spawn } from 'node:child_process';
import { constants, readdirSync, readFileSync } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from '../core/envfile.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { COMPILE_SH, type Labeler } from './layout.js';

/** Folders whose symlinks prepare resolves, all the way down (they were checked to point inside the
 *  source). */
const RESOLVED_TREES = new Set(['cloudinit', 'script']);
/** Top-level entries resolved themselves when they are symlinks (checked the same way), so that a
 *  relative link such as `fs -> ../shared/fs` means the same in the work folder. What fs/ holds,
 *  and anything else, is copied as it is: symlinks in fs/ are image content. */
const RESOLVED_TOP = new Set([...RESOLVED_TREES, 'fs', 'ami.env']);

async function copyEntry(
  src: string,
  dst: string,
  rel: string,
  follow: boolean,
  followBelow: boolean,
  label: Labeler,
): Promise<void> {
  const lst = await lstat(src);
  if (lst.isSymbolicLink() && !follow) {
    await symlink(await readlink(src), dst);
    return;
  }
  const st = lst.isSymbolicLink() ? await stat(src) : lst;
  if (st.isDirectory()) {
    await mkdir(dst);
    for (const name of await readdir(src)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const top = !rel;
      await copyEntry(
        join(src, name),
        join(dst, name),
        childRel,
        followBelow || (top && RESOLVED_TOP.has(name)),
        followBelow || (top && RESOLVED_TREES.has(name)),
        label,
      );
    }
    await chmod(dst, st.mode & 0o7777);
  } else if (st.isFile()) {
    await copyFile(src, dst, constants.COPYFILE_FICLONE);
    await chmod(dst, st.mode & 0o7777);
  } else {
    throw new UserError(`${label(rel)}: not a regular file, directory or symlink`);
  }
}

/** Copies SOURCE into WORK (which must not exist), keeping modes and fs/ symlinks. */
export async function copySource(source: string, work: string, label: Labeler): Promise<void> {
  await copyEntry(source, work, '', true, false, label);
}

/** compile.sh writes `KEY=value` lines to the file named by this variable; they end up in vars.env. */
export const VARS_FILE_ENV = 'AMIBAKE_VARS';

export interface CompileScriptInput {
  work: string;
  script: string;
  env: NodeJS.ProcessEnv;
  varsFile: string;
  logger: Logger;
  label: Labeler;
  /** Stops compile.sh and everything it started; runCompileScript then rejects with the reason. */
  signal?: AbortSignal;
}

const TAIL_LINES = 60;
/** What the processes compile.sh left running get between SIGTERM and SIGKILL. */
export const GROUP_GRACE_MS = 2000;
/** How long the group may take to go once killed (a process in uninterruptible sleep). */
const GROUP_GONE_MS = 5000;
const PIPE_WAIT_MS = 1000;

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // the group is empty
  }
}

/** Whether process group `pgid` still has a live (non-zombie) member. Zombies count as gone:
 *  their parent (init, once compile.sh has exited) reaps them, and they run nothing. */
function groupAlive(pgid: number): boolean {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    // No /proc (macOS): ask the kernel, zombies included.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ends every process of compile.sh's group: SIGTERM, SIGKILL after GROUP_GRACE_MS. */
export async function endGroup(pgid: number, graceMs = GROUP_GRACE_MS): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitGone(pgid, GROUP_GONE_MS);
}

/** Runs compile.sh in the work folder; returns the variables it added. Its output goes to the log as it
 *  comes, and the end of it into the error when it fails. */
export async function runCompileScript(input: CompileScriptInput): Promise<Record<string, string>> {
  const { work, script, env, varsFile, logger, label, signal: abort } = input;
  abort?.throwIfAborted();
  await (await open(varsFile, 'w', 0o600)).close();
  const head = Buffer.alloc(256);
  const fh = await open(script, 'r');
  const { bytesRead } = await fh.read(head, 0, head.length, 0);
  await fh.close();
  const firstLine = head.subarray(0, bytesRead).toString('latin1').split('\n')[0];
  // With a shebang it runs as its author meant it to; without one, with sh.
  let cmd = '/bin/sh';
  let args = [script];
  if (firstLine.startsWith('#!')) {
    if (firstLine.endsWith('\r'))
      throw new UserError(
        `${label(COMPILE_SH)}:1: the #! line ends with a carriage return (Windows line endings): ` +
          'convert the file to LF line endings',
      );
    await chmod(script, (await stat(script)).mode | 0o100);
    cmd = script;
    args = [];
  }
  const tail: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logger.info(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  // Its own process group (detached), so that what it starts can be ended with it.
  const child = spawn(cmd, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pgid = child.pid;
  let killer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (!pgid) return;
    signalGroup(pgid, 'SIGTERM');
    // A compile.sh that ignores SIGTERM would never exit by itself.
    killer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), GROUP_GRACE_MS);
  };
  abort?.addEventListener('abort', stop, { once: true });
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  let ended: { code: number | null; signal: NodeJS.Signals | null };
  try {
    ended = await new Promise((resolve, reject) => {
      child.on('error', (err) => {
        const interpreter = firstLine.startsWith('#!') ? firstLine.slice(2).trim() : cmd;
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? `its interpreter (${interpreter}) was not found`
            : err.message;
        reject(new UserError(`${label(COMPILE_SH)}: could not run: ${why}`));
      });
      child.on('exit', (c, s) => resolve({ code: c, signal: s }));
    });
  } finally {
    abort?.removeEventListener('abort', stop);
    clearTimeout(killer);
    // compile.sh is done (or failed, or was interrupted): nothing it started outlives it, success
    // included, so nothing it left running can touch TARGET, which prepare writes only after this.
    if (pgid) await endGroup(pgid);
    // The pipes close once the group is gone; a process that left the group (setsid) may still
    // hold them: its output is not waited for.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, PIPE_WAIT_MS)))]);
    clearTimeout(timer);
    child.stdout.destroy();
    child.stderr.destroy();
  }
  const { code, signal } = ended;
  if (partial) {
    logger.info(partial);
    tail.push(partial);
  }
  abort?.throwIfAborted();
  if (code !== 0) {
    const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const out = tail.length ? `; the end of its output:\n${tail.join('\n')}` : ' and printed nothing';
    throw new UserError(`${label(COMPILE_SH)} ${how}${out}`);
  }
  const text = await readFile(varsFile, 'utf8');
  try {
    return parseEnv(text, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}
