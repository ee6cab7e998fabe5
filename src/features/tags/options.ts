/** The user's tags option (templates rendered by ./templates.ts). */
import { option } from '../../core/options.js';
import { tagList } from './templates.js';

export const TAG_OPTIONS = {
  tags: option({
    input: 'tags',
    env: 'BUILDAMI_TAGS',
    stages: ['build'],
    description:
      'Tags for the AMI, its snapshots and copies, and the build instance: `key=value` items separated by commas or newlines. Values may use `{name}`, `{version}`, `{base_ami}`, `{run_id}`, `{date}`.',
    parse: tagList,
  }),
} as const;
