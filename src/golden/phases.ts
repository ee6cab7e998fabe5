/**
 * The golden-image features as phases of the build lifecycle (src/bake/lifecycle.ts), placed
 * around its own: the base image is resolved and the janitor runs before the preflight; the dry
 * run stops the bake after it; sharing, copies and retention follow the image, also when the image
 * was reused (a re-run finishes what an earlier run could not).
 */
import type { EC2Client, Image, Tag } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { OptionError, UserError, errorMessage } from '../core/errors.js';
import { nameOf, type Front, type StageOptions } from '../core/options.js';
import { USERDATA_LIMIT } from '../core/userdata.js';
import { createEc2, sdkRetry } from '../bake/aws.js';
import { runInstancesInput } from '../bake/instance.js';
import { defaultPhases, type BakeContext, type Launcher, type Phase } from '../bake/lifecycle.js';
import { finalUserdata, type StageUrls } from '../bake/stage.js';
import { presign, stagingKeys } from '../bake/staging.js';
import { STATE } from '../bake/state.js';
import { imageTags, runTags, toTags } from '../bake/tags.js';
import { findImage, findOwnImageByName, type ClientFor } from './aws.js';
import { baseAmiRef, resolveBaseAmi, type BaseAmiRef, type ResolvedBaseAmi } from './base-ami.js';
import {
  checkCopyTargets,
  copyToRegions,
  planCopies,
  serializeCopyState,
  type CopyOutcome,
  type PlannedCopy,
} from './copy.js';
import { assertAllowed, checkLaunchTargets, formatBakePlan, formatProbes, runProbes } from './dryrun.js';
import { formatMs, type Duration } from './duration.js';
import { formatSweep, sweep } from './janitor.js';
import { applyRetention, formatPlan, planRetention, type RetentionPlan } from './retention.js';
import { applyImageSettings, sharingProblems, type ImageSettings, type SettingsReport } from './share.js';
import { renderTags, tagContext, type TagTemplate } from './tags.js';
import {
  describeRootVolume,
  rootBlockDeviceMapping,
  validateRootVolume,
  type RootVolumeNames,
  type RootVolumeOptions,
} from './volume.js';

/** Action outputs the golden features add (see BUILD_OUTPUTS). */
export const OUTPUT = { baseAmi: 'base-ami', amis: 'amis' } as const;

export interface GoldenConfig {
  front: Front;
  region: string;
  baseRef: BaseAmiRef;
  templates: TagTemplate[];
  volume: RootVolumeOptions;
  volumeNames: RootVolumeNames;
  copies: PlannedCopy[];
  settings: ImageSettings;
  keepLast?: number;
  dryRun: boolean;
  sweep: boolean;
  sweepAge: Duration;
  timeoutCopy: number;
}

