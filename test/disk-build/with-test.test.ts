/**
 * A disk artifact with an image test (userdata-test.gz, as prepare writes it from script/test.sh)
 * built against moto: nothing is launched for the bake, the registered AMI is tested on one
 * instance of the default type of its architecture, and only a pass lets it be copied and
 * published. A failed test removes the AMI and its snapshot; a re-run reuses an AMI that passed
 * and tests one that never was.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

jest.setTimeout(180_000);
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Image,
  type Instance,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { renderTestUserdata, TEST_USERDATA_FILE } from '../../src/compile/test-userdata.js';
import { preparedDigest } from '../../src/core/digest.js';
import { formatEnv, parseEnv } from '../../src/core/envfile.js';
import { TAG } from '../../src/aws/tags.js';
import { useBake } from '../support/bake-harness.js';
import type { Call } from '../support/moto.js';
import { makeDiskArtifact, makeRawDisk } from '../support/disk-artifact.js';
import { instances, liveInstances } from '../support/world.js';
import { bakeSnapshots, diskBake, registerLikeAws } from './helpers.js';

const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const NAME = 'web-server-1.0.0';
const PARAM = '/golden/web';
const TEST_SH = '#!/bin/sh\ntest -f /etc/motd\n';
let work: string;
let raw: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'amibake-disk-test-'));
  raw = join(work, 'disk.raw');
  makeRawDisk(raw);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let first = 0;
let undoRegister: () => void;
beforeEach(() => {
  first = m.gate.calls.length;
  undoRegister = registerLikeAws(m.gate, m.moto.ec2());
});
afterEach(() => undoRegister());
const calls = (action: string): Call[] => m.gate.calls.slice(first).filter((c) => c.action === action);
/** RunInstances since `from` (a gate index): the bakes of one test, one by one. */
const runsSince = (from: number) => m.gate.calls.slice(from).filter((c) => c.action === 'RunInstances');

const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });
const ssm = (region = 'us-east-1') => new SSMClient({ region, endpoint: m.moto.endpoint });
const tagsOf = (i: { Tags?: { Key?: string; Value?: string }[] }) =>
  Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Through the gate: the AMIs as AWS would describe them (see registerLikeAws). */
async function named(region = 'us-east-1'): Promise<Image[]> {
  const client = new EC2Client({ region, endpoint: m.gate.endpoint });
  const out = await client.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [NAME] }] }),
  );
  return out.Images ?? [];
}
const testInstances = async (): Promise<Instance[]> =>
  (await instances(ec2())).filter((i) => tagsOf(i)[TAG.role] === 'test');
const parameter = async (region = 'us-east-1') =>
  (await ssm(region).send(new GetParameterCommand({ Name: PARAM }))).Parameter?.Value;

/**
 * A disk artifact whose source has script/test.sh: userdata-test.gz by prepare's renderer, its
 * sum in vars.env and in PREPARED_DIGEST, as prepare --disk writes them.
 */
async function diskArtifactWithTest(dir: string) {
  const artifact = await makeDiskArtifact(raw, { dir });
  const test = renderTestUserdata(TEST_SH, 'script/test.sh');
  writeFileSync(join(dir, TEST_USERDATA_FILE), test);
  const varsPath = join(dir, 'vars.env');
  const vars = parseEnv(readFileSync(varsPath, 'utf8'), varsPath);
  vars.TEST_USERDATA_SHA256 = sha256(test);
  vars.PREPARED_DIGEST = preparedDigest({
    userdataSha256: vars.USERDATA_SHA256,
    fsMode: 'inline',
    testUserdataSha256: vars.TEST_USERDATA_SHA256,
  });
  writeFileSync(varsPath, formatEnv(vars));
  return artifact;
}

// The test instance's network (a disk artifact with a test needs it: nothing else launches).
const network = () => ({ BUILDAMI_SUBNET: m.ids.subnet, BUILDAMI_SECURITYGROUPS: m.ids.securityGroup });
const env = (more: Record<string, string> = {}) => ({
  ...network(),
  BUILDAMI_S3URL: S3URL,
  BUILDAMI_COPY_REGIONS: 'eu-west-1',
  BUILDAMI_PUBLISH_SSM: PARAM,
  ...more,
});

