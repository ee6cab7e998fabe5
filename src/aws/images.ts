/**
 * AMIs and their snapshots, for every feature: describe, find by name, create, wait until
 * available, tag with the snapshots, discard or remove. Errors are classified by ./errors.ts.
 */
import {
  CreateImageCommand,
  ModifyImageAttributeCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  waitUntilImageAvailable,
  type BlockDeviceMapping,
  type EC2Client,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isNotFound } from './errors.js';
import { retryUntil, type Sleep } from './retry.js';
import { ownTags, toTags } from './tags.js';

/** The image; undefined only when the (valid) id is unknown. Errors, a malformed id included, throw. */
export async function describeImage(ec2: EC2Client, imageId: string): Promise<Image | undefined> {
  const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  return out.Images?.[0];
}

/** The image, or undefined when it does not exist (any more): "not found" is an answer here. */
export async function findImage(ec2: EC2Client, imageId: string): Promise<Image | undefined> {
  try {
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    return out.Images?.find((i) => i.ImageId === imageId);
  } catch (err) {
    if (isNotFound(err, 'image')) return undefined;
    throw err;
  }
}

/** The account's own AMI of that name in the client's region, if any (names are unique per
 *  account and region). */
export async function findByName(ec2: EC2Client, name: string): Promise<Image | undefined> {
  const out = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }),
  );
  return out.Images?.find((i) => i.Name === name);
}

export function snapshotIds(image: Image): string[] {
  return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}

export function isEncrypted(image: Image): boolean {
  return (image.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted === true);
}

/** The snapshots EC2 made for `imageId`, found by their description ("Created by CreateImage(...)
 *  for ami-..."): a pending AMI does not list them yet, but they exist and outlive it. */
export async function snapshotsByDescription(ec2: EC2Client, imageId: string): Promise<string[]> {
  const out = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'description', Values: [`*${imageId}*`] }],
    }),
  );
  return (out.Snapshots ?? []).map((s) => s.SnapshotId!).filter(Boolean);
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

/** Why an image did not become available (`kind`); the message says it for a user, callers
 *  may word it their own way. */
export class ImageWaitError extends Error {
  override name = 'ImageWaitError';
  constructor(
    readonly imageId: string,
    /** failed: AWS gave up on it; timeout: still not available; aborted: the wait was cancelled;
     *  other: the wait itself failed (`cause`). */
    readonly kind: 'failed' | 'timeout' | 'aborted' | 'other',
    /** The image as last seen, if it could be described. */
    readonly image: Image | undefined,
    cause: unknown,
    timeoutSeconds: number,
  ) {
    const r = image?.StateReason;
    const reason = r?.Message || r?.Code || 'no reason given';
    super(
      kind === 'failed'
        ? `AMI ${imageId} failed: ${reason}`
        : kind === 'timeout'
          ? `AMI ${imageId} is not available after ${timeoutSeconds} s (state ${image?.State ?? 'unknown'})`
          : errorMessage(cause),
      { cause },
    );
    this.reason = reason;
  }

  readonly reason: string;
}

/** Waits for `available` and returns the image; any other end is an ImageWaitError. */
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
    const image = await findImage(ec2, imageId).catch(() => undefined);
    const kind =
      image?.State === 'failed'
        ? 'failed'
        : opts.abortSignal?.aborted
          ? 'aborted'
          : image?.State === 'pending' || (err as Error).name === 'TimeoutError' || /TIMEOUT/i.test(errorMessage(err))
            ? 'timeout'
            : 'other';
    throw new ImageWaitError(imageId, kind, image, err, opts.timeoutSeconds);
  }
  const image = await findImage(ec2, imageId);
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

/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
export async function tagImageAndSnapshots(ec2: EC2Client, image: Image, tags: Tag[]): Promise<string[]> {
  const snaps = snapshotIds(image);
  if (tags.length)
    await ec2.send(new CreateTagsCommand({ Resources: [image.ImageId!, ...snaps], Tags: tags }));
  return snaps;
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
  const retry = <T>(what: () => Promise<T>, gone: 'image' | 'snapshot') =>
    retryUntil(
      async () => {
        try {
          await what();
        } catch (err) {
          if (isNotFound(err, gone)) return true;
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
    await retry(() => ec2.send(new DeregisterImageCommand({ ImageId: imageId })), 'image');
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
        'snapshot',
      );
      logger.info(`deleted snapshot ${snap}`);
    } catch (err) {
      problems.push(`the snapshot ${snap} of the discarded AMI ${imageId} is left: ${errorMessage(err)}`);
    }
  }
  return problems;
}
export interface Removal {
  imageId: string;
  snapshots: string[];
  /** Problems met on the way (warned, never thrown). */
  problems: string[];
}

/**
 * Deregisters the image, then deletes its snapshots (a snapshot cannot go while an image uses
 * it). `extraSnapshots` are snapshots known from elsewhere (a pending copy lists none yet).
 * Idempotent: a missing image or snapshot is not a problem.
 */
export async function removeImage(
  ec2: EC2Client,
  imageId: string,
  log: Logger,
  extraSnapshots: string[] = [],
): Promise<Removal> {
  const problems: string[] = [];
  let image: Image | undefined;
  try {
    image = await findImage(ec2, imageId);
  } catch (err) {
    problems.push(`describe ${imageId}: ${errorMessage(err)}`);
  }
  const snapshots = [...new Set([...(image ? snapshotIds(image) : []), ...extraSnapshots])];
  if (image) {
    try {
      await ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    } catch (err) {
      if (!isNotFound(err, 'image'))
        problems.push(`deregister ${imageId}: ${errorMessage(err)}`);
    }
  }
  if (problems.length === 0) {
    for (const snap of snapshots) {
      try {
        await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap }));
      } catch (err) {
        if (!isNotFound(err, 'snapshot'))
          problems.push(`delete ${snap}: ${errorMessage(err)}`);
      }
    }
  }
  for (const p of problems) log.warn(p);
  return { imageId, snapshots, problems };
}

/** Instances launched from the AMI must use IMDSv2 (irreversible on the image, hence opt-out). */
export async function requireImdsV2(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
}

