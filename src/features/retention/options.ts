/** Retention: how many AMIs of the family to keep. */
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';

export const RETENTION_OPTIONS = {
  keepLast: option({
    input: 'keep-last',
    env: 'BUILDAMI_KEEP_LAST',
    stages: ['build'],
    description:
      'Keep the newest N AMIs of this name (`amibake:name`) in each region the bake touched; deregister older ones and delete their snapshots. Default: keep all.',
    parse: p.integer(1, 1000, 'AMIs'),
  }),
} as const;
