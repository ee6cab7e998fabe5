/** The janitor and an upload whose runner died: pending snapshots tagged by a bake, older than the
 *  age, are deleted, and so are completed ones no AMI uses; younger ones and an AMI's are left.
 *  moto completes every snapshot at once: the gate shows them pending, as EBS does until
 *  CompleteSnapshot. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { StartSnapshotCommand } from '@aws-sdk/client-ebs';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { sweep, formatSweep } from '../../src/features/janitor/sweep.js';
import { useBake } from '../support/bake-harness.js';
import { captureLogger } from '../support/logger.js';
import { REGION } from '../support/moto.js';
import { ebsFor } from './helpers.js';

const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
const HOUR = 3_600_000;

async function start(tags: Record<string, string>): Promise<string> {
  const out = await ebsFor(m.gate.endpoint).send(
    new StartSnapshotCommand({
      VolumeSize: 1,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return out.SnapshotId!;
}

describe('sweep', () => {
  it('deletes the pending snapshots of amibake uploads older than the age, and only those', async () => {
    const ours = await start({ 'amibake:run': 'run-1', 'amibake:client-token': 't1' });
    const foreign = await start({ team: 'db' });
    const undo = m.gate.rewrite('DescribeSnapshots', (xml) =>
      xml.replace(/<status>completed<\/status>/g, '<status>pending</status>'),
    );
    const { logger } = captureLogger();
    try {
      // Through the gate, which shows the snapshots pending.
      const ec2 = new EC2Client({ region: REGION, endpoint: m.gate.endpoint });
      // Younger than the age: left alone.
      const young = await sweep({ ec2, region: REGION, olderThanMs: 6 * HOUR, log: logger });
      expect(young.snapshots).toEqual([]);
      const later = new Date(Date.now() + 7 * HOUR);
      const dry = await sweep({
        ec2,
        region: REGION,
        olderThanMs: 6 * HOUR,
        log: logger,
        now: later,
        dryRun: true,
      });
      expect(dry.snapshots?.map((s) => s.snapshotId)).toEqual([ours]);
      expect(formatSweep(dry)).toContain(`would delete ${ours}`);
      const done = await sweep({ ec2, region: REGION, olderThanMs: 6 * HOUR, log: logger, now: later });
      expect(done.snapshots?.map((s) => s.snapshotId)).toEqual([ours]);
      expect(done.failedSnapshots).toEqual([]);
      expect(formatSweep(done)).toContain(`deleted ${ours}`);
    } finally {
      undo();
    }
    const left = await m.moto.ec2().send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: 'snapshot-id', Values: [ours, foreign] }],
      }),
    );
    expect(left.Snapshots?.map((s) => s.SnapshotId)).toEqual([foreign]);
  });

  it('deletes an old completed snapshot no AMI uses, and leaves one an AMI uses', async () => {
    // A runner killed between CompleteSnapshot and RegisterImage leaves the first; the second
    // is an AMI's (moto completes every snapshot at once).
    const unused = await start({ 'amibake:run': 'run-2' });
    const foreign = await start({ team: 'db' });
    const ec2 = m.moto.ec2();
    // moto's RegisterImage ignores the mappings: an AMI made from an instance, its snapshot tagged
    // as a bake tags its AMI's snapshots.
    const run = await ec2.send(new RunInstancesCommand({ ImageId: m.ids.baseAmi, MinCount: 1, MaxCount: 1 }));
    const { ImageId } = await ec2.send(
      new CreateImageCommand({ InstanceId: run.Instances![0].InstanceId!, Name: 'web-server-3.0.0' }),
    );
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0];
    const used = image.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    await ec2.send(
      new CreateTagsCommand({ Resources: [used], Tags: [{ Key: 'amibake:run', Value: 'run-3' }] }),
    );
    const { logger } = captureLogger();
    const young = await sweep({ ec2, region: REGION, olderThanMs: HOUR, log: logger });
    expect(young.snapshots).toEqual([]);
    const r = await sweep({
      ec2,
      region: REGION,
      olderThanMs: HOUR,
      log: logger,
      now: new Date(Date.now() + 2 * HOUR),
    });
    expect(r.snapshots?.map((s) => [s.snapshotId, s.run])).toEqual([[unused, 'run-2']]);
    expect(r.failedSnapshots).toEqual([]);
    const left = await ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: 'snapshot-id', Values: [unused, used, foreign] }],
      }),
    );
    expect(left.Snapshots?.map((s) => s.SnapshotId).sort()).toEqual([used, foreign].sort());
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images).toHaveLength(1);
  });
});
