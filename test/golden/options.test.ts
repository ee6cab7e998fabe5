/** The golden-image options as the fronts read them: names, defaults, lists and errors. */
import { describe, expect, it } from '@jest/globals';
import { actionSource } from '../../src/core/action-inputs.js';
import { render } from '../../src/core/errors.js';
import { cliSource } from '../../src/core/options.js';
import { namesFor, readOptions } from '../../src/pipeline/options.js';
import { goldenConfig } from '../../src/pipeline/config.js';
import { problemsOf } from './helpers.js';

const required = {
  BUILDAMI_BASEAMI: 'ami-0123456789abcdef0',
  BUILDAMI_SECURITYGROUPS: 'sg-0123456789abcdef0',
  BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
};
const cli = (env: Record<string, string>) => readOptions('build', cliSource({ ...required, ...env }));
const action = (inputs: Record<string, string>) => {
  const all: Record<string, string> = {
    'base-ami': required.BUILDAMI_BASEAMI,
    'security-groups': required.BUILDAMI_SECURITYGROUPS,
    subnet: required.BUILDAMI_SUBNET,
    ...inputs,
  };
  // The way the runner passes inputs (INPUT_<NAME>), read by the action front's own reader.
  const saved = { ...process.env };
  try {
    for (const [k, v] of Object.entries(all)) process.env[`INPUT_${k.toUpperCase()}`] = v;
    return readOptions('build', actionSource());
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  }
};

