import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CopyImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  type Image,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../src/core/errors.js';
import { formatBakePlan } from '../../src/features/dry-run/plan.js';
import {
  assertAllowed,
  formatProbes,
  probe,
  runProbes,
  type ProbeInput,
} from '../../src/features/dry-run/probes.js';
import { duration } from '../../src/core/duration.js';
import type { ImageSettings } from '../../src/features/share/settings.js';
import { BASE_AMI } from './helpers.js';
import { useMoto } from '../support/moto.js';

const settings: ImageSettings = {
  imdsV2: true,
  accounts: ['111111111111'],
  organizations: [],
  ous: [],
  public: false,
  shareSnapshots: 'true',
  protection: 'false',
};

describe('probe outcomes', () => {
  const fail =
    (name: string, message = name) =>
    async () => {
      throw Object.assign(new Error(message), { name });
    };
  it('DryRunOperation is allowed, UnauthorizedOperation denied, anything else unproven', async () => {
    expect(await probe('RunInstances', 'us-east-1', fail('DryRunOperation'))).toEqual({
      action: 'RunInstances',
      region: 'us-east-1',
      outcome: 'allowed',
      detail: '',
    });
    const denied = await probe(
      'CopyImage',
      'eu-west-1',
      fail(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/bake is not authorized to perform: ec2:CopyImage. Encoded authorization failure message: AbCdEf',
      ),
    );
    expect(denied.outcome).toBe('denied');
    expect(denied.detail).toMatch(
      /^UnauthorizedOperation: You are not authorized .* ec2:CopyImage\. \(decode it with `aws sts decode-authorization-message`\)$/,
    );
    expect(
      (await probe('CreateImage', 'us-east-1', fail('InvalidInstanceID.NotFound', 'no such instance')))
        .outcome,
    ).toBe('unproven');
    expect((await probe('X', 'r', async () => ({}))).detail).toBe('the endpoint ignored DryRun');
  });

  it('a denied call fails the dry run, naming each call and region', () => {
    expect(() =>
      assertAllowed([
        { action: 'RunInstances', region: 'us-east-1', outcome: 'allowed', detail: '' },
        { action: 'CopyImage', region: 'eu-west-1', outcome: 'denied', detail: 'x' },
        { action: 'CreateImage', region: 'us-east-1', outcome: 'unproven', detail: 'y' },
      ]),
    ).toThrow(
      new UserError('dry run: the role may not make 1 call(s) the bake needs: ec2:CopyImage in eu-west-1'),
    );
    expect(() =>
      assertAllowed([{ action: 'A', region: 'r', outcome: 'unproven', detail: '' }]),
    ).not.toThrow();
  });
});

describe('probes against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let ec2: EC2Client;
  let base: Image;
  let launch: RunInstancesCommandInput;
  beforeAll(async () => {
    ec2 = m.moto.ec2();
    base = (await ec2.send(new DescribeImagesCommand({ ImageIds: [BASE_AMI] }))).Images![0];
    launch = {
      ImageId: base.ImageId,
      InstanceType: 't3.nano',
      MinCount: 1,
      MaxCount: 1,
      ClientToken: 'tok',
      UserData: Buffer.from('#cloud-config\n').toString('base64'),
      InstanceInitiatedShutdownBehavior: 'stop',
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'amibake:run', Value: 'r1' }] }],
    };
  }, 60_000);

  const input = (over: Partial<ProbeInput> = {}): ProbeInput => ({
    ec2,
    region: 'us-east-1',
    clientFor: (r) => m.moto.ec2(r),
    launch,
    base,
    amiName: 'web-1',
    tags: [{ Key: 'team', Value: 'platform' }],
    copies: [{ region: 'eu-west-1', encrypted: false }],
    settings,
    retention: true,
    ...over,
  });

  it('proves each call the bake makes with DryRun, and changes nothing', async () => {
    const before = await ec2.send(new DescribeInstancesCommand({}));
    const results = await runProbes(input());
    const seen = results.map((r) => `${r.action}@${r.region}:${r.outcome}`);
    expect(seen).toEqual([
      'RunInstances@us-east-1:allowed',
      'CreateTags@us-east-1:allowed',
      'CreateImage@us-east-1:allowed',
      'TerminateInstances@us-east-1:allowed',
      'CopyImage@eu-west-1:allowed',
      'ModifyImageAttribute@us-east-1:allowed',
      'ModifySnapshotAttribute@us-east-1:allowed',
      'DeregisterImage@us-east-1:allowed',
      'DeleteSnapshot@us-east-1:allowed',
      'ModifyImageAttribute@eu-west-1:allowed',
      'DeregisterImage@eu-west-1:allowed',
    ]);
    const after = await ec2.send(new DescribeInstancesCommand({}));
    expect(after.Reservations?.length ?? 0).toBe(before.Reservations?.length ?? 0);
    const copies = await m.moto
      .ec2('eu-west-1')
      .send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['web-1'] }] }));
    expect(copies.Images).toEqual([]);
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [base.ImageId!] }))).Images).toHaveLength(1);
    expect(() => assertAllowed(results)).not.toThrow();
  });

  it('probes deprecation and protection only when asked for them', async () => {
    const results = await runProbes(
      input({
        copies: [],
        retention: false,
        settings: { ...settings, deprecateAfter: duration(60_000, Infinity)('90d'), protection: 'true' },
      }),
    );
    expect(results.map((r) => r.action)).toEqual([
      'RunInstances',
      'CreateTags',
      'CreateImage',
      'TerminateInstances',
      'ModifyImageAttribute',
      'ModifySnapshotAttribute',
      'EnableImageDeprecation',
      'EnableImageDeregistrationProtection',
    ]);
    // moto does not implement these two: unproven, not denied.
    expect(results.slice(-2).map((r) => r.outcome)).toEqual(['unproven', 'unproven']);
  });
});

