/**
 * Copy and share: the image settings (IMDSv2, launch permissions, deprecation, protection) on the
 * finished AMI, the copies to other regions (journaled in the saved state before each risky
 * call), the same settings on each copy. Runs for a reused AMI too: a re-run finishes what an
 * earlier run could not. Its recovery finishes or removes the copies the journal shows unfinished.
 */
import { UserError, errorMessage } from '../../core/errors.js';
import { findImage } from '../../aws/images.js';
import { ownTags, toTags } from '../../aws/tags.js';
import type { Recoverable, Saved } from '../../engine/phase.js';
import type { BakePhase, CleanupReport, RecoverDeps } from '../bake/context.js';
import { refuseFailedTest } from '../bake/test-verdict.js';
import { applyImageSettings, type ImageSettings, type SettingsReport } from '../share/settings.js';
import { settingsText } from '../share/summary.js';
import { copyToRegions, type CopyOutcome, type PlannedCopy } from './copy.js';
import { parseCopyState, recoverCopies, serializeCopyState } from './recovery.js';

/** The copies in flight (JSON, ./copy.ts): recovery finishes or removes them. */
export const COPY_STATE = { copies: 'amibake_copies' } as const;

/** Action output of the AMIs by region (see BUILD_OUTPUTS). */
export const AMIS_OUTPUT = 'amis';
const envName = (region: string) => `AMI_ID_${region.toUpperCase().replace(/-/g, '_')}`;

/** The phase as recovery knows it (no configuration needed). */
export const publishRecovery = {
  id: 'golden-publish',
  title: 'Copy and share',
  state: [COPY_STATE.copies],
  recover: recoverPublished,
} satisfies Recoverable<RecoverDeps, CleanupReport>;

export function publishPhase(o: {
  copies: PlannedCopy[];
  settings: ImageSettings;
  timeoutCopy: number;
}): BakePhase {
  return {
    ...publishRecovery,
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const image = ctx.reused ?? ctx.image;
      if (!image?.ImageId) return;
      // Reuse refuses it already; this phase never trusts that alone.
      refuseFailedTest(image, cfg.amiName, 'copied or shared');
      const amis: Record<string, string> = { [cfg.region]: image.ImageId };
      const reports: SettingsReport[] = [
        await applyImageSettings({
          ec2: deps.ec2,
          region: cfg.region,
          image,
          settings: o.settings,
          log: deps.logger,
        }),
      ];
      let outcomes: Record<string, CopyOutcome> = {};
      let copyError: unknown;
      if (o.copies.length) {
        ctx.span('copies', 'Copies until available', { wait: true });
        try {
          outcomes = await deps.logger.group(`Copies to ${o.copies.map((c) => c.region).join(', ')}`, () =>
            copyToRegions({
              clientFor: ctx.clientFor,
              sourceRegion: cfg.region,
              sourceImageId: image.ImageId!,
              name: cfg.amiName,
              description: cfg.description,
              digest: ctx.digest,
              copies: o.copies,
              // The copies carry the AMI's own tags (the run and token of the bake that made it).
              tags: toTags(ownTags(image)),
              token: ctx.clientToken,
              timeoutSeconds: o.timeoutCopy,
              pollSeconds: cfg.waitAmi,
              log: deps.logger,
              journal: (s) => deps.state.save(COPY_STATE.copies, serializeCopyState(s)),
              signal: ctx.signal,
            }),
          );
        } catch (err) {
          copyError = err;
        }
        ctx.endSpan();
        const done = Object.values(outcomes);
        for (const c of done) amis[c.region] = c.imageId;
        reports.push(
          ...(await Promise.all(
            done.map(async (c) => {
              const ec2 = ctx.clientFor(c.region);
              const copy = (await findImage(ec2, c.imageId)) ?? { ImageId: c.imageId };
              return applyImageSettings({
                ec2,
                region: c.region,
                image: copy,
                settings: o.settings,
                log: deps.logger,
              });
            }),
          )),
        );
        ctx.report.summary.push([
          'Copies',
          o.copies
            .map((c) => {
              const r = outcomes[c.region];
              if (!r) return `${c.region}: failed`;
              return `${c.region}: ${r.imageId}${r.reused ? ' (reused)' : ` (${Math.round(r.seconds)} s)`}${c.encrypted ? ', encrypted' : ''}`;
            })
            .join('; '),
        ]);
      }
      ctx.report.summary.push(...settingsText(reports, o.settings));
      ctx.amis = amis;
      ctx.report.outputs[AMIS_OUTPUT] = JSON.stringify(amis);
      ctx.report.fileVars.AMIS = JSON.stringify(amis);
      for (const [region, id] of Object.entries(amis)) ctx.report.fileVars[envName(region)] = id;

      const problems = reports.flatMap((r) => r.problems);
      if (copyError) problems.unshift(errorMessage(copyError));
      if (problems.length)
        throw new UserError(
          `${image.ImageId} is available, but not everything asked for was done: ${problems.join('; ')}`,
        );
    },
  };
}

/** Copies to other regions that did not finish: tagged if available, else removed. */
async function recoverPublished(st: Saved, o: RecoverDeps): Promise<Partial<CleanupReport>> {
  const copies = parseCopyState(st[COPY_STATE.copies]);
  if (!copies) return {};
  try {
    const recovered = await recoverCopies(copies, o.clientFor, o.logger);
    return {
      problems: recovered.filter((r) => r.action === 'kept').map((r) => `copy to ${r.region}: ${r.detail}`),
    };
  } catch (err) {
    return {
      problems: [
        `could not check the copies (${copies.copies.map((c) => c.imageId ?? c.name).join(', ')}): ${errorMessage(err)}`,
      ],
    };
  }
}
