import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { applyRetention, formatPlan, planRetention } from '../../src/features/retention/retention.js';
import { TAG } from '../../src/aws/tags.js';
import { BASE_AMI, recordingLogger } from './helpers.js';
import { useMoto } from '../support/moto.js';

describe('retention against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let ec2: EC2Client;
  /** web-1 (oldest) .. web-4 (newest), then other families. */
  const web: string[] = [];
  const snapshotOf: Record<string, string> = {};
  let other: string;
  let prefix: string;
  let user: string;

  beforeAll(async () => {
    ec2 = m.moto.ec2();
    const run = await ec2.send(new RunInstancesCommand({ ImageId: BASE_AMI, MinCount: 1, MaxCount: 1 }));
    const instance = run.Instances![0].InstanceId!;
    const make = async (name: string, family: string) => {
      const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: name }));
      await ec2.send(
        new CreateTagsCommand({ Resources: [ImageId!], Tags: [{ Key: TAG.family, Value: family }] }),
      );
      const img = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0];
      snapshotOf[ImageId!] = img.BlockDeviceMappings![0].Ebs!.SnapshotId!;
      return ImageId!;
    };
    for (const n of [1, 2, 3, 4]) {
      web.push(await make(`web-${n}`, 'web'));
      // CreationDate has one-second resolution.
      if (n < 4) await new Promise((r) => setTimeout(r, 1100));
    }
    other = await make('api-1', 'api');
    prefix = await make('web-extra-1', 'web-extra');
    // web-1 is still in use by an instance.
    const u = await ec2.send(new RunInstancesCommand({ ImageId: web[0], MinCount: 1, MaxCount: 1 }));
    user = u.Instances![0].InstanceId!;
  }, 60_000);
  /** The retention plan of the family `web`, keeping `keepLast`, protecting `protect`. */
  const planWeb = (keepLast: number, protect: string[]) =>
    planRetention({ ec2, region: 'us-east-1', family: 'web', keepLast, protect });

  it('plans: newest N kept, the one in use skipped, the rest removed; other families untouched', async () => {
    const plan = await planWeb(2, [web[3]]);
    expect(plan.keep.map((i) => i.imageId)).toEqual([web[3], web[2]]);
    expect(plan.remove.map((i) => i.imageId)).toEqual([web[1]]);
    expect(plan.remove[0].snapshots).toEqual([snapshotOf[web[1]]]);
    expect(plan.skip).toEqual([expect.objectContaining({ imageId: web[0], reason: `in use by ${user}` })]);
    const all = [...plan.keep, ...plan.remove, ...plan.skip].map((i) => i.imageId);
    expect(all).not.toContain(other);
    expect(all).not.toContain(prefix);

    const text = formatPlan(plan).join('\n');
    expect(text).toMatch(/^retention in us-east-1 for "web" \(keep last 2\): 2 kept, 1 to remove, 1 skipped/);
    expect(text).toContain(`remove  ${web[1]}`);
    expect(text).toContain(`skip    ${web[0]}`);
    // Planning changes nothing.
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [web[1]] }))).Images).toHaveLength(1);
  });

  it('never removes the AMI just built, even when it is not among the newest', async () => {
    const plan = await planWeb(1, [web[1]]);
    expect(plan.keep.map((i) => i.imageId)).toEqual([web[3], web[1]]);
    expect(plan.remove.map((i) => i.imageId)).toEqual([web[2]]);
  });

  it('acts: deregisters and deletes the snapshots of the planned AMIs only', async () => {
    const plan = await planWeb(2, [web[3]]);
    const log = recordingLogger();
    const result = await applyRetention(ec2, plan, log);
    expect(result).toEqual({
      region: 'us-east-1',
      removed: [{ imageId: web[1], snapshots: [snapshotOf[web[1]]] }],
      failed: [],
    });
    const left = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: `tag:${TAG.family}`, Values: ['web'] }],
      }),
    );
    expect(left.Images!.map((i) => i.ImageId).sort()).toEqual([web[0], web[2], web[3]].sort());
    const snaps = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const ids = snaps.Snapshots!.map((s) => s.SnapshotId);
    expect(ids).not.toContain(snapshotOf[web[1]]);
    expect(ids).toContain(snapshotOf[web[0]]);
    // The instance using web-1 still runs.
    const inst = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [user] }));
    expect(inst.Reservations![0].Instances![0].State!.Name).toBe('running');
    expect(log.text()).toMatch(
      new RegExp(`retention: deregistered ${web[1]} in us-east-1, deleted ${snapshotOf[web[1]]}`),
    );
  });

  it('an AMI kept after failing its test neither counts towards N nor is removed', async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: BASE_AMI, MinCount: 1, MaxCount: 1 }));
    const made: string[] = [];
    for (const n of [1, 2, 3]) {
      const { ImageId } = await ec2.send(
        new CreateImageCommand({ InstanceId: run.Instances![0].InstanceId!, Name: `canary-${n}` }),
      );
      await ec2.send(
        new CreateTagsCommand({ Resources: [ImageId!], Tags: [{ Key: TAG.family, Value: 'canary' }] }),
      );
      made.push(ImageId!);
      if (n < 3) await new Promise((r) => setTimeout(r, 1100));
    }
    // The newest failed its test and was kept.
    await ec2.send(
      new CreateTagsCommand({ Resources: [made[2]], Tags: [{ Key: TAG.test, Value: 'failed' }] }),
    );
    const plan = await planRetention({
      ec2,
      region: 'us-east-1',
      family: 'canary',
      keepLast: 1,
      protect: [],
    });
    expect(plan.keep.map((i) => i.imageId)).toEqual([made[1]]);
    expect(plan.remove.map((i) => i.imageId)).toEqual([made[0]]);
    expect(plan.skip).toEqual([
      expect.objectContaining({
        imageId: made[2],
        reason: 'it failed its test (amibake:test=failed), kept for inspection',
      }),
    ]);
  });
});

