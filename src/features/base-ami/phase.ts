/**
 * Resolve base image: an id, an SSM parameter or a name filter becomes the AMI id the bake
 * launches, tags and folds into its digest. What depends on the base image (the root volume, the
 * user's tag templates) is handed in by the composition root as `then` steps, run once it is known.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { sdkRetry } from '../../aws/clients.js';
import type { BakeContext, BakePhase } from '../bake/context.js';
import type { BaseAmiRef } from '../bake/base-ref.js';
import { resolveBaseAmi } from './resolve.js';

/** Action output of the resolved id (see BUILD_OUTPUTS). */
export const BASE_AMI_OUTPUT = 'base-ami';

export function baseAmiPhase(ref: BaseAmiRef, then: ((ctx: BakeContext, base: Image) => void)[]): BakePhase {
  return {
    id: 'golden-base',
    title: 'Resolve base image',
    async run(ctx) {
      const { cfg, deps } = ctx;
      const ssm = new SSMClient({ region: cfg.region, ...sdkRetry() });
      const resolved = await resolveBaseAmi({ ec2: deps.ec2, ssm, ref });
      for (const w of resolved.warnings) deps.logger.warn(w);
      if (resolved.via !== 'id') {
        deps.logger.info(`base image ${resolved.imageId}: ${resolved.how}`);
        ctx.report.summary.push(['Base AMI from', resolved.how]);
      }
      ctx.base = { image: resolved.image, how: resolved.how };
      ctx.baseAmi = resolved.imageId;
      // The launch's default instance type and the types it keeps follow it (bake/preflight).
      ctx.architecture = resolved.image.Architecture;
      ctx.tags.baseAmi = resolved.imageId;
      for (const step of then) step(ctx, resolved.image);
      ctx.report.outputs[BASE_AMI_OUTPUT] = resolved.imageId;
      ctx.report.fileVars.BASE_AMI = resolved.imageId;
    },
  };
}
