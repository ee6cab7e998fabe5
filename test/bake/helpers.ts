/** Shared pieces of the build tests: moto's network ids, BUILDAMI_* for them, in-process bakes. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type Image,
  type Instance,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createCliLogger, type Logger } from '../../src/core/log.js';
import { cliSource } from '../../src/core/options.js';
import { named } from '../../src/core/errors.js';
import { namesFor, readOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import { MemoryState } from '../../src/engine/state.js';
import type { BakeResult } from '../../src/features/bake/context.js';
import { REGION } from '../support/moto.js';

export const BUCKET = 'amibake-staging';

export interface MotoIds {
  subnet: string;
  securityGroup: string;
  baseAmi: string;
}

export function ec2For(endpoint: string): EC2Client {
  return new EC2Client({ region: REGION, endpoint });
}

export function s3For(endpoint: string): S3Client {
  return new S3Client({ region: REGION, endpoint, forcePathStyle: true });
}

/** An Ubuntu AMI of moto's built-in list (the same id in every region and after a reset). */
export const BASE_AMI = 'ami-1e749f67';

/** A subnet, a security group and a Linux base AMI moto knows, and the staging bucket. */
export async function motoIds(endpoint: string): Promise<MotoIds> {
  const ec2 = ec2For(endpoint);
  const [subnets, groups, images] = await Promise.all([
    ec2.send(new DescribeSubnetsCommand({})),
    ec2.send(new DescribeSecurityGroupsCommand({})),
    ec2.send(new DescribeImagesCommand({ ImageIds: [BASE_AMI] })),
  ]);
  const base = images.Images![0];
  await s3For(endpoint)
    .send(new CreateBucketCommand({ Bucket: BUCKET }))
    .catch(() => undefined);
  return {
    subnet: subnets.Subnets![0].SubnetId!,
    securityGroup: groups.SecurityGroups![0].GroupId!,
    baseAmi: base.ImageId!,
  };
}

export function buildEnv(ids: MotoIds, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BUILDAMI_BASEAMI: ids.baseAmi,
    BUILDAMI_SUBNET: ids.subnet,
    BUILDAMI_SECURITYGROUPS: ids.securityGroup,
    BUILDAMI_WAIT_INSTANCE: '1',
    BUILDAMI_WAIT_AMI: '1',
    ...extra,
  };
}

/**
 * action-build's inputs for a bake of `dir` on moto's network, polling every second; `extra`
 * adds or overrides inputs, and an input set to undefined is left out (as the runner leaves an
 * input the workflow does not set and the action.yml does not default).
 */
export function actionInputs(
  ids: MotoIds,
  dir: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    directory: dir,
    'base-ami': ids.baseAmi,
    subnet: ids.subnet,
    'security-groups': ids.securityGroup,
    'wait-instance': '1',
    'wait-ami': '1',
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

export async function instances(ec2: EC2Client): Promise<Instance[]> {
  const out = await ec2.send(new DescribeInstancesCommand({}));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

export const LIVE = ['pending', 'running', 'stopping', 'stopped'];

export async function liveInstances(ec2: EC2Client): Promise<Instance[]> {
  return (await instances(ec2)).filter((i) => LIVE.includes(i.State?.Name ?? ''));
}

export async function ownImages(ec2: EC2Client): Promise<Image[]> {
  return (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
}

export async function objects(endpoint: string): Promise<string[]> {
  const out = await s3For(endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'amibake-test-'));
}

export interface InProcess {
  result?: BakeResult;
  error?: Error;
  log: string;
  state: MemoryState;
}

/** A logger that keeps what it prints (secrets masked like the CLI masks them). */
export function captureLogger(): { logger: Logger; text: () => string } {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  // Plain text whatever the test runs in (no stop-commands fences even under GitHub Actions).
  return { logger: createCliLogger(stream, true, false), text: () => text };
}

/**
 * Runs a bake in this process through the CLI's option reading, with `tweaks` applied to the
 * parsed options: the core takes any positive timeout, only the options table bounds them, so
 * timeouts can be tested in seconds.
 */
export async function bakeInProcess(
  userdata: string,
  env: Record<string, string>,
  tweaks: Partial<BuildOptions> = {},
): Promise<InProcess> {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  try {
    const opts = { ...readOptions('build', cliSource({ ...process.env, ...env })), ...tweaks };
    const bake = await createBake(
      opts,
      { userdata, fsTgz: opts.fsTgz },
      { trustArtifactLocation: true, logger, state, env: { ...process.env, ...env } },
    );
    const result = await bake.run();
    return { result, log: text(), state };
  } catch (error) {
    // As the CLI says it: the options by their variables.
    return { error: named(error as Error, namesFor('cli', 'build')), log: text(), state };
  }
}
