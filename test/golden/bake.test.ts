/**
 * The golden-image features inside a real bake: the build lifecycle against moto_server, the
 * instance double playing the instance, in-process (the core API) like test/bake/lifecycle.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { outputFileText } from '../../src/features/bake/report.js';
import { createBake } from '../../src/pipeline/session.js';
import { MemoryState, STARTED_KEY } from '../../src/engine/state.js';
import { STATE } from '../../src/features/bake/state.js';
import { COPY_STATE } from '../../src/features/copy/publish.js';
import { cliSource } from '../../src/core/options.js';
import { readOptions } from '../../src/pipeline/options.js';
import { TAG } from '../../src/aws/tags.js';
import { makeImage } from './helpers.js';
import { taggedImage } from '../support/world.js';
import { imageState, useGate } from '../support/moto.js';
import { useBake } from '../support/bake-harness.js';
import { LAUNCHING } from '../support/phases.js';
import { makePrepared } from '../bake/fixture.js';
import {
  bakeInProcess,
  buildEnv,
  captureLogger,
  instances,
  liveInstances,
  objects,
} from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
/** Another EBS image of moto's built-in list (Windows Server 2012 R2, root /dev/sda1). */
const OTHER_BASE_AMI = 'ami-1ecc1e67';
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });
const tagsOf = (i: { Tags?: { Key?: string; Value?: string }[] }) =>
  Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));

/** Every golden option at once: base AMI from SSM, tags, a copy, sharing, volume, retention. */
const goldenEnv = () =>
  buildEnv(m.ids, {
    BUILDAMI_BASEAMI: 'resolve:ssm:/golden/base',
    BUILDAMI_S3URL: 's3://amibake-staging/images/web-server/fs.tgz',
    BUILDAMI_TAGS: 'team=platform\nfrom={base_ami},built={date}',
    BUILDAMI_COPY_REGIONS: 'eu-west-1',
    BUILDAMI_SHARE_ACCOUNTS: '111111111111',
    BUILDAMI_ROOT_VOLUME_SIZE: '20',
    BUILDAMI_KEEP_LAST: '1',
  });
const play = (endpoint = m.moto.endpoint) => m.play('succeed', { endpoint });

async function named(region: string, name: string): Promise<Image[]> {
  const out = await ec2(region).send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }),
  );
  return out.Images ?? [];
}

/** An older AMI of the same family (amibake:name), as an earlier bake would have left it. */
async function olderBake({ spaced = true } = {}): Promise<string> {
  const run = await ec2().send(new RunInstancesCommand({ ImageId: m.ids.baseAmi, MinCount: 1, MaxCount: 1 }));
  const { ImageId } = await ec2().send(
    new CreateImageCommand({ InstanceId: run.Instances![0].InstanceId, Name: 'web-server-0.9.0' }),
  );
  await ec2().send(
    new CreateTagsCommand({ Resources: [ImageId!], Tags: [{ Key: TAG.family, Value: 'web-server' }] }),
  );
  const { TerminateInstancesCommand } = await import('@aws-sdk/client-ec2');
  await ec2().send(new TerminateInstancesCommand({ InstanceIds: [run.Instances![0].InstanceId!] }));
  // CreationDate has one-second resolution.
  if (spaced) await new Promise((r) => setTimeout(r, 1100));
  return ImageId!;
}