describe('golden options', () => {
  it('defaults: gp3, IMDSv2 on the AMI, nothing shared, no dry run, no retention', () => {
    const o = cli({});
    expect(o.rootVolumeType).toBe('gp3');
    expect(o.amiImdsv2).toBe(true);
    expect(o.encrypt).toBe(false);
    expect(o.public).toBe(false);
    expect(o.dryRun).toBe(false);
    expect(o.keepLast).toBeUndefined();
    expect(o.copyRegions).toBeUndefined();
    expect(o.deregistrationProtection).toBe('false');
    expect(o.shareSnapshots).toBe('auto');
    expect(o.sweepAge.ms).toBe(6 * 3_600_000);
    expect(o.timeoutCopy).toBe(3600);
  });

  it('BUILDAMI_BASEAMI accepts ids, SSM references and name filters, and rejects the rest', () => {
    expect(
      cli({
        BUILDAMI_BASEAMI: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      }).baseAmi,
    ).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expect(cli({ BUILDAMI_BASEAMI: 'name=debian-12-amd64-*,owner=136693071363' }).baseAmi).toBe(
      'name=debian-12-amd64-*,owner=136693071363',
    );
    expect(problemsOf(() => cli({ BUILDAMI_BASEAMI: 'debian-12' }))).toEqual([
      expect.stringMatching(/^BUILDAMI_BASEAMI: must be an AMI id .*resolve:ssm:/),
    ]);
    expect(problemsOf(() => action({ 'base-ami': 'name=debian-*' }))).toEqual([
      expect.stringMatching(/^input 'base-ami': a name filter needs at least one owner/),
    ]);
  });

  it('list options take commas or newlines, in the CLI and the action alike', () => {
    const env = cli({
      BUILDAMI_COPY_REGIONS: 'eu-west-1,\nus-west-2',
      BUILDAMI_SHARE_ACCOUNTS: '111111111111\n222222222222',
      BUILDAMI_SHARE_ORGS: 'arn:aws:organizations::111111111111:organization/o-abcd123456',
      BUILDAMI_SHARE_OUS: 'arn:aws:organizations::111111111111:ou/o-abcd123456/ou-ab12-cdef3456',
      BUILDAMI_TAGS: 'team=platform\nbuilt={date}',
      BUILDAMI_COPY_KMS_KEYS:
        'eu-west-1=arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(env.copyRegions).toEqual(['eu-west-1', 'us-west-2']);
    expect(env.shareAccounts).toEqual(['111111111111', '222222222222']);
    expect(env.shareOrgs).toHaveLength(1);
    expect(env.shareOus).toHaveLength(1);
    expect(env.tags).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'built', value: '{date}' },
    ]);
    expect(Object.keys(env.copyKmsKeys!)).toEqual(['eu-west-1']);
    const act = action({
      'copy-regions': 'eu-west-1, us-west-2',
      'share-accounts': '111111111111,222222222222\n',
      'share-organizations': 'arn:aws:organizations::111111111111:organization/o-abcd123456',
      'share-ous': '\narn:aws:organizations::111111111111:ou/o-abcd123456/ou-ab12-cdef3456,',
      tags: 'team=platform,\nbuilt={date}',
      'copy-kms-keys':
        'eu-west-1=arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'security-groups': 'sg-0123456789abcdef0\nsg-0123456789abcdef1',
    });
    for (const k of ['copyRegions', 'shareAccounts', 'shareOrgs', 'shareOus', 'tags', 'copyKmsKeys'] as const)
      expect(act[k]).toEqual(env[k]);
    expect(act.securityGroups).toEqual(['sg-0123456789abcdef0', 'sg-0123456789abcdef1']);
  });

  it('reports every bad golden option at once, each by its own name', () => {
    const p = problemsOf(() =>
      cli({
        BUILDAMI_TAGS: 'aws:x=1',
        BUILDAMI_COPY_REGIONS: 'eu-west-1,mars',
        BUILDAMI_SHARE_ACCOUNTS: '1234',
        BUILDAMI_SHARE_ORGS: 'o-abc',
        BUILDAMI_SHARE_OUS: 'ou-x',
        BUILDAMI_PUBLIC: 'maybe',
        BUILDAMI_DEPRECATE_AFTER: '90 days',
        BUILDAMI_DEREGISTRATION_PROTECTION: 'always',
        BUILDAMI_KEEP_LAST: '0',
        BUILDAMI_DRY_RUN: 'perhaps',
        BUILDAMI_ROOT_VOLUME_SIZE: '-1',
        BUILDAMI_ROOT_VOLUME_TYPE: 'st1',
        BUILDAMI_ROOT_VOLUME_IOPS: '5',
        BUILDAMI_ROOT_VOLUME_THROUGHPUT: '5000',
        BUILDAMI_KMS_KEY: 'my key',
        BUILDAMI_COPY_KMS_KEYS:
          'eu-west-1=arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        BUILDAMI_AMI_IMDSV2: 'v1',
        BUILDAMI_SWEEP_AGE: '5m',
        BUILDAMI_TIMEOUT_COPY: '10',
        BUILDAMI_SHARE_SNAPSHOTS: 'sometimes',
      }),
    );
    const names = p.map((s) => s.split(':')[0]);
    expect(names.sort()).toEqual(
      [
        'BUILDAMI_TAGS',
        'BUILDAMI_COPY_REGIONS',
        'BUILDAMI_SHARE_ACCOUNTS',
        'BUILDAMI_SHARE_ORGS',
        'BUILDAMI_SHARE_OUS',
        'BUILDAMI_PUBLIC',
        'BUILDAMI_DEPRECATE_AFTER',
        'BUILDAMI_DEREGISTRATION_PROTECTION',
        'BUILDAMI_KEEP_LAST',
        'BUILDAMI_DRY_RUN',
        'BUILDAMI_ROOT_VOLUME_SIZE',
        'BUILDAMI_ROOT_VOLUME_TYPE',
        'BUILDAMI_ROOT_VOLUME_IOPS',
        'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
        'BUILDAMI_KMS_KEY',
        'BUILDAMI_COPY_KMS_KEYS',
        'BUILDAMI_AMI_IMDSV2',
        'BUILDAMI_SWEEP_AGE',
        'BUILDAMI_TIMEOUT_COPY',
        'BUILDAMI_SHARE_SNAPSHOTS',
      ].sort(),
    );
    expect(p.find((s) => s.startsWith('BUILDAMI_COPY_KMS_KEYS'))).toMatch(
      /key for eu-west-1 is in us-east-1/,
    );
    expect(p.find((s) => s.startsWith('BUILDAMI_ROOT_VOLUME_TYPE'))).toMatch(/st1 and sc1 cannot boot/);
  });

  it('durations: 90d, 12w, 1d12h; deregistration protection with cooldown', () => {
    expect(cli({ BUILDAMI_DEPRECATE_AFTER: '90d' }).deprecateAfter!.ms).toBe(90 * 86_400_000);
    expect(cli({ BUILDAMI_DEPRECATE_AFTER: '12w' }).deprecateAfter!.ms).toBe(84 * 86_400_000);
    expect(cli({ BUILDAMI_DEPRECATE_AFTER: '1d12h' }).deprecateAfter!.ms).toBe(36 * 3_600_000);
    expect(cli({ BUILDAMI_DEREGISTRATION_PROTECTION: 'cooldown' }).deregistrationProtection).toBe('cooldown');
    expect(cli({ BUILDAMI_DEREGISTRATION_PROTECTION: 'yes' }).deregistrationProtection).toBe('true');
  });

  it('the janitor reads its own stage without the build’s required options', () => {
    const o = readOptions('sweep', cliSource({ BUILDAMI_SWEEP_AGE: '2h', BUILDAMI_DRY_RUN: 'true' }));
    expect(o).toEqual({ dryRun: true, sweepAge: { ms: 2 * 3_600_000, text: '2h' } });
  });
});

