/** Preflight: the base AMI exists and is available; the instance types that can boot it are
 *  settled; the digest is final; an AMI of the same name and digest is reused (the bake is done),
 *  one of the same name and another digest refused. */
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { UserError, msg, opt } from '../../core/errors.js';
import { isNotFound } from '../../aws/errors.js';
import { findByName } from '../../aws/images.js';
import { bakeDigest } from './config.js';
import type { BakePhase } from './context.js';
import { settleInstanceTypes } from './instance-types.js';
import { reuseExisting } from './reuse.js';

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
    await reuseExisting(ctx, existing, 'content');
  },
};