/** The golden options, checked together before any AWS call; every problem at once. */
export function goldenConfig(opts: StageOptions<'build'>, front: Front, region: string): GoldenConfig {
  const n = (k: Parameters<typeof nameOf>[0]) => nameOf(k, front);
  const volumeNames: RootVolumeNames = {
    size: n('rootVolumeSize'),
    type: n('rootVolumeType'),
    iops: n('rootVolumeIops'),
    throughput: n('rootVolumeThroughput'),
    encrypt: n('encrypt'),
    kmsKey: n('kmsKey'),
  };
  const volume: RootVolumeOptions = {
    size: opts.rootVolumeSize,
    type: opts.rootVolumeType,
    iops: opts.rootVolumeIops,
    throughput: opts.rootVolumeThroughput,
    encrypt: opts.encrypt || !!opts.kmsKey,
    kmsKey: opts.kmsKey,
  };
  const settings: ImageSettings = {
    imdsV2: opts.amiImdsv2,
    accounts: [...new Set(opts.shareAccounts ?? [])],
    organizations: [...new Set(opts.shareOrgs ?? [])],
    ous: [...new Set(opts.shareOus ?? [])],
    public: opts.public,
    shareSnapshots: opts.shareSnapshots,
    deprecateAfter: opts.deprecateAfter,
    protection: opts.deregistrationProtection,
  };
  const problems: string[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof OptionError) problems.push(...err.problems);
      else problems.push(errorMessage(err));
    }
  };
  collect(() => validateRootVolume(volume, volumeNames));
  problems.push(
    ...sharingProblems(settings, volume.encrypt, opts.kmsKey, {
      public: n('public'),
      encrypt: n('encrypt'),
      kmsKey: n('kmsKey'),
      accounts: n('shareAccounts'),
      organizations: n('shareOrgs'),
      ous: n('shareOus'),
    }),
  );
  let copies: PlannedCopy[] = [];
  collect(() => {
    copies = planCopies({
      sourceRegion: region,
      regions: opts.copyRegions ?? [],
      encrypt: volume.encrypt,
      kmsKeys: opts.copyKmsKeys ?? {},
      names: { regions: n('copyRegions'), kmsKeys: n('copyKmsKeys') },
    });
  });
  const shared = settings.accounts.length + settings.organizations.length + settings.ous.length > 0;
  for (const c of copies)
    if (shared && c.encrypted && !c.kmsKeyId)
      problems.push(
        `${n('copyKmsKeys')}: the encrypted copy in ${c.region} would use the AWS-managed key aws/ebs, which cannot be shared; give ${c.region}=KEY`,
      );
  // The janitor must never take a bake still in progress for a leak: the instance lives at most
  // the install and AMI timeouts (it is terminated before the copies start).
  const lifetime = (opts.timeoutInstance + opts.timeoutAmi) * 1000;
  if (opts.sweep && opts.sweepAge.ms <= lifetime)
    problems.push(
      `${n('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its instance ` +
        `(${n('timeoutInstance')} + ${n('timeoutAmi')} = ${formatMs(lifetime)}); the janitor would terminate running bakes`,
    );
  if (problems.length) throw new OptionError(problems);
  return {
    front,
    region,
    baseRef: baseAmiRef(opts.baseAmi),
    templates: opts.tags ?? [],
    volume,
    volumeNames,
    copies,
    settings,
    keepLast: opts.keepLast,
    dryRun: opts.dryRun,
    sweep: opts.sweep,
    sweepAge: opts.sweepAge,
    timeoutCopy: opts.timeoutCopy,
  };
}

/** What the golden phases of one bake hand each other. */
interface Run {
  resolved?: ResolvedBaseAmi;
  clients: Map<string, EC2Client>;
}

const tagsOf = (image: Image): Tag[] => (image.Tags ?? []).filter((t) => t.Key && !/^aws:/i.test(t.Key));
const envName = (region: string) => `AMI_ID_${region.toUpperCase().replace(/-/g, '_')}`;

/** The bake's phases with the golden ones in place. */
export function goldenPhases(g: GoldenConfig): (launcher: Launcher) => Phase[] {
  return (launcher) => {
    const run: Run = { clients: new Map() };
    const clientFor =
      (ctx: BakeContext): ClientFor =>
      (region) => {
        if (region === ctx.cfg.region) return ctx.deps.ec2;
        if (!run.clients.has(region)) run.clients.set(region, createEc2(region));
        return run.clients.get(region)!;
      };
    const phases = defaultPhases(launcher);
    const before = phases.findIndex((p) => p.id === 'preflight');
    const list = [
      ...phases.slice(0, before),
      resolvePhase(g, run),
      ...(g.sweep ? [sweepPhase(g)] : []),
      phases[before],
      // The dry run checks the copy targets itself (and prints the plan even when they clash).
      ...(g.copies.length && !g.dryRun ? [copyTargetsPhase(g, clientFor)] : []),
      ...(g.dryRun ? [dryRunPhase(g, run, clientFor)] : []),
      ...phases.slice(before + 1),
      // A dry run ends after its plan: nothing to publish.
      ...(g.dryRun ? [] : [publishPhase(g, clientFor)]),
      ...(g.keepLast && !g.dryRun ? [retentionPhase(g, clientFor)] : []),
    ];
    return list;
  };
}

