/**
 * The one options table, assembled from the slices the features declare. Its order is the order
 * of the generated action.yml inputs and README tables.
 */
import { OptionError, msg, opt } from '../core/errors.js';
import type { Front, StageOptions } from '../core/options.js';
import { nameFor, readOptions as readTable, type ReadOptionsSource, type Stage } from '../core/options.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { BAKE_OPTIONS } from '../features/bake/options.js';
import { COPY_OPTIONS } from '../features/copy/options.js';
import { DISTRIBUTE_OPTIONS } from '../features/distribute/options.js';
import { DISK_UPLOAD_OPTIONS } from '../features/disk-upload/options.js';
import { DRY_RUN_OPTIONS } from '../features/dry-run/options.js';
import { JANITOR_OPTIONS } from '../features/janitor/options.js';
import { RETENTION_OPTIONS } from '../features/retention/options.js';
import { IMDS_OPTIONS, SHARE_OPTIONS } from '../features/share/options.js';
import { TAG_OPTIONS } from '../features/tags/options.js';
import { TEST_OPTIONS } from '../features/test/options.js';
import { VOLUME_OPTIONS } from '../features/volume/options.js';

export const OPTIONS = {
  ...PREPARE_OPTIONS,
  ...BAKE_OPTIONS,
  ...TAG_OPTIONS,
  ...VOLUME_OPTIONS,
  ...DISK_UPLOAD_OPTIONS,
  ...IMDS_OPTIONS,
  ...TEST_OPTIONS,
  ...COPY_OPTIONS,
  ...SHARE_OPTIONS,
  ...DISTRIBUTE_OPTIONS,
  ...RETENTION_OPTIONS,
  ...DRY_RUN_OPTIONS,
  ...JANITOR_OPTIONS,
} as const;

export type OptionKey = keyof typeof OPTIONS;
export type BuildOptions = StageOptions<typeof OPTIONS, 'build'>;

/** How a front calls the options of a stage, for rendering errors. */
export const namesFor = (front: Front, stage: Stage) => nameFor(OPTIONS, front, stage);

/** Reads and validates every option of a stage from the whole table. */
export const readOptions = <S extends Stage>(
  stage: S,
  source: ReadOptionsSource,
): StageOptions<typeof OPTIONS, S> => readTable(OPTIONS, stage, source);

/** Options only an instance bake needs (where the build instance runs): a disk artifact is
 *  uploaded without one, so they are checked once the artifact's kind is known. */
export const INSTANCE_ONLY: readonly OptionKey[] = ['baseAmi', 'securityGroups', 'subnet'];

/**
 * Reads the build's options like `readOptions`, for an artifact of `kind`: a disk artifact does
 * not require the instance's options. `kind` undefined: not known yet (the action finds it in the
 * artifact it downloads): call `requireFor` once it is.
 */
export function readBuildOptions(source: ReadOptionsSource, kind?: 'instance' | 'disk'): BuildOptions {
  if (kind === 'instance') return readOptions('build', source);
  const loose = Object.fromEntries(
    Object.entries(OPTIONS).map(([k, d]) => [
      k,
      (INSTANCE_ONLY as readonly string[]).includes(k) ? { ...d, required: false } : d,
    ]),
  ) as unknown as typeof OPTIONS;
  // Typed as the build's options: the disk path never reads the instance's (INSTANCE_ONLY).
  return readTable(loose, 'build', source);
}

/** The instance's required options, once the artifact is known to be an instance artifact. */
export function requireFor(kind: 'instance' | 'disk', opts: BuildOptions, front: Front): void {
  if (kind === 'disk') return;
  const missing = INSTANCE_ONLY.filter((k) => opts[k as keyof BuildOptions] === undefined);
  if (missing.length)
    throw new OptionError(missing.map((k) => msg`${opt(k)}: is required`)).named(
      nameFor(OPTIONS, front, 'build'),
    );
}
