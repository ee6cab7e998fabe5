/**
 * The reuse of an AMI of the same name found before a bake: only one of this bake's own digest,
 * not failed or tagged as failing its test; waited for when still pending. Shared by the instance
 * bake's preflight and the disk path's verify.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { DIGEST_SCHEME } from '../../core/digest.js';
import { UserError, msg, opt } from '../../core/errors.js';
import { TAG, tagValue } from '../../aws/tags.js';
import type { BakeContext } from './context.js';
import { waitForImage } from './image.js';
import { refuseFailedTest } from './test-verdict.js';

/** Reuses `existing` (ends the bake: `done`) or throws why it cannot; `from` says what the digest
 *  covers in the log line ("content", "disk"). */
export async function reuseExisting(ctx: BakeContext, existing: Image, from: string): Promise<void> {
  const { cfg, deps } = ctx;
  const theirs = tagValue(existing, TAG.digest);
  // Only this bake's own digest counts: the tag of an AMI baked from other content, with other
  // image options, or by an amibake before DIGEST_SCHEME (whose digest vars.env could forge).
  if (theirs !== ctx.digest) {
    throw new UserError(
      msg`the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options (${TAG.digest} ${theirs ?? 'absent'}, this bake ${ctx.digest}; AMIs baked before ${DIGEST_SCHEME} are never reused): bump the version (${opt('targetVersion')}), or deregister ${existing.ImageId} to bake ${cfg.amiName} again`,
    );
  }
  if (existing.State === 'failed' || existing.State === 'invalid' || existing.State === 'error')
    throw new UserError(
      `the AMI ${existing.ImageId} (${cfg.amiName}) of an earlier bake is ${existing.State}: deregister it`,
    );
  refuseFailedTest(existing, cfg.amiName);
  deps.logger.info(`${cfg.amiName} was already baked from the same ${from}: reusing ${existing.ImageId}`);
  ctx.reused = existing.State === 'available' ? existing : await waitForImage(ctx, existing.ImageId!);
  ctx.done = true;
}