function resolvePhase(g: GoldenConfig, run: Run): Phase {
  return {
    id: 'golden-base',
    title: 'Resolve base image',
    async run(ctx) {
      const { cfg, deps } = ctx;
      const ssm = new SSMClient({ region: cfg.region, ...sdkRetry() });
      const resolved = await resolveBaseAmi({
        ec2: deps.ec2,
        ssm,
        ref: g.baseRef,
        option: nameOf('baseAmi', g.front),
      });
      run.resolved = resolved;
      for (const w of resolved.warnings) deps.logger.warn(w);
      if (resolved.via !== 'id') {
        deps.logger.info(`base image ${resolved.imageId}: ${resolved.how}`);
        ctx.report.summary.push(['Base AMI from', resolved.how]);
      }
      ctx.baseAmi = resolved.imageId;
      ctx.tags.baseAmi = resolved.imageId;
      ctx.blockDevices = [rootBlockDeviceMapping(g.volume, resolved.image, g.volumeNames)];
      ctx.report.summary.push(['Root volume', describeRootVolume(ctx.blockDevices[0])]);
      // What the AMI is made of besides the prepared files: a change is a new bake, not a reuse.
      const v = g.volume;
      ctx.digestParts['root-volume'] = [
        v.type,
        v.size,
        v.iops,
        v.throughput,
        v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
      ]
        .map((x) => x ?? '')
        .join(',');
      ctx.digestParts['imds'] = g.settings.imdsV2 ? 'v2.0' : 'any';
      const rendered = renderTags(
        g.templates,
        tagContext({
          name: cfg.name,
          version: cfg.version,
          baseAmi: resolved.imageId,
          runId: cfg.runId,
          date: new Date(ctx.now()),
        }),
      );
      ctx.tags.extra = { ...ctx.tags.extra, ...Object.fromEntries(rendered.map((t) => [t.Key!, t.Value!])) };
      if (rendered.length)
        ctx.report.summary.push(['Tags', rendered.map((t) => `${t.Key}=${t.Value}`).join(', ')]);
      ctx.report.outputs[OUTPUT.baseAmi] = resolved.imageId;
      ctx.report.fileVars.BASE_AMI = resolved.imageId;
    },
  };
}

/**
 * After the preflight (the digest is known), before anything is launched: an AMI of the same name
 * from another bake in a copy region would fail the copy only after the whole bake. A reused
 * bake skips this (nothing is launched; the copy step checks again).
 */
function copyTargetsPhase(g: GoldenConfig, clientFor: (ctx: BakeContext) => ClientFor): Phase {
  return {
    id: 'golden-copy-targets',
    title: 'Check copy regions',
    async run(ctx) {
      await checkCopyTargets({
        clientFor: clientFor(ctx),
        copies: g.copies,
        name: ctx.cfg.amiName,
        digest: ctx.digest,
      });
    },
  };
}

function sweepPhase(g: GoldenConfig): Phase {
  return {
    id: 'golden-sweep',
    title: 'Sweep leaked instances',
    async run(ctx) {
      const { cfg, deps } = ctx;
      try {
        const report = await sweep({
          ec2: deps.ec2,
          region: cfg.region,
          olderThanMs: g.sweepAge.ms,
          dryRun: g.dryRun,
          log: deps.logger,
          now: new Date(ctx.now()),
        });
        ctx.report.summary.push(['Janitor', formatSweep(report)]);
      } catch (err) {
        // The janitor serves other bakes; its failure must not stop this one.
        deps.logger.warn(`sweep: ${errorMessage(err)}`);
        ctx.report.summary.push(['Janitor', `failed: ${errorMessage(err)}`]);
      }
    },
  };
}

/** Retention plans for a dry run: the AMI the bake would add takes one of the N places. */
async function dryRetention(
  g: GoldenConfig,
  ctx: BakeContext,
  clientFor: ClientFor,
): Promise<RetentionPlan[]> {
  if (!g.keepLast) return [];
  const plans: RetentionPlan[] = [];
  for (const region of [ctx.cfg.region, ...g.copies.map((c) => c.region)]) {
    const ec2 = clientFor(region);
    const existing = await findOwnImageByName(ec2, ctx.cfg.amiName);
    const keepLast = existing ? g.keepLast : g.keepLast - 1;
    const plan = await planRetention({
      ec2,
      region,
      family: ctx.cfg.name,
      keepLast,
      protect: existing ? [existing.ImageId!] : [],
    });
    plans.push({ ...plan, keepLast: g.keepLast });
  }
  return plans;
}

