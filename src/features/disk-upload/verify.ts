/**
 * Verify disk: the disk files against vars.env and the manifest's rules (before any AWS call that
 * changes something), the volume size against the disk's, the reuse digest of a disk AMI, and the
 * reuse of an AMI of the same name and digest (then nothing is uploaded).
 */
import { dirname } from 'node:path';
import { UserError, msg, opt } from '../../core/errors.js';
import { findByName } from '../../aws/images.js';
import { TAG, tagValue } from '../../aws/tags.js';
import { bakeDigest } from '../bake/config.js';
import type { BakeContext, BakePhase } from '../bake/context.js';
import { validateRootVolume, type RootVolumeNames } from '../volume/volume.js';
import { reuseExisting } from '../bake/reuse.js';
import { loadDisk } from './artifact.js';
import type { DiskRun, DiskSettings } from './config.js';

const GIB = 1024 ** 3;
/** The largest disk registered at its own size: past it `root-volume-size` must say so, so the
 *  artifact's claimed size never picks the volume (and its cost) alone. */
export const UNSET_VOLUME_MAX_GIB = 8;

/**
 * The reuse digest of a disk AMI: the prepared files as the build digested them, the base image
 * and recipe the prepare job says it used (its claims: it built the disk), and what the build
 * registers the disk as (boot mode, architecture, root volume, IMDS): a change of any is a new AMI.
 */
export function diskDigestParts(
  ctx: BakeContext,
  run: Required<Pick<DiskRun, 'disk' | 'volumeGiB'>>,
  s: DiskSettings,
): Record<string, string> {
  const v = s.volume;
  return {
    prepared: ctx.cfg.prepared.digest,
    base: run.disk.baseDigest,
    recipe: run.disk.recipe,
    kind: 'disk',
    'boot-mode': s.bootMode,
    architecture: s.architecture,
    'root-volume': [
      v.type,
      run.volumeGiB,
      v.iops,
      v.throughput,
      v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
    ]
      .map((x) => x ?? '')
      .join(','),
    imds: s.imdsV2 ? 'v2.0' : 'any',
  };
}

export function diskVerifyPhase(
  s: DiskSettings,
  run: DiskRun,
  names: RootVolumeNames,
  then: ((ctx: BakeContext) => void)[] = [],
  opts: {
    dryRun?: boolean;
    /** A dry run's lines on what follows the registration (the test, copies, publishing),
     *  from the composition root: this phase knows none of those features. */
    after?: string[];
  } = {},
): BakePhase {
  return {
    id: 'disk-verify',
    title: 'Verify disk',
    async run(ctx) {
      const { cfg, deps } = ctx;
      const { prepared } = cfg;
      const dir = dirname(prepared.varsPath);
      const disk = await loadDisk(dir, prepared.vars, prepared.varsPath);
      const needed = Math.ceil(disk.size / GIB);
      if (s.volume.size === undefined && needed > UNSET_VOLUME_MAX_GIB)
        throw new UserError(
          msg`${opt('rootVolumeSize')}: not set, and the disk is ${needed} GiB (${disk.manifestPath}): a disk over ${UNSET_VOLUME_MAX_GIB} GiB is registered only when ${opt('rootVolumeSize')} is set to at least its size`,
        );
      const volumeGiB = s.volume.size ?? needed;
      if (volumeGiB < needed)
        throw new UserError(
          msg`${opt('rootVolumeSize')}: ${volumeGiB} GiB is smaller than the disk (${needed} GiB in ${disk.manifestPath})`,
        );
      validateRootVolume({ ...s.volume, size: volumeGiB }, names);
      run.disk = disk;
      run.volumeGiB = volumeGiB;
      deps.logger.info(
        `disk ${disk.size / GIB} GiB, ${disk.manifest.blocks.length} non-zero blocks of 512 KiB (recipe ${disk.recipe})`,
      );
      ctx.baseAmi = `disk:${disk.recipe}`;
      ctx.tags.baseAmi = ctx.baseAmi;
      // What the AMI is registered as (or was, when reused): the test instance's default type.
      ctx.architecture = s.architecture;
      for (const step of then) step(ctx);
      ctx.digestParts = diskDigestParts(ctx, { disk, volumeGiB }, s);
      ctx.digest = bakeDigest(ctx.digestParts);
      ctx.tags.digest = ctx.digest;
      ctx.report.summary.push(
        ['Disk', `${disk.size / GIB} GiB, ${disk.manifest.blocks.length} blocks, recipe ${disk.recipe}`],
        ['Registered as', `${s.architecture}, ${s.bootMode}, ${volumeGiB} GiB ${s.volume.type}`],
      );

      const existing = await findByName(deps.ec2, cfg.amiName);
      if (opts.dryRun) {
        // The plan: what a real run would do; nothing is uploaded or registered.
        ctx.report.dryRun = true;
        const mib = (disk.manifest.blocks.length * 524_288) / 2 ** 20;
        deps.logger.info(
          existing && tagValue(existing, TAG.digest) === ctx.digest
            ? `dry run: ${cfg.amiName} would be reused (${existing.ImageId})`
            : existing
              ? `dry run: the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options`
              : `dry run: would upload ${disk.manifest.blocks.length} blocks (${mib.toFixed(0)} MiB) into a ${volumeGiB} GiB snapshot and register ${cfg.amiName}`,
        );
        for (const line of opts.after ?? []) deps.logger.info(`dry run: ${line}`);
        ctx.done = true;
        return;
      }
      if (!existing) return;
      await reuseExisting(ctx, existing, 'disk');
    },
  };
}
