/**
 * The disk path end to end against moto: a synthetic 1 GiB sparse disk in the disk format,
 * `amibake build TARGET` registers an AMI with no instance launched, the snapshot read back block
 * by block is the raw disk byte for byte, and the AMI is registered with the build's own settings.
 * An interrupted upload (a cancel, the post step from saved state, a 5xx, a refusal) and a forged
 * block leave no snapshot and no AMI.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

jest.setTimeout(120_000);
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { setRetryTimings } from '../../src/aws/retry.js';
import { main as cliBuild } from '../../src/fronts/cli-build.js';
import { recoverPostStep } from '../../src/pipeline/recovery.js';
import { DISK_STATE } from '../../src/features/disk-upload/state.js';
import { useBake } from '../support/bake-harness.js';
import { captureLogger } from '../support/logger.js';
import { faultReply } from '../support/faults.js';
import type { Call } from '../support/moto.js';
import { GIB, makeDiskArtifact, makeRawDisk, writeDiskFiles } from '../support/disk-artifact.js';
import { ownImages } from '../support/world.js';
import { bakeSnapshots, diffDisk, diskBake, ebsFor, readSnapshot } from './helpers.js';

const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
let work: string;
let raw: string;
let undoTimings: () => void;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'amibake-disk-'));
  raw = join(work, 'disk.raw');
  makeRawDisk(raw);
  // A fault fails a call in a second, not after the SDK's minutes of backoff.
  undoTimings = setRetryTimings({ sdkAttempts: 2, sdkMode: 'standard', backoffMs: 50, deadlineCapMs: 3000 });
});
afterAll(() => {
  undoTimings();
  rmSync(work, { recursive: true, force: true });
});

const isPut = (c: Call) => /^S3:PUT \/snapshots\/[^/]+\/blocks\/\d+$/.test(c.action);
/** The gate's calls of this test (the gate serves the whole file). */
let first = 0;
beforeEach(() => {
  first = m.gate.calls.length;
});
const calls = () => m.gate.calls.slice(first);
const count = (action: string) => calls().filter((c) => c.action === action).length;
const puts = () => calls().filter(isPut).length;
/** The form fields of this test's RegisterImage call. */
const registered = () => {
  const call = calls().find((c) => c.action === 'RegisterImage');
  return call ? Object.fromEntries(new URLSearchParams(call.body)) : undefined;
};

async function nothingLeft() {
  const ec2 = m.moto.ec2();
  expect(await bakeSnapshots(ec2)).toEqual([]);
  expect(await ownImages(ec2)).toEqual([]);
}

