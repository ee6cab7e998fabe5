/**
 * Create AMI: CreateImage from the stopped instance (its name saved before the call), wait until
 * available, tag the snapshots. Its recovery keeps an AMI that became available (tagging its
 * snapshots) and discards an unfinished one; see ./image-recovery.ts.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { UserError } from '../../core/errors.js';
import { refusedByAws } from '../../aws/errors.js';
import { createImage, ImageWaitError, tagSnapshots, waitAvailable } from '../../aws/images.js';
import { CancelledError } from '../../engine/engine.js';
import type { BakeContext, BakePhase } from './context.js';
import { recoverImage } from './image-recovery.js';
import { IMAGE_STATE, STATE } from './state.js';
import { imageTags } from './tags.js';

/** Waits for the bake's AMI (or a reused one) to become available, within the AMI timeout. */
export async function waitForImage(ctx: BakeContext, imageId: string): Promise<Image> {
  const { cfg, deps } = ctx;
  try {
    return await waitAvailable(deps.ec2, imageId, {
      timeoutSeconds: cfg.timeoutAmi,
      intervalSeconds: cfg.waitAmi,
      abortSignal: ctx.signal,
    });
  } catch (err) {
    if (!(err instanceof ImageWaitError)) throw err;
    // Failed or too slow: the user's to act on. A cancel or a failing wait stays what it was.
    if (err.kind === 'failed' || err.kind === 'timeout') throw new UserError(err.message);
    throw err.cause;
  }
}

export const image: BakePhase = {
  id: 'image',
  title: 'Create AMI',
  state: IMAGE_STATE,
  async run(ctx) {
    const { cfg, deps } = ctx;
    const tags = imageTags(ctx.tags);
    if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
    deps.state.save(STATE.imageName, cfg.amiName);
    const call = ctx.track(
      createImage(deps.ec2, {
        instanceId: ctx.instanceId!,
        name: cfg.amiName,
        description: cfg.description,
        tags,
      }),
    );
    let imageId: string;
    try {
      imageId = await call;
    } catch (err) {
      // Refused: no AMI was made, and recovery has none to look for. Any other failure may have
      // come after AWS made it: the name stays saved, and recovery looks for it.
      if (refusedByAws(err)) deps.state.save(STATE.imageName, '');
      throw err;
    }
    deps.state.save(STATE.imageId, imageId);
    deps.logger.info(`creating ${imageId} (${cfg.amiName})`);
    ctx.span('available', 'Until available', { wait: true });
    const available = await waitForImage(ctx, imageId);
    ctx.endSpan();
    await tagSnapshots(deps.ec2, available, tags);
    deps.state.save(STATE.imageDone, '1');
    ctx.image = available;
    deps.logger.info(`${imageId} is available`);
  },
  recover: recoverImage,
};
