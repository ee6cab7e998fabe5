/**
 * Check launch template: after the preflight, before anything is launched, a launch template that
 * does not exist (or cannot be read) would fail the publishing only after the whole bake. A reused
 * bake skips this (nothing is launched; publishing looks the template up again).
 */
import type { BakePhase } from '../bake/context.js';
import type { DistributeConfig } from './config.js';
import { resolveTemplate } from './launch-template.js';

export function checkTemplatePhase(template: NonNullable<DistributeConfig['template']>): BakePhase {
  return {
    id: 'distribute-template',
    title: 'Check launch template',
    async run(ctx) {
      const seen = await resolveTemplate(ctx.deps.ec2, template, ctx.cfg.region, 'nothing was launched');
      ctx.deps.logger.info(
        `launch template ${seen.id} (${seen.name}): latest version ${seen.latestVersion ?? '?'}, default ${seen.defaultVersion ?? '?'}`,
      );
    },
  };
}
