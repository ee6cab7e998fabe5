/** The dry run (also of `amibake sweep`). */
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';

export const DRY_RUN_OPTIONS = {
  dryRun: option({
    input: 'dry-run',
    env: 'BUILDAMI_DRY_RUN',
    stages: ['build', 'sweep'],
    description:
      'Resolve and validate everything, prove the permissions with EC2 DryRun calls (read probes where an API has none) and print the plan; launch, copy, share, publish and delete nothing.',
    default: 'false',
    parse: p.boolean,
  }),
} as const;
