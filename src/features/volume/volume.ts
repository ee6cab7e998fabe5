/**
 * The root volume of the build instance (and so of the AMI): size, type, IOPS, throughput and
 * encryption, validated against the EBS limits before anything is launched. Encryption happens
 * at launch (the snapshot CreateImage takes inherits it), so no separate encrypted copy is needed.
 */
import type { BlockDeviceMapping, Image } from '@aws-sdk/client-ec2';
import { OptionError, UserError, msg, type Part } from '../../core/errors.js';
import { ROOT_VOLUME_TYPES, type RootVolumeType } from './options.js';

export { ROOT_VOLUME_TYPES, type RootVolumeType };

interface Limits {
  size: [number, number];
  iops?: [number, number];
  /** Most IOPS per GiB. */
  iopsPerGib?: number;
  iopsRequired?: boolean;
  throughput?: [number, number];
  /** Baseline IOPS when none are given (gp3). */
  baseIops?: number;
}

// EBS limits as documented for each volume type (gp3 since its 2025 raise to 64 TiB).
export const LIMITS: Record<RootVolumeType, Limits> = {
  gp3: {
    size: [1, 65_536],
    iops: [3_000, 80_000],
    iopsPerGib: 500,
    throughput: [125, 2_000],
    baseIops: 3_000,
  },
  gp2: { size: [1, 16_384] },
  io2: { size: [4, 65_536], iops: [100, 256_000], iopsPerGib: 1_000, iopsRequired: true },
  io1: { size: [4, 16_384], iops: [100, 64_000], iopsPerGib: 50, iopsRequired: true },
  standard: { size: [1, 1_024] },
};
/** gp3 throughput may be at most a quarter of its IOPS (MiB/s per IOPS). */
const GP3_THROUGHPUT_PER_IOPS = 0.25;

export interface RootVolumeOptions {
  size?: number;
  type: RootVolumeType;
  iops?: number;
  throughput?: number;
  encrypt: boolean;
  kmsKey?: string;
}

/** The options as errors name them: option refs (the front renders them), or plain text. */
export type RootVolumeNames = Record<'size' | 'type' | 'iops' | 'throughput' | 'encrypt' | 'kmsKey', Part>;

/** Checks that the options fit together (the base image's size is checked at launch). */
export function validateRootVolume(o: RootVolumeOptions, names: RootVolumeNames): void {
  const problems = volumeProblems(o, o.size, names);
  if (problems.length) throw new OptionError(problems);
}

function volumeProblems(o: RootVolumeOptions, size: number | undefined, n: RootVolumeNames): Part[][] {
  const lim = LIMITS[o.type];
  const problems: Part[][] = [];
  if (size !== undefined && (size < lim.size[0] || size > lim.size[1]))
    problems.push(msg`${n.size}: ${o.type} volumes are ${lim.size[0]} to ${lim.size[1]} GiB (got ${size})`);
  if (o.iops !== undefined) {
    if (!lim.iops)
      problems.push(msg`${n.iops}: ${o.type} volumes take no IOPS setting (use gp3, io1 or io2)`);
    else if (o.iops < lim.iops[0] || o.iops > lim.iops[1])
      problems.push(
        msg`${n.iops}: ${o.type} volumes take ${lim.iops[0]} to ${lim.iops[1]} IOPS (got ${o.iops})`,
      );
    else if (size !== undefined && lim.iopsPerGib && o.iops > size * lim.iopsPerGib)
      problems.push(
        msg`${n.iops}: ${o.type} allows at most ${lim.iopsPerGib} IOPS per GiB: ${o.iops} IOPS needs at least ${Math.ceil(o.iops / lim.iopsPerGib)} GiB (size ${size})`,
      );
  } else if (lim.iopsRequired) problems.push(msg`${n.iops}: ${o.type} volumes need an IOPS value`);
  if (o.throughput !== undefined) {
    if (!lim.throughput)
      problems.push(msg`${n.throughput}: only gp3 volumes take a throughput (got ${o.type})`);
    else if (o.throughput < lim.throughput[0] || o.throughput > lim.throughput[1])
      problems.push(
        msg`${n.throughput}: gp3 throughput is ${lim.throughput[0]} to ${lim.throughput[1]} MiB/s (got ${o.throughput})`,
      );
    else {
      const iops = o.iops ?? lim.baseIops!;
      if (o.throughput > iops * GP3_THROUGHPUT_PER_IOPS)
        problems.push(
          msg`${n.throughput}: gp3 allows at most ${GP3_THROUGHPUT_PER_IOPS} MiB/s per IOPS: ${o.throughput} MiB/s needs at least ${Math.ceil(o.throughput / GP3_THROUGHPUT_PER_IOPS)} IOPS (${n.iops} is ${iops})`,
        );
    }
  }
  if (o.kmsKey && !o.encrypt) problems.push(msg`${n.kmsKey}: a KMS key needs ${n.encrypt} set to true`);
  return problems;
}

/** The root device and its size in the base image. */
export function baseRoot(base: Image): { deviceName: string; size?: number; encrypted: boolean } {
  const deviceName = base.RootDeviceName;
  if (!deviceName) throw new UserError(`base image ${base.ImageId} names no root device`);
  const root = base.BlockDeviceMappings?.find((m) => m.DeviceName === deviceName);
  return { deviceName, size: root?.Ebs?.VolumeSize, encrypted: root?.Ebs?.Encrypted === true };
}

/**
 * The BlockDeviceMappings entry for RunInstances. The size defaults to the base image's; a
 * smaller one is an error (EBS cannot shrink a snapshot).
 */
export function rootBlockDeviceMapping(
  o: RootVolumeOptions,
  base: Image,
  n: RootVolumeNames,
): BlockDeviceMapping {
  const root = baseRoot(base);
  if (o.size !== undefined && root.size !== undefined && o.size < root.size)
    throw new OptionError([
      msg`${n.size}: ${o.size} GiB is smaller than the base image's root volume (${root.size} GiB in ${base.ImageId})`,
    ]);
  const size = o.size ?? root.size;
  const problems = volumeProblems(o, size, n);
  if (problems.length) throw new OptionError(problems);
  return {
    DeviceName: root.deviceName,
    Ebs: {
      DeleteOnTermination: true,
      VolumeType: o.type,
      // Given even when unchanged: a mapping without size or snapshot is refused by some endpoints.
      ...(size !== undefined && { VolumeSize: size }),
      ...(o.iops !== undefined && { Iops: o.iops }),
      ...(o.throughput !== undefined && { Throughput: o.throughput }),
      ...(o.encrypt && { Encrypted: true }),
      ...(o.kmsKey && { KmsKeyId: o.kmsKey }),
    },
  };
}

/** The root volume in words, for the plan and the summary. */
export function describeRootVolume(m: BlockDeviceMapping | undefined): string {
  const ebs = m?.Ebs;
  return (
    `${m?.DeviceName ?? '?'}: ${ebs?.VolumeType ?? 'default type'}, ` +
    `${ebs?.VolumeSize ? `${ebs.VolumeSize} GiB` : 'size of the base image'}` +
    `${ebs?.Iops ? `, ${ebs.Iops} IOPS` : ''}${ebs?.Throughput ? `, ${ebs.Throughput} MiB/s` : ''}` +
    `${ebs?.Encrypted ? `, encrypted${ebs.KmsKeyId ? ` with ${ebs.KmsKeyId}` : ' (aws/ebs)'}` : ''}`
  );
}

/** The build instance's metadata options: IMDSv2 only, always. */
export const BUILD_INSTANCE_METADATA = { HttpTokens: 'required', HttpEndpoint: 'enabled' } as const;
