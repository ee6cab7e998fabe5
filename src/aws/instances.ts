/** The temporary instance: how it is launched, found again and terminated. */
import {
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
import { isNotFound } from './errors.js';
import { retryUntil, type Sleep } from './retry.js';
import { TAG, toTags } from './tags.js';

/** States in which an instance still costs money or holds a volume. */
export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

export interface LaunchSpec {
  baseAmi: string;
  instanceType: string;
  subnet: string;
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
 * Instances launched with `clientToken`: by the `client-token` filter and by the
 * `amibake:client-token` tag (tags at creation are applied with the launch itself). moto does not
 * implement the client-token filter, so a failing query only counts when both fail.
 * `quick` is a client with few retries for the filter moto lacks.
 */
export async function findByToken(
  ec2: EC2Client,
  quick: EC2Client,
  clientToken: string,
  logger: Logger,
): Promise<Instance[]> {
  const [byFilter, byTag] = await Promise.allSettled([
    describe(quick, [{ Name: 'client-token', Values: [clientToken] }]),
    describe(ec2, [{ Name: `tag:${TAG.clientToken}`, Values: [clientToken] }]),
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
