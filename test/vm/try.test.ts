/**
 * `amibake try` as a user runs it (the CLI bundled from this source): the external example on a
 * user's own qcow2 cloud image booted by its bootloader, and a failing install on the built-in
 * Debian image. The two VMs run side by side.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaseImage } from '../../src/vm/machine.js';
import { tempDir } from '../bake/helpers.js';
import { cannotMakeImage, makeCloudImage } from './cloud-image.js';
import { bundleCli, cannotRun, describeUnless, ROOT, runCli, type CliRun } from './harness.js';

const maybe = describeUnless((await cannotRun()) ?? (await cannotMakeImage()), 'amibake try tests');

const MINUTE = 60_000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

maybe('amibake try', () => {
  let work: string;
  let image: string;
  let imageSum: string;
  let withImage: Promise<CliRun>;
  let failing: Promise<CliRun>;

  beforeAll(async () => {
    work = tempDir();
    const cli = await bundleCli(work);
    const base = await BaseImage.open(join(work, 'base'));
    try {
      image = await makeCloudImage(base, work);
    } finally {
      await base.dispose();
    }
    imageSum = sha256(await readFile(image));
    const bad = join(work, 'failing');
    await cp(join(ROOT, 'examples/web-server'), bad, { recursive: true });
    await writeFile(
      join(bad, 'script/install.sh'),
      '#!/bin/sh\necho "cannot install (marker try-fail-4410)"\nexit 9\n',
    );
    const env = { AMIBAKE_VM_ACCEL: process.env.AMIBAKE_VM_ACCEL ?? 'auto' };
    withImage = runCli(
      cli,
      ['try', 'examples/big-payload', '--image', image, '--keep', join(work, 'keep')],
      env,
    );
    failing = runCli(cli, ['try', bad], env);
    withImage.catch(() => undefined);
    failing.catch(() => undefined);
  }, 10 * MINUTE);

  afterAll(async () => {
    if (work && !process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it(
    'bakes the external example on a qcow2 cloud image: fs.tgz served from loopback, status, changes, kept disk',
    async () => {
      const r = await withImage;
      const context = `exit ${r.code}\nstderr:\n${r.stderr}\nstdout tail:\n${r.stdout.split('\n').slice(-60).join('\n')}`;
      expect({ code: r.code, context }).toEqual({ code: 0, context });
      // Progress with elapsed time, the phases, what the guest fetched and reported.
      expect(r.stderr).toMatch(/^\[0:\d\d\] preparing examples\/big-payload$/m);
      expect(r.stderr).toMatch(/^\[\d+:\d\d\] copying .*cloud\.qcow2$/m);
      expect(r.stderr).toMatch(
        /^\[\d+:\d\d\] booting \((software emulation|KVM)\), instance i-[0-9a-f]{17}$/m,
      );
      expect(r.stderr).toMatch(/fs\.tgz downloaded \(\d+ bytes\)/);
      expect(r.stderr).toContain('result received: status=0');
      // The console streams, the result line included.
      expect(r.stdout).toMatch(/^ {2}\| .*AMIBAKE-RESULT status=0/m);
      expect(r.stdout).toMatch(/^ {2}\| .*payload\.bin: OK/m);
      // The changes: the example's files, as the image has them.
      const src = /^from the image source \(fs\.tgz\): (\d+) entries, (\d+) on the disk as packed/m.exec(
        r.stdout,
      );
      expect(src && Number(src[1])).toBeGreaterThan(3);
      expect(src?.[2]).toBe(src?.[1]);
      expect(r.stdout).toMatch(
        /^other changes on the disk \(cloud-init, install\.sh, the boot\): \d+ added, \d+ changed, \d+ removed$/m,
      );
      expect(r.stdout).toMatch(/^ {2}\+ -rw-r--r-- 0:0 393216 \/opt\/bigapp\/data\/payload\.bin$/m);
      expect(r.stdout).toMatch(/^ {2}\+ -rwxr-xr-x 0:0 \d+ \/opt\/bigapp\/bin\/bigapp$/m);
      expect(r.stdout).toMatch(/^install status 0 \(success\)$/m);
      expect(r.stdout).not.toMatch(/^error:/m);
      const kept = (await readdir(join(work, 'keep'))).sort();
      expect(kept).toEqual(
        expect.arrayContaining(['changes.txt', 'console.log', 'disk.raw', 'install.log', 'userdata.gz']),
      );
      expect(await readFile(join(work, 'keep/install.log'), 'utf8')).toContain('amibake: install status 0');
      // The user's image itself is never written.
      expect(sha256(await readFile(image))).toBe(imageSum);
    },
    25 * MINUTE,
  );

  it(
    'reports a failing install on the built-in image: non-zero exit, the status and the install log tail',
    async () => {
      const r = await failing;
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^install status 5 \(failed\)$/m);
      expect(r.stdout).toMatch(/^install log \(tail\):$/m);
      expect(r.stdout).toContain('cannot install (marker try-fail-4410)');
      expect(r.stdout).toContain('install.sh failed (exit 9)');
      expect(r.stderr).toMatch(/^\[\d+:\d\d\] making the 4096 MiB root disk$/m);
    },
    25 * MINUTE,
  );
});
