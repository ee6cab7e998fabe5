/**
 * The test phase in a real bake against moto: the instance double plays the build instance and,
 * launched from the new AMI, the test instance (pass, fail, hang). A passed test tags the AMI;
 * a failed or hung one removes it (or keeps it tagged failed) before any copy is made; a reused
 * AMI is tested first unless it passed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { STAGE_VARS } from '../../src/core/contract.js';
import { TAG } from '../../src/aws/tags.js';
import { TEST_STATE } from '../../src/features/test/state.js';
import { useBake } from '../support/bake-harness.js';
import { makePrepared } from '../bake/fixture.js';
import { buildEnv, instances, liveInstances, objects } from '../bake/helpers.js';
import { bakeWithTest, testUserdata } from './helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });
const tagsOf = (i: { Tags?: { Key?: string; Value?: string }[] }) =>
  Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));

async function named(name: string, region = 'us-east-1'): Promise<Image[]> {
  const out = await ec2(region).send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }),
  );
  return out.Images ?? [];
}

async function snapshots(ids: string[]): Promise<string[]> {
  const out = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (out.Snapshots ?? []).map((s) => s.SnapshotId!).filter((id) => ids.includes(id));
}

const testInstances = async () => (await instances(ec2())).filter((i) => tagsOf(i)[TAG.role] === 'test');

describe('the test phase', () => {
  test('passed: the AMI is tagged passed, the test instance is terminated, test-status passed', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const double = m.play('succeed', { test: 'succeed' });
    const r = await bakeWithTest(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_S3URL: S3URL, BUILDAMI_COPY_REGIONS: 'eu-west-1' }),
      { test: testUserdata(), tweaks: fast },
    );
    expect({ error: r.error?.message, log: r.error && r.log }).toEqual({ error: undefined, log: undefined });
    const result = r.result!;
    expect(result.report.outputs['test-status']).toBe('passed');
    expect(result.report.fileVars.TEST_STATUS).toBe('passed');
    expect(result.timings.map((t) => t.phase)).toContain('test');

    const [image] = await named('web-server-1.0.0');
    expect(image.ImageId).toBe(result.amiId);
    expect(tagsOf(image)[TAG.test]).toBe('passed');
    // Copied after the pass: the copy says so too.
    const [copy] = await named('web-server-1.0.0', 'eu-west-1');
    expect(JSON.parse(result.report.outputs.amis)).toEqual({
      'us-east-1': result.amiId,
      'eu-west-1': copy.ImageId,
    });
    expect(tagsOf(copy)[TAG.test]).toBe('passed');

    // The test instance: launched from the new AMI, in the build's subnet and groups, no key
    // pair, tagged as the build instance plus its role; terminated.
    const [inst] = await testInstances();
    expect(inst).toMatchObject({
      ImageId: result.amiId,
      SubnetId: m.ids.subnet,
      State: { Name: 'terminated' },
      MetadataOptions: { HttpTokens: 'required' },
    });
    expect(inst.KeyName).toBeUndefined();
    expect(inst.SecurityGroups!.map((g) => g.GroupId)).toEqual([m.ids.securityGroup]);
    expect(tagsOf(inst)).toMatchObject({
      [TAG.run]: tagsOf(image)[TAG.run],
      [TAG.clientToken]: r.state.values()[TEST_STATE.clientToken],
    });
    expect(r.state.values()[TEST_STATE.instanceId]).toBe(inst.InstanceId);
    expect(await liveInstances(ec2())).toEqual([]);

    // It got the artifact's test user data plus the build's part, with URLs of its own.
    const play = double.plays.find((p) => p.role === 'test')!;
    expect(play.parts.map((p) => p.filename)).toContain('60_amibake-test.cfg');
    expect(play.stage[STAGE_VARS.resultUrl]).toMatch(/amibake-[0-9a-f]{16}\.test\.result/);
    expect(play.stage[STAGE_VARS.fsUrl]).toBeUndefined();
    expect(play.resultPut).toBe(200);
    expect((await objects(m.moto.endpoint)).filter((k) => k.endsWith('.test.result'))).toHaveLength(1);
    // The build instance has no role.
    const build = double.plays.find((p) => p.role === undefined)!;
    expect(build.instanceId).toBe(result.instanceId);
  });

  test('failed: the AMI is deregistered with its snapshots, no copy is made, the log is shown', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('succeed', { test: 'fail', log: 'checking nginx\nnginx is not listening on :80\n' });
    const r = await bakeWithTest(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_S3URL: S3URL, BUILDAMI_COPY_REGIONS: 'eu-west-1' }),
      { test: testUserdata(), tweaks: fast },
    );
    expect(r.error?.message).toMatch(/^the test failed \(status 3\); the last lines of the test log/);
    expect(r.error?.message).toMatch(/The AMI ami-\w+ was deregistered and its snapshots deleted$/);
    // The log's tail is printed (inert) before the error; never inside it.
    expect(r.log).toContain('Last lines of the test log:');
    expect(r.log).toContain('nginx is not listening on :80');
    expect(r.error?.message).not.toContain('nginx');
    expect(r.bake!.ctx.report.outputs['test-status']).toBe('failed');

    const imageId = r.bake!.ctx.image!.ImageId!;
    const snaps = r.bake!.ctx.image!.BlockDeviceMappings!.map((b) => b.Ebs!.SnapshotId!);
    expect(snaps.length).toBeGreaterThan(0);
    expect(await named('web-server-1.0.0')).toEqual([]);
    expect(await snapshots(snaps)).toEqual([]);
    expect(r.error?.message).toContain(imageId);
    // Nothing left the build region, nothing runs.
    expect(await named('web-server-1.0.0', 'eu-west-1')).toEqual([]);
    expect(r.bake!.ctx.amis).toBeUndefined();
    expect(await liveInstances(ec2())).toEqual([]);
    expect(await testInstances()).toHaveLength(1);
  });

  test('failed with test-keep-failed: the AMI is kept, tagged failed, and never reused', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'fail' });
    const env = buildEnv(m.ids, { BUILDAMI_S3URL: S3URL, BUILDAMI_TEST_KEEP_FAILED: 'true' });
    const r = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(r.error?.message).toMatch(/^the test failed \(status 3\); the last lines of the test log/);
    expect(r.error?.message).toMatch(/kept, tagged amibake:test=failed/);
    expect(r.error?.message).not.toMatch(/a new bake reuses it/);
    const [image] = await named('web-server-1.0.0');
    expect(tagsOf(image)[TAG.test]).toBe('failed');
    expect(image.State).toBe('available');
    expect(await liveInstances(ec2())).toEqual([]);

    const before = (await instances(ec2())).length;
    const again = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(again.error?.message).toMatch(
      new RegExp(
        `the AMI ${image.ImageId} .* failed its test .* bump the version \\(BUILDAMI_TARGETVERSION\\)`,
      ),
    );
    expect((await instances(ec2())).length).toBe(before);
  });

  test('a kept failed AMI is never reused, copied or published, even with the test turned off', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'fail' });
    const env = buildEnv(m.ids, { BUILDAMI_S3URL: S3URL, BUILDAMI_TEST_KEEP_FAILED: 'true' });
    const r = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(r.error?.message).toMatch(/kept, tagged amibake:test=failed/);
    const [image] = await named('web-server-1.0.0');
    expect(tagsOf(image)[TAG.test]).toBe('failed');

    const again = await bakeWithTest(
      f.userdataPath,
      { ...env, BUILDAMI_TEST: 'false', BUILDAMI_COPY_REGIONS: 'eu-west-1' },
      { test: testUserdata(), tweaks: fast },
    );
    expect(again.error?.message).toMatch(
      new RegExp(`the AMI ${image.ImageId} .* failed its test \\(amibake:test=failed\\) and is never reused`),
    );
    expect(again.result).toBeUndefined();
    expect(await named('web-server-1.0.0', 'eu-west-1')).toEqual([]);
    expect(again.bake?.ctx.amis).toBeUndefined();
  });

  test('hang: a test that does not stop within timeout-test fails, its instance is terminated', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'hang' });
    const r = await bakeWithTest(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }), {
      test: testUserdata(),
      tweaks: { ...fast, timeoutTest: { ms: 3000, text: '3s' } },
    });
    expect(r.error?.message).toMatch(/^the test instance i-\w+ did not stop within/);
    expect(r.error?.message).toMatch(/was deregistered and its snapshots deleted/);
    expect(await liveInstances(ec2())).toEqual([]);
    const [inst] = await testInstances();
    expect(inst.State?.Name).toBe('terminated');
    expect(r.state.values()[TEST_STATE.terminated]).toBe('1');
    expect(await named('web-server-1.0.0')).toEqual([]);
  });

  test('no result from the test instance is a failed test', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'silent' });
    const r = await bakeWithTest(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }), {
      test: testUserdata(),
      tweaks: fast,
    });
    expect(r.error?.message).toMatch(/stopped without reporting a result/);
    expect(await named('web-server-1.0.0')).toEqual([]);
    expect(await liveInstances(ec2())).toEqual([]);
  });
});

describe('reuse needs a passed test when the source has one', () => {
  test('an untested AMI of the same digest is tested first; once passed, it is reused as is', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'succeed' });
    const env = buildEnv(m.ids, { BUILDAMI_S3URL: S3URL });
    // Baked with the test turned off: the AMI carries no verdict.
    const first = await bakeWithTest(
      f.userdataPath,
      { ...env, BUILDAMI_TEST: 'false' },
      {
        test: testUserdata(),
        tweaks: fast,
      },
    );
    expect(first.error).toBeUndefined();
    expect(first.result!.report.outputs['test-status']).toBe('skipped');
    expect(first.result!.timings.map((t) => t.phase)).not.toContain('test');
    const [untested] = await named('web-server-1.0.0');
    expect(tagsOf(untested)[TAG.test]).toBeUndefined();
    expect(await testInstances()).toEqual([]);

    const second = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({ reused: true, amiId: untested.ImageId });
    expect(second.result!.report.outputs['test-status']).toBe('passed');
    expect(second.log).toContain('has not passed its test');
    const tested = await testInstances();
    expect(tested.map((i) => i.ImageId)).toEqual([untested.ImageId]);
    const [passed] = await named('web-server-1.0.0');
    expect(tagsOf(passed)[TAG.test]).toBe('passed');

    const before = (await instances(ec2())).length;
    const third = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(third.error).toBeUndefined();
    expect(third.result).toMatchObject({ reused: true, amiId: untested.ImageId });
    expect(third.result!.report.outputs['test-status']).toBe('reused');
    expect((await instances(ec2())).length).toBe(before);
    expect(await liveInstances(ec2())).toEqual([]);
  });

  test('an untested reused AMI that fails is removed like a new one', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { test: 'fail' });
    const env = buildEnv(m.ids, { BUILDAMI_S3URL: S3URL });
    const first = await bakeWithTest(
      f.userdataPath,
      { ...env, BUILDAMI_TEST: 'false' },
      {
        test: testUserdata(),
        tweaks: fast,
      },
    );
    expect(first.error).toBeUndefined();
    const second = await bakeWithTest(f.userdataPath, env, { test: testUserdata(), tweaks: fast });
    expect(second.error?.message).toMatch(/^the test failed \(status 3\)/);
    expect(second.error?.message).toContain(`The AMI ${first.result!.amiId} was deregistered`);
    expect(await named('web-server-1.0.0')).toEqual([]);
    expect(await liveInstances(ec2())).toEqual([]);
  });
});
