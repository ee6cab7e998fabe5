/** Preflight: the base AMI exists and is available; the instance types that can boot it are
 *  settled; the digest is final; an AMI of the same name and digest is reused (the bake is done),
 *  one of the same name and another digest refused. */
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { DIGEST_SCHEME } from '../../core/digest.js';
import { UserError, msg, opt } from '../../core/errors.js';
import { isNotFound } from '../../aws/errors.js';
import { findByName } from '../../aws/images.js';
import { TAG, tagValue } from '../../aws/tags.js';
import { refuseFailedTest } from './test-verdict.js';
import { bakeDigest } from './config.js';
import type { BakePhase } from './context.js';
import { waitForImage } from './image.js';
import { settleInstanceTypes } from './instance-types.js';

export const preflight: BakePhase = {
  id: 'preflight',
  title: 'Preflight',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const base = await deps.ec2
      .send(new DescribeImagesCommand({ ImageIds: [ctx.baseAmi] }))
      .then((o) => o.Images?.[0])
      .catch((err) => {
        if (isNotFound(err, 'image')) return undefined;
        throw err;
      });
    if (!base) throw new UserError(msg`${opt('baseAmi')}: ${ctx.baseAmi} not found in ${cfg.region}`);
    if (base.State !== 'available')
      throw new UserError(msg`${opt('baseAmi')}: ${ctx.baseAmi} is ${base.State}, not available`);

    ctx.architecture ??= base.Architecture;
    ctx.instanceTypes = await settleInstanceTypes({
      ec2: deps.ec2,
      logger: deps.logger,
      listed: cfg.instanceTypes,
      architecture: ctx.architecture,
      baseAmi: ctx.baseAmi,
    });
    ctx.digestParts['instance-type'] = ctx.instanceTypes.join(',');
    ctx.digestParts['base-ami'] = ctx.baseAmi;
    ctx.digest = bakeDigest(ctx.digestParts);
    ctx.tags.digest = ctx.digest;
    ctx.tags.baseAmi = ctx.baseAmi;

    const existing = await findByName(deps.ec2, cfg.amiName);
    if (!existing) return;
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
    deps.logger.info(`${cfg.amiName} was already baked from the same content: reusing ${existing.ImageId}`);
    ctx.reused = existing.State === 'available' ? existing : await waitForImage(ctx, existing.ImageId!);
    ctx.done = true;
  },
};
