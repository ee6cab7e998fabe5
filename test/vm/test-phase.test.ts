/**
 * The image test on real Debian: `amibake try` bakes a source with a failing script/test.sh and
 * boots the baked disk a second time with the test user data; then the same kept disk boots again
 * with a passing test. Each test boot must be a first boot for cloud-init (the sanitising left a
 * clean image): a new instance id, no previous one, per-instance modules run.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepare } from '../../src/compile/prepare.js';
import { GUEST_STATUS } from '../../src/core/contract.js';
import { finalUserdata } from '../../src/features/bake/userdata.js';
import { Ext4Image } from '../../src/vm/ext4.js';
import { BaseImage } from '../../src/vm/machine.js';
import { GUEST_STAGE_PORT, parseResult, startStageServer } from '../../src/vm/stage-server.js';
import { bootOf, runTestBoot, type TestBootResult } from '../../src/vm/test-boot.js';
import { tempDir } from '../bake/helpers.js';
import { makeSource, recordingLogger } from '../compile/helpers.js';
import { bundleCli, cannotRun, describeUnless, runCli, type CliRun } from './harness.js';

const maybe = describeUnless(await cannotRun(), 'image test VM tests');

const MINUTE = 60_000;

/** What the install leaves, and two tests of it: one that passes, one that finds a file missing. */
const INSTALL = {
  'fs/etc/amibake-marker': 'baked by amibake (marker 6d1f)\n',
  'script/install.sh':
    '#!/bin/sh\nset -e\nmkdir -p /opt/app\necho "installed by install.sh" > /opt/app/installed\n',
};
const PASSING =
  '#!/bin/sh\nset -e\n' +
  'grep -q "installed by install.sh" /opt/app/installed\n' +
  'grep -q "marker 6d1f" /etc/amibake-marker\n' +
  // systemd made a new machine id on this boot: sanitising emptied it.
  'test -s /etc/machine-id\n' +
  'echo "all checks passed (marker pass-2b90)"\n';
const FAILING =
  '#!/bin/sh\necho "checking /opt/app/missing"\n' +
  'test -e /opt/app/missing || { echo "missing /opt/app/missing (marker fail-9c4e)"; exit 3; }\n';

maybe('the image test: the baked disk booted again with the test user data', () => {
  let work: string;
  let tried: CliRun;
  let triedMs: number;

  beforeAll(async () => {
    work = tempDir();
    const cli = await bundleCli(work);
    const source = makeSource({ ...INSTALL, 'script/test.sh': FAILING }, join(work, 'failing-src'));
    const started = Date.now();
    tried = await runCli(cli, ['try', source, '--keep', join(work, 'keep')], {
      AMIBAKE_VM_ACCEL: process.env.AMIBAKE_VM_ACCEL ?? 'auto',
    });
    triedMs = Date.now() - started;
  }, 45 * MINUTE);

  afterAll(async () => {
    if (work && !process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it('amibake try: the bake passes, the failing test.sh (exit 3) fails the run with its log', async () => {
    const r = tried;
    // The notes' figures: what the second boot adds to a try.
    const stopped = [...r.stderr.matchAll(/the (test )?VM stopped after (\d+) s/g)].map((m) => `${m[0]}`);
    process.stderr.write(
      `image test timing: amibake try ${Math.round(triedMs / 1000)} s in all; ${stopped.join('; ')}\n`,
    );
    const context = `exit ${r.code}\nstderr:\n${r.stderr}\nstdout tail:\n${r.stdout.split('\n').slice(-60).join('\n')}`;
    expect({ code: r.code, context }).toEqual({ code: 1, context });
    expect(r.stdout).toMatch(/^install status 0 \(success\)$/m);
    // Two boots, two instances: the bake's, then the test's.
    const bake = /booting \((?:software emulation|KVM)\), instance (i-[0-9a-f]{17})$/m.exec(r.stderr)?.[1];
    const test =
      /booting the baked disk again \((?:software emulation|KVM)\), instance (i-[0-9a-f]{17})$/m.exec(
        r.stderr,
      )?.[1];
    expect(bake).toBeDefined();
    expect(test).toBeDefined();
    expect(test).not.toBe(bake);
    // cloud-init ran the test user data as a first boot: the runner (written by write_files, a
    // per-instance module) ran from power_state (per-instance too), and the bake's instance left
    // no state behind (its cloud-init clean): this instance is the only one cloud-init knows.
    expect(r.stdout).toMatch(/^test log:$/m);
    expect(r.stdout).toContain(
      `amibake: test boot: instance ${test}; instances cloud-init knows on this disk: ${test}\n`,
    );
    expect(r.stdout).toContain('missing /opt/app/missing (marker fail-9c4e)');
    expect(r.stdout).toContain('amibake: test.sh failed (exit 3)');
    expect(r.stdout).toMatch(/^ {2}\| .*AMIBAKE-RESULT status=8/m);
    expect(r.stdout).toMatch(
      new RegExp(`^test status ${GUEST_STATUS.TEST_FAILED} \\(failed: test\\.sh exited non-zero\\)$`, 'm'),
    );
    expect(r.stdout).not.toMatch(/^error:/m);
    expect(await readFile(join(work, 'keep/test.log'), 'utf8')).toContain('marker fail-9c4e');
  });

  it(
    'the same baked disk with a passing test.sh: status 0, the checks of what the install left, a first boot again',
    async () => {
      const disk = join(work, 'keep/disk.raw');
      const source = makeSource({ ...INSTALL, 'script/test.sh': PASSING }, join(work, 'passing-src'));
      const prepared = await prepare({
        source,
        target: join(work, 'passing-out'),
        awsRegion: 'ap-northeast-1',
        logger: recordingLogger(),
        env: {},
      });
      const base = await BaseImage.open(join(work, 'base'));
      const server = await startStageServer({});
      let r: TestBootResult;
      try {
        const userData = finalUserdata(await readFile(prepared.testUserdataPath!), server.urls);
        r = await runTestBoot({
          diskPath: disk,
          boot: bootOf(base),
          userData,
          dir: join(work, 'passing-boot'),
          forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }],
          timeoutMs: 30 * MINUTE,
        });
      } finally {
        await server.close();
        await base.dispose();
      }
      const log = server.log() ?? '';
      await writeFile(join(work, 'passing-boot/test.log'), log);
      expect({ poweredOff: r.poweredOff, console: r.status, uploaded: parseResult(server.result()) }).toEqual(
        {
          poweredOff: true,
          console: 0,
          uploaded: 0,
        },
      );
      expect(log).toContain(
        `amibake: test boot: instance ${r.instanceId}; instances cloud-init knows on this disk: ${r.instanceId}\n`,
      );
      expect(log).toContain('all checks passed (marker pass-2b90)');
      expect(log).toMatch(/amibake: test\.sh passed\namibake: test status 0\n/);
      // The test boots wrote to a throwaway overlay: the disk is still the sanitised one.
      const tree = await new Ext4Image(disk).walk();
      expect([...tree.keys()].filter((p) => p.startsWith('/var/lib/cloud/instances/'))).toEqual([]);
      expect(tree.get('/opt/app/installed')).toBeDefined();
      process.stderr.write(`image test timing: a passing test boot ${Math.round(r.ms / 1000)} s\n`);
    },
    40 * MINUTE,
  );
});
