/**
 * The one table of options. It drives the action inputs (kebab-case), the CLI environment
 * variables, defaults, validation, action.yml and the README's input tables (`npm run docs`).
 */
import { OptionError } from './errors.js';
import * as p from './parse.js';
import * as g from '../golden/parsers.js';

/** `sweep` is the janitor (`amibake sweep`), which needs none of the build's required options. */
export type Stage = 'prepare' | 'build' | 'sweep';

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
    description:
      'Image name (or the second argument); the AMI is named `NAME-VERSION`. Default: `NAME` from `ami.env`.',
    parse: p.pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{3,128}$/, 'a valid AMI name (3 to 128 characters)'),
  }),
  targetVersion: opt({
    input: 'target-version',
    env: 'BUILDAMI_TARGETVERSION',
    stages: ['build'],
    description: 'Image version (or the third argument). Default: `VERSION` from `ami.env`.',
    parse: p.pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{1,64}$/, 'a version made of letters, digits and ._-'),
  }),
  targetDescription: opt({
    input: 'target-description',
    env: 'BUILDAMI_TARGETDESCRIPTION',
    stages: ['build'],
    description:
      'AMI description. Default: `DESCRIPTION` from `ami.env`, else generated from the name and version.',
    parse: p.pattern(/^.{1,255}$/s, 'at most 255 characters'),
  }),
  baseAmi: opt({
    input: 'base-ami',
    env: 'BUILDAMI_BASEAMI',
    stages: ['build'],
    description:
      'The base AMI the temporary instance boots: an id, `resolve:ssm:/parameter/path`, or `name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]` (newest available, not deprecated). Resolved before anything is launched.',
    required: true,
    // Validated here, resolved by src/golden/base-ami.ts (an SSM or EC2 lookup).
    parse: (raw) => (g.baseAmiRef(raw), raw.trim()),
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
      'S3 URL `fs.tgz` is uploaded to; the install result and log are written beside it. The action takes it from this input only; the CLI defaults to `S3URL` from `vars.env`. A `vars.env` naming another S3URL is refused.',
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
  // ---- golden-image features (src/golden) ----
  tags: opt({
    input: 'tags',
    env: 'BUILDAMI_TAGS',
    stages: ['build'],
    description:
      'Tags for the AMI, its snapshots and copies, and the build instance: `key=value` items separated by commas or newlines. Values may use `{name}`, `{version}`, `{base_ami}`, `{run_id}`, `{date}`.',
    parse: g.tagList,
  }),
  rootVolumeSize: opt({
    input: 'root-volume-size',
    env: 'BUILDAMI_ROOT_VOLUME_SIZE',
    stages: ['build'],
    description: 'Root volume size in GiB. Default: the base image’s.',
    parse: p.integer(1, 65_536, 'GiB'),
  }),
  rootVolumeType: opt({
    input: 'root-volume-type',
    env: 'BUILDAMI_ROOT_VOLUME_TYPE',
    stages: ['build'],
    description: 'Root volume type: gp3, gp2, io2, io1 or standard.',
    default: 'gp3',
    parse: g.rootVolumeType,
  }),
  rootVolumeIops: opt({
    input: 'root-volume-iops',
    env: 'BUILDAMI_ROOT_VOLUME_IOPS',
    stages: ['build'],
    description: 'Provisioned IOPS of the root volume (gp3 3000 to 80000; io1 and io2 require it).',
    parse: p.integer(100, 256_000, 'IOPS'),
  }),
  rootVolumeThroughput: opt({
    input: 'root-volume-throughput',
    env: 'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
    stages: ['build'],
    description: 'Throughput of a gp3 root volume in MiB/s (125 to 2000).',
    parse: p.integer(125, 2_000, 'MiB/s'),
  }),
  encrypt: opt({
    input: 'encrypt',
    env: 'BUILDAMI_ENCRYPT',
    stages: ['build'],
    description: 'Encrypt the root volume, hence the AMI’s snapshot (and its copies).',
    default: 'false',
    parse: p.boolean,
  }),
  kmsKey: opt({
    input: 'kms-key',
    env: 'BUILDAMI_KMS_KEY',
    stages: ['build'],
    description:
      'KMS key (id, alias/NAME or ARN) for the encrypted root volume. Default: the account’s EBS default key. Needed to share an encrypted AMI.',
    parse: g.kmsKey,
  }),
  amiImdsv2: opt({
    input: 'ami-imdsv2',
    env: 'BUILDAMI_AMI_IMDSV2',
    stages: ['build'],
    description:
      'Mark the AMI (and its copies) IMDSv2-only (`ImdsSupport v2.0`): instances launched from it require session tokens. The build instance always requires IMDSv2.',
    default: 'true',
    parse: p.boolean,
  }),
  copyRegions: opt({
    input: 'copy-regions',
    env: 'BUILDAMI_COPY_REGIONS',
    stages: ['build'],
    description: 'Regions to copy the AMI to, in parallel, separated by commas or newlines.',
    parse: p.list(p.region),
  }),
  copyKmsKeys: opt({
    input: 'copy-kms-keys',
    env: 'BUILDAMI_COPY_KMS_KEYS',
    stages: ['build'],
    description:
      'KMS key of each encrypted copy: `region=key` items separated by commas or newlines. A region listed here gets an encrypted copy.',
    parse: g.regionKeyMap,
  }),
  timeoutCopy: opt({
    input: 'timeout-copy',
    env: 'BUILDAMI_TIMEOUT_COPY',
    stages: ['build'],
    description: 'Seconds the copies may take until all are available (at least 120).',
    default: '3600',
    parse: seconds(120, 86_400),
  }),
  shareAccounts: opt({
    input: 'share-accounts',
    env: 'BUILDAMI_SHARE_ACCOUNTS',
    stages: ['build'],
    description: 'AWS account ids allowed to launch the AMI and its copies, separated by commas or newlines.',
    parse: p.list(g.accountId),
  }),
  shareOrgs: opt({
    input: 'share-organizations',
    env: 'BUILDAMI_SHARE_ORGS',
    stages: ['build'],
    description: 'Organization ARNs allowed to launch the AMI and its copies.',
    parse: p.list(g.organizationArn),
  }),
  shareOus: opt({
    input: 'share-ous',
    env: 'BUILDAMI_SHARE_OUS',
    stages: ['build'],
    description: 'Organizational unit ARNs allowed to launch the AMI and its copies.',
    parse: p.list(g.ouArn),
  }),
  shareSnapshots: opt({
    input: 'share-snapshots',
    env: 'BUILDAMI_SHARE_SNAPSHOTS',
    stages: ['build'],
    description:
      'Also let the share accounts create volumes from the snapshots (needed to copy the AMI): `auto` does so for encrypted AMIs.',
    default: 'auto',
    parse: g.snapshotSharing,
  }),
  public: opt({
    input: 'public',
    env: 'BUILDAMI_PUBLIC',
    stages: ['build'],
    description: 'Make the AMI and its copies public (every AWS account can launch them). Warns.',
    default: 'false',
    parse: p.boolean,
  }),
  deprecateAfter: opt({
    input: 'deprecate-after',
    env: 'BUILDAMI_DEPRECATE_AFTER',
    stages: ['build'],
    description:
      'Deprecate the AMI and its copies this long after the bake, e.g. `90d`, `12w` (units m, h, d, w).',
    parse: g.duration(60_000, 10 * 365 * 86_400_000),
  }),
  deregistrationProtection: opt({
    input: 'deregistration-protection',
    env: 'BUILDAMI_DEREGISTRATION_PROTECTION',
    stages: ['build'],
    description:
      'Protect the AMI and its copies from deregistration: `true`, or `cooldown` (protection stays 24 h after being disabled).',
    default: 'false',
    parse: g.protection,
  }),
  keepLast: opt({
    input: 'keep-last',
    env: 'BUILDAMI_KEEP_LAST',
    stages: ['build'],
    description:
      'Keep the newest N AMIs of this name (`amibake:name`) in each region the bake touched; deregister older ones and delete their snapshots. Default: keep all.',
    parse: p.integer(1, 1000, 'AMIs'),
  }),
  dryRun: opt({
    input: 'dry-run',
    env: 'BUILDAMI_DRY_RUN',
    stages: ['build', 'sweep'],
    description:
      'Resolve and validate everything, prove the permissions with EC2 DryRun calls and print the plan; launch, copy, share and delete nothing.',
    default: 'false',
    parse: p.boolean,
  }),
  sweep: opt({
    input: 'sweep',
    env: 'BUILDAMI_SWEEP',
    stages: ['build'],
    description:
      'Before launching, run the janitor in the region: terminate amibake build instances older than `sweep-age` and finish the AMIs stopped bakes left (discard failed or pending ones, tag the snapshots of available ones).',
    default: 'false',
    parse: p.boolean,
  }),
  sweepAge: opt({
    input: 'sweep-age',
    env: 'BUILDAMI_SWEEP_AGE',
    stages: ['build', 'sweep'],
    description:
      'Age past which an amibake build instance or unfinished AMI counts as leaked (longer than any bake: the instance and AMI timeouts).',
    default: '6h',
    parse: g.duration(60 * 60_000, 365 * 86_400_000),
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