describe('retention edge cases (mocked: moto has no protection nor pending images)', () => {
  const img = (id: string, created: string, over: Partial<Image> = {}): Image => ({
    ImageId: id,
    Name: id,
    State: 'available',
    CreationDate: created,
    Tags: [{ Key: TAG.family, Value: 'web' }],
    BlockDeviceMappings: [],
    ...over,
  });

  it('skips protected and pending AMIs; failed ones never count towards N', async () => {
    const mock = mockClient(EC2Client);
    mock.on(DescribeImagesCommand).resolves({
      Images: [
        img('ami-6', '2025-06-01T00:00:00Z', { State: 'failed' }),
        img('ami-5', '2025-05-01T00:00:00Z'),
        img('ami-4', '2025-04-01T00:00:00Z', { State: 'pending' }),
        img('ami-3', '2025-03-01T00:00:00Z'),
        img('ami-2', '2025-02-01T00:00:00Z', { DeregistrationProtection: 'enabled' }),
        img('ami-1', '2025-01-01T00:00:00Z'),
        // Matches the tag filter's wildcard semantics but is another family.
        img('ami-9', '2025-01-01T00:00:00Z', { Tags: [{ Key: TAG.family, Value: 'web2' }] }),
      ],
    });
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const plan = await planRetention({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      region: 'eu-west-1',
      family: 'web',
      keepLast: 2,
      protect: [],
    });
    expect(plan.keep.map((i) => i.imageId)).toEqual(['ami-5', 'ami-3']);
    expect(plan.remove.map((i) => i.imageId)).toEqual(['ami-6', 'ami-1']);
    expect(plan.skip.map((s) => [s.imageId, s.reason])).toEqual([
      ['ami-4', 'it is pending'],
      ['ami-2', 'deregistration protection is on'],
    ]);
    expect(mock.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({
      Owners: ['self'],
      Filters: [{ Name: `tag:${TAG.family}`, Values: ['web'] }],
    });
    mock.restore();
  });
});