function dryRunPhase(g: GoldenConfig, run: Run, clientFor: (ctx: BakeContext) => ClientFor): Phase {
  return {
    id: 'golden-dry-run',
    title: 'Dry run',
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const n = (k: Parameters<typeof nameOf>[0]) => nameOf(k, g.front);
      const forRegion = clientFor(ctx);
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
      const launch = runInstancesInput({
        baseAmi: ctx.baseAmi,
        instanceType: cfg.instanceType,
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        profile: cfg.profile,
        keyPair: cfg.keyPair,
        userdata,
        clientToken: ctx.clientToken,
        tags: runTags(ctx.tags),
        blockDevices: ctx.blockDevices,
      });
      const tags = toTags(imageTags(ctx.tags));
      if (g.copies.length)
        await checkCopyTargets({
          clientFor: forRegion,
          copies: g.copies,
          name: cfg.amiName,
          digest: ctx.digest,
        });
      const retention = await dryRetention(g, ctx, forRegion);
      const targets = await checkLaunchTargets(deps.ec2, {
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        keyPair: cfg.keyPair,
        names: { subnet: n('subnet'), securityGroups: n('securityGroups'), keyPair: n('keyPair') },
      });
      const lines = formatBakePlan({
        region: cfg.region,
        baseHow: run.resolved?.how ?? ctx.baseAmi,
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
        sweepAge: g.sweep ? formatMs(g.sweepAge.ms) : undefined,
      });
      lines.splice(3, 0, ...targets.lines);
      if (ctx.reused)
        lines.unshift(
          `reuse             ${ctx.reused.ImageId}: already baked from the same content, nothing would be launched`,
        );
      await deps.logger.group('Dry run: the plan', async () => lines.forEach((l) => deps.logger.info(l)));
      const probes = await runProbes({
        ec2: deps.ec2,
        region: cfg.region,
        clientFor: forRegion,
        launch,
        base: run.resolved!.image,
        amiName: cfg.amiName,
        tags,
        copies: g.copies,
        settings: g.settings,
        retention: !!g.keepLast,
      });
      await deps.logger.group('Dry run: permissions (EC2 DryRun calls)', async () =>
        formatProbes(probes).forEach((l) => deps.logger.info(l)),
      );
      const count = (o: string) => probes.filter((p) => p.outcome === o).length;
      ctx.report.dryRun = true;
      ctx.report.summary.push(
        ['Dry run', 'nothing was uploaded, launched, copied, shared or deleted'],
        ['User data', `${userdata.length} of ${USERDATA_LIMIT} bytes`],
        ['Copies (planned)', g.copies.map((c) => c.region).join(', ') || 'none'],
        ['Shared with (planned)', sharedWith(g.settings).join(', ') || 'nobody'],
        [
          'Permissions',
          `${count('allowed')} allowed, ${count('denied')} denied, ${count('unproven')} unproven`,
        ],
        ...retention.map((p): [string, string] => [`Retention ${p.region} (planned)`, retentionText(p)]),
      );
      // Printed with everything else first: one dry run shows every problem.
      if (targets.problems.length) throw new OptionError(targets.problems);
      assertAllowed(probes);
      ctx.done = true;
    },
  };
}

