import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { duration } from '../../src/core/duration.js';
import {
  applyImageSettings,
  sharingProblems,
  type ImageSettings,
} from '../../src/features/share/settings.js';
import { makeImage, recordingLogger } from './helpers.js';
import { useMoto } from '../support/moto.js';

const ORG = 'arn:aws:organizations::111111111111:organization/o-abcd123456';
const OU = 'arn:aws:organizations::111111111111:ou/o-abcd123456/ou-ab12-cdef3456';
const none: ImageSettings = {
  imdsV2: false,
  accounts: [],
  organizations: [],
  ous: [],
  public: false,
  shareSnapshots: 'auto',
  protection: 'false',
};
const names = {
  public: 'BUILDAMI_PUBLIC',
  encrypt: 'BUILDAMI_ENCRYPT',
  kmsKey: 'BUILDAMI_KMS_KEY',
  accounts: 'BUILDAMI_SHARE_ACCOUNTS',
  organizations: 'BUILDAMI_SHARE_ORGS',
  ous: 'BUILDAMI_SHARE_OUS',
};

describe('sharing against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let ec2: EC2Client;
  beforeAll(async () => {
    ec2 = m.moto.ec2();
  }, 60_000);

  const image = async (name: string): Promise<Image> => {
    const { imageId } = await makeImage(ec2, name);
    return (await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0];
  };
  const launchPermissions = async (imageId: string) =>
    (await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' })))
      .LaunchPermissions;
  const volumePermissions = async (snapshotId: string) =>
    (
      await ec2.send(
        new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
      )
    ).CreateVolumePermissions;

  it('grants launch permission to accounts, organizations and OUs, not to the public', async () => {
    const img = await image('share-1');
    const log = recordingLogger();
    const report = await applyImageSettings({
      ec2,
      region: 'us-east-1',
      image: img,
      settings: {
        ...none,
        imdsV2: true,
        accounts: ['111111111111', '222222222222'],
        organizations: [ORG],
        ous: [OU],
      },
      log,
    });
    expect(report).toMatchObject({
      imdsV2: true,
      sharedWith: ['111111111111', '222222222222', ORG, OU],
      snapshotsSharedWith: [],
      problems: [],
    });
    expect(await launchPermissions(img.ImageId!)).toEqual(
      expect.arrayContaining([
        { UserId: '111111111111' },
        { UserId: '222222222222' },
        { OrganizationArn: ORG },
        { OrganizationalUnitArn: OU },
      ]),
    );
    expect(await launchPermissions(img.ImageId!)).toHaveLength(4);
    // Unencrypted and share-snapshots auto: the snapshot stays private.
    expect(await volumePermissions(report.imageId && img.BlockDeviceMappings![0].Ebs!.SnapshotId!)).toEqual(
      [],
    );
    expect(log.warnings).toEqual([]);
  });

  it('public only when asked, with a warning', async () => {
    const img = await image('share-2');
    const log = recordingLogger();
    await applyImageSettings({
      ec2,
      region: 'us-east-1',
      image: img,
      settings: { ...none, public: true },
      log,
    });
    expect(await launchPermissions(img.ImageId!)).toEqual([{ Group: 'all' }]);
    expect(log.warnings).toEqual([expect.stringMatching(/making ami-\w+ in us-east-1 PUBLIC/)]);
    const quiet = await image('share-3');
    await applyImageSettings({
      ec2,
      region: 'us-east-1',
      image: quiet,
      settings: none,
      log: recordingLogger(),
    });
    expect(await launchPermissions(quiet.ImageId!)).toEqual([]);
  });

  it('shares the snapshots with the accounts when asked', async () => {
    const img = await image('share-4');
    const report = await applyImageSettings({
      ec2,
      region: 'us-east-1',
      image: img,
      settings: { ...none, accounts: ['111111111111'], shareSnapshots: 'true' },
      log: recordingLogger(),
    });
    expect(report.snapshotsSharedWith).toEqual(['111111111111']);
    expect(await volumePermissions(img.BlockDeviceMappings![0].Ebs!.SnapshotId!)).toEqual([
      { UserId: '111111111111' },
    ]);
  });
});

