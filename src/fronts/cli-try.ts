/**
 * `amibake try SOURCE [--image FILE] [--keep DIR]`: the whole bake on this machine, no AWS
 * account. Prepare SOURCE, boot the user data in a local VM (real cloud-init), hand the guest
 * fs.tgz and take its result from a loopback server, then show what the install changed on disk.
 * With script/test.sh, the baked disk boots a second time with the test user data.
 */
import {
  access,
  constants,
  copyFile,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as io from '@actions/io';
import { finalUserdata } from '../features/bake/userdata.js';
import { NeedsS3Error, prepare, type PrepareResult } from '../compile/prepare.js';
import { GUEST_STATUS } from '../core/contract.js';
import { UserError, errorMessage, named } from '../core/errors.js';
import { neutraliseLine } from '../core/inert.js';
import { createCliLogger } from '../core/log.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { cliSource, nameFor, readOptions } from '../core/options.js';
import { s3Url as parseS3Url } from '../core/parse.js';
import { baseRecipe, debianMirror } from '../vm/base-image.js';
import { countChanges, diffTrees, formatChange } from '../vm/changes.js';
import { scanFile } from '../vm/ext4.js';
import { BaseImage, checkHost, runMachine, type MachineResult } from '../vm/machine.js';
import { checkSourceFiles, inlineFsTgz, listFsTgz } from '../vm/source-files.js';
import { GUEST_STAGE_PORT, parseResult, startStageServer } from '../vm/stage-server.js';
import { bootOf, runTestBoot } from '../vm/test-boot.js';

const USAGE = `usage: amibake try SOURCE [--image FILE] [--isolated] [--keep DIR] [--timeout SECONDS]

Bakes the image source SOURCE in a local VM, with no AWS account: prepares it like
'amibake prepare', boots the user data in qemu with real cloud-init (a Debian bookworm
image built and cached on first use, or your own cloud image), serves fs.tgz to the guest
from this machine's loopback, streams the console, and prints the install status and what
changed on the disk. With script/test.sh, boots the baked disk a second time with the test
user data (a fresh instance, as one launched from the AMI) and prints the test's result and
log. The guest has outbound network through qemu's user-mode NAT, as an instance in a subnet
with internet (packages: and apt-get work). Exits non-zero when the install or the test
fails. Needs root, qemu-system-x86, mmdebstrap, e2fsprogs, dosfstools, mtools, socat and zstd.

options:
  --image FILE       boot this raw or qcow2 cloud image (its own bootloader, an ext4 root)
                     instead of the built-in Debian image; FILE itself is never written
  --isolated         no outbound network: the guest reaches only this machine's stage
                     server (qemu's restrict=on)
  --keep DIR         keep the disk image (DIR/disk.raw), console log, install log and change list
                     (and the test's console and log)
  --timeout SECONDS  power the VM off after this long (default 1800)

environment:
  AWSREGION, S3URL         as for 'amibake prepare'
  AMIBAKE_CACHE_DIR        where the base image is cached (default $XDG_CACHE_HOME/amibake)
  AMIBAKE_DEBIAN_MIRROR    Debian mirror for the base image (default http://deb.debian.org/debian)
  AMIBAKE_VM_ACCEL         tcg, kvm or auto (default: KVM only when a smoke boot proves it works)
  AMIBAKE_VM_NETWORK       nat or isolated: the guest network without --isolated (default nat)`;

/** How many changes the terminal gets; --keep DIR/changes.txt has them all. */
const SHOWN_CHANGES = 80;

function clock(started: number): string {
  const s = Math.floor((Date.now() - started) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// systemd's coloured status lines, cursor moves and the like: noise once out of a terminal.
const ANSI = new RegExp(String.raw`\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r`, 'g');

interface TryArgs {
  source: string;
  image?: string;
  keep?: string;
  timeoutMs: number;
  isolated: boolean;
}

function parse(args: string[]): TryArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      image: { type: 'string' },
      keep: { type: 'string' },
      timeout: { type: 'string' },
      isolated: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UserError(`expected one SOURCE folder\n${USAGE}`);
  let timeoutMs = 1800_000;
  if (values.timeout !== undefined) {
    const n = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || n < 60 || n > 86_400)
      throw new UserError(`--timeout: expected seconds between 60 and 86400, got "${values.timeout}"`);
    timeoutMs = n * 1000;
  }
  return {
    source: positionals[0],
    image: values.image,
    keep: values.keep,
    timeoutMs,
    isolated: values.isolated ?? false,
  };
}

export async function main(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let opts: TryArgs | 'help';
  try {
    opts = parse(args);
  } catch (err) {
    process.stderr.write(`amibake try: ${errorMessage(err)}\n`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const started = Date.now();
  const logger = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
  const say = (m: string) => logger.info(`[${clock(started)}] ${m}`);
  const out = (m: string) => process.stdout.write(m + '\n');

  const work = await mkdtemp(join(tmpdir(), 'amibake-try-'));
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let base: BaseImage | undefined;
  try {
    // What the machine needs, before any work.
    if (opts.image) {
      const image = opts.image;
      const st = await stat(resolve(image)).catch((err: Error) => {
        throw new UserError(`--image ${image}: ${err.message}`);
      });
      if (!st.isFile()) throw new UserError(`--image ${image}: not a file`);
      await access(resolve(image), constants.R_OK).catch((err: Error) => {
        throw new UserError(`--image ${image}: ${err.message}`);
      });
    }
    await checkHost(!!opts.image);

    // ---- prepare ----
    say(`preparing ${opts.source}`);
    const prepared = await prepareForTry(opts.source, join(work, 'prepared'), env, logger);

    // ---- the machine ----
    if (!opts.image) {
      base = await BaseImage.open(join(work, 'vm'), (path) =>
        say(
          `building the Debian ${baseRecipe(env).suite} base image from ${debianMirror(env)} ` +
            `(first run only: about 1 to 3 minutes; cached as ${path})`,
        ),
      );
      if (abort.signal.aborted) throw new UserError('interrupted');
    }

    const server = await startStageServer({ fsTgz: prepared.fsTgzPath, onRequest: (m) => say(m) });
    try {
      logger.mask(server.token);
      const userData = finalUserdata(await readFile(prepared.userdataPath), server.urls);
      let lastPhase = Date.now();
      const result = await runMachine({
        userData,
        base: base ?? { image: resolve(opts.image!) },
        dir: join(work, 'vm'),
        forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }],
        ...(opts.isolated ? { network: 'isolated' as const } : {}),
        timeoutMs: opts.timeoutMs,
        snapshot: true,
        signal: abort.signal,
        onPhase: (m) => {
          say(m);
          lastPhase = Date.now();
        },
        // The VM's console: `##[` anywhere is neutralised (the `  | ` prefix already keeps `::` off the start).
        onConsole: (line) => out(`  | ${neutraliseLine(line.replace(ANSI, ''))}`),
      });
      say(`the VM stopped after ${Math.round((Date.now() - lastPhase) / 1000)} s`);
      const code = await report(result, server, say, out, opts, prepared, userData);
      if (!prepared.testUserdataPath) return code;
      if (code !== 0) {
        out('image test (script/test.sh) not run: the bake failed');
        return code;
      }
      // --keep moved the disk; the test boot leaves it as it is either way.
      const disk = opts.keep ? join(resolve(opts.keep), 'disk.raw') : result.diskPath;
      return await imageTest(disk, base ?? { image: resolve(opts.image!) }, prepared, opts, say, out, abort);
    } finally {
      await server.close();
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await base?.dispose();
    await io.rmRF(work); // retries while the stopped VM's helpers still hold files (EBUSY, ENOTEMPTY)
  }
}

async function prepareForTry(
  source: string,
  target: string,
  env: NodeJS.ProcessEnv,
  logger: ReturnType<typeof createCliLogger>,
) {
  const opts = readOptions(PREPARE_OPTIONS, 'prepare', cliSource(env, { source, target }));
  const run = (s3Url = opts.s3Url) =>
    prepare({ source: opts.source, target, awsRegion: opts.awsRegion, s3Url, logger, env });
  try {
    return await run();
  } catch (err) {
    // Files too big for the user data go external, which needs an S3 location in the prepared
    // data; locally the guest downloads from this machine, so any well-formed location will do.
    if (opts.s3Url || !(err instanceof NeedsS3Error))
      throw named(err, nameFor(PREPARE_OPTIONS, 'cli', 'prepare'));
    logger.info('the files do not fit in the user data: they go external (served from this machine)');
    return run(parseS3Url('s3://amibake-try/fs.tgz'));
  }
}

async function report(
  r: MachineResult,
  server: Awaited<ReturnType<typeof startStageServer>>,
  say: (m: string) => void,
  out: (m: string) => void,
  opts: TryArgs,
  prepared: PrepareResult,
  userData: Buffer,
): Promise<number> {
  const problems: string[] = [];
  if (r.exit.aborted) problems.push('interrupted');
  if (r.exit.timedOut) problems.push(`the VM did not power off within ${opts.timeoutMs / 1000} s`);
  else if (!r.poweredOff && !r.exit.aborted) problems.push('the VM rebooted instead of powering off');

  const uploaded = parseResult(server.result());
  const status = uploaded ?? r.status;
  if (uploaded !== undefined && r.status !== undefined && uploaded !== r.status)
    problems.push(`the uploaded result (${uploaded}) and the console line (${r.status}) differ`);
  if (status === undefined)
    problems.push('the guest reported no install status (no result upload, no AMIBAKE-RESULT line)');

  say('reading the disk');
  const after = await r.disk.walk();
  const changes = r.before ? diffTrees(r.before, after) : [];
  const leaks = await scanFile(r.diskPath, [server.token]);
  const leaked = leaks.get(server.token)!.length;
  if (leaked)
    problems.push(
      `the stage URLs are on the disk (${leaked} copies): a real bake would leak presigned URLs into the AMI`,
    );

  // What the source put there first, then what cloud-init and the boot did around it.
  const tgz = prepared.fsTgzPath
    ? await readFile(prepared.fsTgzPath)
    : inlineFsTgz(await readFile(prepared.userdataPath));
  const entries = tgz ? await listFsTgz(tgz) : [];
  // install.sh travels in fs.tgz and is removed after use.
  const staged = (p: string) => p === '/var/run' || p.startsWith('/var/run/');
  const source = checkSourceFiles(entries, r.before, after, staged);
  const fromSource = new Set(source.entries.map((e) => e.path));
  const lines = changes.map(formatChange);
  out('');
  if (tgz) {
    out(
      `from the image source (fs.tgz): ${source.entries.length} entries, ${source.asPacked} on the disk as packed ` +
        `(mode, owner root, symlink target)${source.differences.length ? ', the others changed after extraction:' : ''}`,
    );
    for (const d of source.differences) out(`  ! ${d}`);
    for (const [i, c] of changes.entries()) if (fromSource.has(c.path)) out(`  ${lines[i]}`);
  } else {
    out('from the image source: no files (no fs/ and no install.sh)');
  }
  const others = changes.filter((c) => !fromSource.has(c.path));
  const n = countChanges(others);
  out(
    `other changes on the disk (cloud-init, install.sh, the boot): ${n.added} added, ${n.changed} changed, ${n.removed} removed`,
  );
  const otherLines = others.map(formatChange);
  for (const l of otherLines.slice(0, SHOWN_CHANGES)) out(`  ${l}`);
  if (otherLines.length > SHOWN_CHANGES)
    out(
      `  ... ${otherLines.length - SHOWN_CHANGES} more${opts.keep ? ` in ${join(opts.keep, 'changes.txt')}` : ' (--keep DIR lists them all)'}`,
    );

  const log = server.log();
  if (status !== 0 && log) {
    out('');
    out('install log (tail):');
    for (const l of log.trimEnd().split('\n').slice(-30)) out(`  ${l}`);
  }

  if (opts.keep) {
    const keep = resolve(opts.keep);
    await io.mkdirP(keep);
    await moveFile(r.diskPath, join(keep, 'disk.raw'));
    await moveFile(r.consoleLog, join(keep, 'console.log'));
    await copyFile(prepared.userdataPath, join(keep, 'userdata.gz'));
    await writeFile(join(keep, 'userdata-with-stage.gz'), userData);
    await writeFile(join(keep, 'changes.txt'), lines.join('\n') + '\n');
    if (log !== undefined) await writeFile(join(keep, 'install.log'), log);
    out('');
    out(
      `kept in ${keep}: disk.raw (read it with: debugfs -R 'ls -l /etc' ${join(keep, 'disk.raw')}), console.log, install.log, changes.txt`,
    );
  }

  out('');
  if (status !== undefined) out(`install status ${status}${status === 0 ? ' (success)' : ' (failed)'}`);
  for (const p of problems) out(`error: ${p}`);
  return status === 0 && problems.length === 0 ? 0 : 1;
}

/** The second boot: the baked disk with the test user data, as a new instance. 0 when it passed. */
async function imageTest(
  disk: string,
  base: BaseImage | { image: string },
  prepared: PrepareResult,
  opts: TryArgs,
  say: (m: string) => void,
  out: (m: string) => void,
  abort: AbortController,
): Promise<number> {
  out('');
  say('image test (script/test.sh): the baked disk as a new instance, with the test user data');
  const server = await startStageServer({
    onRequest: (m) => say(m.replace(/^install log/, 'test log')),
  });
  try {
    const userData = finalUserdata(await readFile(prepared.testUserdataPath!), server.urls);
    const dir = opts.keep ? resolve(opts.keep) : dirname(disk);
    const r = await runTestBoot({
      diskPath: disk,
      boot: bootOf(base),
      userData,
      dir,
      forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }],
      // The same network as the bake boot: --isolated holds for the test too.
      ...(opts.isolated ? { network: 'isolated' as const } : {}),
      timeoutMs: opts.timeoutMs,
      signal: abort.signal,
      onPhase: say,
      onConsole: (line) => out(`  | ${neutraliseLine(line.replace(ANSI, ''))}`),
    });
    say(`the test VM stopped after ${Math.round(r.ms / 1000)} s`);
    const problems: string[] = [];
    if (r.exit.aborted) problems.push('interrupted');
    if (r.exit.timedOut) problems.push(`the test VM did not power off within ${opts.timeoutMs / 1000} s`);
    else if (!r.poweredOff && !r.exit.aborted) problems.push('the test VM rebooted instead of powering off');
    const uploaded = parseResult(server.result());
    const status = uploaded ?? r.status;
    if (uploaded !== undefined && r.status !== undefined && uploaded !== r.status)
      problems.push(`the uploaded test result (${uploaded}) and the console line (${r.status}) differ`);
    if (status === undefined)
      problems.push('the test VM reported no status (no result upload, no AMIBAKE-RESULT line)');
    const log = server.log();
    if (log) {
      out('');
      out('test log:');
      for (const l of log.trimEnd().split('\n')) out(`  ${neutraliseLine(l.replace(ANSI, ''))}`);
    }
    if (opts.keep && log !== undefined) await writeFile(join(dir, 'test.log'), log);
    out('');
    if (status !== undefined)
      out(
        `test status ${status}${status === 0 ? ' (passed)' : status === GUEST_STATUS.TEST_FAILED ? ' (failed: test.sh exited non-zero)' : ' (failed)'}`,
      );
    for (const p of problems) out(`error: ${p}`);
    return status === 0 && problems.length === 0 ? 0 : 1;
  } finally {
    await server.close();
  }
}

/** Rename, else copy across file systems (@actions/io's mv only renames). */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}
