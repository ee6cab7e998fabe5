/**
 * Capacity fallback against moto: RunInstances refused for capacity (InsufficientInstanceCapacity,
 * Unsupported) by the gate in front of moto, for the instance types and subnets a test picks;
 * the bake tries every type in the first subnet, then in the next, each attempt with its own
 * client token saved before its call. Any other refusal ends the fallback at once; when every
 * choice is refused, nothing is launched and the error lists the attempts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { setRetryTimings } from '../../src/aws/retry.js';
import { STATE } from '../../src/features/bake/state.js';
import { MemoryState } from '../../src/engine/state.js';
import { useBake } from '../support/bake-harness.js';
import { refuseLaunches, type LaunchCall } from '../support/faults.js';
import { bake, distinctAttempts } from './helpers.js';
import { ec2For, instances, liveInstances, ownImages } from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
let restoreTimings: () => void;
let subnets: [string, string];

beforeAll(() => {
  // A refusal EC2 answers as a server error (InsufficientInstanceCapacity is a 500) is retried by
  // the SDK first: two attempts and short pauses keep each refused attempt under a second.
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

const where = (c: LaunchCall) => [c.instanceType, c.subnet];

describe('capacity fallback', () => {
  test('InsufficientInstanceCapacity: every type in the first subnet, then the next; a token per attempt, saved before its call', async () => {
    const [a, b] = subnets;
    const state = new MemoryState();
    // What the state held when each call reached the gate.
    const savedAtCall: { token: string; saved: string[]; launch?: string }[] = [];
    const refusals = refuseLaunches(
      m.gate,
      (c) => (c.subnet === a || c.instanceType === 't3.micro' ? 'InsufficientInstanceCapacity' : undefined),
      (c) =>
        savedAtCall.push({
          token: c.clientToken,
          saved: (state.values()[STATE.clientTokens] ?? '').split(','),
          launch: state.values()[STATE.launch],
        }),
    );
    m.play('succeed');
    const r = await bake(m, { BUILDAMI_TYPE: 't3.micro,t3a.micro', BUILDAMI_SUBNET: `${a}\n${b}` }, state);
    refusals.undo();
    expect(r.error).toBeUndefined();

    const attempts = distinctAttempts(refusals.calls);
    expect(attempts.map(where)).toEqual([
      ['t3.micro', a],
      ['t3a.micro', a],
      ['t3.micro', b],
      ['t3a.micro', b],
    ]);
    expect(attempts.map((c) => c.refused)).toEqual([
      'InsufficientInstanceCapacity',
      'InsufficientInstanceCapacity',
      'InsufficientInstanceCapacity',
      undefined,
    ]);
    // The SDK retried the 500s with the same token; each attempt has its own.
    expect(refusals.calls.length).toBeGreaterThan(attempts.length);
    const tokens = attempts.map((c) => c.clientToken);
    expect(new Set(tokens).size).toBe(4);
    // Every call found its token (and the launch marked started) in the state already.
    expect(savedAtCall).toHaveLength(refusals.calls.length);
    for (const s of savedAtCall) {
      expect(s.saved).toContain(s.token);
      expect(s.launch).toBe('started');
    }
    const st = r.state.values();
    expect(st[STATE.clientTokens]).toBe(tokens.join(','));
    expect(st[STATE.clientToken]).toBe(tokens[0]);
    expect(st[STATE.launch]).toBe('returned');

    // Each fallback logged with the type, the subnet and AWS's code.
    expect(r.log).toContain(`RunInstances t3.micro in ${a}: InsufficientInstanceCapacity`);
    expect(r.log).toMatch(
      new RegExp(`RunInstances t3.micro in ${a}: InsufficientInstanceCapacity .*; trying t3a.micro in ${a}`),
    );
    expect(r.log).toMatch(
      new RegExp(`RunInstances t3a.micro in ${a}: InsufficientInstanceCapacity .*; trying t3.micro in ${b}`),
    );
    expect(r.log).toMatch(
      new RegExp(`RunInstances t3.micro in ${b}: InsufficientInstanceCapacity .*; trying t3a.micro in ${b}`),
    );

    // The one instance: the last choice, terminated after the AMI.
    const all = await instances(ec2For(m.moto.endpoint));
    expect(all).toHaveLength(1);
    expect(all[0].InstanceType).toBe('t3a.micro');
    expect(all[0].SubnetId).toBe(b);
    expect(all[0].State?.Name).toBe('terminated');
    expect(r.result!.instanceType).toBe('t3a.micro');
    expect(r.result!.instanceId).toBe(all[0].InstanceId);
  });

  test('Unsupported: the next type in the same subnet', async () => {
    const [a, b] = subnets;
    const refusals = refuseLaunches(m.gate, (c) =>
      c.instanceType === 't3.micro' ? 'Unsupported' : undefined,
    );
    m.play('succeed');
    const r = await bake(m, { BUILDAMI_TYPE: 't3.micro, t3a.micro', BUILDAMI_SUBNET: `${a},${b}` });
    refusals.undo();
    expect(r.error).toBeUndefined();
    const attempts = distinctAttempts(refusals.calls);
    expect(attempts.map(where)).toEqual([
      ['t3.micro', a],
      ['t3a.micro', a],
    ]);
    // A client error: the SDK did not retry it.
    expect(refusals.calls).toHaveLength(2);
    expect(r.log).toMatch(
      new RegExp(`RunInstances t3.micro in ${a}: Unsupported .*; trying t3a.micro in ${a}`),
    );
    const [inst] = await instances(ec2For(m.moto.endpoint));
    expect([inst.InstanceType, inst.SubnetId]).toEqual(['t3a.micro', a]);
  });

  test.each(['UnauthorizedOperation', 'InstanceLimitExceeded'] as const)(
    '%s is not capacity: the fallback stops at once, nothing launched',
    async (code) => {
      const [a, b] = subnets;
      const refusals = refuseLaunches(m.gate, () => code);
      const r = await bake(m, { BUILDAMI_TYPE: 't3.micro,t3a.micro', BUILDAMI_SUBNET: `${a},${b}` });
      refusals.undo();
      expect(r.error?.message).toMatch(new RegExp(`RunInstances \\(t3.micro in ${a}\\): `));
      expect(distinctAttempts(refusals.calls).map(where)).toEqual([['t3.micro', a]]);
      expect(r.log).not.toContain('trying');
      expect(r.state.values()[STATE.launch]).toBe('failed');
      expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
    },
  );

  test('every type refused in every subnet: an error listing the attempts, nothing left', async () => {
    const [a, b] = subnets;
    const refusals = refuseLaunches(m.gate, (c) =>
      c.instanceType === 't3.micro' ? 'InsufficientInstanceCapacity' : 'Unsupported',
    );
    const r = await bake(m, { BUILDAMI_TYPE: 't3.micro,t3a.micro', BUILDAMI_SUBNET: `${a},${b}` });
    refusals.undo();
    const attempts = distinctAttempts(refusals.calls);
    expect(attempts).toHaveLength(4);
    const message = r.error?.message ?? '';
    expect(message).toContain(
      `no capacity for the build instance: t3.micro in ${a} (InsufficientInstanceCapacity), t3a.micro in ${a} (Unsupported), ` +
        `t3.micro in ${b} (InsufficientInstanceCapacity), t3a.micro in ${b} (Unsupported); nothing was launched`,
    );
    // The options by the names the CLI reads them under.
    expect(message).toContain('BUILDAMI_TYPE');
    expect(message).toContain('BUILDAMI_SUBNET');
    const st = r.state.values();
    expect(st[STATE.launch]).toBe('failed');
    expect(st[STATE.clientTokens]!.split(',')).toEqual(attempts.map((c) => c.clientToken));
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);
    expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
    expect(await ownImages(ec2For(m.moto.endpoint))).toEqual([]);
  });

  test('the dry run shows the fallback: the types kept for the architecture, in order, per subnet', async () => {
    const [a, b] = subnets;
    const before = m.gate.calls.filter(
      (c) => c.action === 'RunInstances' && !/DryRun=true/.test(c.body),
    ).length;
    const r = await bake(m, {
      BUILDAMI_DRY_RUN: 'true',
      BUILDAMI_TYPE: 't4g.micro,t3.micro,t3a.micro',
      BUILDAMI_SUBNET: `${a},${b}`,
    });
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(new RegExp(`instance {10}t3\\.micro in ${a}, `));
    expect(r.log).toContain(
      `fallback          t3.micro, t3a.micro in ${a}, ${b}: every type per subnet, on InsufficientInstanceCapacity or Unsupported`,
    );
    expect(
      m.gate.calls.filter((c) => c.action === 'RunInstances' && !/DryRun=true/.test(c.body)),
    ).toHaveLength(before);
  });

  test('the lists are validated item by item, errors naming the option', async () => {
    const before = m.gate.count('RunInstances');
    const r = await bake(m, {
      BUILDAMI_TYPE: 't3.micro,not a type',
      BUILDAMI_SUBNET: `${subnets[0]}\nsubnet-nothex`,
    });
    expect(r.error?.message).toMatch(
      /BUILDAMI_TYPE: must be an instance type such as t3\.micro \(got "not a type"\)/,
    );
    expect(r.error?.message).toMatch(
      /BUILDAMI_SUBNET: must be a subnet id such as subnet-\w+ \(got "subnet-nothex"\)/,
    );
    expect(m.gate.count('RunInstances')).toBe(before);
  });
});