describe('a golden bake', () => {
  test('SSM base, templated tags, a copy, sharing, retention: outputs, file and summary', async () => {
    await new SSMClient({ region: 'us-east-1', endpoint: m.moto.endpoint }).send(
      new PutParameterCommand({ Name: '/golden/base', Value: m.ids.baseAmi, Type: 'String' }),
    );
    const older = await olderBake();
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const r = await bakeInProcess(f.userdataPath, goldenEnv(), fast);
    expect(r.error).toBeUndefined();
    const result = r.result!;
    expect(result.baseAmi).toBe(m.ids.baseAmi);
    const amis = JSON.parse(result.report.outputs.amis);
    expect(Object.keys(amis).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(amis['us-east-1']).toBe(result.amiId);
    expect(result.report.outputs['base-ami']).toBe(m.ids.baseAmi);

    // The AMI and its copy carry the same tags, the user's rendered and amibake's own.
    const [main] = await named('us-east-1', 'web-server-1.0.0');
    const [copy] = await named('eu-west-1', 'web-server-1.0.0');
    expect(copy.ImageId).toBe(amis['eu-west-1']);
    const today = new Date().toISOString().slice(0, 10);
    expect(tagsOf(main)).toMatchObject({
      team: 'platform',
      from: m.ids.baseAmi,
      built: today,
      [TAG.baseAmi]: m.ids.baseAmi,
      [TAG.digest]: result.digest,
    });
    expect(tagsOf(copy)).toEqual(tagsOf(main));
    const copySnap = copy.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    const snapTags = await ec2('eu-west-1').send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [copySnap] }] }),
    );
    expect(Object.fromEntries(snapTags.Tags!.map((t) => [t.Key, t.Value]))).toEqual(tagsOf(main));
    const mainSnapTags = await ec2().send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: result.snapshots }] }),
    );
    expect(mainSnapTags.Tags!.filter((t) => t.Key === 'team').map((t) => t.ResourceId)).toEqual(
      result.snapshots,
    );

    // The build instance and its volumes got the user's tags too.
    const [inst] = await instances(ec2()).then((all) =>
      all.filter((i) => i.ImageId === m.ids.baseAmi && tagsOf(i)[TAG.run]),
    );
    expect(tagsOf(inst)).toMatchObject({ team: 'platform', from: m.ids.baseAmi });
    const played = await m.double!.played();
    expect(played.volumeTags.length).toBeGreaterThan(0);
    for (const v of played.volumeTags) expect(v).toMatchObject({ team: 'platform', from: m.ids.baseAmi });

    // Shared in both regions.
    for (const [region, id] of Object.entries(amis) as [string, string][]) {
      const perms = await ec2(region).send(
        new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' }),
      );
      expect(perms.LaunchPermissions).toEqual([{ UserId: '111111111111' }]);
    }

    // Retention: the older bake is gone, the new AMI stays.
    expect((await ec2().send(new DescribeImagesCommand({ ImageIds: [older] }))).Images).toEqual([]);

    // The summary, the output file.
    const rows = Object.fromEntries(result.report.summary);
    expect(rows['Base AMI from']).toBe('SSM parameter /golden/base');
    expect(rows.Tags).toBe(`team=platform, from=${m.ids.baseAmi}, built=${today}`);
    expect(rows['Root volume']).toBe('/dev/sda1: gp3, 20 GiB');
    expect(rows.Copies).toMatch(new RegExp(`^eu-west-1: ${amis['eu-west-1']} \\(\\d+ s\\)$`));
    expect(rows['Shared with']).toBe('111111111111 (2 of 2 AMIs)');
    expect(rows['Retention us-east-1']).toBe(`kept 1; removed ${older}`);
    expect(rows['Retention eu-west-1']).toBe('kept 1');
    const file = outputFileText(result);
    expect(file).toContain(`AMI_ID='${result.amiId}'\n`);
    expect(file).toContain(`BASE_AMI='${m.ids.baseAmi}'\n`);
    expect(file).toContain(`AMIS='${JSON.stringify(amis)}'\n`);
    expect(file).toContain(`AMI_ID_EU_WEST_1='${amis['eu-west-1']}'\n`);
    expect(result.timings.map((t) => t.phase)).toEqual([
      'golden-base',
      'preflight',
      'golden-copy-targets',
      ...LAUNCHING,
      'golden-publish',
      'golden-retention',
    ]);

    // A re-run: the AMI and its copy are reused, nothing is launched, the outputs are the same.
    await m.double!.stop();
    play();
    const again = await bakeInProcess(f.userdataPath, goldenEnv(), fast);
    expect(again.error).toBeUndefined();
    expect(again.result!.reused).toBe(true);
    expect(JSON.parse(again.result!.report.outputs.amis)).toEqual(amis);
    expect(Object.fromEntries(again.result!.report.summary).Copies).toBe(
      `eu-west-1: ${amis['eu-west-1']} (reused)`,
    );
    expect(await named('eu-west-1', 'web-server-1.0.0')).toHaveLength(1);
    expect((await instances(ec2())).filter((i) => tagsOf(i)[TAG.run])).toHaveLength(1);
  });

  test('a new base image is a new bake: the resolved id is part of the digest', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const ssm = new SSMClient({ region: 'us-east-1', endpoint: m.moto.endpoint });
    await ssm.send(new PutParameterCommand({ Name: '/golden/base', Value: m.ids.baseAmi, Type: 'String' }));
    const env = buildEnv(m.ids, {
      BUILDAMI_BASEAMI: 'resolve:ssm:/golden/base',
      BUILDAMI_S3URL: 's3://amibake-staging/images/web-server/fs.tgz',
    });
    const first = await bakeInProcess(f.userdataPath, env, fast);
    expect(first.error).toBeUndefined();
    // The parameter now points at another image: same name, other content.
    await ssm.send(
      new PutParameterCommand({
        Name: '/golden/base',
        Value: OTHER_BASE_AMI,
        Type: 'String',
        Overwrite: true,
      }),
    );
    const second = await bakeInProcess(f.userdataPath, env, fast);
    expect(second.error?.message).toMatch(
      /the AMI name web-server-1\.0\.0 is taken by ami-\w+, baked from other content/,
    );
  });

  test('dry run: plan and permissions printed, nothing uploaded, launched, copied or deleted', async () => {
    const older = await olderBake({ spaced: false });
    const f = await makePrepared({
      fsMode: 'external',
      s3Url: 's3://amibake-staging/images/web-server/fs.tgz',
    });
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, {
        BUILDAMI_DRY_RUN: 'true',
        BUILDAMI_TAGS: 'team=platform',
        BUILDAMI_COPY_REGIONS: 'eu-west-1',
        BUILDAMI_KEEP_LAST: '1',
        BUILDAMI_SHARE_ACCOUNTS: '111111111111',
        BUILDAMI_SWEEP: 'true',
      }),
      fast,
    );
    expect(r.error).toBeUndefined();
    const result = r.result!;
    expect(result.report.dryRun).toBe(true);
    expect(r.log).toMatch(/shared with {7}111111111111\n/);
    expect(r.log).toMatch(/janitor {11}terminate amibake instances, finish unfinished AMIs older than 6h\n/);
    expect(r.log).toMatch(new RegExp(`subnet {12}${m.ids.subnet} in vpc-\\w+, us-east-1[a-z]\\n`));
    expect(r.log).toMatch(/allowed +ModifyImageAttribute in eu-west-1/);
    expect(r.log).toMatch(/allowed +ModifySnapshotAttribute in us-east-1/);
    expect(result.amiId).toBe('');
    expect((await instances(ec2())).filter((i) => i.State?.Name !== 'terminated')).toEqual([]);
    expect(await objects(m.moto.endpoint)).toEqual([]);
    expect(await named('us-east-1', 'web-server-1.0.0')).toEqual([]);
    expect(await named('eu-west-1', 'web-server-1.0.0')).toEqual([]);
    expect(r.log).toMatch(/user data {9}\d+ of 16384 bytes/);
    expect(r.log).toMatch(/tags {14}team=platform, Name=web-server-1\.0\.0, amibake:name=web-server/);
    expect(r.log).toMatch(/copies {12}eu-west-1/);
    expect(r.log).toMatch(/allowed +RunInstances in us-east-1/);
    expect(r.log).toMatch(/allowed +CopyImage in eu-west-1/);
    const rows = Object.fromEntries(result.report.summary);
    expect(rows.Permissions).toMatch(/^\d+ allowed, 0 denied, \d+ unproven$/);
    // The AMI the bake would add takes the one place: the older one would go, and is still there.
    expect(rows['Retention us-east-1 (planned)']).toBe(`keep none; remove ${older}`);
    expect(r.log).toMatch(
      new RegExp(`retention in us-east-1 for "web-server" \\(keep last 1\\)[^\\n]*\\n  remove  ${older}`),
    );
    expect((await ec2().send(new DescribeImagesCommand({ ImageIds: [older] }))).Images).toHaveLength(1);
    expect(rows['Shared with (planned)']).toBe('111111111111');
    expect(rows.Janitor).toBe(
      'sweep us-east-1: would terminate 0 amibake instance(s) older than 6h, 0 younger left alone; unfinished AMIs: none',
    );
    expect(result.timings.map((t) => t.phase)).toEqual([
      'golden-base',
      'golden-sweep',
      'preflight',
      'golden-dry-run',
    ]);
  });

  test('dry run: a subnet, security group or key pair RunInstances would refuse fails it, each by name', async () => {
    const { Vpc } = await ec2().send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    const { GroupId } = await ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'x', VpcId: Vpc!.VpcId }),
    );
    const f = await makePrepared({ fsMode: 'inline' });
    const run = (env: Record<string, string>) =>
      bakeInProcess(f.userdataPath, buildEnv(m.ids, { BUILDAMI_DRY_RUN: 'true', ...env }), fast);
    const bad = await run({
      BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
      BUILDAMI_SECURITYGROUPS: `${m.ids.securityGroup},sg-0123456789abcdef0`,
      BUILDAMI_KEYPAIR: 'nobody',
    });
    expect(bad.error?.message.split('\n').map((l) => l.trim())).toEqual([
      'invalid options:',
      'BUILDAMI_SUBNET: subnet-0123456789abcdef0 does not exist in this region',
      'BUILDAMI_SECURITYGROUPS: sg-0123456789abcdef0 does not exist in this region',
      'BUILDAMI_KEYPAIR: no key pair named nobody in this region',
    ]);
    // The plan and the permissions were printed all the same.
    expect(bad.log).toMatch(/allowed +RunInstances in us-east-1/);
    const other = await run({ BUILDAMI_SECURITYGROUPS: `${m.ids.securityGroup}\n${GroupId}` });
    expect(other.error?.message).toMatch(
      new RegExp(`^BUILDAMI_SECURITYGROUPS: ${GroupId} is in ${Vpc!.VpcId}, not in the subnet's vpc-\\w+$`),
    );
    expect(await instances(ec2())).toEqual([]);
  });

  test('options that cannot work together fail before any AWS call, all at once', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, {
        BUILDAMI_ENCRYPT: 'true',
        BUILDAMI_PUBLIC: 'true',
        BUILDAMI_ROOT_VOLUME_TYPE: 'io2',
        BUILDAMI_COPY_REGIONS: 'eu-west-1',
        BUILDAMI_COPY_KMS_KEYS: 'us-west-2=alias/west',
        BUILDAMI_SWEEP: 'true',
        BUILDAMI_SWEEP_AGE: '1h',
      }),
      fast,
    );
    expect(r.error?.message.split('\n').map((l) => l.trim())).toEqual([
      'invalid options:',
      'BUILDAMI_ROOT_VOLUME_IOPS: io2 volumes need an IOPS value',
      'BUILDAMI_PUBLIC: an encrypted AMI cannot be public (BUILDAMI_ENCRYPT is true)',
      expect.stringMatching(/^BUILDAMI_KMS_KEY: an AMI encrypted with the AWS-managed key/),
      'BUILDAMI_COPY_KMS_KEYS: us-west-2 is not among BUILDAMI_COPY_REGIONS (eu-west-1)',
      'BUILDAMI_SWEEP_AGE: 1h is not longer than a bake may keep its instance (BUILDAMI_TIMEOUT_INSTANCE + BUILDAMI_TIMEOUT_AMI = 90m); the janitor would terminate running bakes',
    ]);
    expect(await instances(ec2())).toEqual([]);
  });
});

