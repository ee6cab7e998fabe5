/**
 * Removing AMIs with their snapshots (a snapshot cannot go while an image uses it): a bake's own
 * unfinished AMI is discarded loudly, every call retried until a deadline; retention and copies
 * remove best-effort, warning. "Already gone" is never a problem (./errors.ts decides what is).
 */
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isNotFound } from './errors.js';
import { findImage, snapshotIds, snapshotsByDescription, tagSnapshots } from './images.js';
import { retryUntil, type Sleep } from './retry.js';
import { ownTags } from './tags.js';

/**
 * Deregisters an AMI that is not a bake result and deletes its snapshots, each call retried until
 * `deadline`. Returns the problems, each naming what is left by id (an empty list: all gone).
 */
export async function discardImage(
  ec2: EC2Client,
  image: Image,
  logger: Logger,
  opts: { deadline: number; sleep?: Sleep; what?: string },
): Promise<string[]> {
  const imageId = image.ImageId!;
  // How the log and the problems call it (an AMI that failed its test is not unfinished).
  const what = opts.what ?? 'unfinished AMI';
  const problems: string[] = [];
  const retry = <T>(call: () => Promise<T>, gone: 'image' | 'snapshot') =>
    retryUntil(
      async () => {
        try {
          await call();
        } catch (err) {
          if (isNotFound(err, gone)) return true;
          throw err;
        }
        return true;
      },
      {
        deadline: opts.deadline,
        sleep: opts.sleep,
        onError: (err) => logger.debug(`${errorMessage(err)}; retrying`),
      },
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
    logger.info(`deregistered the ${what} ${imageId} (${image.State})`);
  } catch (err) {
    const snaps = snapshotIds(image);
    problems.push(
      `the ${what} ${imageId} (${image.Name ?? ''}, ${image.State}) is left` +
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
      `could not list the snapshots of the discarded ${what} ${imageId} (filter description=*${imageId}*): ` +
        `${errorMessage(err)}; any that exist are left`,
    );
  }
  for (const snap of snaps) {
    try {
      await retry(() => ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap })), 'snapshot');
      logger.info(`deleted snapshot ${snap}`);
    } catch (err) {
      problems.push(`the snapshot ${snap} of the discarded ${what} ${imageId} is left: ${errorMessage(err)}`);
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
      if (!isNotFound(err, 'image')) problems.push(`deregister ${imageId}: ${errorMessage(err)}`);
    }
  }
  if (problems.length === 0) {
    for (const snap of snapshots) {
      try {
        await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap }));
      } catch (err) {
        if (!isNotFound(err, 'snapshot')) problems.push(`delete ${snap}: ${errorMessage(err)}`);
      }
    }
  }
  for (const p of problems) log.warn(p);
  return { imageId, snapshots, problems };
}
