/** Retention as a dry run plans it: the AMI the bake would add takes one of the N places. */
import { findByName } from '../../aws/images.js';
import type { BakeContext } from '../bake/context.js';
import type { PlannedCopy } from '../copy/copy.js';
import { planRetention, type RetentionPlan } from '../retention/retention.js';

export async function dryRetention(
  ctx: BakeContext,
  copies: PlannedCopy[],
  keepLast: number | undefined,
): Promise<RetentionPlan[]> {
  if (!keepLast) return [];
  const plans: RetentionPlan[] = [];
  for (const region of [ctx.cfg.region, ...copies.map((c) => c.region)]) {
    const ec2 = ctx.clientFor(region);
    const existing = await findByName(ec2, ctx.cfg.amiName);
    const plan = await planRetention({
      ec2,
      region,
      family: ctx.cfg.name,
      keepLast: existing ? keepLast : keepLast - 1,
      protect: existing ? [existing.ImageId!] : [],
    });
    plans.push({ ...plan, keepLast });
  }
  return plans;
}

export function retentionText(p: RetentionPlan): string {
  const parts = [`keep ${p.keep.map((k) => k.imageId).join(', ') || 'none'}`];
  if (p.remove.length) parts.push(`remove ${p.remove.map((r) => r.imageId).join(', ')}`);
  if (p.skip.length) parts.push(`skip ${p.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
  return parts.join('; ');
}
