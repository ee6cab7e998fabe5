/** The disk path's options: how the uploaded disk is registered (never the artifact's say) and
 *  how the upload runs. Volume size, type and encryption are the volume feature's. */
import { duration } from '../../core/duration.js';
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';

export const BOOT_MODES = ['legacy-bios', 'uefi', 'uefi-preferred'] as const;
export type BootMode = (typeof BOOT_MODES)[number];
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (raw: string): T => {
    const v = raw.trim();
    if (!(values as readonly string[]).includes(v))
      throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
    return v as T;
  };

export const DISK_UPLOAD_OPTIONS = {
  bootMode: option({
    input: 'boot-mode',
    env: 'BUILDAMI_BOOT_MODE',
    stages: ['build'],
    description:
      'Disk artifacts: the AMI’s boot mode, `legacy-bios`, `uefi` or `uefi-preferred` (the disk prepare makes boots either way).',
    default: 'uefi-preferred',
    parse: oneOf(BOOT_MODES),
  }),
  architecture: option({
    input: 'architecture',
    env: 'BUILDAMI_ARCHITECTURE',
    stages: ['build'],
    description: 'Disk artifacts: the AMI’s architecture. Only `x86_64` until an arm64 base exists.',
    default: 'x86_64',
    parse: (raw: string) => {
      const v = oneOf(ARCHITECTURES)(raw);
      if (v === 'arm64')
        throw new Error('arm64 disks are not supported yet (no arm64 base image): use x86_64');
      return v;
    },
  }),
  uploadConcurrency: option({
    input: 'upload-concurrency',
    env: 'BUILDAMI_UPLOAD_CONCURRENCY',
    stages: ['build'],
    description: 'Disk artifacts: blocks written to the snapshot at the same time (1 to 64).',
    default: '16',
    parse: p.integer(1, 64),
  }),
  timeoutSnapshot: option({
    input: 'timeout-snapshot',
    env: 'BUILDAMI_TIMEOUT_SNAPSHOT',
    stages: ['build'],
    description:
      'Disk artifacts: how long the snapshot may stay idle while uploading (EBS cancels it after that) and may take to complete (10m to 72h).',
    default: '30m',
    parse: duration(10 * 60_000, 72 * 3_600_000),
  }),
} as const;