describe('before anything is launched', () => {
  test('an AMI of the same name from another bake in a copy region stops the bake', async () => {
    await makeImage(ec2('eu-west-1'), 'web-server-1.0.0');
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_COPY_REGIONS: 'eu-west-1' }),
      fast,
    );
    expect(r.error?.message).toMatch(
      /^cannot copy: eu-west-1 already has ami-\w+ named "web-server-1\.0\.0" \(available, digest none\)/,
    );
    expect(await instances(ec2())).toEqual([]);
    expect(await named('us-east-1', 'web-server-1.0.0')).toEqual([]);
  });

  test('sweep: true terminates leaked build instances and records unfinished AMIs older than the age, and nothing else', async () => {
    const launch = async (run?: string) => {
      const out = await ec2().send(
        new RunInstancesCommand({
          ImageId: m.ids.baseAmi,
          MinCount: 1,
          MaxCount: 1,
          ...(run && {
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: TAG.run, Value: run }] }],
          }),
        }),
      );
      const id = out.Instances![0].InstanceId!;
      // Stopped, as a killed runner's bake leaves it: the instance double plays only running ones.
      await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
      return id;
    };
    const leaked = await launch('12345-1');
    const foreign = await launch();
    // The AMI of a bake killed before it tagged the snapshots: tagged at CreateImage only.
    const unfinished = await taggedImage(ec2(), leaked, 'web-server-0.9.0', {
      [TAG.run]: '12345-1',
      [TAG.digest]: 'amibake-digest-2:feed',
    });
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const env = { ...process.env, ...buildEnv(m.ids, { BUILDAMI_SWEEP: 'true', BUILDAMI_S3URL: S3URL }) };
    const { logger } = captureLogger();
    const opts = { ...readOptions('build', cliSource(env)), ...fast };
    // The bake's clock is 7 hours ahead: what was launched just now looks 7 hours old.
    const later = () => Date.now() + 7 * 3_600_000;
    const bake = await createBake(
      opts,
      { userdata: f.userdataPath },
      {
        trustArtifactLocation: true,
        logger,
        state: new MemoryState(),
        env,
        deps: { now: later },
      },
    );
    const result = await bake.run();
    const state = async (id: string) =>
      (await instances(ec2())).find((i) => i.InstanceId === id)?.State?.Name;
    expect(await state(leaked)).toBe('terminated');
    expect(await state(foreign)).toBe('stopped');
    expect(Object.fromEntries(result.report.summary).Janitor).toBe(
      `sweep us-east-1: terminated 1 amibake instance(s) older than 6h, 0 younger left alone; unfinished AMIs: recorded ${unfinished}`,
    );
    // Recorded, not removed: its snapshots carry its tags now.
    const [image] = (await ec2().send(new DescribeImagesCommand({ ImageIds: [unfinished] }))).Images!;
    const snaps = image.BlockDeviceMappings!.map((b) => b.Ebs!.SnapshotId!);
    const { Snapshots } = await ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: snaps }));
    expect(Snapshots!.map((x) => x.Tags?.find((t) => t.Key === TAG.digest)?.Value)).toEqual(
      snaps.map(() => 'amibake-digest-2:feed'),
    );
    expect(result.timings.map((t) => t.phase).slice(0, 3)).toEqual([
      'golden-base',
      'golden-sweep',
      'preflight',
    ]);
    expect(result.amiId).toMatch(/^ami-/);
  });
});

