/**
 * The instance type follows the base AMI's architecture: by default t3.micro for x86_64 and
 * t4g.micro for arm64 (moto's built-in arm64 Amazon Linux image plays the arm64 base); listed
 * types of another architecture are dropped at preflight (DescribeInstanceTypes, answered by
 * moto's instance type table), and when none is left the bake stops before anything is launched,
 * naming the option.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { useBake } from '../support/bake-harness.js';
import { bake } from './helpers.js';
import { ec2For, instances } from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });

/** An arm64 image of moto's built-in list (the same id in every region and after a reset). */
const ARM64_AMI = 'ami-0e9271c829888680e';

async function launchedTypes(): Promise<string[]> {
  return (await instances(ec2For(m.moto.endpoint))).map((i) => i.InstanceType!);
}

describe('the instance type by architecture', () => {
  test('moto: the two base images are of the two architectures', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [m.ids.baseAmi, ARM64_AMI] }));
    const arch = Object.fromEntries(out.Images!.map((i) => [i.ImageId, i.Architecture]));
    expect(arch).toEqual({ [m.ids.baseAmi]: 'x86_64', [ARM64_AMI]: 'arm64' });
  });

  test('x86_64 base, no instance-type: t3.micro', async () => {
    const lookups = m.gate.count('DescribeInstanceTypes');
    m.play('succeed');
    const r = await bake(m, {});
    expect(r.error).toBeUndefined();
    expect(await launchedTypes()).toEqual(['t3.micro']);
    expect(r.result!.instanceType).toBe('t3.micro');
    expect(r.log).toContain(`instance type t3.micro: the default for x86_64 (the base AMI ${m.ids.baseAmi})`);
    // The default needs no lookup of instance types.
    expect(m.gate.count('DescribeInstanceTypes')).toBe(lookups);
  });

  test('arm64 base, no instance-type: t4g.micro', async () => {
    m.play('succeed');
    const r = await bake(m, { BUILDAMI_BASEAMI: ARM64_AMI });
    expect(r.error).toBeUndefined();
    expect(await launchedTypes()).toEqual(['t4g.micro']);
    expect(r.log).toContain(`instance type t4g.micro: the default for arm64 (the base AMI ${ARM64_AMI})`);
  });

  test('listed types of another architecture are dropped at preflight, with a log line each', async () => {
    m.play('succeed');
    const r = await bake(m, { BUILDAMI_TYPE: 't4g.micro,m6g.large,t3.small,c5.large' });
    expect(r.error).toBeUndefined();
    expect(r.log).toContain(
      `instance type t4g.micro dropped: it runs arm64, the base AMI ${m.ids.baseAmi} is x86_64`,
    );
    expect(r.log).toContain(
      `instance type m6g.large dropped: it runs arm64, the base AMI ${m.ids.baseAmi} is x86_64`,
    );
    expect(r.log).not.toMatch(/instance type (t3\.small|c5\.large) dropped/);
    // The first type that can boot the image is launched.
    expect(await launchedTypes()).toEqual(['t3.small']);
  });

  test('the same list on the arm64 base keeps the arm64 types', async () => {
    m.play('succeed');
    const r = await bake(m, { BUILDAMI_BASEAMI: ARM64_AMI, BUILDAMI_TYPE: 't3.small,m6g.large,t4g.micro' });
    expect(r.error).toBeUndefined();
    expect(r.log).toContain(
      `instance type t3.small dropped: it runs x86_64, the base AMI ${ARM64_AMI} is arm64`,
    );
    expect(await launchedTypes()).toEqual(['m6g.large']);
  });

  test('none left: an error naming the option, nothing launched', async () => {
    const before = m.gate.count('RunInstances');
    const r = await bake(m, { BUILDAMI_TYPE: 't4g.micro\nm6g.large' });
    expect(r.error?.message).toMatch(
      new RegExp(
        `^BUILDAMI_TYPE: none of t4g.micro, m6g.large can boot the base AMI ${m.ids.baseAmi} \\(architecture x86_64\\)`,
      ),
    );
    expect(r.error?.message).toContain('t3.micro');
    expect(m.gate.count('RunInstances')).toBe(before);
    expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
  });

  test('an unknown type: an error naming the option, nothing launched', async () => {
    const before = m.gate.count('RunInstances');
    const r = await bake(m, { BUILDAMI_TYPE: 't3.micro,t9.huge' });
    expect(r.error?.message).toMatch(/^BUILDAMI_TYPE: .*t9\.huge/);
    expect(m.gate.count('RunInstances')).toBe(before);
  });
});
