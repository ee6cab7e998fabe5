/** Everything a bake needs, resolved from the options, the prepared files and the environment,
 *  and checked before any AWS call. */
import { randomBytes } from 'node:crypto';
import { digestOf } from '../../core/digest.js';
import { OptionError, msg, opt, type Part } from '../../core/errors.js';
import type { S3Location } from '../../core/parse.js';
import type { BakeOptions } from './options.js';
import { stagingLocation } from './location.js';
import { VARS, type Prepared } from './prepared.js';

/** AWS's rule for AMI names. */
const AMI_NAME_RE = /^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/;

export interface BakeConfig {
  region: string;
  name: string;
  version: string;
  /** `NAME-VERSION`: AMI names are unique per account and region, versions make them so. */
  amiName: string;
  description: string;
  baseAmi: string;
  /** In order of preference: the capacity fallback tries the next one (./capacity.ts). */
  subnets: string[];
  securityGroups: string[];
  profile?: string;
  /** In order of preference; empty: the default of the base image's architecture (preflight). */
  instanceTypes: string[];
  keyPair?: string;
  /** Seconds. The options table enforces the user-facing bounds; the core takes any positive value. */
  timeoutInstance: number;
  timeoutAmi: number;
  waitInstance: number;
  waitAmi: number;
  allowNoResult: boolean;
  /** Where fs.tgz, the result and the log go; absent when nothing needs S3. */
  staging?: S3Location;
  s3Region: string;
  prepared: Prepared;
  /** Value of the `amibake:run` tag: the CI run that launched the instance. */
  runId: string;
  /** The user's tags for everything amibake creates. */
  extraTags: Record<string, string>;
  outputFile?: string;
}

/** GitHub's run id and attempt; elsewhere a generated id (Jenkins: BUILD_TAG). */
export function runIdFrom(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_RUN_ID) return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  if (env.BUILD_TAG) return env.BUILD_TAG.slice(0, 200);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `cli-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The reuse digest (tag `amibake:digest`): what makes two bakes of the same name the same AMI.
 *  Hashed with the digest scheme, so tags written by an earlier amibake never match. */
export function bakeDigest(parts: Record<string, string>): string {
  return digestOf(parts);
}

/**
 * The inputs of the reuse digest known before any AWS call: the prepared files as the build
 * digested them itself, and the options that change what ends up on the image. The instance type
 * is the hardware the install ran on (drivers, what an install script detects): the candidate
 * types as preflight settles them (the one that launches is known only after), the key pair's
 * public key is written into the image by cloud-init, and an AMI trusted without an install result
 * must not stand in for one that proved its install. The base AMI (preflight) and the root volume
 * and IMDS settings (the golden phases) are added later.
 */
export function imageDigestParts(cfg: BakeConfig): Record<string, string> {
  return {
    prepared: cfg.prepared.digest,
    'instance-type': cfg.instanceTypes.join(','),
    'key-pair': cfg.keyPair ?? '',
    result: cfg.allowNoResult ? 'stop-trusted' : 'required',
  };
}

/** A list in its order, each value once (a repeated type or subnet would only be refused twice). */
const unique = (values: string[]) => [...new Set(values)];

export function resolveConfig(
  opts: BakeOptions,
  prepared: Prepared,
  ctx: {
    region: string;
    env: NodeJS.ProcessEnv;
    /** Decided by the front: see ./location.ts. */
    trustArtifactLocation: boolean;
  },
): BakeConfig {
  const problems: Part[][] = [];
  const name = opts.targetName ?? prepared.vars[VARS.name];
  const version = opts.targetVersion ?? prepared.vars[VARS.version];
  if (!name) problems.push(msg`${opt('targetName', 'NAME')}: is required, ${prepared.varsPath} has no NAME`);
  if (!version)
    problems.push(msg`${opt('targetVersion', 'VERSION')}: is required, ${prepared.varsPath} has no VERSION`);
  if (opts.subnet?.length === 0) problems.push(msg`${opt('subnet')}: is required`);
  const amiName = `${name}-${version}`;
  if (name && version && !AMI_NAME_RE.test(amiName))
    problems.push(
      msg`${opt('targetName')}: the AMI name "${amiName}" (name-version) must be 3 to 128 letters, digits, spaces and ()[]./-'@_`,
    );

  const location = stagingLocation(opts.buildS3Url, prepared, {
    trustArtifactLocation: ctx.trustArtifactLocation,
  });
  problems.push(...location.problems);
  if (problems.length) throw new OptionError(problems);
  const staging = location.staging;

  return {
    region: ctx.region,
    name: name!,
    version: version!,
    amiName,
    description:
      opts.targetDescription ??
      prepared.vars[VARS.description]?.slice(0, 255) ??
      `${name} ${version} (baked by amibake)`,
    baseAmi: opts.baseAmi,
    subnets: unique(opts.subnet ?? []),
    securityGroups: opts.securityGroups,
    profile: opts.profile,
    instanceTypes: unique(opts.instanceType ?? []),
    keyPair: opts.keyPair,
    timeoutInstance: opts.timeoutInstance,
    timeoutAmi: opts.timeoutAmi,
    waitInstance: opts.waitInstance,
    waitAmi: opts.waitAmi,
    allowNoResult: opts.allowNoResult,
    staging,
    s3Region: opts.s3Region ?? ctx.region,
    prepared,
    runId: runIdFrom(ctx.env),
    extraTags: {},
    outputFile: opts.outputFile,
  };
}
