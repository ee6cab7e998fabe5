/**
 * Recovery of the AMI phase, from the saved state alone: an AMI whose creation started and did
 * not finish is kept when it became available (its snapshots tagged like a result: a re-run
 * reuses it) and discarded otherwise, snapshots included. An AMI whose CreateImage answer was
 * lost is looked for by name, and is ours only if it carries our client token.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { errorMessage } from '../../core/errors.js';
import { discardImage } from '../../aws/image-removal.js';
import { describeImage, findByName, tagSnapshots } from '../../aws/images.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from '../../aws/retry.js';
import { TAG, ownTags } from '../../aws/tags.js';
import type { Saved } from '../../engine/phase.js';
import type { CleanupReport, RecoverDeps } from './context.js';
import { DEFAULT_TERMINATE_SECONDS } from './launch.js';
import { STATE } from './state.js';

const DEFAULT_IMAGE_LOOKUP_SECONDS = 15;

export async function recoverImage(st: Saved, o: RecoverDeps): Promise<Partial<CleanupReport>> {
  const report: CleanupReport = { terminated: [], confirmed: [], left: [], problems: [] };
  if (o.images === false) return report;
  try {
    await cleanImage(o, st, report, o.sleep ?? realSleep);
  } catch (err) {
    report.problems.push(
      `could not check the unfinished AMI ${st[STATE.imageId] ?? ''}: ${errorMessage(err)}`,
    );
  }
  return report;
}

async function cleanImage(o: RecoverDeps, st: Saved, report: CleanupReport, sleep: Sleep) {
  const { ec2, logger } = o;
  const name = st[STATE.imageName];
  if (!name || st[STATE.imageDone]) return;
  const imageId = st[STATE.imageId];
  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  const what = imageId ?? `the AMI named ${name}`;
  let image: Image | undefined;
  try {
    if (imageId) {
      image = (
        await retryUntil(async () => ({ image: await describeImage(ec2, imageId) }), {
          deadline,
          sleep,
          onError: (err) => logger.debug(`DescribeImages ${imageId}: ${errorMessage(err)}; retrying`),
        })
      )?.image;
    } else {
      // CreateImage's answer was lost (or is still coming): the AMI shows up by name, eventually.
      // It is ours only if it carries our token.
      image = await retryUntil(
        async () => {
          const candidate = await findByName(ec2, name);
          const token = candidate?.Tags?.find((t) => t.Key === TAG.clientToken)?.Value;
          return candidate && token === st[STATE.clientToken] ? candidate : undefined;
        },
        {
          deadline: deadlineIn(o.imageLookupSeconds ?? DEFAULT_IMAGE_LOOKUP_SECONDS),
          sleep,
          onError: (err) => logger.debug(`DescribeImages ${name}: ${errorMessage(err)}; retrying`),
        },
      );
    }
  } catch (err) {
    report.problems.push(
      `could not check ${what}, whose creation started (${errorMessage(err)}): if it exists it is ` +
        'left, maybe unfinished and untagged',
    );
    return;
  }
  if (!image && !imageId) {
    // CreateImage was sent and its answer never came, and no AMI of that name carries our token:
    // most likely none was made, but that is not known, so it is reported rather than assumed.
    report.problems.push(
      `CreateImage of ${name} was sent and not answered, and no AMI of that name with ` +
        `${TAG.clientToken}=${st[STATE.clientToken] ?? ''} was found: if one appears, it is unfinished ` +
        'and untagged (`amibake sweep` finishes or removes it)',
    );
    return;
  }
  if (!image?.ImageId || image.State === 'deregistered') return;
  if (image.State === 'available') {
    // The install succeeded and the AMI is complete: recorded like a finished bake (its own tags,
    // the digest included, are on it since CreateImage; the snapshots get them now). A re-run
    // reuses it. If the snapshots cannot be tagged it is discarded instead: never left untagged.
    const id = image.ImageId;
    try {
      await retryUntil(
        async () => {
          await tagSnapshots(ec2, image!, ownTags(image!));
          return true;
        },
        {
          deadline,
          sleep,
          onError: (err) => logger.debug(`tagging the snapshots of ${id}: ${errorMessage(err)}; retrying`),
        },
      );
      logger.info(`the AMI ${id} (${name}) became available before the bake stopped: kept as its result`);
      report.keptImage = id;
      return;
    } catch (err) {
      logger.warn(
        `the snapshots of the AMI ${id} (${name}) cannot be tagged (${errorMessage(err)}): discarding it`,
      );
    }
  }
  report.problems.push(...(await discardImage(ec2, image, logger, { deadline, sleep })));
  report.discardedImage = image.ImageId;
}
