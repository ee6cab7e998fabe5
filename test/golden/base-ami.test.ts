import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateImageCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../src/core/errors.js';
import { baseAmiRef } from '../../src/features/bake/base-ref.js';
import { resolveBaseAmi } from '../../src/features/base-ami/resolve.js';
import { BASE_AMI } from './helpers.js';
import { useMoto } from '../support/moto.js';

const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const OPTION = 'BUILDAMI_BASEAMI';

describe('parsing a base image reference', () => {
  it('recognises the three forms', () => {
    expect(baseAmiRef('ami-0123456789abcdef0')).toEqual({
      kind: 'id',
      raw: 'ami-0123456789abcdef0',
      id: 'ami-0123456789abcdef0',
    });
    expect(baseAmiRef(` resolve:ssm:${AL2023} `)).toEqual({
      kind: 'ssm',
      raw: `resolve:ssm:${AL2023}`,
      parameter: AL2023,
    });
    expect(baseAmiRef('resolve:ssm:golden-base:3')).toMatchObject({ parameter: 'golden-base:3' });
    expect(baseAmiRef('name=debian-12-amd64-*, owner=136693071363,owner=self,architecture=x86_64')).toEqual({
      kind: 'filter',
      raw: 'name=debian-12-amd64-*, owner=136693071363,owner=self,architecture=x86_64',
      name: 'debian-12-amd64-*',
      owners: ['136693071363', 'self'],
      architecture: 'x86_64',
    });
  });

  it.each([
    ['ami-xyz', /must be an AMI id/],
    ['resolve:ssm:', /must name an SSM parameter/],
    ['resolve:ssm:/a b', /must name an SSM parameter/],
    ['name=debian-*', /needs at least one owner/],
    ['owner=136693071363', /needs name=PATTERN/],
    ['name=a,name=b,owner=self', /given twice/],
    ['name=debian-*,owner=someone', /owner "someone" must be a 12-digit account id/],
    ['name=debian-*,owner=self,color=blue', /unknown filter key "color"/],
    ['name=debian-*,owner=self,architecture=sparc', /architecture "sparc"/],
    ['name=debian|*,owner=self', /may hold AMI name characters/],
  ])('rejects %j', (raw, message) => {
    expect(() => baseAmiRef(raw)).toThrow(message);
  });
});

describe('resolving against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  const resolve = (ref: string) => resolveBaseAmi({ ec2, ssm, ref: baseAmiRef(ref), option: OPTION });
  let ec2: EC2Client;
  let ssm: SSMClient;
  const own: string[] = [];
  beforeAll(async () => {
    ec2 = m.moto.ec2();
    ssm = m.moto.ssm();
    const launch = await ec2.send(new RunInstancesCommand({ ImageId: BASE_AMI, MinCount: 1, MaxCount: 1 }));
    const instance = launch.Instances![0].InstanceId;
    // CreationDate has one-second resolution: space the images out.
    for (const n of [1, 2, 3]) {
      const out = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: `golden-base-${n}` }));
      own.push(out.ImageId!);
      if (n < 3) await new Promise((r) => setTimeout(r, 1100));
    }
  }, 60_000);

  it('an id is checked to exist and be available', async () => {
    const r = await resolve(own[0]);
    expect(r).toMatchObject({ imageId: own[0], via: 'id', how: own[0], warnings: [] });
    expect(r.image.Name).toBe('golden-base-1');
    await expect(resolve('ami-0000000000000dead')).rejects.toThrow(
      /^BUILDAMI_BASEAMI: image ami-0000000000000dead does not exist/,
    );
  });

  it('resolve:ssm: reads the parameter (the public Amazon Linux one) and describes its image', async () => {
    const expected = (await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value!;
    const r = await resolve(`resolve:ssm:${AL2023}`);
    expect(r.imageId).toBe(expected);
    expect(r.via).toBe('ssm');
    expect(r.how).toBe(`SSM parameter ${AL2023}`);
    expect(r.image.Name).toMatch(/^al2023-ami-/);
  });

  it('resolve:ssm: errors name the option and the parameter', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/golden/not-an-ami', Value: 'hello', Type: 'String' }));
    await expect(resolve('resolve:ssm:/golden/not-an-ami')).rejects.toThrow(
      'BUILDAMI_BASEAMI: SSM parameter /golden/not-an-ami holds "hello", not an AMI id',
    );
    await expect(
      resolveBaseAmi({
        ec2,
        ssm,
        ref: baseAmiRef('resolve:ssm:/golden/missing'),
        option: "input 'base-ami'",
      }),
    ).rejects.toThrow("input 'base-ami': SSM parameter /golden/missing does not exist");
    await ssm.send(new PutParameterCommand({ Name: '/golden/own', Value: own[1], Type: 'String' }));
    const r = await resolve('resolve:ssm:/golden/own');
    expect(r.imageId).toBe(own[1]);
  });

  it('a name filter picks the newest matching image of the owners', async () => {
    const r = await resolve('name=golden-base-*,owner=self');
    expect(r.imageId).toBe(own[2]);
    expect(r.via).toBe('filter');
    expect(r.how).toMatch(/^newest of 3 image\(s\) named "golden-base-\*" owned by self: golden-base-3/);
  });

  it('a name filter honours the architecture and the owners', async () => {
    const arm = await resolve('name=al2023-ami-2023*-kernel-6.1-*,owner=137112412989,architecture=arm64');
    expect(arm.image.Architecture).toBe('arm64');
    expect(arm.image.Name).toMatch(/kernel-6\.1-arm64$/);
    await expect(resolve('name=golden-base-*,owner=137112412989')).rejects.toThrow(
      /^BUILDAMI_BASEAMI: no available, non-deprecated image matches name "golden-base-\*" owned by 137112412989$/,
    );
  });
});

