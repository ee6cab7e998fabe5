/** Small EC2 helpers shared by the golden-image features: error codes, image lookups, tagging
 *  an image with its snapshots, and removing an image with its snapshots. */
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';

/** A function that returns the EC2 client of a region (one per region, reused). */
export type ClientFor = (region: string) => EC2Client;

/** The AWS error code of an SDK error ('DryRunOperation', 'InvalidAMIID.NotFound', ...). */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? e?.code ?? '';
}

const THROTTLING =
  /^(RequestLimitExceeded|Throttling|ThrottlingException|ThrottledException|RequestThrottled|SlowDown|TooManyRequestsException)$/;

/** AWS answered and refused the call (a 4xx that is not throttling): it was not carried out. Any
 *  other failure (5xx, throttling, a lost connection) may have come after AWS did the work. */
export function refusedByAws(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 429 &&
    !THROTTLING.test(errorCode(err))
  );
}

export function snapshotIds(image: Image): string[] {
  return (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s): s is string => !!s);
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

/** The image, or undefined when it does not exist (any more). */
export async function findImage(ec2: EC2Client, imageId: string): Promise<Image | undefined> {
  try {
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    return out.Images?.find((i) => i.ImageId === imageId);
  } catch (err) {
    if (/^InvalidAMIID\./.test(errorCode(err))) return undefined;
    throw err;
  }
}

/** Our own image of that name in the client's region (AMI names are unique per region and owner). */
export async function findOwnImageByName(ec2: EC2Client, name: string): Promise<Image | undefined> {
  const out = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }),
  );
  return out.Images?.find((i) => i.Name === name);
}

export const tagValue = (image: Image, key: string): string | undefined =>
  image.Tags?.find((t) => t.Key === key)?.Value;

/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
export async function tagImageAndSnapshots(ec2: EC2Client, image: Image, tags: Tag[]): Promise<string[]> {
  const snaps = snapshotIds(image);
  if (tags.length)
    await ec2.send(new CreateTagsCommand({ Resources: [image.ImageId!, ...snaps], Tags: tags }));
  return snaps;
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
      if (!/^InvalidAMIID\./.test(errorCode(err)))
        problems.push(`deregister ${imageId}: ${errorMessage(err)}`);
    }
  }
  if (problems.length === 0) {
    for (const snap of snapshots) {
      try {
        await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap }));
      } catch (err) {
        if (errorCode(err) !== 'InvalidSnapshot.NotFound')
          problems.push(`delete ${snap}: ${errorMessage(err)}`);
      }
    }
  }
  for (const p of problems) log.warn(p);
  return { imageId, snapshots, problems };
}
