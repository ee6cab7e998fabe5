/**
 * `amibake prepare --disk` as a user runs it (the CLI bundled from this source): an example source
 * baked onto the bootable base in the local VM, the disk written as blocks and a manifest. The
 * blocks are read back with the shared reader and reassembled into a raw disk whose ext4 root
 * holds the source's files with their modes and what install.sh did. (Booting the reassembled
 * upload is the disk build's test.)
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { lstat, open, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseEnv } from '../../src/core/envfile.js';
import {
  BLOCK_SIZE,
  BLOCKS_FILE,
  MANIFEST_FILE,
  parseManifest,
  readBlocks,
} from '../../src/disk/manifest.js';
import { DISK_RECIPE } from '../../src/vm/boot-disk.js';
import { Ext4Image } from '../../src/vm/ext4.js';
import { rootFsOffset } from '../../src/vm/user-image.js';
import { tempDir } from '../compile/helpers.js';
import { bundleCli, cannotRun, describeUnless, ROOT, runCli, type CliRun } from './harness.js';

const MINUTE = 60_000;
const SOURCE = 'examples/web-server';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const maybe = describeUnless(await cannotRun(), 'prepare --disk tests');

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

maybe('amibake prepare --disk', () => {
  const work = tempDir('amibake-disk-prepare-');
  const target = join(work, 'target');
  let run: CliRun;
  let plain: CliRun;
  let seconds = 0;
  beforeAll(async () => {
    const cli = await bundleCli(work);
    const env = { AMIBAKE_VM_ACCEL: process.env.AMIBAKE_VM_ACCEL ?? 'auto' };
    plain = await runCli(cli, ['prepare', SOURCE, join(work, 'plain')], env);
    const started = Date.now();
    run = await runCli(cli, ['prepare', '--disk', SOURCE, target], env);
    seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(
      `prepare --disk took ${seconds} s; ${/^disk: .*$/m.exec(run.stderr)?.[0] ?? 'no disk line'}\n`,
    );
  }, 45 * MINUTE);
  afterAll(async () => {
    if (!process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it('bakes the source in the VM and writes the disk, with the disk keys in vars.env', async () => {
    const context = `exit ${run.code}\n${run.stderr.split('\n').slice(-80).join('\n')}`;
    expect({ code: run.code, context }).toEqual({ code: 0, context });
    expect(plain.code).toBe(0);
    expect(run.stderr).toContain('result received: status=0');
    expect((await readdir(target)).sort()).toEqual(
      ['disk.blocks', 'disk.manifest.json', 'userdata.gz', 'vars.env'].sort(),
    );
    const vars = parseEnv(await readFile(join(target, 'vars.env'), 'utf8'), 'vars.env');
    const plainVars = parseEnv(await readFile(join(work, 'plain', 'vars.env'), 'utf8'), 'vars.env');
    // The prepared digest is the instance prepare's: the disk keys come beside it.
    expect(vars.PREPARED_DIGEST).toBe(plainVars.PREPARED_DIGEST);
    expect(Object.keys(vars).at(-1)).toBe('PREPARED_DIGEST');
    const manifestText = await readFile(join(target, MANIFEST_FILE));
    const manifest = parseManifest(manifestText.toString('utf8'), MANIFEST_FILE);
    expect(vars).toMatchObject({
      KIND: 'disk',
      DISK_MANIFEST_SHA256: sha256(manifestText),
      DISK_BLOCKS_SHA256: sha256(await readFile(join(target, BLOCKS_FILE))),
      DISK_SIZE: String(manifest.size),
      DISK_RECIPE,
    });
    expect(vars.DISK_BASE_DIGEST).toMatch(/^[0-9a-f]{64}$/);
    for (const k of Object.keys(plainVars)) expect(vars[k]).toBe(plainVars[k]);
    expect(manifest.size % (1 << 30)).toBe(0);
    // Sparse: far fewer blocks than the disk has.
    expect(manifest.blocks.length).toBeLessThan(manifest.size / BLOCK_SIZE / 2);
  });

  it(
    'reassembles to a disk whose ext4 root holds the source files with their modes',
    async () => {
      const manifest = parseManifest(await readFile(join(target, MANIFEST_FILE), 'utf8'), MANIFEST_FILE);
      const raw = join(work, 'reassembled.raw');
      await writeFile(raw, '');
      await truncate(raw, manifest.size);
      const fh = await open(raw, 'r+');
      try {
        for await (const { index, data } of readBlocks(target, manifest)) {
          await fh.write(data, 0, data.length, index * BLOCK_SIZE);
        }
      } finally {
        await fh.close();
      }
      const root = new Ext4Image(raw, await rootFsOffset(raw));
      const fsDir = join(ROOT, SOURCE, 'fs');
      for (const entry of await tree(fsDir)) {
        const st = await root.stat(entry.path);
        expect({ path: entry.path, type: st?.type }).toEqual({
          path: entry.path,
          type: entry.dir ? 'dir' : 'file',
        });
        expect({ path: entry.path, mode: st!.mode & 0o7777 }).toEqual({ path: entry.path, mode: entry.mode });
        if (!entry.dir) {
          expect((await root.readFile(entry.path)).equals(await readFile(join(fsDir, entry.path)))).toBe(
            true,
          );
        }
      }
      // install.sh ran: the service is enabled.
      const wants = await root.stat('/etc/systemd/system/multi-user.target.wants/amibake-web.service');
      expect(wants?.type).toBe('symlink');
      // Sanitised for the next boot: cloud-init runs again on the instance.
      expect(await root.stat('/var/lib/cloud/instance')).toBeUndefined();
    },
    10 * MINUTE,
  );
});