describe('deprecation (moto does not model it)', () => {
  const img = (id: string, created: string, deprecated?: string): Image => ({
    ImageId: id,
    Name: `debian-12-amd64-${created}`,
    State: 'available',
    CreationDate: created,
    RootDeviceType: 'ebs',
    ...(deprecated && { DeprecationTime: deprecated }),
  });
  const now = new Date('2025-06-01T00:00:00Z');
  /** Resolves `ref` on 2025-06-01 with `ec2` (mocked); SSM is never asked. */
  const resolveAt = (ec2: EC2Client, ref: string) =>
    resolveBaseAmi({
      ec2,
      ssm: new SSMClient({ region: 'us-east-1' }),
      ref: baseAmiRef(ref),
      option: OPTION,
      now,
    });

  it('skips deprecated images even when DescribeImages returns them, and asks for none', async () => {
    const mock = mockClient(EC2Client);
    mock.on(DescribeImagesCommand).resolves({
      Images: [
        img('ami-00000000000000001', '2025-01-01T00:00:00Z'),
        img('ami-00000000000000003', '2025-05-01T00:00:00Z', '2025-05-30T00:00:00Z'),
        img('ami-00000000000000002', '2025-03-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      ],
    });
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const r = await resolveBaseAmi({
      ec2,
      ssm: new SSMClient({ region: 'us-east-1' }),
      ref: baseAmiRef('name=debian-12-amd64-*,owner=136693071363'),
      option: OPTION,
      now,
    });
    // 3 is newest but deprecated; 2 is deprecated only in the future.
    expect(r.imageId).toBe('ami-00000000000000002');
    const input = mock.commandCalls(DescribeImagesCommand)[0].args[0].input;
    expect(input).toMatchObject({
      Owners: ['136693071363'],
      IncludeDeprecated: false,
      Filters: expect.arrayContaining([
        { Name: 'name', Values: ['debian-12-amd64-*'] },
        { Name: 'state', Values: ['available'] },
      ]),
    });
    mock.restore();
  });

  it('an explicit id that is deprecated is used with a warning; only deprecated matches is an error', async () => {
    const mock = mockClient(EC2Client);
    const ec2 = new EC2Client({ region: 'us-east-1' });
    mock.on(DescribeImagesCommand, { ImageIds: ['ami-00000000000000003'] }).resolves({
      Images: [img('ami-00000000000000003', '2025-05-01T00:00:00Z', '2025-05-30T00:00:00Z')],
    });
    const r = await resolveAt(ec2, 'ami-00000000000000003');
    expect(r.warnings).toEqual([expect.stringMatching(/is deprecated since 2025-05-30/)]);

    mock.reset();
    mock.on(DescribeImagesCommand).resolves({
      Images: [img('ami-00000000000000003', '2025-05-01T00:00:00Z', '2025-05-30T00:00:00Z')],
    });
    const err = await resolveAt(ec2, 'name=debian-*,owner=self').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/\(1 matched but are deprecated or not available\)/);
    mock.restore();
  });
});
