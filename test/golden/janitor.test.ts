import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { main } from '../../src/fronts/cli-sweep.js';
import { sweep } from '../../src/golden/janitor.js';
import { TAG } from '../../src/golden/tags.js';
import { BASE_AMI, recordingLogger } from './helpers.js';
import { startMoto, type Moto } from './moto.js';

const HOUR = 3_600_000;
/** Moves only Date forward: the SDK's and moto's timers keep running. */
const clockAhead = (ms: number) =>
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'],
  });

describe('the janitor against moto', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let running: string;
  let stopped: string;
  let foreign: string;
  let gone: string;

  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(() => moto?.stop());
  beforeEach(async () => {
    await moto.reset();
    ec2 = moto.ec2();
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
        'sweep us-east-1: terminated 0 amibake instance(s) older than 6h, 2 younger left alone\n',
      );
      expect(await state(running)).toBe('running');
    });

    it('terminates the old ones (the clock moved on 7 hours)', async () => {
      clockAhead(7 * HOUR);
      expect(await main([], env())).toBe(0);
      expect(out).toMatch(new RegExp(`^terminated\\t${running}\\trunning\\t`, 'm'));
      expect(out).toMatch(new RegExp(`^terminated\\t${stopped}\\tstopped\\t`, 'm'));
      expect(out).toMatch(/terminated 2 amibake instance\(s\) older than 6h, 0 younger left alone\n$/);
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
