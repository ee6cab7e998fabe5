import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeImagesCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { requireImdsV2 } from '../../src/aws/images.js';
import {
  rootBlockDeviceMapping,
  validateRootVolume,
  type RootVolumeOptions,
} from '../../src/features/volume/volume.js';
import { BASE_AMI, problemsOf } from './helpers.js';
import { useMoto } from '../support/moto.js';

const names = {
  size: 'BUILDAMI_ROOT_VOLUME_SIZE',
  type: 'BUILDAMI_ROOT_VOLUME_TYPE',
  iops: 'BUILDAMI_ROOT_VOLUME_IOPS',
  throughput: 'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
  encrypt: 'BUILDAMI_ENCRYPT',
  kmsKey: 'BUILDAMI_KMS_KEY',
};
const opts = (o: Partial<RootVolumeOptions>): RootVolumeOptions => ({ type: 'gp3', encrypt: false, ...o });
const base: Image = {
  ImageId: 'ami-0123456789abcdef0',
  RootDeviceName: '/dev/xvda',
  RootDeviceType: 'ebs',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1', VolumeSize: 8 } }],
};

describe('root volume validation', () => {
  it.each<[Partial<RootVolumeOptions>, RegExp]>([
    [{ type: 'gp3', iops: 2000 }, /ROOT_VOLUME_IOPS: gp3 volumes take 3000 to 80000 IOPS/],
    [{ type: 'gp3', iops: 16000, size: 20 }, /at most 500 IOPS per GiB: 16000 IOPS needs at least 32 GiB/],
    [{ type: 'gp3', throughput: 1000 }, /0.25 MiB\/s per IOPS: 1000 MiB\/s needs at least 4000 IOPS/],
    [{ type: 'gp2', iops: 3000 }, /gp2 volumes take no IOPS setting/],
    [{ type: 'gp2', throughput: 200 }, /only gp3 volumes take a throughput/],
    [{ type: 'io1' }, /io1 volumes need an IOPS value/],
    [{ type: 'io2', iops: 5000, size: 2 }, /io2 volumes are 4 to 65536 GiB/],
    [{ type: 'io1', iops: 5000, size: 50 }, /at most 50 IOPS per GiB/],
    [{ type: 'standard', size: 2000 }, /standard volumes are 1 to 1024 GiB/],
    [{ kmsKey: 'alias/images' }, /BUILDAMI_KMS_KEY: a KMS key needs BUILDAMI_ENCRYPT set to true/],
  ])('rejects %j', (o, message) => {
    const p = problemsOf(() => validateRootVolume(opts(o), names));
    expect(p.join('\n')).toMatch(message);
  });

  it.each<Partial<RootVolumeOptions>>([
    {},
    { type: 'gp3', iops: 16000, throughput: 1000, size: 100 },
    { type: 'gp3', throughput: 750 },
    { type: 'io2', iops: 64000, size: 64 },
    { type: 'gp2', size: 30 },
    { encrypt: true, kmsKey: 'alias/images' },
  ])('accepts %j', (o) => {
    expect(problemsOf(() => validateRootVolume(opts(o), names))).toEqual([]);
  });
});

describe('root block device mapping', () => {
  it('maps the base image’s root device with gp3 by default and its own size', () => {
    expect(rootBlockDeviceMapping(opts({}), base, names)).toEqual({
      DeviceName: '/dev/xvda',
      Ebs: { DeleteOnTermination: true, VolumeType: 'gp3', VolumeSize: 8 },
    });
    const sizeless = { ...base, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: {} }] };
    expect(rootBlockDeviceMapping(opts({}), sizeless, names).Ebs).toEqual({
      DeleteOnTermination: true,
      VolumeType: 'gp3',
    });
  });

  it('carries size, IOPS, throughput, encryption and the KMS key', () => {
    const m = rootBlockDeviceMapping(
      opts({ size: 40, iops: 6000, throughput: 500, encrypt: true, kmsKey: 'alias/images' }),
      base,
      names,
    );
    expect(m.Ebs).toEqual({
      DeleteOnTermination: true,
      VolumeType: 'gp3',
      VolumeSize: 40,
      Iops: 6000,
      Throughput: 500,
      Encrypted: true,
      KmsKeyId: 'alias/images',
    });
  });

  it('refuses a size below the base snapshot’s, and checks IOPS per GiB against the base size', () => {
    expect(() => rootBlockDeviceMapping(opts({ size: 4 }), base, names)).toThrow(
      /BUILDAMI_ROOT_VOLUME_SIZE: 4 GiB is smaller than the base image's root volume \(8 GiB/,
    );
    // 8 GiB * 50 IOPS/GiB = 400 < 1000
    expect(() => rootBlockDeviceMapping(opts({ type: 'io1', iops: 1000 }), base, names)).toThrow(
      /needs at least 20 GiB/,
    );
  });
});

describe('against moto', () => {
  const m = useMoto({ beforeAll, afterAll });

  it('RunInstances creates the root volume as mapped', async () => {
    const ec2 = m.moto.ec2();
    const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [BASE_AMI] }));
    const image = Images![0];
    const mapping = rootBlockDeviceMapping(
      opts({ size: 30, encrypt: true, kmsKey: 'alias/images' }),
      image,
      names,
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image.ImageId,
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [mapping],
      }),
    );
    const id = run.Instances![0].InstanceId!;
    const vols = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }),
    );
    const root = vols.Volumes!.find((v) => v.Attachments?.[0]?.Device === image.RootDeviceName)!;
    expect(root).toMatchObject({ Size: 30, VolumeType: 'gp3', Encrypted: true, KmsKeyId: 'alias/images' });
  });
});

describe('IMDSv2 on the AMI', () => {
  it('sets ImdsSupport v2.0 with ModifyImageAttribute', async () => {
    const mock = mockClient(EC2Client);
    mock.on(ModifyImageAttributeCommand).resolves({});
    await requireImdsV2(new EC2Client({ region: 'us-east-1' }), 'ami-1');
    expect(mock.commandCalls(ModifyImageAttributeCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-1',
      ImdsSupport: { Value: 'v2.0' },
    });
    mock.restore();
  });
});
