/**
 * Publish: the finished AMI to where fleets look for it, after the copy/share phase (which sets
 * `ctx.amis`, the AMI by region) and so after the test passed: SSM parameters in every region
 * that has the AMI, a new launch template version in the build region. A reused AMI is published
 * too (a re-run finishes what an earlier one could not). Nothing is undone: see ./ledger.ts.
 */
import { ssmByRegion } from '../../aws/ssm-parameters.js';
import type { BakePhase } from '../bake/context.js';
import { refuseFailedTest } from '../bake/test-verdict.js';
import type { DistributeConfig } from './config.js';
import { templatePublications, resolveTemplate, type TemplateOutcome } from './launch-template.js';
import { publishAll, type Publication } from './ledger.js';
import { parameterPublications } from './ssm.js';

/** Action outputs (see BUILD_OUTPUTS). */
export const SSM_OUTPUT = 'ssm-parameters';
export const TEMPLATE_VERSION_OUTPUT = 'launch-template-version';

export function distributePhase(d: DistributeConfig): BakePhase {
  return {
    id: 'distribute',
    title: 'Publish to SSM and launch template',
    // A reused AMI is published too: a re-run publishes what is asked now.
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const amis = ctx.amis;
      if (!amis?.[cfg.region]) return;
      const imageId = amis[cfg.region];
      const image = ctx.reused ?? ctx.image;
      if (image) refuseFailedTest(image, cfg.amiName, 'published');
      const outcome: TemplateOutcome = {};
      const items: Publication[] = [];
      if (d.template) outcome.template = await resolveTemplate(deps.ec2, d.template, cfg.region);
      const published: Record<string, { name: string; version: number }[]> = {};
      if (d.ssm.length) items.push(...parameterPublications(ssmByRegion(), amis, d.ssm, published));
      if (d.template && outcome.template)
        items.push(
          ...templatePublications({
            ec2: deps.ec2,
            template: d.template,
            seen: outcome.template,
            imageId,
            description: `${cfg.amiName} (amibake)`,
            log: deps.logger,
            outcome,
          }),
        );
      const which = Object.entries(amis)
        .map(([r, id]) => `${id} (${r})`)
        .join(', ');
      await deps.logger.group('Publish', () => publishAll(items, deps.logger, which));

      if (d.ssm.length) {
        const names = Object.fromEntries(
          Object.entries(published).map(([r, ps]) => [r, ps.map((p) => p.name)]),
        );
        ctx.report.outputs[SSM_OUTPUT] = JSON.stringify(names);
        ctx.report.fileVars.SSM_PARAMETERS = JSON.stringify(names);
        ctx.report.summary.push([
          'SSM parameters',
          Object.entries(published)
            .map(([r, ps]) => `${r}: ${ps.map((p) => `${p.name} (version ${p.version})`).join(', ')}`)
            .join('; '),
        ]);
      }
      if (outcome.template && outcome.version !== undefined) {
        const t = outcome.template;
        ctx.report.outputs[TEMPLATE_VERSION_OUTPUT] = String(outcome.version);
        ctx.report.fileVars.LAUNCH_TEMPLATE_ID = t.id;
        ctx.report.fileVars.LAUNCH_TEMPLATE_VERSION = String(outcome.version);
        ctx.report.summary.push([
          'Launch template',
          `${t.id} (${t.name}): version ${outcome.version} with ${imageId}` +
            (outcome.madeDefault
              ? ', now the default'
              : `, default version stays ${t.defaultVersion ?? '?'}`),
        ]);
      }
    },
  };
}
