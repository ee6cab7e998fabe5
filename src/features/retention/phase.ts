/** Retention: keep the newest N AMIs of the family in each region the bake touched. The new AMI
 *  is made: an old one left over is a warning, not a failed bake. */
import { errorMessage } from '../../core/errors.js';
import type { BakePhase } from '../bake/context.js';
import { applyRetention, formatPlan, planRetention } from './retention.js';

export function retentionPhase(keepLast: number): BakePhase {
  return {
    id: 'golden-retention',
    title: 'Retention',
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      for (const [region, imageId] of Object.entries(ctx.amis ?? {})) {
        const ec2 = ctx.clientFor(region);
        try {
          const plan = await planRetention({ ec2, region, family: cfg.name, keepLast, protect: [imageId] });
          formatPlan(plan).forEach((l) => deps.logger.info(l));
          const result = await applyRetention(ec2, plan, deps.logger);
          const parts = [`kept ${plan.keep.length}`];
          if (result.removed.length) parts.push(`removed ${result.removed.map((r) => r.imageId).join(', ')}`);
          if (result.failed.length)
            parts.push(`could not remove ${result.failed.map((f) => f.imageId).join(', ')}`);
          if (plan.skip.length)
            parts.push(`skipped ${plan.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
          ctx.report.summary.push([`Retention ${region}`, parts.join('; ')]);
        } catch (err) {
          deps.logger.warn(`retention in ${region}: ${errorMessage(err)}`);
          ctx.report.summary.push([`Retention ${region}`, `failed: ${errorMessage(err)}`]);
        }
      }
    },
  };
}
