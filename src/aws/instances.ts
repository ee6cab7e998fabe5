/** The temporary instance: how it is launched, found again and terminated. */
import {
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
  type BlockDeviceMapping,
  type EC2Client,
  type Filter,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { errorCode, isNotFound } from './errors.js';
import { retryUntil, type Sleep } from './retry.js';
import { TAG, toTags } from './tags.js';

/** States in which an instance still costs money or holds a volume. */
export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

export interface LaunchSpec {
  baseAmi: string;
  instanceType: string;
  /** Absent: the default VPC's subnet EC2 picks. */
  subnet?: string;
  securityGroups: string[];
  profile?: string;
  keyPair?: string;
  userdata: Buffer;
  clientToken: string;
  tags: Record<string, string>;
  blockDevices?: BlockDeviceMapping[];
}

export function runInstancesInput(spec: LaunchSpec): RunInstancesCommandInput {
  const tags = toTags(spec.tags);
  return {
    ImageId: spec.baseAmi,
    InstanceType: spec.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: 1,
    MaxCount: 1,
    SubnetId: spec.subnet,
    SecurityGroupIds: spec.securityGroups,
    IamInstanceProfile: spec.profile
      ? spec.profile.startsWith('arn:')
        ? { Arn: spec.profile }
        : { Name: spec.profile }
      : undefined,
    KeyName: spec.keyPair,
    UserData: spec.userdata.toString('base64'),
    ClientToken: spec.clientToken,
    // The install ends with a poweroff from inside: that must stop, never terminate, the instance.
    InstanceInitiatedShutdownBehavior: 'stop',
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
    BlockDeviceMappings: spec.blockDevices,
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}

async function describe(ec2: EC2Client, filters: Filter[]): Promise<Instance[]> {
  const out: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, NextToken }));
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

export async function describeInstance(ec2: EC2Client, id: string): Promise<Instance | undefined> {
  const [found] = await describe(ec2, [{ Name: 'instance-id', Values: [id] }]);
  return found;
}

/**
 * Instances launched with any of `clientTokens` (one per RunInstances attempt): by the
 * `client-token` filter and by `tagFilters` (default: the `amibake:client-token` tag equal to one
 * of the tokens; tags at creation are applied with the launch itself). moto does not implement
 * the client-token filter, so a failing query only counts when both fail.
 * `quick` is a client with few retries for the filter moto lacks.
 */
export async function findByTokens(
  ec2: EC2Client,
  quick: EC2Client,
  clientTokens: string[],
  logger: Logger,
  tagFilters: Filter[] = [{ Name: `tag:${TAG.clientToken}`, Values: clientTokens }],
): Promise<Instance[]> {
  if (!clientTokens.length) return [];
  const [byFilter, byTag] = await Promise.allSettled([
    describe(quick, [{ Name: 'client-token', Values: clientTokens }]),
    describe(ec2, tagFilters),
  ]);
  if (byFilter.status === 'rejected') {
    logger.debug(`client-token filter: ${errorMessage(byFilter.reason)}; using the tag alone`);
  }
  if (byTag.status === 'rejected') {
    if (byFilter.status === 'rejected') throw byTag.reason;
    logger.debug(`tag filter: ${errorMessage(byTag.reason)}`);
  }
  const all = new Map<string, Instance>();
  for (const r of [byFilter, byTag]) {
    if (r.status === 'fulfilled') for (const i of r.value) if (i.InstanceId) all.set(i.InstanceId, i);
  }
  return [...all.values()];
}

/**
 * RunInstances refusals that another instance type or subnet (availability zone) may not meet:
 * no capacity for the type in that zone right now, or the type not offered there. Quotas
 * (InstanceLimitExceeded, VcpuLimitExceeded) are the account's in the whole region, the same for
 * every zone and for most types: trying on would repeat the refusal and bury its message.
 */
export const CAPACITY_CODES = ['InsufficientInstanceCapacity', 'Unsupported'] as const;

export function isCapacityError(err: unknown): boolean {
  return (CAPACITY_CODES as readonly string[]).includes(errorCode(err));
}

/** The architectures each of `types` supports (DescribeInstanceTypes); an unknown type fails
 *  the call with InvalidInstanceType, as RunInstances would. */
export async function instanceTypeArchitectures(
  ec2: EC2Client,
  types: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: types as NonNullable<RunInstancesCommandInput['InstanceType']>[],
        NextToken,
      }),
    );
    for (const t of page.InstanceTypes ?? [])
      if (t.InstanceType) out.set(t.InstanceType, t.ProcessorInfo?.SupportedArchitectures ?? []);
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/**
 * TerminateInstances for one known instance, retried with backoff until `deadline` whatever the
 * error (a throttled, failing or expired call must not abandon it; DescribeInstances is not
 * needed first). Resolves with the state AWS answered (`shutting-down`, `terminated`), or
 * `gone` when AWS does not know the id any more; throws the last error when the deadline passes.
 */
export async function terminateKnown(
  ec2: EC2Client,
  id: string,
  opts: { deadline: number; logger: Logger; sleep?: Sleep },
): Promise<string> {
  const state = await retryUntil(
    async () => {
      try {
        const out = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
        return (
          out.TerminatingInstances?.find((t) => t.InstanceId === id)?.CurrentState?.Name ?? 'shutting-down'
        );
      } catch (err) {
        if (isNotFound(err, 'instance')) return 'gone';
        throw err;
      }
    },
    {
      deadline: opts.deadline,
      sleep: opts.sleep,
      onError: (err) => opts.logger.debug(`TerminateInstances ${id}: ${errorMessage(err)}; retrying`),
    },
  );
  return state ?? 'shutting-down';
}

export async function waitTerminated(
  ec2: EC2Client,
  ids: string[],
  opts: { maxWaitSeconds: number; delaySeconds: number; abortSignal?: AbortSignal },
): Promise<void> {
  if (!ids.length) return;
  await waitUntilInstanceTerminated(
    {
      client: ec2,
      maxWaitTime: opts.maxWaitSeconds,
      minDelay: opts.delaySeconds,
      maxDelay: Math.max(opts.delaySeconds, 15),
      abortSignal: opts.abortSignal,
    },
    { InstanceIds: ids },
  );
}
