/** RegisterImage from a snapshot (the disk path: no instance, no CreateImage). */
import { RegisterImageCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { toTags } from './tags.js';

export interface RegisterSpec {
  name: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  bootMode: 'legacy-bios' | 'uefi' | 'uefi-preferred';
  rootDevice: string;
  snapshotId: string;
  volume: {
    sizeGiB: number;
    type: string;
    iops?: number;
    throughput?: number;
    encrypted: boolean;
  };
  imdsV2: boolean;
  tags: Record<string, string>;
}

export async function registerImage(ec2: EC2Client, spec: RegisterSpec): Promise<string> {
  const v = spec.volume;
  const out = await ec2.send(
    new RegisterImageCommand({
      Name: spec.name,
      Description: spec.description,
      Architecture: spec.architecture,
      VirtualizationType: 'hvm',
      EnaSupport: true,
      BootMode: spec.bootMode,
      RootDeviceName: spec.rootDevice,
      BlockDeviceMappings: [
        {
          DeviceName: spec.rootDevice,
          Ebs: {
            SnapshotId: spec.snapshotId,
            VolumeSize: v.sizeGiB,
            VolumeType: v.type as never,
            DeleteOnTermination: true,
            ...(v.iops !== undefined && { Iops: v.iops }),
            ...(v.throughput !== undefined && { Throughput: v.throughput }),
            ...(v.encrypted && { Encrypted: true }),
          },
        },
      ],
      ...(spec.imdsV2 && { ImdsSupport: 'v2.0' }),
      TagSpecifications: [{ ResourceType: 'image', Tags: toTags(spec.tags) }],
    }),
  );
  if (!out.ImageId) throw new Error('RegisterImage answered without an image id');
  return out.ImageId;
}
