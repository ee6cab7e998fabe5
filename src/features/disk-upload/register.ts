/**
 * Register AMI: RegisterImage from the completed snapshot, with what the build's configuration
 * says (architecture, ENA, boot mode, root device, volume, IMDSv2) and the bake's image tags; its
 * name saved before the call, its id after; then until available, the snapshot tagged like the
 * AMI. Its recovery deregisters an AMI not finished and deletes its snapshot.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { errorMessage } from '../../core/errors.js';
import { refusedByAws } from '../../aws/errors.js';
import { discardImage } from '../../aws/image-removal.js';
import { findByName, findImage, tagSnapshots } from '../../aws/images.js';
import { registerImage } from '../../aws/register-image.js';
import { deadlineIn, realSleep, retryUntil } from '../../aws/retry.js';
import { TAG, tagValue } from '../../aws/tags.js';
import { CancelledError } from '../../engine/engine.js';
import type { Saved } from '../../engine/phase.js';
import type { BakePhase, CleanupReport, RecoverDeps } from '../bake/context.js';
import { waitForImage } from '../bake/image.js';
import { IMAGE_STATE, STATE } from '../bake/state.js';
import { imageTags } from '../bake/tags.js';
import { ROOT_DEVICE, type DiskRun, type DiskSettings } from './config.js';
import { DISK_STATE } from './state.js';

const DEFAULT_SECONDS = 60;
const DEFAULT_LOOKUP_SECONDS = 15;

export const diskRegisterRecovery = {
  id: 'disk-register',
  title: 'Register AMI',
  state: [...IMAGE_STATE, DISK_STATE.registerToken],
  recover: recoverRegistered,
};

export function diskRegisterPhase(s: DiskSettings, run: DiskRun): BakePhase {
  return {
    ...diskRegisterRecovery,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const tags = imageTags(ctx.tags);
      if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
      deps.state.save(DISK_STATE.registerToken, ctx.tags.clientToken);
      deps.state.save(STATE.imageName, cfg.amiName);
      let imageId: string;
      try {
        imageId = await ctx.track(
          registerImage(deps.ec2, {
            name: cfg.amiName,
            description: cfg.description,
            architecture: s.architecture,
            bootMode: s.bootMode,
            rootDevice: ROOT_DEVICE,
            snapshotId: run.snapshotId!,
            volume: {
              sizeGiB: run.volumeGiB!,
              type: s.volume.type,
              iops: s.volume.iops,
              throughput: s.volume.throughput,
              encrypted: s.volume.encrypt,
            },
            imdsV2: s.imdsV2,
            tags,
          }),
        );
      } catch (err) {
        if (refusedByAws(err)) deps.state.save(STATE.imageName, '');
        throw err;
      }
      deps.state.save(STATE.imageId, imageId);
      deps.logger.info(`registered ${imageId} (${cfg.amiName}) from ${run.snapshotId}`);
      ctx.span('available', 'Until available', { wait: true });
      const available = await waitForImage(ctx, imageId);
      ctx.endSpan();
      await tagSnapshots(deps.ec2, available, tags);
      deps.state.save(STATE.imageDone, '1');
      ctx.image = available;
      deps.logger.info(`${imageId} is available`);
    },
  };
}

/** Deregisters the bake's AMI unless it finished (found by id, or by name and client token when
 *  RegisterImage's answer was lost), with its snapshots. The upload's recovery deletes the
 *  snapshot too, should this leave it. */
export async function recoverRegistered(st: Saved, o: RecoverDeps): Promise<Partial<CleanupReport>> {
  const report: Partial<CleanupReport> & { problems: string[] } = { problems: [] };
  const name = st[STATE.imageName];
  if (!name || st[STATE.imageDone]) return report;
  const sleep = o.sleep ?? realSleep;
  const imageId = st[STATE.imageId];
  const token = st[DISK_STATE.registerToken];
  if (!imageId && !token) {
    report.problems.push(
      `the AMI named ${name}, whose registration started, cannot be told from another (no client token saved): if it exists it is left`,
    );
    return report;
  }
  let image: Image | undefined;
  try {
    image = imageId
      ? await retryUntil(async () => ({ i: await findImage(o.ec2, imageId) }), {
          deadline: deadlineIn(o.terminateSeconds ?? DEFAULT_SECONDS),
          sleep,
        }).then((r) => r?.i)
      : await retryUntil(
          async () => {
            const c = await findByName(o.ec2, name);
            return c && tagValue(c, TAG.clientToken) === token ? c : undefined;
          },
          { deadline: deadlineIn(o.imageLookupSeconds ?? DEFAULT_LOOKUP_SECONDS), sleep },
        );
  } catch (err) {
    report.problems.push(
      `could not check ${imageId ?? `the AMI named ${name}`}, whose registration started (${errorMessage(err)}): if it exists it is left`,
    );
    return report;
  }
  if (!image?.ImageId && !imageId) {
    // RegisterImage's answer was lost and no AMI of this bake showed up in time: it may yet.
    report.problems.push(
      `the AMI named ${name} (${TAG.clientToken} ${token}), whose registration started, was not found: if it appears, deregister it`,
    );
    return report;
  }
  if (!image?.ImageId || image.State === 'deregistered') return report;
  report.problems.push(
    ...(await discardImage(o.ec2, image, o.logger, {
      deadline: deadlineIn(o.terminateSeconds ?? DEFAULT_SECONDS),
      sleep,
    })),
  );
  report.discardedImage = image.ImageId;
  return report;
}
