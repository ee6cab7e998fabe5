/**
 * The one table of options. It drives the action inputs (kebab-case), the CLI environment
 * variables, defaults, validation, action.yml and the README's input tables (`npm run docs`).
 */
import { OptionError } from './errors.js';
import * as p from './parse.js';

export type Stage = 'prepare' | 'build';

export interface OptionDef<T, S extends Stage = Stage> {
  /** Action input name; absent for CLI-only options. */
  input?: string;
  /** CLI environment variable; absent for action-only options. */
  env?: string;
  stages: readonly S[];
  description: string;
  /** Raw default, parsed like user input, and shown in the docs. */
  default?: string;
  required?: boolean;
  parse: p.Parser<T>;
}

/** Keeps `default` and `required` in the type, so StageOptions knows which values are always set. */
function opt<T, const S extends Stage, const X extends { default?: string; required?: boolean }>(
  def: OptionDef<T, S> & X,
): OptionDef<T, S> & X {
  return def;
}

const seconds = (min: number, max: number) => p.integer(min, max, 'seconds');

export const OPTIONS = {
  // ---- prepare ----
  source: opt({
    input: 'source',
    stages: ['prepare'],
    description:
      'Image source folder (`cloudinit/`, `fs/`, `script/`, `ami.env`). The CLI takes it as its first argument.',
    required: true,
    parse: p.text,
  }),
  target: opt({
    input: 'target',
    stages: ['prepare'],
    description: 'Folder the prepared files are written to. The CLI takes it as its second argument.',
    default: 'amibake-out',
    parse: p.text,
  }),
  awsRegion: opt({
    input: 'aws-region',
    env: 'AWSREGION',
    stages: ['prepare'],
    description: 'Region the instance uses for `aws s3 cp` when no presigned URL is handed to it.',
    default: 'ap-northeast-1',
    parse: p.region,
  }),
  s3Url: opt({
    input: 's3-url',
    env: 'S3URL',
    stages: ['prepare'],
    description:
      'Where `fs.tgz` is staged (`s3://bucket/path/fs.tgz`). Required only when the files do not fit inline.',
    parse: p.s3Url,
  }),
  artifactName: opt({
    input: 'artifact-name',
    stages: ['prepare', 'build'],
    description:
      'Name of the workflow artifact that carries the prepared files from the prepare job to the build job.',
    default: 'amibake',
    parse: p.pattern(/^[^"\\:<>|*?/\r\n]+$/, 'a valid artifact name'),
  }),
  // ---- build ----
  directory: opt({
    input: 'directory',
    stages: ['build'],
    description: 'Use the prepared files in this folder instead of downloading the artifact.',
    parse: p.text,
  }),
  userdata: opt({
    env: 'BUILDAMI_USERDATA',
    stages: ['build'],
    description:
      'Path to `userdata.gz` (or the first argument). `vars.env` and `fs.tgz` beside it are used too.',
    parse: p.text,
  }),
  targetName: opt({
    input: 'target-name',
    env: 'BUILDAMI_TARGETNAME',
    stages: ['build'],
    description: 'AMI name (or the second argument). Default: `NAME` from `ami.env`.',
    parse: p.pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{3,128}$/, 'a valid AMI name (3 to 128 characters)'),
  }),
  targetVersion: opt({
    input: 'target-version',
    env: 'BUILDAMI_TARGETVERSION',
    stages: ['build'],
    description: 'AMI version (or the third argument). Default: `VERSION` from `ami.env`.',
    parse: p.pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{1,64}$/, 'a version made of letters, digits and ._-'),
  }),
  targetDescription: opt({
    input: 'target-description',
    env: 'BUILDAMI_TARGETDESCRIPTION',
    stages: ['build'],
    description: 'AMI description. Default: generated from the name and version.',
    parse: p.pattern(/^.{1,255}$/s, 'at most 255 characters'),
  }),
  baseAmi: opt({
    input: 'base-ami',
    env: 'BUILDAMI_BASEAMI',
    stages: ['build'],
    description: 'The base AMI the temporary instance boots.',
    required: true,
    parse: p.pattern(/^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0'),
  }),
  securityGroups: opt({
    input: 'security-groups',
    env: 'BUILDAMI_SECURITYGROUPS',
    stages: ['build'],
    description: 'Security group ids for the temporary instance, separated by commas or newlines.',
    required: true,
    parse: p.list(p.pattern(/^sg-[0-9a-f]{8,17}$/, 'security group ids such as sg-0123456789abcdef0')),
  }),
  subnet: opt({
    input: 'subnet',
    env: 'BUILDAMI_SUBNET',
    stages: ['build'],
    description: 'Subnet id for the temporary instance.',
    required: true,
    parse: p.pattern(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0123456789abcdef0'),
  }),
  profile: opt({
    input: 'instance-profile',
    env: 'BUILDAMI_PROFILE',
    stages: ['build'],
    description: 'IAM instance profile (name or ARN). Optional: the instance needs no AWS access of its own.',
    parse: p.pattern(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
  }),
  instanceType: opt({
    input: 'instance-type',
    env: 'BUILDAMI_TYPE',
    stages: ['build'],
    description: 'Instance type of the temporary instance.',
    default: 't3.nano',
    parse: p.pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro'),
  }),
  keyPair: opt({
    input: 'key-pair',
    env: 'BUILDAMI_KEYPAIR',
    stages: ['build'],
    description: 'Key pair for the temporary instance. Default: none (amibake never needs SSH).',
    parse: p.pattern(/^.{1,255}$/, 'a key pair name'),
  }),
  outputFile: opt({
    input: 'output-file',
    env: 'BUILDAMI_OUTPUT',
    stages: ['build'],
    description: 'File to write `AMI_ID=`, `AMI_NAME=`, `REGION=` lines to (sourceable).',
    parse: p.text,
  }),
  timeoutInstance: opt({
    input: 'timeout-instance',
    env: 'BUILDAMI_TIMEOUT_INSTANCE',
    stages: ['build'],
    description: 'Seconds the install may take, from launch until the instance has stopped (at least 120).',
    default: '1800',
    parse: seconds(120, 86_400),
  }),
  timeoutAmi: opt({
    input: 'timeout-ami',
    env: 'BUILDAMI_TIMEOUT_AMI',
    stages: ['build'],
    description: 'Seconds the AMI creation may take until it is available (at least 120).',
    default: '3600',
    parse: seconds(120, 86_400),
  }),
  waitInstance: opt({
    input: 'wait-instance',
    env: 'BUILDAMI_WAIT_INSTANCE',
    stages: ['build'],
    description: 'Seconds between checks of the instance state (at most 60).',
    default: '5',
    parse: seconds(1, 60),
  }),
  waitAmi: opt({
    input: 'wait-ami',
    env: 'BUILDAMI_WAIT_AMI',
    stages: ['build'],
    description: 'Seconds between checks of the AMI state (at most 60).',
    default: '5',
    parse: seconds(1, 60),
  }),
  buildS3Url: opt({
    input: 'build-s3-url',
    env: 'BUILDAMI_S3URL',
    stages: ['build'],
    description:
      'S3 URL `fs.tgz` is uploaded to (default: `S3URL` from `vars.env`). The install result and log are written beside it.',
    parse: p.s3Url,
  }),
  s3Region: opt({
    input: 's3-region',
    env: 'BUILDAMI_S3REGION',
    stages: ['build'],
    description: 'Region of the S3 bucket. Default: the build region.',
    parse: p.region,
  }),
  fsTgz: opt({
    env: 'BUILDAMI_FSTGZ',
    stages: ['build'],
    description: 'Path to `fs.tgz`. Default: `fs.tgz` beside the user data, when prepare produced one.',
    parse: p.text,
  }),
  allowNoResult: opt({
    input: 'allow-no-result',
    env: 'BUILDAMI_ALLOW_NO_RESULT',
    stages: ['build'],
    description:
      'Create the AMI when the instance stopped without reporting an install result (a base image without amibake’s result reporting).',
    default: 'false',
    parse: p.boolean,
  }),
} as const;

export type OptionKey = keyof typeof OPTIONS;
type Table = typeof OPTIONS;
type ValueOf<D> =
  D extends OptionDef<infer T, Stage>
    ? D extends { default: string } | { required: true }
      ? T
      : T | undefined
    : never;
type KeysFor<S extends Stage> = {
  [K in OptionKey]: S extends Table[K]['stages'][number] ? K : never;
}[OptionKey];
export type StageOptions<S extends Stage> = { [K in KeysFor<S>]: ValueOf<Table[K]> };

export type Front = 'action' | 'cli';

/** How an option is called on a front: the message prefix of its errors. */
export function optionName(def: OptionDef<unknown>, front: Front): string {
  return front === 'action' ? `input '${def.input}'` : `${def.env}`;
}

export interface ReadOptionsSource {
  front: Front;
  /** Returns the raw value ('' or undefined when unset). */
  get: (def: OptionDef<unknown>) => string | undefined;
  /** Values given another way (CLI positional arguments), taking precedence over get(). */
  overrides?: Partial<Record<OptionKey, string | undefined>>;
}

/** Reads and validates every option of a stage; reports all problems at once. */
export function readOptions<S extends Stage>(stage: S, source: ReadOptionsSource): StageOptions<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, def] of Object.entries(OPTIONS) as [OptionKey, OptionDef<unknown>][]) {
    if (!(def.stages as readonly Stage[]).includes(stage)) continue;
    const onFront = source.front === 'action' ? def.input : def.env;
    const given = source.overrides?.[key] ?? (onFront ? source.get(def) : undefined);
    const raw = given !== undefined && given.trim() !== '' ? given : def.default;
    const name = onFront ? optionName(def, source.front) : key;
    if (raw === undefined) {
      if (def.required) problems.push(`${name}: is required`);
      out[key] = undefined;
      continue;
    }
    try {
      out[key] = def.parse(raw);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new OptionError(problems);
  return out as StageOptions<S>;
}

/** Names an option the way the current front calls it, for errors raised after parsing. */
export function nameOf(key: OptionKey, front: Front): string {
  const def: OptionDef<unknown> = OPTIONS[key];
  if (front === 'action' && def.input) return `input '${def.input}'`;
  if (front === 'cli' && def.env) return def.env;
  return def.input ? `input '${def.input}'` : (def.env ?? key);
}

export function cliSource(env: NodeJS.ProcessEnv = process.env, overrides?: ReadOptionsSource['overrides']) {
  return {
    front: 'cli' as const,
    get: (def: OptionDef<unknown>) => (def.env ? env[def.env] : undefined),
    overrides,
  };
}
