/**
 * AMIs and their snapshots, for every feature: describe, find by name, create, wait until
 * available, tag with the snapshots, discard or remove. Errors are classified by ./errors.ts.
 */
import {
  CreateImageCommand,
  ModifyImageAttributeCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type BlockDeviceMapping,
  type EC2Client,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import { isNotFound } from './errors.js';
import { pause, pollBackoff } from './poll.js';
import { toTags } from './tags.js';

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

/**
 * Waits for `available` and returns the image; any other end is an ImageWaitError. Polls with
 * a short first pause growing to `intervalSeconds` (./poll.ts); an error of DescribeImages (the
 * new id not known yet, a throttle) is retried until the timeout, as the SDK's waiter does.
 */
export async function waitAvailable(
  ec2: EC2Client,
  imageId: string,
  opts: { timeoutSeconds: number; intervalSeconds: number; abortSignal?: AbortSignal },
): Promise<Image> {
  const signal = opts.abortSignal;
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  const next = pollBackoff(opts.intervalSeconds * 1000);
  const fail = (kind: ImageWaitError['kind'], image: Image | undefined, cause: unknown) =>
    new ImageWaitError(imageId, kind, image, cause, opts.timeoutSeconds);
  let image: Image | undefined;
  for (;;) {
    let error: unknown;
    try {
      const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }), { abortSignal: signal });
      image = out.Images?.find((i) => i.ImageId === imageId) ?? image;
      if (image?.State === 'available') return image;
      if (image?.State === 'failed') throw fail('failed', image, undefined);
    } catch (err) {
      if (err instanceof ImageWaitError) throw err;
      error = err;
    }
    if (signal?.aborted) throw fail('aborted', image, error ?? new Error('the wait was cancelled'));
    const left = deadline - Date.now();
    // Out of time with the last DescribeImages failing is that failure, not a timeout of a
    // pending image.
    if (left <= 0) throw fail(error ? 'other' : 'timeout', image, error);
    if (!(await pause(Math.min(next(), left), signal)))
      throw fail('aborted', image, new Error('the wait was cancelled'));
  }
}

export async function tagSnapshots(
  ec2: EC2Client,
  image: Image,
  tags: Record<string, string>,
): Promise<void> {
  const ids = snapshotIds(image);
  if (ids.length) await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: toTags(tags) }));
}

/** Tags the image alone (a verdict on it: its snapshots keep the tags they were made with). */
export async function tagImage(ec2: EC2Client, imageId: string, tags: Record<string, string>): Promise<void> {
  await ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: toTags(tags) }));
}

/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
export async function tagImageAndSnapshots(ec2: EC2Client, image: Image, tags: Tag[]): Promise<string[]> {
  const snaps = snapshotIds(image);
  if (tags.length)
    await ec2.send(new CreateTagsCommand({ Resources: [image.ImageId!, ...snaps], Tags: tags }));
  return snaps;
}

/** Instances launched from the AMI must use IMDSv2 (irreversible on the image, hence opt-out). */
export async function requireImdsV2(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
}
