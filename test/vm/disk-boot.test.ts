/**
 * The disk path, proved end to end: an example source prepared with `prepare --disk` (the bootable
 * base baked in the local VM), built against moto with the CLI bundled from this source (no
 * instance: the disk is uploaded with the EBS direct APIs and registered), the snapshot read back
 * block by block and reassembled, and the reassembled disk booted in qemu through its own
 * bootloader (no -kernel), under UEFI as registered: it reaches cloud-init's final stage, and the
 * image source's files are on it with their modes, seen from inside the guest and on the disk.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { lstat, open, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BLOCK_SIZE, MANIFEST_FILE, parseManifest } from '../../src/disk/manifest.js';
import { Ext4Image } from '../../src/vm/ext4.js';
import { runMachine } from '../../src/vm/machine.js';
import { rootFsOffset } from '../../src/vm/user-image.js';
import { tempDir } from '../compile/helpers.js';
import { bakeSnapshots, ebsFor, readSnapshot } from '../disk-build/helpers.js';
import { startMoto, type Moto } from '../support/moto.js';
import { ownImages } from '../support/world.js';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { bundleCli, cannotRun, describeUnless, ROOT, runCli, type CliRun } from './harness.js';

const MINUTE = 60_000;
const SOURCE = 'examples/web-server';
/** prepare's default AWSREGION: the build's region must be the same. */
const REGION = 'ap-northeast-1';
const maybe = describeUnless(await cannotRun(), 'disk path boot tests');

/** Every file and folder under DIR, relative, with its mode bits. */
async function tree(dir: string): Promise<{ path: string; mode: number; dir: boolean }[]> {
  const out: { path: string; mode: number; dir: boolean }[] = [];
  const walk = async (d: string) => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      const st = await lstat(p);
      out.push({ path: '/' + relative(dir, p), mode: st.mode & 0o7777, dir: st.isDirectory() });
      if (st.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  return out;
}

maybe('a disk artifact uploaded and registered', () => {
  const work = tempDir('amibake-disk-boot-');
  const target = join(work, 'target');
  const raw = join(work, 'from-snapshot.raw');
  let moto: Moto;
  let prepare: CliRun;
  let build: CliRun;
  const seconds: Record<string, number> = {};
  beforeAll(async () => {
    const cli = await bundleCli(work);
    const env = { AMIBAKE_VM_ACCEL: process.env.AMIBAKE_VM_ACCEL ?? 'auto' };
    let t = Date.now();
    prepare = await runCli(cli, ['prepare', '--disk', SOURCE, target], env);
    seconds.prepare = Math.round((Date.now() - t) / 1000);
    // This process's SDK too (reading the snapshot back), in the region prepare named (its default).
    moto = await startMoto({ processEnv: true });
    process.env.AWS_REGION = REGION;
    t = Date.now();
    build = await runCli(cli, ['build', target], {
      ...moto.env,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      BUILDAMI_BOOT_MODE: 'uefi',
      BUILDAMI_ROOT_VOLUME_TYPE: 'gp3',
    });
    seconds.build = Math.round((Date.now() - t) / 1000);
    process.stderr.write(
      `prepare --disk ${seconds.prepare} s, build (upload + register) ${seconds.build} s\n`,
    );
  }, 60 * MINUTE);
  afterAll(async () => {
    await moto?.stop();
    if (!process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it('registers an AMI from the uploaded disk with no instance launched', async () => {
    for (const [what, r] of [
      ['prepare', prepare],
      ['build', build],
    ] as const) {
      const context = `${what}: exit ${r.code}\n${r.stderr.split('\n').slice(-60).join('\n')}`;
      expect({ code: r.code, context }).toEqual({ code: 0, context });
    }
    expect(build.stdout).toMatch(/^AMI_ID='?ami-[0-9a-f]+/m);
    const ec2 = moto.ec2(REGION);
    expect(await ownImages(ec2)).toHaveLength(1);
    expect((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).toEqual([]);
  });

  it(
    'reads the snapshot back block by block into the disk prepare made',
    async () => {
      const manifest = parseManifest(await readFile(join(target, MANIFEST_FILE), 'utf8'), MANIFEST_FILE);
      const [snap] = await bakeSnapshots(moto.ec2(REGION));
      expect(snap?.SnapshotId).toMatch(/^snap-/);
      const blocks = await readSnapshot(ebsFor(moto.endpoint, REGION), snap.SnapshotId!);
      expect([...blocks.keys()].sort((a, b) => a - b)).toEqual(manifest.blocks.map((b) => b.index));
      await writeFile(raw, '');
      await truncate(raw, manifest.size);
      const fh = await open(raw, 'r+');
      try {
        for (const [index, data] of blocks) {
          expect(data.length).toBe(BLOCK_SIZE);
          await fh.write(data, 0, data.length, index * BLOCK_SIZE);
        }
      } finally {
        await fh.close();
      }
      const root = new Ext4Image(raw, await rootFsOffset(raw));
      const fsDir = join(ROOT, SOURCE, 'fs');
      for (const entry of await tree(fsDir)) {
        const st = await root.stat(entry.path);
        expect({ path: entry.path, mode: st ? st.mode & 0o7777 : undefined }).toEqual({
          path: entry.path,
          mode: entry.mode,
        });
      }
    },
    10 * MINUTE,
  );

  it(
    'boots the reassembled disk by its own bootloader to cloud-init final stage, the source files there',
    async () => {
      const files = (await tree(join(ROOT, SOURCE, 'fs'))).filter((e) => !e.dir);
      // From inside the guest: each file's mode, printed on the console from the final stage.
      const userData = Buffer.from(
        '#cloud-config\n' +
          'runcmd:\n' +
          files
            .map(
              (f) => `  - [sh, -c, 'echo "AMIBAKE-FILE $(stat -c %a ${f.path}) ${f.path}" > /dev/console']\n`,
            )
            .join('') +
          'power_state:\n  mode: poweroff\n  condition: true\n',
      );
      const lines: string[] = [];
      const r = await runMachine({
        userData,
        base: { image: raw },
        dir: join(work, 'boot'),
        firmware: 'uefi',
        network: 'isolated',
        timeoutMs: 25 * MINUTE,
        onConsole: (l) => lines.push(l),
      });
      const text = lines.join('\n');
      const context = text.split('\n').slice(-60).join('\n');
      expect({ poweredOff: r.poweredOff, context }).toEqual({ poweredOff: true, context });
      expect(text).toMatch(/Cloud-init v\. \S+ finished at/);
      // Its own bootloader (GRUB's command line), not qemu's -kernel.
      expect(text).toMatch(/Command line: BOOT_IMAGE=\S*vmlinuz\S* root=UUID=[0-9a-f-]{36} /);
      for (const f of files) expect(text).toContain(`AMIBAKE-FILE ${f.mode.toString(8)} ${f.path}`);
    },
    30 * MINUTE,
  );
});