function retentionText(p: RetentionPlan): string {
  const parts = [`keep ${p.keep.map((k) => k.imageId).join(', ') || 'none'}`];
  if (p.remove.length) parts.push(`remove ${p.remove.map((r) => r.imageId).join(', ')}`);
  if (p.skip.length) parts.push(`skip ${p.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
  return parts.join('; ');
}

const sharedWith = (s: ImageSettings): string[] => [
  ...s.accounts,
  ...s.organizations,
  ...s.ous,
  ...(s.public ? ['PUBLIC'] : []),
];

function settingsText(reports: SettingsReport[], s: ImageSettings): [string, string][] {
  const rows: [string, string][] = [];
  const shared = sharedWith(s);
  if (shared.length)
    rows.push([
      'Shared with',
      `${shared.join(', ')} (${reports.filter((r) => r.sharedWith.length).length} of ${reports.length} AMIs)`,
    ]);
  const snaps = reports.filter((r) => r.snapshotsSharedWith.length);
  if (snaps.length)
    rows.push([
      'Snapshots shared',
      `with ${s.accounts.join(', ')} in ${snaps.map((r) => r.region).join(', ')}`,
    ]);
  rows.push([
    'IMDSv2 required',
    s.imdsV2 ? `yes (${reports.filter((r) => r.imdsV2).length} of ${reports.length} AMIs)` : 'no (opted out)',
  ]);
  const dep = reports.find((r) => r.deprecateAt);
  if (dep) rows.push(['Deprecation', dep.deprecateAt!]);
  if (s.protection !== 'false')
    rows.push([
      'Deregistration protection',
      `${s.protection === 'cooldown' ? 'on, with cooldown' : 'on'} (${reports.filter((r) => r.protection).length} of ${reports.length} AMIs)`,
    ]);
  return rows;
}

function publishPhase(g: GoldenConfig, clientFor: (ctx: BakeContext) => ClientFor): Phase {
  return {
    id: 'golden-publish',
    title: 'Copy and share',
    always: true,
    async run(ctx) {
      if (g.dryRun) return;
      const { cfg, deps } = ctx;
      const image = ctx.reused ?? ctx.image;
      if (!image?.ImageId) return;
      const forRegion = clientFor(ctx);
      const amis: Record<string, string> = { [cfg.region]: image.ImageId };
      const reports: SettingsReport[] = [
        await applyImageSettings({
          ec2: deps.ec2,
          region: cfg.region,
          image,
          settings: g.settings,
          log: deps.logger,
        }),
      ];
      let outcomes: Record<string, CopyOutcome> = {};
      let copyError: unknown;
      if (g.copies.length) {
        try {
          outcomes = await deps.logger.group(`Copies to ${g.copies.map((c) => c.region).join(', ')}`, () =>
            copyToRegions({
              clientFor: forRegion,
              sourceRegion: cfg.region,
              sourceImageId: image.ImageId!,
              name: cfg.amiName,
              description: cfg.description,
              digest: ctx.digest,
              copies: g.copies,
              // The copies carry the AMI's own tags (the run and token of the bake that made it).
              tags: tagsOf(image),
              token: ctx.clientToken,
              timeoutSeconds: g.timeoutCopy,
              pollSeconds: cfg.waitAmi,
              log: deps.logger,
              journal: (s) => deps.state.save(STATE.copies, serializeCopyState(s)),
              signal: ctx.signal,
            }),
          );
        } catch (err) {
          copyError = err;
        }
        const done = Object.values(outcomes);
        for (const o of done) amis[o.region] = o.imageId;
        reports.push(
          ...(await Promise.all(
            done.map(async (o) => {
              const ec2 = forRegion(o.region);
              const copy = (await findImage(ec2, o.imageId)) ?? { ImageId: o.imageId };
              return applyImageSettings({
                ec2,
                region: o.region,
                image: copy,
                settings: g.settings,
                log: deps.logger,
              });
            }),
          )),
        );
        ctx.report.summary.push([
          'Copies',
          g.copies
            .map((c) => {
              const o = outcomes[c.region];
              if (!o) return `${c.region}: failed`;
              return `${c.region}: ${o.imageId}${o.reused ? ' (reused)' : ` (${Math.round(o.seconds)} s)`}${c.encrypted ? ', encrypted' : ''}`;
            })
            .join('; '),
        ]);
      }
      ctx.report.summary.push(...settingsText(reports, g.settings));
      ctx.report.outputs[OUTPUT.amis] = JSON.stringify(amis);
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

function retentionPhase(g: GoldenConfig, clientFor: (ctx: BakeContext) => ClientFor): Phase {
  return {
    id: 'golden-retention',
    title: 'Retention',
    always: true,
    async run(ctx) {
      if (g.dryRun || !g.keepLast) return;
      const { cfg, deps } = ctx;
      const amis: Record<string, string> = JSON.parse(ctx.report.outputs[OUTPUT.amis] ?? '{}');
      const forRegion = clientFor(ctx);
      for (const [region, imageId] of Object.entries(amis)) {
        const ec2 = forRegion(region);
        try {
          const plan = await planRetention({
            ec2,
            region,
            family: cfg.name,
            keepLast: g.keepLast,
            protect: [imageId],
          });
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
          // The new AMI is made; an old one left over is a warning, not a failed bake.
          deps.logger.warn(`retention in ${region}: ${errorMessage(err)}`);
          ctx.report.summary.push([`Retention ${region}`, `failed: ${errorMessage(err)}`]);
        }
      }
    },
  };
}
