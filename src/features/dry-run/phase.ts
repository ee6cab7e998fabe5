/**
 * Dry run: after the preflight, the plan of the whole bake (the exact RunInstances input and user
 * data, the AMI's tags, copies, sharing, retention) and EC2 DryRun calls that prove the role's
 * permissions; nothing is uploaded, launched, copied, shared, published or deleted. It previews the other
 * features, so it reads their plans (handed in by the composition root).
 */
import { OptionError, opt } from '../../core/errors.js';
import { formatMs, type Duration } from '../../core/duration.js';
import { USERDATA_LIMIT } from '../../core/userdata.js';
import { presign, stagingKeys, type StageUrls } from '../../aws/staging.js';
import { toTags } from '../../aws/tags.js';
import type { BakePhase } from '../bake/context.js';
import { launchInput } from '../bake/launch.js';
import { imageTags } from '../bake/tags.js';
import { finalUserdata } from '../bake/userdata.js';
import { checkCopyTargets, type PlannedCopy } from '../copy/copy.js';
import { ssmByRegion } from '../../aws/ssm-parameters.js';
import type { DistributeConfig } from '../distribute/config.js';
import type { ImageSettings } from '../share/settings.js';
import { sharedWith } from '../share/summary.js';
import { planDistribute, type DistributePlan } from './distribute-plan.js';
import { formatBakePlan } from './plan.js';
import { assertAllowed, checkLaunchTargets, formatProbes, runProbes } from './probes.js';
import { dryRetention, retentionText } from './retention-plan.js';

export interface DryRunPlan {
  copies: PlannedCopy[];
  settings: ImageSettings;
  keepLast?: number;
  /** The janitor's age, when it would run. */
  sweepAge?: Duration;
  /** What would be published (SSM parameters, a launch template version). */
  distribute?: DistributeConfig;
}

export function dryRunPhase(g: DryRunPlan): BakePhase {
  return {
    id: 'golden-dry-run',
    title: 'Dry run',
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      // The user data exactly as the launch would send it (presigning is local; nothing is uploaded).
      let urls: StageUrls = {};
      if (cfg.staging) {
        urls = await presign(deps.s3, stagingKeys(cfg.staging, ctx.clientToken), {
          seconds: cfg.timeoutInstance,
          withFs: cfg.prepared.fsMode === 'external',
        });
        for (const url of Object.values(urls)) if (url) deps.logger.mask(url);
      }
      const userdata = finalUserdata(cfg.prepared.userdata, urls, { keyPair: cfg.keyPair });
      const launch = launchInput(ctx, userdata);
      const tags = toTags(imageTags(ctx.tags));
      if (g.copies.length)
        await checkCopyTargets({
          clientFor: ctx.clientFor,
          copies: g.copies,
          name: cfg.amiName,
          digest: ctx.digest,
        });
      const retention = await dryRetention(ctx, g.copies, g.keepLast);
      const targets = await checkLaunchTargets(deps.ec2, {
        // The first choice; the capacity fallback's other subnets are tried only when it is full.
        subnet: cfg.subnets[0],
        securityGroups: cfg.securityGroups,
        keyPair: cfg.keyPair,
        names: { subnet: opt('subnet'), securityGroups: opt('securityGroups'), keyPair: opt('keyPair') },
      });
      const lines = formatBakePlan({
        region: cfg.region,
        baseHow: ctx.base?.how ?? ctx.baseAmi,
        baseImageId: ctx.baseAmi,
        launch,
        userDataBytes: userdata.length,
        userDataLimit: USERDATA_LIMIT,
        amiName: cfg.amiName,
        description: cfg.description,
        tags,
        copies: g.copies,
        settings: g.settings,
        retention,
        sweepAge: g.sweepAge ? formatMs(g.sweepAge.ms) : undefined,
      });
      lines.splice(3, 0, ...targets.lines);
      let publishing: DistributePlan | undefined;
      if (g.distribute && (g.distribute.ssm.length || g.distribute.template)) {
        publishing = await planDistribute({
          ec2: deps.ec2,
          ssmFor: ssmByRegion(),
          regions: [cfg.region, ...g.copies.map((c) => c.region)],
          d: g.distribute,
          standInImage: ctx.baseAmi,
        });
        lines.push(...publishing.lines);
      }
      // The capacity fallback: what RunInstances would try after the first choice, in order.
      if (ctx.instanceTypes.length > 1 || cfg.subnets.length > 1)
        lines.splice(
          3,
          0,
          `fallback          ${ctx.instanceTypes.join(', ')} in ${cfg.subnets.join(', ')}: every type per subnet, on InsufficientInstanceCapacity or Unsupported`,
        );
      if (ctx.reused)
        lines.unshift(
          `reuse             ${ctx.reused.ImageId}: already baked from the same content, nothing would be launched`,
        );
      await deps.logger.group('Dry run: the plan', async () => lines.forEach((l) => deps.logger.info(l)));
      const probes = await runProbes({
        ec2: deps.ec2,
        region: cfg.region,
        clientFor: ctx.clientFor,
        launch,
        base: ctx.base!.image,
        amiName: cfg.amiName,
        tags,
        copies: g.copies,
        settings: g.settings,
        retention: !!g.keepLast,
      });
      probes.push(...(publishing?.probes ?? []));
      await deps.logger.group('Dry run: permissions (EC2 DryRun calls, read probes)', async () =>
        formatProbes(probes).forEach((l) => deps.logger.info(l)),
      );
      const count = (o: string) => probes.filter((p) => p.outcome === o).length;
      ctx.report.dryRun = true;
      ctx.report.summary.push(
        ['Dry run', 'nothing was uploaded, launched, copied, shared, published or deleted'],
        ['User data', `${userdata.length} of ${USERDATA_LIMIT} bytes`],
        ['Copies (planned)', g.copies.map((c) => c.region).join(', ') || 'none'],
        ['Shared with (planned)', sharedWith(g.settings).join(', ') || 'nobody'],
        ...(g.distribute?.ssm.length
          ? [['SSM parameters (planned)', g.distribute.ssm.join(', ')] as [string, string]]
          : []),
        ...(g.distribute?.template
          ? [
              [
                'Launch template (planned)',
                `${g.distribute.template.raw}: a new version${g.distribute.template.makeDefault ? ', made the default' : ''}`,
              ] as [string, string],
            ]
          : []),
        [
          'Permissions',
          `${count('allowed')} allowed, ${count('denied')} denied, ${count('unproven')} unproven`,
        ],
        ...retention.map((p): [string, string] => [`Retention ${p.region} (planned)`, retentionText(p)]),
      );
      // Printed with everything else first: one dry run shows every problem.
      const problems = [...targets.problems, ...(publishing?.problems ?? [])];
      if (problems.length) throw new OptionError(problems);
      assertAllowed(probes);
      ctx.done = true;
    },
  };
}
