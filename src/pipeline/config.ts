/**
 * The features' settings, resolved from the parsed options and checked together before any AWS
 * call, every problem at once. The checks that span features (sharing and encryption, the
 * janitor's age and the bake's timeouts) live here, where all of them are known.
 */
import { OptionError, UserError, errorMessage, msg, opt, type Part } from '../core/errors.js';
import { formatMs, type Duration } from '../core/duration.js';
import { baseAmiRef, type BaseAmiRef } from '../features/bake/base-ref.js';
import type { DiskSettings } from '../features/disk-upload/config.js';
import { planCopies, type PlannedCopy } from '../features/copy/copy.js';
import { distributeConfig, type DistributeConfig } from '../features/distribute/config.js';
import { sharingProblems, type ImageSettings } from '../features/share/settings.js';
import type { TagTemplate } from '../features/tags/templates.js';
import { testPlan, type TestPlan } from '../features/test/config.js';
import {
  validateRootVolume,
  type RootVolumeNames,
  type RootVolumeOptions,
} from '../features/volume/volume.js';
import type { BuildOptions } from './options.js';

export interface GoldenConfig {
  region: string;
  baseRef: BaseAmiRef;
  templates: TagTemplate[];
  volume: RootVolumeOptions;
  volumeNames: RootVolumeNames;
  copies: PlannedCopy[];
  settings: ImageSettings;
  keepLast?: number;
  dryRun: boolean;
  sweep: boolean;
  sweepAge: Duration;
  timeoutCopy: number;
  /** What is published after the copies: SSM parameters, a launch template version. */
  distribute: DistributeConfig;
  /** The test of the new AMI; absent when nothing is tested. */
  test?: TestPlan;
  /** How a disk artifact is uploaded and registered (from the build's options only). */
  disk: DiskSettings;
}

/** What the artifact holds that the options are checked against. */
export interface ArtifactFacts {
  /** userdata-test.gz: the image source has a test. */
  hasTest: boolean;
  /** A disk artifact needs no instance options, unless its test launches one. */
  kind?: 'instance' | 'disk';
}

const VOLUME_NAMES: RootVolumeNames = {
  size: opt('rootVolumeSize'),
  type: opt('rootVolumeType'),
  iops: opt('rootVolumeIops'),
  throughput: opt('rootVolumeThroughput'),
  encrypt: opt('encrypt'),
  kmsKey: opt('kmsKey'),
};

/** The golden options, checked together before any AWS call; every problem at once. */
export function goldenConfig(
  opts: BuildOptions,
  region: string,
  artifact: ArtifactFacts = { hasTest: false },
): GoldenConfig {
  const volume: RootVolumeOptions = {
    size: opts.rootVolumeSize,
    type: opts.rootVolumeType,
    iops: opts.rootVolumeIops,
    throughput: opts.rootVolumeThroughput,
    encrypt: opts.encrypt || !!opts.kmsKey,
    kmsKey: opts.kmsKey,
  };
  const settings: ImageSettings = {
    imdsV2: opts.amiImdsv2,
    accounts: [...new Set(opts.shareAccounts ?? [])],
    organizations: [...new Set(opts.shareOrgs ?? [])],
    ous: [...new Set(opts.shareOus ?? [])],
    public: opts.public,
    shareSnapshots: opts.shareSnapshots,
    deprecateAfter: opts.deprecateAfter,
    protection: opts.deregistrationProtection,
  };
  const problems: (string | Part[])[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof OptionError) problems.push(...err.items);
      else if (err instanceof UserError) problems.push(err.messageParts);
      else problems.push(errorMessage(err));
    }
  };
  collect(() => validateRootVolume(volume, VOLUME_NAMES));
  problems.push(
    ...sharingProblems(settings, volume.encrypt, opts.kmsKey, {
      public: opt('public'),
      encrypt: opt('encrypt'),
      kmsKey: opt('kmsKey'),
      accounts: opt('shareAccounts'),
      organizations: opt('shareOrgs'),
      ous: opt('shareOus'),
    }),
  );
  let copies: PlannedCopy[] = [];
  collect(() => {
    copies = planCopies({
      sourceRegion: region,
      regions: opts.copyRegions ?? [],
      encrypt: volume.encrypt,
      kmsKeys: opts.copyKmsKeys ?? {},
      names: { regions: opt('copyRegions'), kmsKeys: opt('copyKmsKeys') },
    });
  });
  const shared = settings.accounts.length + settings.organizations.length + settings.ous.length > 0;
  for (const c of copies)
    if (shared && c.encrypted && !c.kmsKeyId)
      problems.push(
        msg`${opt('copyKmsKeys')}: the encrypted copy in ${c.region} would use the AWS-managed key aws/ebs, which cannot be shared; give ${c.region}=KEY`,
      );
  // The janitor must never take a bake still in progress for a leak: the instance lives at most
  // the install and AMI timeouts (it is terminated before the copies start).
  const lifetime = (opts.timeoutInstance + opts.timeoutAmi) * 1000;
  if (opts.sweep && opts.sweepAge.ms <= lifetime)
    problems.push(
      msg`${opt('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its instance (${opt('timeoutInstance')} + ${opt('timeoutAmi')} = ${formatMs(lifetime)}); the janitor would terminate running bakes`,
    );
  const distribute = distributeConfig(opts);
  problems.push(...distribute.problems);
  const test = testPlan(opts, artifact, problems);
  // A disk artifact's test launches the only instance of its bake: where, the build says.
  if (test && artifact.kind === 'disk')
    for (const key of ['subnet', 'securityGroups'] as const)
      if (!opts[key]?.length)
        problems.push(
          msg`${opt(key)}: is required: the artifact has a test (userdata-test.gz), whose instance is launched there (or set ${opt('test')} to false)`,
        );
  // The test instance, too, lives while the bake runs: at most the test's timeout.
  if (opts.sweep && test && opts.sweepAge.ms <= test.timeoutMs)
    problems.push(
      msg`${opt('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its test instance (${opt('timeoutTest')} ${opts.timeoutTest.text}); the janitor would terminate running tests`,
    );
  if (problems.length) throw new OptionError(problems);
  return {
    region,
    // Absent only for a disk artifact, which resolves no base AMI.
    baseRef: opts.baseAmi === undefined ? (undefined as never) : baseAmiRef(opts.baseAmi),
    templates: opts.tags ?? [],
    volume,
    volumeNames: VOLUME_NAMES,
    copies,
    settings,
    keepLast: opts.keepLast,
    dryRun: opts.dryRun,
    sweep: opts.sweep,
    sweepAge: opts.sweepAge,
    timeoutCopy: opts.timeoutCopy,
    distribute: distribute.config,
    test,
    disk: {
      bootMode: opts.bootMode,
      architecture: opts.architecture,
      concurrency: opts.uploadConcurrency,
      timeoutSnapshotSeconds: Math.round(opts.timeoutSnapshot.ms / 1000),
      volume,
      imdsV2: opts.amiImdsv2,
    },
  };
}
