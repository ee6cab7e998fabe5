/** The root volume's options (src/features/volume/volume.ts checks that they fit together). */
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';
import { kmsKey, kmsKeyRegion } from '../../core/parse.js';
import type { Parser } from '../../core/parse.js';

/** Types a root (boot) volume can have; st1 and sc1 cannot boot. */
export const ROOT_VOLUME_TYPES = ['gp3', 'gp2', 'io2', 'io1', 'standard'] as const;
export type RootVolumeType = (typeof ROOT_VOLUME_TYPES)[number];

export const rootVolumeType: Parser<RootVolumeType> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (!(ROOT_VOLUME_TYPES as readonly string[]).includes(v))
    throw new Error(`must be one of ${ROOT_VOLUME_TYPES.join(', ')} (got "${raw}"; st1 and sc1 cannot boot)`);
  return v as RootVolumeType;
};

export { kmsKey, kmsKeyRegion };

export const VOLUME_OPTIONS = {
  rootVolumeSize: option({
    input: 'root-volume-size',
    env: 'BUILDAMI_ROOT_VOLUME_SIZE',
    stages: ['build'],
    description: 'Root volume size in GiB. Default: the base image’s.',
    parse: p.integer(1, 65_536, 'GiB'),
  }),
  rootVolumeType: option({
    input: 'root-volume-type',
    env: 'BUILDAMI_ROOT_VOLUME_TYPE',
    stages: ['build'],
    description: 'Root volume type: gp3, gp2, io2, io1 or standard.',
    default: 'gp3',
    parse: rootVolumeType,
  }),
  rootVolumeIops: option({
    input: 'root-volume-iops',
    env: 'BUILDAMI_ROOT_VOLUME_IOPS',
    stages: ['build'],
    description: 'Provisioned IOPS of the root volume (gp3 3000 to 80000; io1 and io2 require it).',
    parse: p.integer(100, 256_000, 'IOPS'),
  }),
  rootVolumeThroughput: option({
    input: 'root-volume-throughput',
    env: 'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
    stages: ['build'],
    description: 'Throughput of a gp3 root volume in MiB/s (125 to 2000).',
    parse: p.integer(125, 2_000, 'MiB/s'),
  }),
  encrypt: option({
    input: 'encrypt',
    env: 'BUILDAMI_ENCRYPT',
    stages: ['build'],
    description: 'Encrypt the root volume, hence the AMI’s snapshot (and its copies).',
    default: 'false',
    parse: p.boolean,
  }),
  kmsKey: option({
    input: 'kms-key',
    env: 'BUILDAMI_KMS_KEY',
    stages: ['build'],
    description:
      'KMS key (id, alias/NAME or ARN) for the encrypted root volume. Default: the account’s EBS default key. Needed to share an encrypted AMI.',
    parse: p.kmsKey,
  }),
} as const;
