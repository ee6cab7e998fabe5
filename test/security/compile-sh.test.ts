/**
 * Attack: compile.sh (the image source's code, run by prepare) starts a process that outlives
 * prepare and rewrites TARGET after prepare has written it (the artifact the build job trusts to be
 * prepare's output), or keeps prepare waiting on its output pipe.
 * Defence (src/compile/workdir.ts): when compile.sh ends, success included, its whole process
 * group is ended (SIGTERM, SIGKILL after a grace), and prepare writes TARGET only after that.
 * The limit, documented in docs/image-source.md: compile.sh runs with the prepare job's privileges; a process
 * that leaves the group (setsid) is beyond prepare's reach, and the environment of prepare itself
 * is readable at /proc/$PPID/environ, so only the job boundary keeps credentials away.
 * Prepare makes no AWS call: nothing can be left in AWS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { prepare } from '../../src/compile/prepare.js';
import { GROUP_GRACE_MS } from '../../src/compile/workdir.js';
import { startCli } from '../support/runner.js';
import { recordingLogger, makeSource, tempDir } from '../compile/helpers.js';

jest.setTimeout(60_000);

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function prepareWith(compileSh: string, env: Record<string, string> = {}) {
  const dir = tempDir();
  const target = join(dir, 'out');
  const pidFile = join(dir, 'daemon.pid');
  const source = makeSource({ 'script/compile.sh': compileSh });
  const t0 = Date.now();
  const result = await prepare({
    source,
    target,
    awsRegion: 'us-east-1',
    logger: recordingLogger(),
    env: { ...process.env, EVIL_TARGET: target, EVIL_PIDFILE: pidFile, ...env },
  });
  return { result, target, pidFile, seconds: (Date.now() - t0) / 1000 };
}

describe('compile.sh cannot outlive prepare', () => {
  it('a daemon that ignores SIGTERM and rewrites TARGET after prepare: killed, TARGET unchanged', async () => {
    const r = await prepareWith(
      [
        '#!/bin/sh',
        // Detached from the pipes, deaf to SIGTERM, waiting for prepare to finish, then rewriting.
        `sh -c 'trap "" TERM; echo $$ > "$EVIL_PIDFILE"`,
        '  while [ ! -f "$EVIL_TARGET/vars.env" ]; do sleep 0.05; done; sleep 0.3',
        `  while :; do echo "PREPARED_DIGEST=forged" > "$EVIL_TARGET/vars.env"; sleep 0.05; done' </dev/null >/dev/null 2>&1 &`,
        // Exits once the daemon is deaf to SIGTERM.
        'while [ ! -s "$EVIL_PIDFILE" ]; do sleep 0.05; done',
        'echo compiled',
      ].join('\n') + '\n',
    );
    const written = readFileSync(join(r.target, 'vars.env'), 'utf8');
    expect(written).toMatch(/^PREPARED_DIGEST='[0-9a-f]{64}'$/m);
    const pid = Number(readFileSync(r.pidFile, 'utf8'));
    expect(running(pid)).toBe(false);
    // It needed the SIGKILL: prepare waited the grace, no longer.
    expect(r.seconds).toBeGreaterThanOrEqual(GROUP_GRACE_MS / 1000);
    await sleep(800);
    expect(readFileSync(join(r.target, 'vars.env'), 'utf8')).toBe(written);
  });

  it('a background process holding the output pipe neither delays prepare nor survives it', async () => {
    const r = await prepareWith('#!/bin/sh\nsleep 300 &\necho $! > "$EVIL_PIDFILE"\necho compiled\n');
    const pid = Number(readFileSync(r.pidFile, 'utf8'));
    expect(running(pid)).toBe(false);
    expect(r.seconds).toBeLessThan(10);
    expect(existsSync(join(r.target, 'userdata.gz'))).toBe(true);
  });

  it('a daemon started by a failing compile.sh is ended too, and TARGET is not created', async () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    const pidFile = join(dir, 'daemon.pid');
    const source = makeSource({
      'script/compile.sh':
        '#!/bin/sh\n( sleep 300 ) </dev/null >/dev/null 2>&1 &\necho $! > "$EVIL_PIDFILE"\nexit 3\n',
    });
    await expect(
      prepare({
        source,
        target,
        awsRegion: 'us-east-1',
        logger: recordingLogger(),
        env: { ...process.env, EVIL_PIDFILE: pidFile },
      }),
    ).rejects.toThrow(/script\/compile\.sh exited with status 3/);
    expect(running(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(existsSync(target)).toBe(false);
  });
});

describe("what docs/image-source.md says about compile.sh's privileges", () => {
  it("its environment is scrubbed, yet /proc/$PPID/environ is the caller's: only the job boundary keeps credentials away", async () => {
    const source = makeSource({
      'script/compile.sh':
        [
          '#!/bin/sh',
          'echo "OWN=${AWS_SECRET_ACCESS_KEY:-absent}" >> "$AMIBAKE_VARS"',
          'if tr "\\0" "\\n" < /proc/$PPID/environ | grep -q "^AWS_SECRET_ACCESS_KEY=planted$"; then p=readable; else p=hidden; fi',
          'echo "PARENT=$p" >> "$AMIBAKE_VARS"',
        ].join('\n') + '\n',
    });
    const target = join(tempDir(), 'out');
    // The CLI as a CI job runs it, with a credential in its environment.
    const r = await startCli(['prepare', source, target], {
      env: { AWSREGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'planted' },
    }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: the prepare environment holds cloud credentials \(AWS_SECRET_ACCESS_KEY\)/,
    );
    const vars = readFileSync(join(target, 'vars.env'), 'utf8');
    expect(vars).toMatch(/^OWN='absent'$/m);
    // Scrubbing is hygiene, not a boundary: the same user can read its parent's environment.
    expect(vars).toMatch(/^PARENT='readable'$/m);
  });
});
