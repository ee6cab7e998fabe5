/**
 * Every test instance is terminated on every path: a cancel during the test (the CLI's SIGINT
 * and SIGTERM recover and wait; the action's SIGTERM recovers, then its post step), a runner
 * killed outright (the post step alone, from the saved state), a RunInstances whose answer was
 * lost (found by its client token), and the janitor for what no post step saw.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { TAG } from '../../src/aws/tags.js';
import { CancelledError } from '../../src/engine/engine.js';
import { STARTED_KEY } from '../../src/engine/state.js';
import type { Bake } from '../../src/features/bake/bake.js';
import { STATE } from '../../src/features/bake/state.js';
import { sweep } from '../../src/features/janitor/sweep.js';
import { TEST_STATE } from '../../src/features/test/state.js';
import { recoverPostStep } from '../../src/pipeline/recovery.js';
import { useBake } from '../support/bake-harness.js';
import { recordingLogger } from '../support/logger.js';
import { makePrepared } from '../bake/fixture.js';
import { buildEnv, instances, liveInstances } from '../bake/helpers.js';
import { bakeWithTest, testUserdata, type TestBake } from './helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const ec2 = () => new EC2Client({ region: 'us-east-1', endpoint: m.moto.endpoint });
const tagsOf = (i: { Tags?: { Key?: string; Value?: string }[] }) =>
  Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
const budget = { wait: true, lookupSeconds: 5, terminateSeconds: 30, delaySeconds: 1 };

/** Starts a bake whose test instance hangs; resolves once that instance's id is saved. */
async function inTestPhase(): Promise<{ bake: Bake; done: Promise<TestBake>; testId: string }> {
  const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
  m.play('succeed', { test: 'hang' });
  let bake: Bake | undefined;
  const done = bakeWithTest(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }), {
    test: testUserdata(),
    tweaks: fast,
    started: (b) => (bake = b),
  });
  for (let i = 0; i < 600; i++) {
    const testId = bake?.deps.state.values()[TEST_STATE.instanceId];
    if (testId) return { bake: bake!, done, testId };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test instance was never launched:\n${(await done).log}`);
}

const live = async () => (await liveInstances(ec2())).map((i) => i.InstanceId);

describe('stopped during the test', () => {
  test('amibake build (SIGINT, SIGTERM): the cancel terminates the test instance and sees it gone', async () => {
    const { bake, done, testId } = await inTestPhase();
    expect(await live()).toEqual([testId]);
    // What the CLI's signal handler does.
    const report = await bake.cancel({ wait: true, graceMs: 5000, terminateSeconds: 60 });
    const r = await done;
    expect(r.error).toBeInstanceOf(CancelledError);
    expect(report).toMatchObject({ terminated: [testId], confirmed: [testId], problems: [] });
    expect(await live()).toEqual([]);
    expect(r.state.values()[TEST_STATE.terminated]).toBe('1');
    // The AMI was complete: kept, untested (a later bake tests it before it goes anywhere).
    const image = bake.ctx.image!;
    expect(image.State).toBe('available');
    expect(tagsOf(image)[TAG.test]).toBeUndefined();
  });

  test('action-build (SIGTERM), then its post step: nothing left, nothing to report', async () => {
    const { bake, done, testId } = await inTestPhase();
    const report = await bake.cancel({ wait: false, graceMs: 2000, terminateSeconds: 3 });
    await done;
    expect(report.terminated).toEqual([testId]);
    const saved = bake.deps.state.values();
    const log = recordingLogger();
    const post = await recoverPostStep((k) => saved[k], log, budget);
    expect(post?.problems).toEqual([]);
    expect(await live()).toEqual([]);
  });

  test('a runner killed outright: the post step terminates the test instance from the saved state', async () => {
    const { bake, done, testId } = await inTestPhase();
    // SIGKILL: the loops end, nothing is recovered in this process.
    await bake.engine.cancel(0);
    const r = await done;
    expect(r.error).toBeInstanceOf(CancelledError);
    expect(await live()).toEqual([testId]);

    const saved = bake.deps.state.values();
    expect(saved[STARTED_KEY]).toMatch(/,terminate,test$/);
    const log = recordingLogger();
    const post = await recoverPostStep((k) => saved[k], log, budget);
    expect(post).toMatchObject({ terminated: [testId], confirmed: [testId], problems: [] });
    expect(await live()).toEqual([]);
  });
});

describe('the test instance found without its id', () => {
  test('RunInstances answered too late: the post step finds it by its client token', async () => {
    const token = '0123456789abcdef-test';
    const run = await ec2().send(
      new RunInstancesCommand({
        ImageId: m.ids.baseAmi,
        MinCount: 1,
        MaxCount: 1,
        ClientToken: token,
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: TAG.run, Value: 'run-1' },
              { Key: TAG.clientToken, Value: token },
              { Key: TAG.role, Value: 'test' },
            ],
          },
        ],
      }),
    );
    const id = run.Instances![0].InstanceId!;
    const saved: Record<string, string> = {
      [STATE.region]: 'us-east-1',
      [STARTED_KEY]: 'golden-base,preflight,stage,launch,install,image,terminate,test',
      // The build instance is gone; the test instance's launch started, its answer never came.
      [STATE.clientToken]: '0123456789abcdef',
      [STATE.launch]: 'returned',
      [STATE.instanceId]: 'i-00000000000000000',
      [STATE.terminated]: '1',
      [TEST_STATE.clientToken]: token,
      [TEST_STATE.launch]: 'started',
    };
    const post = await recoverPostStep((k) => saved[k], recordingLogger(), budget);
    expect(post).toMatchObject({ terminated: [id], problems: [] });
    expect(await live()).toEqual([]);
  });

  test('the janitor terminates a leftover test instance, reported by its role', async () => {
    const run = await ec2().send(
      new RunInstancesCommand({
        ImageId: m.ids.baseAmi,
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: TAG.run, Value: 'run-2' },
              { Key: TAG.role, Value: 'test' },
              { Key: 'Name', Value: 'amibake test web-server-1.0.0' },
            ],
          },
        ],
      }),
    );
    const id = run.Instances![0].InstanceId!;
    const report = await sweep({
      ec2: ec2(),
      region: 'us-east-1',
      olderThanMs: 3_600_000,
      log: recordingLogger(),
      now: new Date(Date.now() + 2 * 3_600_000),
    });
    expect(report.swept).toEqual([expect.objectContaining({ instanceId: id, role: 'test', run: 'run-2' })]);
    expect(await live()).toEqual([]);
    expect((await instances(ec2())).find((i) => i.InstanceId === id)?.State?.Name).toMatch(
      /shutting-down|terminated/,
    );
  });
});
