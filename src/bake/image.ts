/** The AMI: found by name (reuse), created from the stopped instance, waited for, tagged. */
import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  waitUntilImageAvailable,
  type BlockDeviceMapping,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { UserError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { errorCode, snapshotsByDescription } from '../golden/aws.js';
import { retryUntil, type Sleep } from './retry.js';
import { toTags } from './tags.js';

export async function describeImage(ec2: EC2Client, imageId: string): Promise<Image | undefined> {
  const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  return out.Images?.[0];
}

/** The account's own AMI of that name in the region, if any (names are unique per account and region). */
export async function findByName(ec2: EC2Client, name: string): Promise<Image | undefined> {
  const out = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }),
  );
  return out.Images?.find((i) => i.Name === name);
}

export function snapshotIds(image: Image): string[] {
  return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}

export interface ImageSpec {
  instanceId: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  blockDevices?: BlockDeviceMapping[];
}

/** Snapshot tags are not given here but with CreateTags once the AMI is available: the
 *  snapshot ids are known then (and moto rejects snapshot TagSpecifications on CreateImage). */
export async function createImage(ec2: EC2Client, spec: ImageSpec): Promise<string> {
  const out = await ec2.send(
    new CreateImageCommand({
      InstanceId: spec.instanceId,
      Name: spec.name,
      Description: spec.description,
      BlockDeviceMappings: spec.blockDevices,
      TagSpecifications: [{ ResourceType: 'image', Tags: toTags(spec.tags) }],
    }),
  );
  if (!out.ImageId) throw new Error('CreateImage returned no image id');
  return out.ImageId;
}

function reasonOf(image: Image | undefined): string {
  const r = image?.StateReason;
  return r?.Message || r?.Code || 'no reason given';
}

/** Waits for `available`; a `failed` image is an error with its state reason. */
export async function waitAvailable(
  ec2: EC2Client,
  imageId: string,
  opts: { timeoutSeconds: number; intervalSeconds: number; abortSignal?: AbortSignal },
): Promise<Image> {
  try {
    await waitUntilImageAvailable(
      {
        client: ec2,
        maxWaitTime: opts.timeoutSeconds,
        minDelay: opts.intervalSeconds,
        maxDelay: opts.intervalSeconds,
        abortSignal: opts.abortSignal,
      },
      { ImageIds: [imageId] },
    );
  } catch (err) {
    const image = await describeImage(ec2, imageId).catch(() => undefined);
    if (image?.State === 'failed') throw new UserError(`AMI ${imageId} failed: ${reasonOf(image)}`);
    if (opts.abortSignal?.aborted) throw err;
    if (image?.State === 'pending' || (err as Error).name === 'TimeoutError')
      throw new UserError(
        `AMI ${imageId} is not available after ${opts.timeoutSeconds} s (state ${image?.State ?? 'unknown'})`,
      );
    throw err;
  }
  const image = await describeImage(ec2, imageId);
  if (!image) throw new Error(`AMI ${imageId} vanished`);
  return image;
}

export async function tagSnapshots(
  ec2: EC2Client,
  image: Image,
  tags: Record<string, string>,
): Promise<void> {
  const ids = snapshotIds(image);
  if (ids.length) await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: toTags(tags) }));
}

/** The image's tags that may be copied to other resources (not the reserved `aws:` ones). */
export function ownTags(image: Image): Record<string, string> {
  return Object.fromEntries(
    (image.Tags ?? []).filter((t) => t.Key && !t.Key.startsWith('aws:')).map((t) => [t.Key!, t.Value ?? '']),
  );
}

/**
 * Deregisters an AMI that is not a bake result and deletes its snapshots, each call retried until
 * `deadline`. Returns the problems, each naming what is left by id (an empty list: all gone).
 */
export async function discardImage(
  ec2: EC2Client,
  image: Image,
  logger: Logger,
  opts: { deadline: number; sleep?: Sleep },
): Promise<string[]> {
  const imageId = image.ImageId!;
  const problems: string[] = [];
  const retry = <T>(what: () => Promise<T>, gone: RegExp) =>
    retryUntil(
      async () => {
        try {
          await what();
        } catch (err) {
          if (gone.test(errorCode(err))) return true;
          throw err;
        }
        return true;
      },
      { ...opts, onError: (err) => logger.debug(`${errorMessage(err)}; retrying`) },
    );
  // The snapshots of an unfinished AMI are untagged (they get their tags once it is available):
  // tag them first, so that a role allowed to delete only amibake's snapshots may delete them,
  // and one that cannot be deleted stays recognisable.
  const tags = ownTags(image);
  if (Object.keys(tags).length)
    await tagSnapshots(ec2, image, tags).catch((err) =>
      logger.warn(`could not tag the snapshots of ${imageId}: ${errorMessage(err)}`),
    );
  try {
    await retry(() => ec2.send(new DeregisterImageCommand({ ImageId: imageId })), /^InvalidAMIID\./);
    logger.info(`deregistered the unfinished AMI ${imageId} (${image.State})`);
  } catch (err) {
    const snaps = snapshotIds(image);
    problems.push(
      `the unfinished AMI ${imageId} (${image.Name ?? ''}, ${image.State}) is left` +
        (snaps.length ? ` with its snapshots ${snaps.join(', ')}` : '') +
        `: ${errorMessage(err)}`,
    );
    return problems;
  }
  // A pending AMI does not list its snapshots yet: they are found by description too.
  const snaps = new Set(snapshotIds(image));
  try {
    for (const id of await snapshotsByDescription(ec2, imageId)) snaps.add(id);
  } catch (err) {
    problems.push(
      `could not list the snapshots of the discarded AMI ${imageId} (filter description=*${imageId}*): ` +
        `${errorMessage(err)}; any that exist are left`,
    );
  }
  for (const snap of snaps) {
    try {
      await retry(
        () => ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap })),
        /^InvalidSnapshot\.NotFound/,
      );
      logger.info(`deleted snapshot ${snap}`);
    } catch (err) {
      problems.push(`the snapshot ${snap} of the discarded AMI ${imageId} is left: ${errorMessage(err)}`);
    }
  }
  return problems;
}