describe('denied calls (moto never denies, so mocked)', () => {
  it('reports exactly the calls the role may not make', async () => {
    const mock = mockClient(EC2Client);
    const dry = Object.assign(new Error('Request would have succeeded, but DryRun flag is set.'), {
      name: 'DryRunOperation',
    });
    mock.onAnyCommand().rejects(dry);
    mock.on(CopyImageCommand).rejects(
      Object.assign(new Error('You are not authorized to perform this operation.'), {
        name: 'UnauthorizedOperation',
      }),
    );
    const ec2 = new EC2Client({ region: 'us-east-1', maxAttempts: 1 });
    const results = await runProbes({
      ec2,
      region: 'us-east-1',
      clientFor: () => ec2,
      launch: { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, ClientToken: 'tok' },
      base: { ImageId: 'ami-1', BlockDeviceMappings: [] },
      amiName: 'web-1',
      tags: [],
      copies: [
        { region: 'eu-west-1', encrypted: true, kmsKeyId: 'alias/eu' },
        { region: 'us-west-2', encrypted: false },
      ],
      settings: { ...settings, accounts: [] },
      retention: false,
    });
    const denied = results.filter((r) => r.outcome === 'denied').map((r) => `${r.action}@${r.region}`);
    expect(denied).toEqual(['CopyImage@eu-west-1', 'CopyImage@us-west-2']);
    // Every probe carried DryRun; RunInstances without the ClientToken (a probe is not the launch).
    for (const c of mock.calls()) expect((c.args[0].input as { DryRun?: boolean }).DryRun).toBe(true);
    const run = mock.commandCalls(RunInstancesCommand)[0].args[0].input;
    expect(run.ClientToken).toBeUndefined();
    expect(mock.commandCalls(CopyImageCommand)[0].args[0].input).toMatchObject({
      Encrypted: true,
      KmsKeyId: 'alias/eu',
    });
    expect(formatProbes(results).join('\n')).toMatch(/DENIED +CopyImage in eu-west-1: UnauthorizedOperation/);
    expect(() => assertAllowed(results)).toThrow(/ec2:CopyImage in eu-west-1, ec2:CopyImage in us-west-2/);
    mock.restore();
  });
});

describe('the printed plan', () => {
  it('shows what would be launched, the user data size, tags, regions, shares and retention', () => {
    const lines = formatBakePlan({
      region: 'us-east-1',
      baseHow: 'SSM parameter /aws/service/x',
      baseImageId: 'ami-0123456789abcdef0',
      launch: {
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.small',
        SubnetId: 'subnet-1',
        SecurityGroupIds: ['sg-1', 'sg-2'],
        MetadataOptions: { HttpTokens: 'required' },
        InstanceInitiatedShutdownBehavior: 'stop',
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: { VolumeType: 'gp3', VolumeSize: 30, Encrypted: true, KmsKeyId: 'alias/k' },
          },
        ],
      },
      userDataBytes: 9000,
      userDataLimit: 16384,
      amiName: 'web-1',
      tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'amibake:name', Value: 'web' },
      ],
      copies: [{ region: 'eu-west-1', encrypted: true, kmsKeyId: 'alias/eu' }],
      settings: { ...settings, deprecateAfter: duration(60_000, Infinity)('90d'), protection: 'cooldown' },
      retention: [{ region: 'us-east-1', family: 'web', keepLast: 2, keep: [], remove: [], skip: [] }],
    });
    const text = lines.join('\n');
    expect(text).toContain('base image        ami-0123456789abcdef0 (SSM parameter /aws/service/x)');
    expect(text).toContain(
      'instance          t3.small in subnet-1, security groups sg-1, sg-2, no instance profile, no key pair',
    );
    expect(text).toContain('root volume       /dev/xvda: gp3, 30 GiB, encrypted with alias/k');
    expect(text).toContain('user data         9000 of 16384 bytes');
    expect(text).toContain('tags              team=platform, amibake:name=web');
    expect(text).toContain('copies            eu-west-1 (encrypted with alias/eu)');
    expect(text).toContain('shared with       111111111111');
    expect(text).toContain('deprecation       after 90d');
    expect(text).toContain('protection        deregistration protection with cooldown');
    expect(text).toContain('retention in us-east-1 for "web" (keep last 2)');
  });
});