describe('what moto does not model', () => {
  const encrypted: Image = {
    ImageId: 'ami-00000000000000001',
    BlockDeviceMappings: [
      { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-00000000000000001', Encrypted: true } },
    ],
  };

  it('encrypted AMIs share their snapshots with the accounts by default; deprecation and protection are set', async () => {
    const mock = mockClient(EC2Client);
    mock.onAnyCommand().resolves({});
    const now = new Date('2025-01-01T00:00:00Z');
    const report = await applyImageSettings({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      region: 'eu-west-1',
      image: encrypted,
      settings: {
        ...none,
        imdsV2: true,
        accounts: ['111111111111'],
        organizations: [ORG],
        deprecateAfter: duration(60_000, Infinity)('90d'),
        protection: 'cooldown',
      },
      log: recordingLogger(),
      now,
    });
    expect(mock.commandCalls(ModifySnapshotAttributeCommand)[0].args[0].input).toEqual({
      SnapshotId: 'snap-00000000000000001',
      Attribute: 'createVolumePermission',
      OperationType: 'add',
      UserIds: ['111111111111'],
    });
    expect(mock.commandCalls(EnableImageDeprecationCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-00000000000000001',
      DeprecateAt: new Date('2025-04-01T00:00:00Z'),
    });
    expect(mock.commandCalls(EnableImageDeregistrationProtectionCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-00000000000000001',
      WithCooldown: true,
    });
    const modify = mock.commandCalls(ModifyImageAttributeCommand).map((c) => c.args[0].input);
    expect(modify).toEqual([
      { ImageId: 'ami-00000000000000001', ImdsSupport: { Value: 'v2.0' } },
      {
        ImageId: 'ami-00000000000000001',
        LaunchPermission: { Add: [{ UserId: '111111111111' }, { OrganizationArn: ORG }] },
      },
    ]);
    expect(report).toMatchObject({
      deprecateAt: '2025-04-01T00:00:00.000Z',
      protection: 'cooldown',
      problems: [],
    });
    mock.restore();
  });

  it('nothing is called for settings left off, and share-snapshots=false keeps encrypted snapshots private', async () => {
    const mock = mockClient(EC2Client);
    mock.onAnyCommand().resolves({});
    await applyImageSettings({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      region: 'eu-west-1',
      image: encrypted,
      settings: { ...none, accounts: ['111111111111'], shareSnapshots: 'false' },
      log: recordingLogger(),
    });
    expect(mock.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    expect(mock.commandCalls(EnableImageDeprecationCommand)).toHaveLength(0);
    expect(mock.commandCalls(EnableImageDeregistrationProtectionCommand)).toHaveLength(0);
    expect(mock.commandCalls(ModifyImageAttributeCommand)).toHaveLength(1);
    mock.restore();
  });

  it('a reused AMI keeps the IMDSv2 mark, deprecation time and protection an earlier run set', async () => {
    const mock = mockClient(EC2Client);
    mock.onAnyCommand().resolves({});
    const report = await applyImageSettings({
      ec2: new EC2Client({ region: 'eu-west-1' }),
      region: 'eu-west-1',
      image: {
        ...encrypted,
        ImdsSupport: 'v2.0',
        DeprecationTime: '2025-04-01T00:00:00.000Z',
        DeregistrationProtection: 'enabled-with-cooldown',
      },
      settings: {
        ...none,
        imdsV2: true,
        deprecateAfter: duration(60_000, Infinity)('90d'),
        protection: 'cooldown',
      },
      log: recordingLogger(),
    });
    expect(mock.calls()).toHaveLength(0);
    expect(report).toMatchObject({
      imdsV2: true,
      deprecateAt: '2025-04-01T00:00:00.000Z',
      protection: 'cooldown',
    });
    mock.restore();
  });

  it('a failing setting is reported and the others still happen', async () => {
    const mock = mockClient(EC2Client);
    mock.onAnyCommand().resolves({});
    mock
      .on(EnableImageDeprecationCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' }));
    const log = recordingLogger();
    const report = await applyImageSettings({
      ec2: new EC2Client({ region: 'eu-west-1', maxAttempts: 1 }),
      region: 'eu-west-1',
      image: encrypted,
      settings: { ...none, deprecateAfter: duration(60_000, Infinity)('1w'), protection: 'true' },
      log,
    });
    expect(report.problems).toEqual([
      'setting the deprecation time on ami-00000000000000001 in eu-west-1: not allowed',
    ]);
    expect(report.protection).toBe('true');
    expect(log.warnings).toEqual(report.problems);
    mock.restore();
  });
});

describe('sharing checks before the bake', () => {
  it('an encrypted AMI cannot be public, nor shared with the AWS-managed key', () => {
    expect(sharingProblems({ ...none, public: true }, true, 'alias/mine', names)).toEqual([
      'BUILDAMI_PUBLIC: an encrypted AMI cannot be public (BUILDAMI_ENCRYPT is true)',
    ]);
    expect(sharingProblems({ ...none, accounts: ['111111111111'] }, true, undefined, names)).toEqual([
      expect.stringMatching(
        /^BUILDAMI_KMS_KEY: an AMI encrypted with the AWS-managed key aws\/ebs cannot be shared/,
      ),
    ]);
    expect(sharingProblems({ ...none, accounts: ['111111111111'] }, true, 'alias/mine', names)).toEqual([]);
    expect(sharingProblems({ ...none, public: true }, false, undefined, names)).toEqual([]);
  });
});
