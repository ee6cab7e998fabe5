/**
 * The test instance goes through the build's capacity fallback: refused for capacity, it is
 * launched with the next type (the build's list, starting with the type and subnet the build
 * instance was launched with), each attempt under its own `<token>-test[-n]` client token saved in
 * the test phase's state. A RunInstances answer lost after a fallback leaves only those tokens:
 * the test phase's recovery finds the test instance by them (and its role tag) and leaves the
 * build instance alone.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { randomBytes } from 'node:crypto';
import { setRetryTimings } from '../../src/aws/retry.js';
import { TAG } from '../../src/aws/tags.js';
import { MemoryState } from '../../src/engine/state.js';
import { launchWithFallback } from '../../src/features/bake/capacity.js';
import { STATE } from '../../src/features/bake/state.js';
import { testRecovery } from '../../src/features/test/recovery.js';
import { TEST_INSTANCE, TEST_STATE } from '../../src/features/test/state.js';
import { useBake } from '../support/bake-harness.js';
import { refuseLaunches, type LaunchCall } from '../support/faults.js';
import { recordingLogger } from '../support/logger.js';
import { REGION } from '../support/moto.js';
import { makePrepared } from '../bake/fixture.js';
import { buildEnv, ec2For, instances, liveInstances } from '../bake/helpers.js';
import { distinctAttempts } from '../capacity/helpers.js';
import { bakeWithTest, testUserdata } from './helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const tagsOf = (i: { Tags?: { Key?: string; Value?: string }[] }) =>
  Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
const isTest = (c: LaunchCall) => /-test(-\d+)?$/.test(c.clientToken);
const where = (c: LaunchCall) => [c.instanceType, c.subnet];

let restoreTimings: () => void;
let subnets: [string, string];
beforeAll(() => {
  // InsufficientInstanceCapacity is a 500 the SDK retries: short pauses keep each attempt brief.
  restoreTimings = setRetryTimings({ sdkAttempts: 2, sdkMode: 'standard', backoffMs: 50, maxBackoffMs: 200 });
});
afterAll(() => restoreTimings?.());
beforeEach(async () => {
  // Two subnets of the default VPC in different availability zones (the security group's VPC).
  const out = await ec2For(m.moto.endpoint).send(new DescribeSubnetsCommand({}));
  const byZone = new Map<string, string>();
  for (const s of out.Subnets ?? [])
    if (!byZone.has(s.AvailabilityZone!)) byZone.set(s.AvailabilityZone!, s.SubnetId!);
  const ids = [...byZone.values()];
  expect(ids.length).toBeGreaterThanOrEqual(2);
  subnets = [ids[0], ids[1]];
});

describe('the test instance and capacity', () => {
  test('InsufficientInstanceCapacity: the test instance falls back from the build’s type and subnet, a saved token per attempt', async () => {
    const [a, b] = subnets;
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    // The build finds capacity only in the second subnet; the test instance none for t3.micro.
    const savedAtCall: { token: string; saved?: string }[] = [];
    let state: MemoryState | undefined;
    const refusals = refuseLaunches(
      m.gate,
      (c) =>
        (isTest(c) ? c.instanceType === 't3.micro' : c.subnet === a)
          ? 'InsufficientInstanceCapacity'
          : undefined,
      (c) => {
        if (isTest(c))
          savedAtCall.push({ token: c.clientToken, saved: state?.values()[TEST_STATE.clientTokens] });
      },
    );
    m.play('succeed', { test: 'succeed' });
    const r = await bakeWithTest(
      f.userdataPath,
      buildEnv(m.ids, {
        BUILDAMI_S3URL: S3URL,
        BUILDAMI_TYPE: 't3.micro,t3a.micro',
        BUILDAMI_SUBNET: `${a},${b}`,
      }),
      { test: testUserdata(), tweaks: fast, started: (bake) => (state = bake.deps.state as MemoryState) },
    );
    refusals.undo();
    expect({ error: r.error?.message, log: r.error && r.log }).toEqual({ error: undefined, log: undefined });
    expect(r.result!.report.outputs['test-status']).toBe('passed');

    const attempts = distinctAttempts(refusals.calls);
    const build = attempts.filter((c) => !isTest(c));
    const tests = attempts.filter(isTest);
    expect(build.map(where)).toEqual([
      ['t3.micro', a],
      ['t3a.micro', a],
      ['t3.micro', b],
    ]);
    // The build instance's type and subnet first, then the build's next type in that subnet.
    expect(tests.map(where)).toEqual([
      ['t3.micro', b],
      ['t3a.micro', b],
    ]);
    expect(tests.map((c) => c.refused)).toEqual(['InsufficientInstanceCapacity', undefined]);
    const token = r.state.values()[STATE.clientToken];
    expect(tests.map((c) => c.clientToken)).toEqual([`${token}-test`, `${token}-test-2`]);
    // Each token was in the test phase's state before its call reached EC2.
    const firstCall = (t: string) => savedAtCall.find((s) => s.token === t)!;
    expect(firstCall(`${token}-test`).saved).toBe(`${token}-test`);
    expect(firstCall(`${token}-test-2`).saved).toBe(`${token}-test,${token}-test-2`);
    expect(r.state.values()[TEST_STATE.clientTokens]).toBe(`${token}-test,${token}-test-2`);
    expect(r.log).toContain(`RunInstances t3.micro in ${b}: InsufficientInstanceCapacity`);
    expect(r.log).toContain(`trying t3a.micro in ${b}`);

    // The test instance was the fallback's choice, tagged for its role, and is gone like the build's.
    const all = await instances(ec2For(m.moto.endpoint));
    const testInstance = all.find((i) => tagsOf(i)[TAG.role] === 'test')!;
    expect(testInstance.InstanceType).toBe('t3a.micro');
    expect(testInstance.SubnetId).toBe(b);
    expect(r.result!.report.summary).toContainEqual([
      'Test',
      `passed (${testInstance.InstanceId}, t3a.micro)`,
    ]);
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);
  });

  test('an answer lost after a fallback: the test recovery finds the test instance by its saved tokens, not the build instance', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const token = randomBytes(8).toString('hex');
    // The build instance, running (as during the test of a kept build instance: its own keys).
    const build = await ec2.send(
      new RunInstancesCommand({
        ImageId: m.ids.baseAmi,
        MinCount: 1,
        MaxCount: 1,
        ClientToken: token,
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: TAG.clientToken, Value: token },
              { Key: TAG.run, Value: 'run-c' },
            ],
          },
        ],
      }),
    );
    const buildId = build.Instances![0].InstanceId!;

    const state = new MemoryState();
    state.save(STATE.region, REGION);
    state.save(STATE.clientToken, token);
    state.save(STATE.instanceId, buildId);
    state.save(TEST_STATE.clientToken, `${token}-test`);
    const refusals = refuseLaunches(m.gate, (c) =>
      c.instanceType === 't3.micro' ? 'InsufficientInstanceCapacity' : undefined,
    );
    const hold = m.gate.hold('RunInstances');
    // The launcher gives up on the second attempt's answer after 1.5 s: a lost answer.
    const impatient = new EC2Client({
      region: REGION,
      endpoint: m.gate.endpoint,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 1500, throwOnRequestTimeout: true },
    });
    const outcome = launchWithFallback(
      {
        deps: { ec2: impatient, state, logger: recordingLogger() },
        signal: new AbortController().signal,
        track: (p) => p,
      },
      {
        baseAmi: m.ids.baseAmi,
        securityGroups: [m.ids.securityGroup],
        userdata: Buffer.from('#cloud-config\n'),
        tags: { [TAG.clientToken]: `${token}-test`, [TAG.run]: 'run-c', [TAG.role]: 'test' },
      },
      {
        types: ['t3.micro', 't3a.micro'],
        subnets: [m.ids.subnet],
        token: `${token}-test`,
        keys: TEST_INSTANCE,
        what: TEST_INSTANCE.what,
      },
    ).then(
      () => undefined,
      (err: Error) => err,
    );
    await hold.reached;
    const err = await outcome;
    refusals.undo();
    expect(err?.message).toMatch(/^RunInstances \(t3a\.micro in /);

    const st = state.values();
    expect(st[TEST_STATE.clientTokens]).toBe(`${token}-test,${token}-test-2`);
    expect(st[TEST_STATE.instanceId]).toBeUndefined();
    expect(st[TEST_STATE.launch]).toBe('started');
    const launched = (await liveInstances(ec2)).find((i) => i.InstanceId !== buildId)!;
    expect(launched.InstanceType).toBe('t3a.micro');

    const describesBefore = m.gate.calls.length;
    // Through the gate, which records the lookups.
    const gated = ec2For(m.gate.endpoint);
    const report = await testRecovery.recover(st, {
      ec2: gated,
      quick: gated,
      clientFor: () => gated,
      logger: recordingLogger(),
      wait: false,
      lookupSeconds: 5,
      terminateSeconds: 30,
    });
    hold.release();
    expect(report).toMatchObject({ terminated: [launched.InstanceId], problems: [] });
    // The tag lookup asked for the test role with every saved token.
    const lookups = m.gate.calls
      .slice(describesBefore)
      .filter((c) => c.action === 'DescribeInstances')
      .map((c) => new URLSearchParams(c.body))
      .filter((p) => p.get('Filter.1.Name') === `tag:${TAG.clientToken}`);
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups[0].get('Filter.2.Name')).toBe(`tag:${TAG.role}`);
    expect(lookups[0].get('Filter.2.Value.1')).toBe('test');
    expect([lookups[0].get('Filter.1.Value.1'), lookups[0].get('Filter.1.Value.2')]).toEqual([
      `${token}-test`,
      `${token}-test-2`,
    ]);
    // The build instance is the build recovery's business: untouched.
    expect((await liveInstances(ec2)).map((i) => i.InstanceId)).toEqual([buildId]);
    expect(distinctAttempts(refusals.calls).map((c) => c.clientToken)).toEqual([
      `${token}-test`,
      `${token}-test-2`,
    ]);
  });
});
