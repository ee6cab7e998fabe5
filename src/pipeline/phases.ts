/**
 * THE composition root of the bake: the ordered phase list, built from the configuration (a
 * feature with nothing to do adds no phase). The post step finds the phases that recover through
 * ./registry.ts instead, which imports nothing else.
 */
import type { BakePhase } from '../features/bake/context.js';
import { image } from '../features/bake/image.js';
import { install } from '../features/bake/install.js';
import { launch } from '../features/bake/launch.js';
import { preflight } from '../features/bake/preflight.js';
import { stage } from '../features/bake/stage.js';
import { terminate } from '../features/bake/terminate.js';
import { baseAmiPhase } from '../features/base-ami/phase.js';
import { copyTargetsPhase } from '../features/copy/check-targets.js';
import { publishPhase } from '../features/copy/publish.js';
import { checkTemplatePhase } from '../features/distribute/check-template.js';
import { distributePhase } from '../features/distribute/phase.js';
import { publishes } from '../features/distribute/config.js';
import { diskRegisterPhase } from '../features/disk-upload/register.js';
import { diskUploadPhase } from '../features/disk-upload/upload.js';
import { diskVerifyPhase } from '../features/disk-upload/verify.js';
import type { DiskRun } from '../features/disk-upload/config.js';
import { dryRunPhase } from '../features/dry-run/phase.js';
import { sweepPhase } from '../features/janitor/phase.js';
import { retentionPhase } from '../features/retention/phase.js';
import { sbomPhase } from '../features/sbom/phase.js';
import { applyImdsDigest } from '../features/share/apply.js';
import { applyTags } from '../features/tags/apply.js';
import { testPhase } from '../features/test/test.js';
import { applyRootVolume } from '../features/volume/apply.js';
import { formatMs } from '../core/duration.js';
import type { GoldenConfig } from './config.js';

export function bakePhases(g: GoldenConfig, kind: 'instance' | 'disk' = 'instance'): BakePhase[] {
  if (kind === 'disk') return diskPhases(g);
  // A dry run ends after its plan: nothing is launched, nothing published.
  // The package inventory is read back before the image phase: its sha256 is one of the AMI's tags.
  const launching = g.dryRun ? [] : [stage, launch, install, sbomPhase, image, terminate];
  return [
    baseAmiPhase(g.baseRef, [
      applyRootVolume(g.volume, g.volumeNames),
      applyImdsDigest(g.settings.imdsV2),
      applyTags(g.templates),
    ]),
    ...(g.sweep ? [sweepPhase({ age: g.sweepAge, dryRun: g.dryRun })] : []),
    preflight,
    // The dry run checks the copy targets itself (and prints the plan even when they clash).
    ...(g.copies.length && !g.dryRun ? [copyTargetsPhase(g.copies)] : []),
    ...(g.distribute.template && !g.dryRun ? [checkTemplatePhase(g.distribute.template)] : []),
    ...(g.dryRun
      ? [
          dryRunPhase({
            copies: g.copies,
            settings: g.settings,
            keepLast: g.keepLast,
            sweepAge: g.sweep ? g.sweepAge : undefined,
            distribute: g.distribute,
          }),
        ]
      : []),
    ...launching,
    // Before anything leaves the build region: a failed test ends the bake here.
    ...(g.test && !g.dryRun ? [testPhase(g.test)] : []),
    // Added to every bake that launches, even with no copies, shares or IMDSv2 setting: it sets
    // the `amis` output (the AMI by region), which the outputs promise. The base image phase, too,
    // is always added: it describes the image (a plain ami-… id as well) for the volume hook.
    ...(g.dryRun
      ? []
      : [publishPhase({ copies: g.copies, settings: g.settings, timeoutCopy: g.timeoutCopy })]),
    // After the copies (it needs every region's AMI id), so only for an AMI that passed its test.
    ...(publishes(g.distribute) && !g.dryRun ? [distributePhase(g.distribute)] : []),
    ...(g.keepLast && !g.dryRun ? [retentionPhase(g.keepLast)] : []),
  ];
}

/**
 * The phases of a disk artifact: the disk prepare made and tested the root disk, the build only
 * verifies it, uploads its blocks into a snapshot and registers it; nothing is launched for the
 * bake (no stage, launch, install, image, terminate). The golden steps after are the same.
 */
export function diskPhases(g: GoldenConfig): BakePhase[] {
  const run: DiskRun = {};
  const verify = diskVerifyPhase(
    g.disk,
    run,
    g.volumeNames,
    [applyImdsDigest(g.settings.imdsV2), applyTags(g.templates)],
    { dryRun: g.dryRun, after: g.dryRun ? diskPlanAfter(g) : undefined },
  );
  // A dry run checks the disk and the reuse, and ends there: nothing is uploaded.
  if (g.dryRun) return [verify];
  return [
    ...(g.sweep ? [sweepPhase({ age: g.sweepAge, dryRun: false })] : []),
    verify,
    ...(g.copies.length ? [copyTargetsPhase(g.copies)] : []),
    ...(g.distribute.template ? [checkTemplatePhase(g.distribute.template)] : []),
    diskUploadPhase(g.disk, run),
    diskRegisterPhase(g.disk, run),
    // As after the instance bake's terminate: nothing leaves the build region before a pass.
    ...(g.test ? [testPhase(g.test)] : []),
    publishPhase({ copies: g.copies, settings: g.settings, timeoutCopy: g.timeoutCopy }),
    ...(publishes(g.distribute) ? [distributePhase(g.distribute)] : []),
    ...(g.keepLast ? [retentionPhase(g.keepLast)] : []),
  ];
}

/**
 * What a disk artifact's dry run says of the steps after the registration. Said only: the disk
 * dry run ends after its verification and probes none of them (no test launch, copy or
 * publishing permission is checked).
 */
function diskPlanAfter(g: GoldenConfig): string[] {
  const t = g.test;
  const d = g.distribute;
  const published = [
    ...(d.ssm.length ? [`SSM parameters ${d.ssm.join(', ')} (each region's AMI id)`] : []),
    ...(d.template
      ? [
          `a new version of the launch template ${d.template.raw}${d.template.makeDefault ? ' (made the default)' : ''}`,
        ]
      : []),
  ];
  return [
    t
      ? `then test the AMI on one instance (${t.instanceTypes?.join(', ') ?? 'the default type of its architecture'}, within ${formatMs(t.timeoutMs)}); a failed test ${t.keepFailed ? 'keeps it tagged failed' : 'deregisters it'} and nothing below happens`
      : 'no test (the artifact has no userdata-test.gz, or test is false)',
    g.copies.length ? `then copy to ${g.copies.map((c) => c.region).join(', ')}` : 'no copies',
    published.length ? `then publish ${published.join(' and ')}` : 'nothing published',
    'the test, copies and publishing are not probed by a disk dry run',
  ];
}
