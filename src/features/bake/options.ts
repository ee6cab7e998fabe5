/** The bake's options: what the instance is launched from and with, and how long it may take. */
import { option, seconds, type SliceOptions } from '../../core/options.js';
import * as p from '../../core/parse.js';
import { baseAmiRef } from './base-ref.js';

export const BAKE_OPTIONS = {
  directory: option({
    input: 'directory',
    stages: ['build'],
    description: 'Use the prepared files in this folder instead of downloading the artifact.',
    parse: p.text,
  }),
  userdata: option({
    env: 'BUILDAMI_USERDATA',
    stages: ['build'],
    description:
      'Path to `userdata.gz` (or the first argument). `vars.env` and `fs.tgz` beside it are used too.',
    parse: p.text,
  }),
  targetName: option({
    input: 'target-name',
    env: 'BUILDAMI_TARGETNAME',
    stages: ['build'],
    description:
      'Image name (or the second argument); the AMI is named `NAME-VERSION`. Default: `NAME` from `ami.env`.',
    parse: p.imageName,
  }),
  targetVersion: option({
    input: 'target-version',
    env: 'BUILDAMI_TARGETVERSION',
    stages: ['build'],
    description: 'Image version (or the third argument). Default: `VERSION` from `ami.env`.',
    parse: p.imageVersion,
  }),
  targetDescription: option({
    input: 'target-description',
    env: 'BUILDAMI_TARGETDESCRIPTION',
    stages: ['build'],
    description:
      'AMI description. Default: `DESCRIPTION` from `ami.env`, else generated from the name and version.',
    parse: p.pattern(/^.{1,255}$/s, 'at most 255 characters'),
  }),
  baseAmi: option({
    input: 'base-ami',
    env: 'BUILDAMI_BASEAMI',
    stages: ['build'],
    description:
      'The base AMI the temporary instance boots: an id, `resolve:ssm:/parameter/path`, or `name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]` (newest available, not deprecated). Resolved before anything is launched.',
    required: true,
    // Validated here, resolved by src/features/base-ami/resolve.ts (an SSM or EC2 lookup).
    parse: (raw) => (baseAmiRef(raw), raw.trim()),
  }),
  securityGroups: option({
    input: 'security-groups',
    env: 'BUILDAMI_SECURITYGROUPS',
    stages: ['build'],
    description: 'Security group ids for the temporary instance, separated by commas or newlines.',
    required: true,
    parse: p.list(p.pattern(/^sg-[0-9a-f]{8,17}$/, 'security group ids such as sg-0123456789abcdef0')),
  }),
  subnet: option({
    input: 'subnet',
    env: 'BUILDAMI_SUBNET',
    stages: ['build'],
    description:
      'Subnet ids for the temporary instance, in order of preference, separated by commas or newlines. When no listed instance type has capacity in one subnet, the next is tried (subnets in other availability zones).',
    required: true,
    parse: p.list(p.pattern(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0123456789abcdef0')),
  }),
  profile: option({
    input: 'instance-profile',
    env: 'BUILDAMI_PROFILE',
    stages: ['build'],
    description: 'IAM instance profile (name or ARN). Optional: the instance needs no AWS access of its own.',
    parse: p.pattern(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
  }),
  instanceType: option({
    input: 'instance-type',
    env: 'BUILDAMI_TYPE',
    stages: ['build'],
    description:
      'Instance types of the temporary instance, in order of preference, separated by commas or newlines: on `InsufficientInstanceCapacity` or `Unsupported` the next type is tried, then every type in the next subnet. Types whose architecture is not the base AMI’s are dropped. Default: by the base AMI’s architecture, `t3.micro` for x86_64 and `t4g.micro` for arm64 (1 GiB each).',
    parse: p.list(p.pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro')),
  }),
  keyPair: option({
    input: 'key-pair',
    env: 'BUILDAMI_KEYPAIR',
    stages: ['build'],
    description: 'Key pair for the temporary instance. Default: none (amibake never needs SSH).',
    parse: p.pattern(/^.{1,255}$/, 'a key pair name'),
  }),
  outputFile: option({
    input: 'output-file',
    env: 'BUILDAMI_OUTPUT',
    stages: ['build'],
    description: 'File to write `AMI_ID=`, `AMI_NAME=`, `REGION=` lines to (sourceable).',
    parse: p.text,
  }),
  timeoutInstance: option({
    input: 'timeout-instance',
    env: 'BUILDAMI_TIMEOUT_INSTANCE',
    stages: ['build'],
    description: 'Seconds the install may take, from launch until the instance has stopped (at least 120).',
    default: '1800',
    parse: seconds(120, 86_400),
  }),
  timeoutAmi: option({
    input: 'timeout-ami',
    env: 'BUILDAMI_TIMEOUT_AMI',
    stages: ['build'],
    description: 'Seconds the AMI creation may take until it is available (at least 120).',
    default: '3600',
    parse: seconds(120, 86_400),
  }),
  waitInstance: option({
    input: 'wait-instance',
    env: 'BUILDAMI_WAIT_INSTANCE',
    stages: ['build'],
    description: 'Seconds between checks of the instance state (at most 60).',
    default: '5',
    parse: seconds(1, 60),
  }),
  waitAmi: option({
    input: 'wait-ami',
    env: 'BUILDAMI_WAIT_AMI',
    stages: ['build'],
    description: 'Seconds between checks of the AMI state (at most 60).',
    default: '5',
    parse: seconds(1, 60),
  }),
  buildS3Url: option({
    input: 'build-s3-url',
    env: 'BUILDAMI_S3URL',
    stages: ['build'],
    description:
      'S3 URL `fs.tgz` is uploaded to; the install result and log are written beside it. The action takes it from this input only; the CLI defaults to `S3URL` from `vars.env`. A `vars.env` naming another S3URL is refused.',
    parse: p.s3Url,
  }),
  s3Region: option({
    input: 's3-region',
    env: 'BUILDAMI_S3REGION',
    stages: ['build'],
    description: 'Region of the S3 bucket. Default: the build region.',
    parse: p.region,
  }),
  fsTgz: option({
    env: 'BUILDAMI_FSTGZ',
    stages: ['build'],
    description: 'Path to `fs.tgz`. Default: `fs.tgz` beside the user data, when prepare produced one.',
    parse: p.text,
  }),
  allowNoResult: option({
    input: 'allow-no-result',
    env: 'BUILDAMI_ALLOW_NO_RESULT',
    stages: ['build'],
    description:
      'Create the AMI when the instance stopped without reporting an install result (a base image without amibake’s result reporting).',
    default: 'false',
    parse: p.boolean,
  }),
} as const;

/** The parsed bake options (the build stage's, seen by the bake). */
export type BakeOptions = SliceOptions<typeof BAKE_OPTIONS>;
