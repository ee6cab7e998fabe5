/** The janitor before a bake (`sweep`) and its age, shared with `amibake sweep`. */
import { duration } from '../../core/duration.js';
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';

export const JANITOR_OPTIONS = {
  sweep: option({
    input: 'sweep',
    env: 'BUILDAMI_SWEEP',
    stages: ['build'],
    description:
      'Before launching, run the janitor in the region: terminate amibake build instances older than `sweep-age` and finish the AMIs stopped bakes left (discard failed or pending ones, tag the snapshots of available ones).',
    default: 'false',
    parse: p.boolean,
  }),
  sweepAge: option({
    input: 'sweep-age',
    env: 'BUILDAMI_SWEEP_AGE',
    stages: ['build', 'sweep'],
    description:
      'Age past which an amibake build instance or unfinished AMI counts as leaked (longer than any bake: the instance and AMI timeouts).',
    default: '6h',
    parse: duration(60 * 60_000, 365 * 86_400_000),
  }),
} as const;
