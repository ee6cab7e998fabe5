/** Publishing the new AMI to where fleets look for it: SSM parameters and a launch template. */
import { option } from '../../core/options.js';
import * as p from '../../core/parse.js';
import type { Parser } from '../../core/parse.js';

/** SSM's documented limit counts the ARN prefix (arn:aws:ssm:REGION:ACCOUNT:parameter) too. */
const NAME_MAX = 1011;
const DEPTH_MAX = 15;

/** One SSM parameter name, as PutParameter accepts it (the rules AWS documents for names). */
export const ssmParameterName: Parser<string> = (raw) => {
  const name = raw.trim();
  const bad = (why: string) => new Error(`"${name}" is not a valid SSM parameter name: ${why}`);
  if (!/^[/A-Za-z]/.test(name)) throw bad('it must start with / or a letter');
  const other = name.replace(/[A-Za-z0-9_.\-/]/g, '');
  if (other) throw bad(`only letters, digits and _ . - / are allowed (not ${JSON.stringify(other[0])})`);
  if (name.includes('/') && !name.startsWith('/'))
    throw bad('a name with a path must start with / (/team/app/ami)');
  if (name.endsWith('/') || name.includes('//')) throw bad('a path cannot have an empty level');
  const levels = name.split('/').filter(Boolean);
  if (levels.length > DEPTH_MAX) throw bad(`at most ${DEPTH_MAX} levels (got ${levels.length})`);
  if (/^(aws|ssm)/i.test(levels[0])) throw bad('names starting with "aws" or "ssm" are reserved by AWS');
  if (name.length > NAME_MAX) throw bad(`at most ${NAME_MAX} characters`);
  return name;
};

/** publish-ssm: names separated by commas or newlines, each once. */
export const ssmParameterNames: Parser<string[]> = (raw) => {
  const names = p.list(ssmParameterName)(raw);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`${twice} is given twice`);
  return names;
};

/** A launch template id (lt- and 8 or 17 hex digits) or name (3 to 128 of letters, digits and
 *  ( ) . - / _; anything else starting with lt- is taken for a name too, as EC2 would). */
export const launchTemplate: Parser<string> = (raw) => {
  const v = raw.trim();
  if (!/^[A-Za-z0-9().\-/_]{3,128}$/.test(v))
    throw new Error(
      `must be a launch template id (lt-…) or name: 3 to 128 letters, digits and ( ) . - / _ (got "${v}")`,
    );
  return v;
};

export const DISTRIBUTE_OPTIONS = {
  publishSsm: option({
    input: 'publish-ssm',
    env: 'BUILDAMI_PUBLISH_SSM',
    stages: ['build'],
    description:
      "SSM parameters to write the new AMI id to, separated by commas or newlines (`/golden/web/latest`): in the build region and in every copy region (each gets its own copy's id), data type `aws:ec2:image`, overwritten. After the test passed; a reused AMI is published too.",
    parse: ssmParameterNames,
  }),
  launchTemplate: option({
    input: 'launch-template',
    env: 'BUILDAMI_LAUNCH_TEMPLATE',
    stages: ['build'],
    description:
      'Launch template (an `lt-…` id or a name) in the build region that gets a new version with the new AMI (every other setting from its latest version).',
    parse: launchTemplate,
  }),
  launchTemplateDefault: option({
    input: 'launch-template-default',
    env: 'BUILDAMI_LAUNCH_TEMPLATE_DEFAULT',
    stages: ['build'],
    description: 'Make the new launch template version the default one (only with `launch-template`).',
    default: 'false',
    parse: p.boolean,
  }),
} as const;