describe('a disk artifact', () => {
  it('is uploaded and registered with no instance, and the snapshot is the disk byte for byte', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'ok') });
    const output = join(artifact.dir, 'out.env');
    const code = await cliBuild([artifact.dir], {
      ...process.env,
      BUILDAMI_OUTPUT: output,
      BUILDAMI_ROOT_VOLUME_SIZE: '2',
      BUILDAMI_ROOT_VOLUME_TYPE: 'gp3',
      BUILDAMI_BOOT_MODE: 'uefi',
      BUILDAMI_AMI_IMDSV2: 'true',
    });
    expect(code).toBe(0);
    const amiId = /AMI_ID='?(ami-[0-9a-f]+)/.exec(readFileSync(output, 'utf8'))?.[1];
    expect(amiId).toBeDefined();
    expect((await ownImages(m.moto.ec2())).map((i) => i.ImageId)).toEqual([amiId]);
    expect(count('RunInstances')).toBe(0);
    const reservations = (await m.moto.ec2().send(new DescribeInstancesCommand({}))).Reservations ?? [];
    expect(reservations).toEqual([]);

    const reg = registered()!;
    expect(reg).toMatchObject({
      Name: 'web-server-1.0.0',
      Architecture: 'x86_64',
      BootMode: 'uefi',
      EnaSupport: 'true',
      RootDeviceName: '/dev/xvda',
      VirtualizationType: 'hvm',
      ImdsSupport: 'v2.0',
      'BlockDeviceMapping.1.DeviceName': '/dev/xvda',
      'BlockDeviceMapping.1.Ebs.VolumeSize': '2',
      'BlockDeviceMapping.1.Ebs.VolumeType': 'gp3',
      'BlockDeviceMapping.1.Ebs.DeleteOnTermination': 'true',
    });
    const snapshotId = reg['BlockDeviceMapping.1.Ebs.SnapshotId'];
    expect(snapshotId).toMatch(/^snap-/);

    // Only the non-zero blocks were sent, each once, and they are the disk.
    expect(puts()).toBe(artifact.disk.blocks);
    const blocks = await readSnapshot(ebsFor(m.moto.endpoint), snapshotId);
    expect(blocks.size).toBe(artifact.disk.blocks);
    expect(diffDisk(raw, GIB, blocks)).toBeUndefined();
  });

  it('takes the architecture, boot mode and volume from the build, never from vars.env', async () => {
    const artifact = await makeDiskArtifact(raw, {
      dir: join(work, 'claims'),
      extraVars: { ARCHITECTURE: 'arm64', BOOT_MODE: 'legacy-bios', ROOT_VOLUME_SIZE: '1' },
    });
    const { bake } = await diskBake(artifact.dir, { BUILDAMI_BOOT_MODE: 'legacy-bios' });
    await bake.run();
    const before = registered()!;
    expect(before).toMatchObject({
      Architecture: 'x86_64',
      BootMode: 'legacy-bios',
      'BlockDeviceMapping.1.Ebs.VolumeSize': '1',
    });
  });

  it('a dry run verifies the disk and says what it would do: nothing uploaded or registered', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'dry') });
    const { bake, log } = await diskBake(artifact.dir, { BUILDAMI_DRY_RUN: 'true' });
    const result = await bake.run();
    expect(result.report.dryRun).toBe(true);
    expect(log()).toMatch(
      /dry run: would upload 11 blocks \(6 MiB\) into a 1 GiB snapshot and register web-server-1\.0\.0/,
    );
    expect(calls().filter((c) => c.action.startsWith('S3:'))).toEqual([]);
    expect(count('RegisterImage')).toBe(0);
    await nothingLeft();
  });

  it('refuses a volume smaller than the disk before anything is uploaded', async () => {
    const big = join(work, 'big.raw');
    makeRawDisk(big, 2, [[GIB + 4096, 10]]);
    const artifact = await makeDiskArtifact(big, { dir: join(work, 'big') });
    const { bake } = await diskBake(artifact.dir, { BUILDAMI_ROOT_VOLUME_SIZE: '1' });
    await expect(bake.run()).rejects.toThrow(
      /rootVolumeSize|ROOT_VOLUME_SIZE.*smaller than the disk \(2 GiB/,
    );
    expect(calls().filter((c) => c.action === 'S3:POST /snapshots')).toEqual([]);
    rmSync(big);
  });

  it('refuses a disk over 8 GiB unless root-volume-size says so: the artifact never picks the volume', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'huge') });
    // The artifact claims a 900 GiB disk (the manifest and vars.env agree, the sums are redone).
    const manifest = JSON.parse(readFileSync(join(artifact.dir, 'disk.manifest.json'), 'utf8'));
    manifest.size = 900 * GIB;
    const text = JSON.stringify(manifest);
    writeFileSync(join(artifact.dir, 'disk.manifest.json'), text);
    const { createHash } = await import('node:crypto');
    const vars = readFileSync(join(artifact.dir, 'vars.env'), 'utf8')
      .replace(
        /^DISK_MANIFEST_SHA256=.*$/m,
        `DISK_MANIFEST_SHA256=${createHash('sha256').update(text).digest('hex')}`,
      )
      .replace(/^DISK_SIZE=.*$/m, `DISK_SIZE=${900 * GIB}`);
    writeFileSync(join(artifact.dir, 'vars.env'), vars);

    const { bake } = await diskBake(artifact.dir);
    await expect(bake.run()).rejects.toThrow(
      /rootVolumeSize: not set, and the disk is 900 GiB .*over 8 GiB is registered only when rootVolumeSize is set/,
    );
    expect(calls().filter((c) => c.action === 'S3:POST /snapshots')).toEqual([]);
    await nothingLeft();
  });

  it('refuses a block altered after the manifest: no AMI, the snapshot deleted', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'forged') });
    const original = JSON.parse(readFileSync(join(artifact.dir, 'disk.manifest.json'), 'utf8'));
    // The attacker rewrites a block and the files' sums in vars.env; the manifest still holds the
    // block's original checksum (what the prepare job recorded).
    const altered = join(work, 'altered.raw');
    writeFileSync(altered, '');
    makeRawDisk(altered);
    const fd = await import('node:fs').then((fs) => fs.openSync(altered, 'r+'));
    (await import('node:fs')).writeSync(fd, Buffer.from('forged'), 0, 6, 100 * 1024 * 1024 + 8192);
    (await import('node:fs')).closeSync(fd);
    const files = await writeDiskFiles(altered, artifact.dir);
    const manifest = JSON.parse(readFileSync(join(artifact.dir, 'disk.manifest.json'), 'utf8'));
    manifest.blocks = manifest.blocks.map((b: { index: number }, n: number) => ({
      ...b,
      sha256: original.blocks[n].sha256,
    }));
    const text = JSON.stringify(manifest);
    writeFileSync(join(artifact.dir, 'disk.manifest.json'), text);
    const { createHash } = await import('node:crypto');
    const vars = readFileSync(join(artifact.dir, 'vars.env'), 'utf8')
      .replace(
        /^DISK_MANIFEST_SHA256=.*$/m,
        `DISK_MANIFEST_SHA256=${createHash('sha256').update(text).digest('hex')}`,
      )
      .replace(/^DISK_BLOCKS_SHA256=.*$/m, `DISK_BLOCKS_SHA256=${files.blocksSha256}`);
    writeFileSync(join(artifact.dir, 'vars.env'), vars);
    rmSync(altered);

    const { bake } = await diskBake(artifact.dir);
    await expect(bake.run()).rejects.toThrow(/block 200 does not hash to the manifest's checksum.*altered/s);
    expect(count('RegisterImage')).toBe(0);
    await nothingLeft();
  });

  it.each<[string, '5xx' | 'denied']>([
    ['a 5xx', '5xx'],
    ['a refusal', 'denied'],
  ])('leaves nothing when PutSnapshotBlock fails with %s after 3 blocks', async (_, fault) => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, `fault-${fault}`) });
    let seen = 0;
    const undo = m.gate.intercept((call) => {
      if (!isPut(call) || ++seen <= 3) return undefined;
      return fault === '5xx'
        ? faultReply('5xx', 'json')
        : {
            status: 403,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
            body: JSON.stringify({ message: 'not allowed' }),
          };
    });
    try {
      const { bake, state } = await diskBake(artifact.dir, { BUILDAMI_UPLOAD_CONCURRENCY: '1' });
      await expect(bake.run()).rejects.toThrow(fault === '5xx' ? /internal error/i : /not allowed/);
      expect(state.values()[DISK_STATE.snapshotId]).toMatch(/^snap-/);
    } finally {
      undo();
    }
    expect(count('RegisterImage')).toBe(0);
    await nothingLeft();
  });

  it('leaves nothing when cancelled mid-upload (a signal)', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'cancel') });
    let seen = 0;
    const undo = m.gate.intercept((call) => (isPut(call) && ++seen > 3 ? 'hang' : undefined));
    try {
      const { bake } = await diskBake(artifact.dir, { BUILDAMI_UPLOAD_CONCURRENCY: '2' });
      const running = bake.run().catch((e: unknown) => e);
      while (seen <= 4) await new Promise((r) => setTimeout(r, 20));
      const report = await bake.cancel({ wait: true, graceMs: 500, terminateSeconds: 10 });
      expect(report.problems).toEqual([]);
      expect(String(await running)).toMatch(/cancelled/);
    } finally {
      undo();
    }
    expect(count('RegisterImage')).toBe(0);
    await nothingLeft();
  });

  it('leaves nothing once the post step recovers from the saved state of a run that died mid-upload', async () => {
    const artifact = await makeDiskArtifact(raw, { dir: join(work, 'post') });
    let seen = 0;
    const undo = m.gate.intercept((call) => (isPut(call) && ++seen > 3 ? 'hang' : undefined));
    let saved: Record<string, string>;
    try {
      const { bake, state } = await diskBake(artifact.dir, { BUILDAMI_UPLOAD_CONCURRENCY: '1' });
      const running = bake.run().catch((e: unknown) => e);
      while (seen <= 3) await new Promise((r) => setTimeout(r, 20));
      // The main step dies: what it saved is all the post step gets (no recovery of its own).
      saved = state.values();
      await bake.engine.cancel(0);
      await running;
    } finally {
      undo();
    }
    expect(saved[DISK_STATE.snapshotId]).toMatch(/^snap-/);
    expect(await bakeSnapshots(m.moto.ec2())).toHaveLength(1);
    const { logger } = captureLogger();
    const report = await recoverPostStep((k) => saved[k], logger, { wait: true, terminateSeconds: 10 });
    expect(report?.problems).toEqual([]);
    await nothingLeft();
    // Idempotent: a second post step finds nothing to do and reports nothing.
    const again = await recoverPostStep((k) => saved[k], logger, { wait: true, terminateSeconds: 10 });
    expect(again?.problems).toEqual([]);
  });
});
