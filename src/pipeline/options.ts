/**
 * The one options table, assembled from the slices the features declare. Its order is the order
 * of the generated action.yml inputs and README tables.
 */
import type { Front, StageOptions } from '../core/options.js';
import { nameFor, readOptions as readTable, type ReadOptionsSource, type Stage } from '../core/options.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { BAKE_OPTIONS } from '../features/bake/options.js';
import { COPY_OPTIONS } from '../features/copy/options.js';
import { DISTRIBUTE_OPTIONS } from '../features/distribute/options.js';
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