describe('a disk artifact with a test', () => {
  it('passed: one test instance of the default type, the AMI tagged passed, then copied and published', async () => {
    const artifact = await diskArtifactWithTest(join(work, 'pass'));
    const double = m.play('succeed', { test: 'succeed' });
    const { bake, log } = await diskBake(artifact.dir, env(), fast);
    const result = await bake.run().catch((err: Error) => {
      throw new Error(`${err.message}\n${log()}`);
    });
    expect(result.report.outputs['test-status']).toBe('passed');
    // Tested once registered, before anything leaves the build region.
    expect(result.timings.map((t) => t.phase)).toEqual([
      'disk-verify',
      'golden-copy-targets',
      'disk-upload',
      'disk-register',
      'test',
      'golden-publish',
      'distribute',
    ]);

    const [image] = await named();
    expect(image.ImageId).toBe(result.amiId);
    expect(tagsOf(image)[TAG.test]).toBe('passed');

    // The test instance is the only instance: no build instance on the disk path.
    expect(calls('RunInstances')).toHaveLength(1);
    const all = await instances(ec2());
    expect(all).toHaveLength(1);
    const [inst] = await testInstances();
    expect(inst).toMatchObject({
      ImageId: result.amiId,
      InstanceType: 't3.micro',
      State: { Name: 'terminated' },
    });
    expect(await liveInstances(ec2())).toEqual([]);
    const play = double.plays.find((p) => p.role === 'test');
    expect(play?.status).toBe(0);
    expect(double.plays.filter((p) => p.role !== 'test')).toEqual([]);

    // Copied after the pass, and each region's AMI id published.
    const [copy] = await named('eu-west-1');
    expect(copy?.ImageId).toMatch(/^ami-/);
    expect(JSON.parse(result.report.outputs.amis)).toEqual({
      'us-east-1': result.amiId,
      'eu-west-1': copy.ImageId,
    });
    expect(await parameter()).toBe(result.amiId);
    expect(await parameter('eu-west-1')).toBe(copy.ImageId);
  });

  it('failed: the AMI and its snapshot removed, nothing copied or published, the build fails', async () => {
    const artifact = await diskArtifactWithTest(join(work, 'fail'));
    m.play('succeed', { test: 'fail' });
    const { bake } = await diskBake(artifact.dir, env(), fast);
    await expect(bake.run()).rejects.toThrow(
      /^the test failed \(status 3\).*The AMI ami-\w+ was deregistered and its snapshots deleted$/s,
    );
    expect(bake.ctx.report.outputs['test-status']).toBe('failed');
    const [register] = calls('RegisterImage');
    const snapshot = new URLSearchParams(register.body).get('BlockDeviceMapping.1.Ebs.SnapshotId');
    expect(snapshot).toMatch(/^snap-/);
    expect(calls('RunInstances')).toHaveLength(1);
    expect(await named()).toEqual([]);
    // The uploaded snapshot is gone, and no other of the bake's is left.
    const own = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect((own.Snapshots ?? []).map((s) => s.SnapshotId)).not.toContain(snapshot);
    expect(await bakeSnapshots(ec2())).toEqual([]);
    expect(await named('eu-west-1')).toEqual([]);
    expect(calls('CopyImage')).toEqual([]);
    await expect(parameter()).rejects.toThrow(/ParameterNotFound|not found/i);
    await expect(parameter('eu-west-1')).rejects.toThrow(/ParameterNotFound|not found/i);
    expect(await liveInstances(ec2())).toEqual([]);
  });

  it('failed with test-keep-failed: the AMI kept with its snapshot, tagged failed, nothing left to warn of', async () => {
    const artifact = await diskArtifactWithTest(join(work, 'keep'));
    m.play('succeed', { test: 'fail' });
    const { bake, log } = await diskBake(artifact.dir, env({ BUILDAMI_TEST_KEEP_FAILED: 'true' }), fast);
    const error = await bake.run().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(/^the test failed \(status 3\).*kept, tagged amibake:test=failed/s);
    // The kept AMI is whole: its snapshot was not taken for an interrupted upload's.
    expect(error?.message).not.toMatch(/is left|could not/);
    expect(log()).not.toMatch(/deleted the unfinished snapshot/);
    const [image] = await named();
    expect(tagsOf(image)[TAG.test]).toBe('failed');
    const snapshot = new URLSearchParams(calls('RegisterImage')[0].body).get(
      'BlockDeviceMapping.1.Ebs.SnapshotId',
    );
    expect(image.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toBe(snapshot);
    const own = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect((own.Snapshots ?? []).map((s) => s.SnapshotId)).toContain(snapshot);
    expect(await named('eu-west-1')).toEqual([]);
    await expect(parameter()).rejects.toThrow(/ParameterNotFound|not found/i);
  });

  it('a re-run tests an untested AMI of the same disk, and reuses one that passed', async () => {
    const artifact = await diskArtifactWithTest(join(work, 'rerun'));
    m.play('succeed', { test: 'succeed' });
    const plain = { ...network(), BUILDAMI_S3URL: S3URL };

    // Registered with the test turned off: the AMI carries no verdict.
    const off = await diskBake(artifact.dir, { ...plain, BUILDAMI_TEST: 'false' }, fast);
    const untested = await off.bake.run();
    expect(untested.report.outputs['test-status']).toBe('skipped');
    expect(tagsOf((await named())[0])[TAG.test]).toBeUndefined();
    expect(calls('RunInstances')).toEqual([]);

    let from = m.gate.calls.length;
    const second = await diskBake(artifact.dir, plain, fast);
    const tested = await second.bake.run();
    expect(tested).toMatchObject({ reused: true, amiId: untested.amiId });
    expect(tested.report.outputs['test-status']).toBe('passed');
    expect(second.log()).toMatch(/has not passed its test/);
    expect(runsSince(from)).toHaveLength(1);
    const [image] = await named();
    expect(image.ImageId).toBe(untested.amiId);
    expect(tagsOf(image)[TAG.test]).toBe('passed');

    from = m.gate.calls.length;
    const third = await diskBake(artifact.dir, plain, fast);
    const reused = await third.bake.run();
    expect(reused).toMatchObject({ reused: true, amiId: untested.amiId });
    expect(reused.report.outputs['test-status']).toBe('reused');
    expect(runsSince(from)).toEqual([]);
    // Nothing uploaded or registered again.
    expect(calls('RegisterImage')).toHaveLength(1);
    expect(await liveInstances(ec2())).toEqual([]);
  });
  it('a dry run says the test, the copy and the publishing follow, and does none of them', async () => {
    const artifact = await diskArtifactWithTest(join(work, 'dry'));
    const { bake, log } = await diskBake(artifact.dir, env({ BUILDAMI_DRY_RUN: 'true' }), fast);
    const result = await bake.run();
    expect(result.report.dryRun).toBe(true);
    expect(log()).toMatch(
      /dry run: then test the AMI on one instance \(the default type of its architecture, within 15m?/,
    );
    expect(log()).toContain('dry run: then copy to eu-west-1');
    expect(log()).toContain('dry run: then publish SSM parameters /golden/web');
    expect(log()).toContain('not probed by a disk dry run');
    expect(calls('RunInstances')).toEqual([]);
    expect(calls('RegisterImage')).toEqual([]);

    const plain = await diskBake(artifact.dir, { BUILDAMI_DRY_RUN: 'true', BUILDAMI_TEST: 'false' });
    await plain.bake.run();
    expect(plain.log()).toContain('dry run: no test');
    expect(plain.log()).toContain('dry run: no copies');
    expect(plain.log()).toContain('dry run: nothing published');
  });
});
