/** Sharing and the settings of every finished AMI (./settings.ts applies them). */
import { duration } from '../../core/duration.js';
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';
import type { Parser } from '../../core/parse.js';

export const accountId: Parser<string> = (raw) => {
  const v = raw.trim();
  if (!/^\d{12}$/.test(v)) throw new Error(`must be 12-digit AWS account ids (got "${raw}")`);
  return v;
};

export const organizationArn: Parser<string> = (raw) => {
  const v = raw.trim();
  if (!/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/.test(v))
    throw new Error(
      `must be organization ARNs like arn:aws:organizations::123456789012:organization/o-abcd123456 (got "${raw}")`,
    );
  return v;
};

export const ouArn: Parser<string> = (raw) => {
  const v = raw.trim();
  if (
    !/^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(v)
  )
    throw new Error(
      `must be organizational unit ARNs like arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cdef3456 (got "${raw}")`,
    );
  return v;
};

export type SnapshotSharing = 'auto' | 'true' | 'false';
export const snapshotSharing: Parser<SnapshotSharing> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (v === 'auto') return 'auto';
  if (['true', 'yes', '1', 'on'].includes(v)) return 'true';
  if (['false', 'no', '0', 'off'].includes(v)) return 'false';
  throw new Error(`must be auto, true or false (got "${raw}")`);
};

export type Protection = 'false' | 'true' | 'cooldown';
export const protection: Parser<Protection> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return 'true';
  if (['false', 'no', '0', 'off'].includes(v)) return 'false';
  if (v === 'cooldown' || v === 'with-cooldown') return 'cooldown';
  throw new Error(`must be true, false or cooldown (got "${raw}")`);
};

/** IMDSv2 on the AMI: its own slice, placed before the copies in the generated tables. */
export const IMDS_OPTIONS = {
  amiImdsv2: option({
    input: 'ami-imdsv2',
    env: 'BUILDAMI_AMI_IMDSV2',
    stages: ['build'],
    description:
      'Mark the AMI (and its copies) IMDSv2-only (`ImdsSupport v2.0`): instances launched from it require session tokens. The build instance always requires IMDSv2.',
    default: 'true',
    parse: p.boolean,
  }),
} as const;

export const SHARE_OPTIONS = {
  shareAccounts: option({
    input: 'share-accounts',
    env: 'BUILDAMI_SHARE_ACCOUNTS',
    stages: ['build'],
    description: 'AWS account ids allowed to launch the AMI and its copies, separated by commas or newlines.',
    parse: p.list(accountId),
  }),
  shareOrgs: option({
    input: 'share-organizations',
    env: 'BUILDAMI_SHARE_ORGS',
    stages: ['build'],
    description: 'Organization ARNs allowed to launch the AMI and its copies.',
    parse: p.list(organizationArn),
  }),
  shareOus: option({
    input: 'share-ous',
    env: 'BUILDAMI_SHARE_OUS',
    stages: ['build'],
    description: 'Organizational unit ARNs allowed to launch the AMI and its copies.',
    parse: p.list(ouArn),
  }),
  shareSnapshots: option({
    input: 'share-snapshots',
    env: 'BUILDAMI_SHARE_SNAPSHOTS',
    stages: ['build'],
    description:
      'Also let the share accounts create volumes from the snapshots (needed to copy the AMI): `auto` does so for encrypted AMIs.',
    default: 'auto',
    parse: snapshotSharing,
  }),
  public: option({
    input: 'public',
    env: 'BUILDAMI_PUBLIC',
    stages: ['build'],
    description: 'Make the AMI and its copies public (every AWS account can launch them). Warns.',
    default: 'false',
    parse: p.boolean,
  }),
  deprecateAfter: option({
    input: 'deprecate-after',
    env: 'BUILDAMI_DEPRECATE_AFTER',
    stages: ['build'],
    description:
      'Deprecate the AMI and its copies this long after the bake, e.g. `90d`, `12w` (units m, h, d, w).',
    parse: duration(60_000, 10 * 365 * 86_400_000),
  }),
  deregistrationProtection: option({
    input: 'deregistration-protection',
    env: 'BUILDAMI_DEREGISTRATION_PROTECTION',
    stages: ['build'],
    description:
      'Protect the AMI and its copies from deregistration: `true`, or `cooldown` (protection stays 24 h after being disabled).',
    default: 'false',
    parse: protection,
  }),
} as const;