describe('what moto accepts but does not keep (the requests, seen through the gate)', () => {
  // A fresh gate for each test: its calls are that test's alone.
  const g = useGate(m, { beforeAll: beforeEach, afterAll: afterEach }, { processEnv: true });
  const params = (action: string) =>
    g.gate.calls.filter((c) => c.action === action).map((c) => new URLSearchParams(c.body));

  test('root volume, encryption and IMDSv2: on the build instance, the AMI and its copy', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, {
        BUILDAMI_ROOT_VOLUME_SIZE: '30',
        BUILDAMI_ROOT_VOLUME_IOPS: '6000',
        BUILDAMI_ROOT_VOLUME_THROUGHPUT: '500',
        BUILDAMI_KMS_KEY: 'alias/images',
        BUILDAMI_COPY_REGIONS: 'eu-west-1',
        BUILDAMI_COPY_KMS_KEYS: 'eu-west-1=alias/images-eu',
        BUILDAMI_S3URL: S3URL,
      }),
      fast,
    );
    expect(r.error).toBeUndefined();
    const [run] = params('RunInstances');
    expect(
      Object.fromEntries([...run].filter(([k]) => /^(BlockDeviceMapping|MetadataOptions)\./.test(k))),
    ).toEqual({
      'BlockDeviceMapping.1.DeviceName': '/dev/sda1',
      'BlockDeviceMapping.1.Ebs.DeleteOnTermination': 'true',
      'BlockDeviceMapping.1.Ebs.VolumeType': 'gp3',
      'BlockDeviceMapping.1.Ebs.VolumeSize': '30',
      'BlockDeviceMapping.1.Ebs.Iops': '6000',
      'BlockDeviceMapping.1.Ebs.Throughput': '500',
      'BlockDeviceMapping.1.Ebs.Encrypted': 'true',
      'BlockDeviceMapping.1.Ebs.KmsKeyId': 'alias/images',
      'MetadataOptions.HttpTokens': 'required',
      'MetadataOptions.HttpEndpoint': 'enabled',
      'MetadataOptions.HttpPutResponseHopLimit': '1',
    });
    const [copy] = params('CopyImage');
    expect(copy.get('Encrypted')).toBe('true');
    expect(copy.get('KmsKeyId')).toBe('alias/images-eu');
    const amis = JSON.parse(r.result!.report.outputs.amis);
    const imds = params('ModifyImageAttribute')
      .filter((p) => p.get('ImdsSupport.Value') === 'v2.0')
      .map((p) => p.get('ImageId'));
    expect(imds.sort()).toEqual([amis['us-east-1'], amis['eu-west-1']].sort());
    const rows = Object.fromEntries(r.result!.report.summary);
    expect(rows['IMDSv2 required']).toBe('yes (2 of 2 AMIs)');
    expect(rows['Root volume']).toBe(
      '/dev/sda1: gp3, 30 GiB, 6000 IOPS, 500 MiB/s, encrypted with alias/images',
    );
    expect(rows.Copies).toMatch(/^eu-west-1: ami-\w+ \(\d+ s\), encrypted$/);
  });

  test('ami-imdsv2 false: the AMI is left as it is, the build instance still requires IMDSv2', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    play();
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_AMI_IMDSV2: 'false', BUILDAMI_S3URL: S3URL }),
      fast,
    );
    expect(r.error).toBeUndefined();
    expect(params('ModifyImageAttribute')).toEqual([]);
    expect(params('RunInstances')[0].get('MetadataOptions.HttpTokens')).toBe('required');
    expect(Object.fromEntries(r.result!.report.summary)['IMDSv2 required']).toBe('no (opted out)');
  });
});