describe('the golden configuration a bake runs with', () => {
  it('carries every golden option into the phases, with the option names of the front', () => {
    const g = goldenConfig(
      cli({
        BUILDAMI_BASEAMI: 'name=debian-12-*,owner=136693071363',
        BUILDAMI_TAGS: 'team=platform',
        BUILDAMI_ROOT_VOLUME_SIZE: '30',
        BUILDAMI_KMS_KEY: 'alias/images',
        BUILDAMI_AMI_IMDSV2: 'false',
        BUILDAMI_COPY_REGIONS: 'eu-west-1,us-east-1',
        BUILDAMI_COPY_KMS_KEYS: 'eu-west-1=alias/images-eu',
        BUILDAMI_SHARE_ACCOUNTS: '111111111111,111111111111',
        BUILDAMI_SHARE_OUS: 'arn:aws:organizations::111111111111:ou/o-abcd123456/ou-ab12-cdef3456',
        BUILDAMI_SHARE_SNAPSHOTS: 'false',
        BUILDAMI_DEPRECATE_AFTER: '90d',
        BUILDAMI_DEREGISTRATION_PROTECTION: 'cooldown',
        BUILDAMI_KEEP_LAST: '3',
        BUILDAMI_SWEEP: 'true',
        BUILDAMI_TIMEOUT_COPY: '600',
      }),
      'us-east-1',
    );
    expect(g.baseRef).toMatchObject({ kind: 'filter', name: 'debian-12-*', owners: ['136693071363'] });
    expect(g.templates).toEqual([{ key: 'team', value: 'platform' }]);
    // A KMS key implies encryption.
    expect(g.volume).toEqual({ size: 30, type: 'gp3', encrypt: true, kmsKey: 'alias/images' });
    expect(render([g.volumeNames.size], namesFor('cli', 'build'))).toBe('BUILDAMI_ROOT_VOLUME_SIZE');
    expect(g.copies).toEqual([{ region: 'eu-west-1', encrypted: true, kmsKeyId: 'alias/images-eu' }]);
    expect(g.settings).toEqual({
      imdsV2: false,
      accounts: ['111111111111'],
      organizations: [],
      ous: ['arn:aws:organizations::111111111111:ou/o-abcd123456/ou-ab12-cdef3456'],
      public: false,
      shareSnapshots: 'false',
      deprecateAfter: { ms: 90 * 86_400_000, text: '90d' },
      protection: 'cooldown',
    });
    expect(g).toMatchObject({ keepLast: 3, dryRun: false, sweep: true, timeoutCopy: 600 });
    expect(g.sweepAge.ms).toBe(6 * 3_600_000);
  });

  it('names the action inputs on the action front', () => {
    const p = problemsOf(
      () =>
        goldenConfig(
          action({ 'kms-key': 'alias/k', 'share-accounts': '111111111111', 'copy-regions': 'eu-west-1' }),
          'us-east-1',
        ),
      'action',
    );
    expect(p).toEqual([
      "input 'copy-kms-keys': the encrypted copy in eu-west-1 would use the AWS-managed key aws/ebs, which cannot be shared; give eu-west-1=KEY",
    ]);
  });
});
