import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { main } from '../../src/fronts/cli-sweep.js';
import { formatSweep, sweep } from '../../src/features/janitor/sweep.js';
import { setRetryTimings } from '../../src/aws/retry.js';
import { TAG as BAKE_TAG } from '../../src/aws/tags.js';
import { TAG } from '../../src/aws/tags.js';
import { BASE_AMI, recordingLogger } from './helpers.js';
import { taggedImage } from '../support/world.js';
import { useMoto } from '../support/moto.js';

const HOUR = 3_600_000;
/** Moves only Date forward: the SDK's and moto's timers keep running. */
const clockAhead = (ms: number) =>
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'],
  });

describe('the janitor against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let ec2: EC2Client;
  let running: string;
  let stopped: string;
  let foreign: string;
  let gone: string;

  beforeEach(async () => {
    await m.moto.reset();
    ec2 = m.moto.ec2();
    const launch = async (tags: Record<string, string>) =>
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: BASE_AMI,
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: [
              {
                ResourceType: 'instance',
                Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
              },
            ],
          }),
        )
      ).Instances![0].InstanceId!;
    running = await launch({ [TAG.run]: 'run-1', Name: 'amibake web-1' });
    stopped = await launch({ [TAG.run]: 'run-2' });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    foreign = await launch({ Name: 'someone else' });
    gone = await launch({ [TAG.run]: 'run-0' });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
  });

  const state = async (id: string) =>
    (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0]
      .State!.Name;

  it('terminates amibake instances older than the age, and nothing else', async () => {
    const log = recordingLogger();
    const report = await sweep({
      ec2,
      region: 'us-east-1',
      olderThanMs: 6 * HOUR,
      log,
      now: new Date(Date.now() + 7 * HOUR),
    });
    expect(report.swept.map((s) => s.instanceId).sort()).toEqual([running, stopped].sort());
    expect(report.swept.find((s) => s.instanceId === running)).toMatchObject({
      run: 'run-1',
      name: 'amibake web-1',
    });
    expect(report.failed).toEqual([]);
    expect(await state(running)).toBe('terminated');
    expect(await state(stopped)).toBe('terminated');
    expect(await state(foreign)).toBe('running');
    expect(log.text()).toMatch(new RegExp(`terminated ${running} \\(running, launched .*, run run-1\\)`));
  });

  it('spares younger instances, excluded ones, and everything in a dry run', async () => {
    const young = await sweep({ ec2, region: 'us-east-1', olderThanMs: 6 * HOUR, log: recordingLogger() });
    expect(young).toMatchObject({ swept: [], spared: 2 });
    const excluded = await sweep({
      ec2,
      region: 'us-east-1',
      olderThanMs: HOUR,
      log: recordingLogger(),
      exclude: [running],
      now: new Date(Date.now() + 2 * HOUR),
    });
    expect(excluded.swept.map((s) => s.instanceId)).toEqual([stopped]);
    expect(await state(running)).toBe('running');
  });

  it('a dry run lists without terminating', async () => {
    const log = recordingLogger();
    const report = await sweep({
      ec2,
      region: 'us-east-1',
      olderThanMs: HOUR,
      log,
      dryRun: true,
      now: new Date(Date.now() + 2 * HOUR),
    });
    expect(report.swept).toHaveLength(2);
    expect(await state(running)).toBe('running');
    expect(await state(stopped)).toBe('stopped');
    expect(log.text()).toMatch(/would terminate i-/);
  });

  describe('AMIs a stopped bake left', () => {
    /** An AMI as the bake's CreateImage makes it: its own tags, untagged snapshots. */
    const bakeImage = async (run: string, snapshotTags = false) => {
      const tags = {
        Name: `web-${run}`,
        [BAKE_TAG.family]: 'web',
        [BAKE_TAG.version]: '1.0.0',
        [BAKE_TAG.digest]: `sha256:${run}`,
        [BAKE_TAG.baseAmi]: BASE_AMI,
        [BAKE_TAG.run]: run,
        [BAKE_TAG.clientToken]: `token-${run}`,
      };
      const { ImageId } = await ec2.send(
        new CreateImageCommand({
          InstanceId: stopped,
          Name: `web-${run}`,
          TagSpecifications: [
            { ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
      const image = await describe(ImageId!);
      expect(snaps(image!)).not.toEqual([]);
      if (snapshotTags)
        await ec2.send(
          new CreateTagsCommand({
            Resources: snaps(image!),
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      return image!;
    };
    const describe = async (id: string): Promise<Image | undefined> =>
      (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!.find((i) => i.ImageId === id);
    const snaps = (image: Image) => image.BlockDeviceMappings!.map((b) => b.Ebs!.SnapshotId!);
    const snapshotTags = async (ids: string[]) =>
      Object.fromEntries(
        ((await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ids }))).Snapshots ?? []).map((s) => [
          s.SnapshotId!,
          Object.fromEntries((s.Tags ?? []).map((t) => [t.Key!, t.Value!])),
        ]),
      );
    const allSnapshots = async () =>
      ((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? []).map(
        (s) => s.SnapshotId!,
      );
    /** moto makes every AMI available at once: these answer as if some were not. */
    const seeing = (states: Record<string, string>) => {
      const client = new EC2Client({ region: 'us-east-1', endpoint: m.moto.endpoint });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === 'DescribeImagesCommand')
            for (const image of (out.output as { Images?: Image[] }).Images ?? [])
              if (states[image.ImageId!]) image.State = states[image.ImageId!] as Image['State'];
          return out;
        },
        { step: 'initialize' },
      );
      return client;
    };
    const later = () => new Date(Date.now() + 7 * HOUR);

    it('discards failed and long-pending AMIs with their snapshots, records available ones, leaves finished ones', async () => {
      const failed = await bakeImage('run-f');
      const pending = await bakeImage('run-p');
      const untagged = await bakeImage('run-u');
      const finished = await bakeImage('run-d', true);
      const foreignImage = (
        await ec2.send(new CreateImageCommand({ InstanceId: stopped, Name: 'not amibake' }))
      ).ImageId!;
      const log = recordingLogger();
      const report = await sweep({
        ec2: seeing({ [failed.ImageId!]: 'failed', [pending.ImageId!]: 'pending' }),
        region: 'us-east-1',
        olderThanMs: 6 * HOUR,
        log,
        now: later(),
      });
      expect(report.failedImages).toEqual([]);
      expect(report.images.map((s) => [s.imageId, s.action, s.state]).sort()).toEqual(
        [
          [failed.ImageId, 'discard', 'failed'],
          [pending.ImageId, 'discard', 'pending'],
          [untagged.ImageId, 'record', 'available'],
        ].sort(),
      );
      // Failed and pending: gone, with their snapshots (tagged first, for a tag-bound role).
      expect(await describe(failed.ImageId!)).toBeUndefined();
      expect(await describe(pending.ImageId!)).toBeUndefined();
      const left = await allSnapshots();
      for (const s of [...snaps(failed), ...snaps(pending)]) expect(left).not.toContain(s);
      // Available, untagged snapshots: kept, its snapshots carry its tags now.
      expect((await describe(untagged.ImageId!))?.State).toBe('available');
      for (const tags of Object.values(await snapshotTags(snaps(untagged))))
        expect(tags).toMatchObject({ [BAKE_TAG.digest]: 'sha256:run-u', [BAKE_TAG.run]: 'run-u' });
      // Finished and foreign AMIs: untouched.
      expect(await describe(finished.ImageId!)).toBeDefined();
      expect(await describe(foreignImage)).toBeDefined();
      expect(log.text()).toContain(`discarded the failed AMI ${failed.ImageId} (web-run-f`);
      expect(log.text()).toContain(`recorded the available AMI ${untagged.ImageId} (web-run-u`);
      expect(formatSweep(report)).toMatch(
        new RegExp(
          `; unfinished AMIs: discarded (${failed.ImageId}|${pending.ImageId}) (${failed.ImageId}|${pending.ImageId}), recorded ${untagged.ImageId}$`,
        ),
      );
      // Run again: all is finished, nothing to do.
      const again = await sweep({ ec2, region: 'us-east-1', olderThanMs: 6 * HOUR, log, now: later() });
      expect(again.images).toEqual([]);
    });

    it('leaves AMIs younger than the age alone, even failed ones', async () => {
      const failed = await bakeImage('run-f');
      const untagged = await bakeImage('run-u');
      const report = await sweep({
        ec2: seeing({ [failed.ImageId!]: 'failed' }),
        region: 'us-east-1',
        olderThanMs: 6 * HOUR,
        log: recordingLogger(),
        now: new Date(Date.now() + 5 * HOUR),
      });
      expect(report.images).toEqual([]);
      expect(await describe(failed.ImageId!)).toBeDefined();
      expect(Object.values(await snapshotTags(snaps(untagged)))[0]).not.toHaveProperty(BAKE_TAG.digest);
    });

    it('a dry run lists them and changes nothing', async () => {
      const failed = await bakeImage('run-f');
      const untagged = await bakeImage('run-u');
      const log = recordingLogger();
      const report = await sweep({
        ec2: seeing({ [failed.ImageId!]: 'failed' }),
        region: 'us-east-1',
        olderThanMs: 6 * HOUR,
        log,
        dryRun: true,
        now: later(),
      });
      expect(report.images.map((s) => s.action).sort()).toEqual(['discard', 'record']);
      expect(await describe(failed.ImageId!)).toBeDefined();
      expect(await allSnapshots()).toEqual(expect.arrayContaining(snaps(failed)));
      expect(Object.values(await snapshotTags(snaps(untagged)))[0]).not.toHaveProperty(BAKE_TAG.digest);
      expect(log.text()).toContain(`would discard the failed AMI ${failed.ImageId}`);
      expect(log.text()).toContain(`would record the available AMI ${untagged.ImageId}`);
      expect(formatSweep(report)).toMatch(
        new RegExp(`unfinished AMIs: would discard ${failed.ImageId}, would record ${untagged.ImageId}$`),
      );
    });

    it('a discard that fails is a warning naming the AMI and its snapshots', async () => {
      const failed = await bakeImage('run-f');
      const client = seeing({ [failed.ImageId!]: 'failed' });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DeregisterImageCommand')
            throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
          return next(args);
        },
        { step: 'initialize' },
      );
      const log = recordingLogger();
      // The discard retries each call until its deadline: a second here.
      const restore = setRetryTimings({ deadlineCapMs: 1000, backoffMs: 50, maxBackoffMs: 200 });
      const report = await sweep({
        ec2: client,
        region: 'us-east-1',
        olderThanMs: HOUR,
        log,
        now: later(),
      }).finally(restore);
      expect(report.failedImages.map((f) => f.imageId)).toEqual([failed.ImageId]);
      expect(log.warnings.join('\n')).toContain(
        `could not clean up the AMI ${failed.ImageId}: the unfinished AMI ${failed.ImageId}`,
      );
      expect(log.warnings.join('\n')).toContain(snaps(failed)[0]);
      expect(formatSweep(report)).toMatch(new RegExp(`unfinished AMIs: failed ${failed.ImageId}$`));
      expect(await describe(failed.ImageId!)).toBeDefined();
    });
  });

  describe('amibake sweep', () => {
    let out: string;
    let err: string;
    const stderr = () => err;
    beforeEach(() => {
      out = '';
      err = '';
      jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    });
    afterEach(() => {
      jest.restoreAllMocks();
      jest.useRealTimers();
    });
    const env = () => ({ ...process.env, AWS_REGION: 'us-east-1' });

    it('reports and leaves young instances alone', async () => {
      expect(await main([], env())).toBe(0);
      expect(out).toBe(
        'sweep us-east-1: terminated 0 amibake instance(s) older than 6h, 2 younger left alone; unfinished AMIs: none\n',
      );
      expect(await state(running)).toBe('running');
    });

    it('terminates the old ones (the clock moved on 7 hours)', async () => {
      // An AMI whose bake died before tagging its snapshots.
      const image = await taggedImage(ec2, stopped, 'web-9', {
        [TAG.run]: 'run-9',
        [TAG.digest]: 'sha256:9',
      });
      clockAhead(7 * HOUR);
      expect(await main([], env())).toBe(0);
      expect(out).toMatch(new RegExp(`^terminated\\t${running}\\trunning\\t`, 'm'));
      expect(out).toMatch(new RegExp(`^terminated\\t${stopped}\\tstopped\\t`, 'm'));
      expect(out).toMatch(new RegExp(`^recorded\\t${image}\\tavailable\\t.*\\trun-9\\tweb-9\\n`, 'm'));
      expect(out).toMatch(
        new RegExp(
          `terminated 2 amibake instance\\(s\\) older than 6h, 0 younger left alone; unfinished AMIs: recorded ${image}\\n$`,
        ),
      );
      jest.useRealTimers();
      expect(await state(running)).toBe('terminated');
      expect(await state(foreign)).toBe('running');
    });

    it('AGE argument and BUILDAMI_DRY_RUN', async () => {
      clockAhead(3 * HOUR);
      expect(await main(['2h'], { ...env(), BUILDAMI_DRY_RUN: 'true' })).toBe(0);
      expect(out).toMatch(/would terminate 2 amibake instance\(s\) older than 2h/);
      jest.useRealTimers();
      expect(await state(running)).toBe('running');
    });

    it('bad input names the variable', async () => {
      await expect(main(['5m'], env())).rejects.toThrow(
        /^AGE \(instead of BUILDAMI_SWEEP_AGE\): must be at least 1h/,
      );
      await expect(main([], { ...env(), BUILDAMI_SWEEP_AGE: '5m' })).rejects.toThrow(
        /^BUILDAMI_SWEEP_AGE: must be at least 1h/,
      );
      await expect(main([], { ...env(), BUILDAMI_DRY_RUN: 'maybe' })).rejects.toThrow(
        /^BUILDAMI_DRY_RUN: must be true or false/,
      );
      expect(await main(['1h', '2h'], env())).toBe(2);
      expect(await main(['--help'], env())).toBe(0);
      expect(out).toMatch(/^usage: amibake sweep \[AGE\]/);
      expect(stderr()).toMatch(/expected at most one argument, AGE/);
    });
  });
});