describe('an interrupted copy', () => {
  // A fresh gate for each test: its calls are that test's alone.
  const g = useGate(m, { beforeAll: beforeEach, afterAll: afterEach }, { processEnv: true });

  /** A bake with a copy to eu-west-1, run until the copy is requested and looks pending. */
  async function bakeUntilCopyPending() {
    const f = await makePrepared({ fsMode: 'inline' });
    play(g.gate.endpoint);
    const env = {
      ...process.env,
      ...buildEnv(m.ids, {
        BUILDAMI_COPY_REGIONS: 'eu-west-1',
        BUILDAMI_S3URL: 's3://amibake-staging/images/web-server/fs.tgz',
      }),
    };
    const { logger, text } = captureLogger();
    const state = new MemoryState();
    const opts = { ...readOptions('build', cliSource(env)), ...fast };
    const bake = await createBake(
      opts,
      { userdata: f.userdataPath },
      {
        trustArtifactLocation: true,
        logger,
        state,
        env,
      },
    );
    const running = bake.run().catch((e: Error) => e);
    await g.gate.waitFor('CopyImage', 1, 40_000);
    const undo = g.gate.rewrite('DescribeImages', imageState('pending'));
    await g.gate.waitFor('DescribeImages', g.gate.count('DescribeImages') + 2);
    const copyId = JSON.parse(state.values()[COPY_STATE.copies]!).copies[0].imageId as string;
    expect(copyId).toMatch(/^ami-/);
    const [pendingCopy] = await named('eu-west-1', 'web-server-1.0.0');
    return {
      bake,
      running,
      state,
      text,
      undo,
      copyId,
      snap: pendingCopy.BlockDeviceMappings![0].Ebs!.SnapshotId!,
    };
  }

  /** Runs the action's post step in-process with `saved` as its STATE_* and returns its stdout. */
  async function postStep(saved: Record<string, string>): Promise<string> {
    const stdout: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    const keep = { ...process.env };
    try {
      for (const [k, v] of Object.entries(saved)) process.env[`STATE_${k}`] = v;
      const { run } = await import('../../src/fronts/action-build-post.js');
      await run();
    } finally {
      spy.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in keep)) delete process.env[k];
    }
    return stdout.join('');
  }

  async function copyGone(snap: string) {
    expect(await named('eu-west-1', 'web-server-1.0.0')).toEqual([]);
    const snaps = await ec2('eu-west-1').send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(snaps.Snapshots!.map((s) => s.SnapshotId)).not.toContain(snap);
  }

  test('cancelled while the copy is pending: main removes the copy and its snapshot', async () => {
    const b = await bakeUntilCopyPending();
    await b.bake.cancel({ wait: true, graceMs: 1000 });
    b.undo();
    expect(await b.running).toBeInstanceOf(Error);
    expect(b.text()).toMatch(new RegExp(`removed ${b.copyId}`));
    await copyGone(b.snap);
    // The AMI in the build region was complete: kept. The instance is terminated.
    expect(await named('us-east-1', 'web-server-1.0.0')).toHaveLength(1);
    expect(await liveInstances(ec2())).toEqual([]);
    // The journal says the copy was removed: the post step leaves it be.
    const saved = b.state.values();
    expect(JSON.parse(saved[COPY_STATE.copies]!).copies[0].status).toBe('removed');
    expect(await postStep(saved)).toBe('nothing left to clean up\n');
  });

  test('main killed outright while the copy is pending: the post step removes it from the saved state', async () => {
    const b = await bakeUntilCopyPending();
    // What GITHUB_STATE holds at the moment of a SIGKILL.
    const saved = b.state.values();
    expect(JSON.parse(saved[COPY_STATE.copies]!).copies[0].status).toBe('requested');
    const out = await postStep(saved);
    expect(out).toMatch(new RegExp(`copy to eu-west-1: removed pending copy ${b.copyId} and ${b.snap}`));
    await copyGone(b.snap);
    // A second post step changes nothing.
    expect(await postStep(saved)).toMatch(/copy to eu-west-1: no copy was made/);
    b.undo();
    await b.bake.cancel({ wait: true, graceMs: 1000 });
    await b.running;
  });

  test('the post step finishes tagging a copy that became available after main died', async () => {
    // What main left: the copy requested and answered, never tagged.
    const [source] = await Promise.all([
      (async () => {
        const run = await ec2().send(
          new RunInstancesCommand({ ImageId: m.ids.baseAmi, MinCount: 1, MaxCount: 1 }),
        );
        const img = await ec2().send(
          new CreateImageCommand({ InstanceId: run.Instances![0].InstanceId, Name: 'web-server-1.0.0' }),
        );
        return img.ImageId!;
      })(),
    ]);
    const copy = await ec2('eu-west-1').send(
      new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'web-server-1.0.0' }),
    );
    const tags = [
      { Key: TAG.family, Value: 'web-server' },
      { Key: TAG.digest, Value: 'd1' },
    ];
    const keep = { ...process.env };
    const stdout: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    try {
      process.env[`STATE_${STATE.region}`] = 'us-east-1';
      // What main saved: the publishing phase had started.
      process.env[`STATE_${STARTED_KEY}`] = 'golden-publish';
      process.env[`STATE_${COPY_STATE.copies}`] = JSON.stringify({
        sourceRegion: 'us-east-1',
        sourceImageId: source,
        tags,
        copies: [
          {
            region: 'eu-west-1',
            name: 'web-server-1.0.0',
            clientToken: 't-0',
            imageId: copy.ImageId,
            status: 'requested',
          },
        ],
      });
      const { run } = await import('../../src/fronts/action-build-post.js');
      await run();
    } finally {
      spy.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in keep)) delete process.env[k];
    }
    expect(stdout.join('')).toMatch(
      new RegExp(`copy to eu-west-1: finished tagging ${copy.ImageId} and snap-`),
    );
    const [img] = await named('eu-west-1', 'web-server-1.0.0');
    expect(tagsOf(img)).toEqual({ [TAG.family]: 'web-server', [TAG.digest]: 'd1' });
  });
});
