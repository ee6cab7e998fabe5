/**
 * The bake: an ordered list of phases over one context. Each phase saves the cleanup state
 * before its risky call; whatever happens, the instance is terminated at the end (here, by a
 * signal handler, or by the action's post step). Later features plug in as phases (base-image
 * resolution before preflight; copies, shares and retention after the image) or through the
 * context's hooks (tags, block devices).
 */
import { randomBytes } from 'node:crypto';
import type { BlockDeviceMapping, EC2Client, Image } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { UserError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { nameOf } from '../core/options.js';
import { cleanup, type CleanupReport } from './cleanup.js';
import { bakeDigest, type BakeConfig } from './config.js';
import { ConsoleReader, consoleResult, parseResult, tail } from './console.js';
import { createImage, findByName, tagSnapshots, waitAvailable } from './image.js';
import { describeInstance, runInstancesInput, terminate, waitTerminated } from './instance.js';
import { finalUserdata, type StageUrls } from './stage.js';
import { STATE, type StateStore } from './state.js';
import { presign, readObject, stagingKeys, uploadFs, type StagingKeys } from './staging.js';
import { TAG, imageTags, runTags, type TagInput } from './tags.js';

export class CancelledError extends UserError {
  override name = 'CancelledError';
}

export interface BakeDeps {
  ec2: EC2Client;
  /** Same endpoint and credentials, few retries: for best-effort lookups. */
  quick: EC2Client;
  s3: S3Client;
  logger: Logger;
  state: StateStore;
  /** Injected in tests that exercise timeouts without waiting for them. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface PhaseTiming {
  phase: string;
  title: string;
  seconds: number;
}

export interface BakeContext {
  cfg: BakeConfig;
  deps: BakeDeps;
  signal: AbortSignal;
  clientToken: string;
  /** The base AMI id: cfg.baseAmi, or what a resolving phase made of it. */
  baseAmi: string;
  /** The reuse digest (tag `amibake:digest`). */
  digest: string;
  /** Inputs of the reuse digest; phases that change what is baked add to it before preflight. */
  digestParts: Record<string, string>;
  tags: TagInput;
  /** Block devices of the instance (root volume size, type, encryption). */
  blockDevices?: BlockDeviceMapping[];
  staging?: StagingKeys;
  urls: StageUrls;
  userdata?: Buffer;
  instanceId?: string;
  installStatus?: number;
  image?: Image;
  /** An AMI of the same name and digest already exists: nothing is launched. */
  reused?: Image;
  /** Set by a phase to end the bake successfully (reuse). */
  done: boolean;
  /** What later phases add to the outputs, the output file and the summary. */
  report: ReportExtras;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface Phase {
  id: string;
  title: string;
  /** Runs even after a phase has set `done` (the golden phases: a reused AMI still gets its
   *  copies, shares and retention; a dry run still prints its plan). */
  always?: boolean;
  run(ctx: BakeContext): Promise<void>;
}

export interface ReportExtras {
  /** Extra action outputs (name -> value). */
  outputs: Record<string, string>;
  /** Extra lines of the output file (VARIABLE -> value). */
  fileVars: Record<string, string>;
  /** Extra rows of the summary table. */
  summary: [string, string][];
  /** Set by the dry run: nothing was launched and there is no AMI. */
  dryRun?: boolean;
}

export interface BakeResult {
  amiId: string;
  amiName: string;
  region: string;
  instanceId?: string;
  /** The instance was seen `terminated` (a failure to confirm it is only a warning). */
  terminated: boolean;
  reused: boolean;
  baseAmi: string;
  instanceType: string;
  digest: string;
  snapshots: string[];
  timings: PhaseTiming[];
  report: ReportExtras;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError('the bake was cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('the bake was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// ---- phases ----

export const preflight: Phase = {
  id: 'preflight',
  title: 'Preflight',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const base = await deps.ec2
      .send(new DescribeImagesCommand({ ImageIds: [ctx.baseAmi] }))
      .then((o) => o.Images?.[0])
      .catch((err) => {
        if (/InvalidAMIID/.test((err as Error).name)) return undefined;
        throw err;
      });
    if (!base)
      throw new UserError(`${nameOf('baseAmi', cfg.front)}: ${ctx.baseAmi} not found in ${cfg.region}`);
    if (base.State !== 'available')
      throw new UserError(`${nameOf('baseAmi', cfg.front)}: ${ctx.baseAmi} is ${base.State}, not available`);

    ctx.digestParts['base-ami'] = ctx.baseAmi;
    ctx.digest = bakeDigest(ctx.digestParts);
    ctx.tags.digest = ctx.digest;
    ctx.tags.baseAmi = ctx.baseAmi;

    const existing = await findByName(deps.ec2, cfg.amiName);
    if (!existing) return;
    const theirs = existing.Tags?.find((t) => t.Key === TAG.digest)?.Value;
    if (theirs !== ctx.digest) {
      throw new UserError(
        `the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content ` +
          `(${TAG.digest} ${theirs ?? 'absent'}, this bake ${ctx.digest}): bump the version, or ` +
          'deregister that AMI to bake it again',
      );
    }
    if (existing.State === 'failed' || existing.State === 'invalid' || existing.State === 'error')
      throw new UserError(
        `the AMI ${existing.ImageId} (${cfg.amiName}) of an earlier bake is ${existing.State}: deregister it`,
      );
    deps.logger.info(`${cfg.amiName} was already baked from the same content: reusing ${existing.ImageId}`);
    ctx.reused =
      existing.State === 'available'
        ? existing
        : await waitAvailable(deps.ec2, existing.ImageId!, {
            timeoutSeconds: cfg.timeoutAmi,
            intervalSeconds: cfg.waitAmi,
            abortSignal: ctx.signal,
          });
    ctx.done = true;
  },
};

export const stage: Phase = {
  id: 'stage',
  title: 'Stage files',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const prepared = cfg.prepared;
    if (cfg.staging) {
      ctx.staging = stagingKeys(cfg.staging, ctx.clientToken);
      // Signing is local: the size check below comes before anything is uploaded.
      ctx.urls = await presign(deps.s3, ctx.staging, {
        seconds: cfg.timeoutInstance,
        withFs: prepared.fsMode === 'external',
      });
      for (const url of Object.values(ctx.urls)) if (url) deps.logger.mask(url);
    } else {
      deps.logger.info('no S3 location: the install result is read from the console only');
    }
    ctx.userdata = finalUserdata(prepared.userdata, ctx.urls, { keyPair: cfg.keyPair });
    deps.logger.info(`user data: ${ctx.userdata.length} bytes of 16384`);
    if (prepared.fsMode === 'external' && ctx.staging) {
      await uploadFs(deps.s3, ctx.staging, prepared.fsTgzPath!, deps.logger);
    }
  },
};

export class Launcher {
  /** The RunInstances call in flight, so a cancel can wait for its answer. */
  inflight?: Promise<unknown>;
}

export function launch(launcher: Launcher): Phase {
  return {
    id: 'launch',
    title: 'Launch',
    async run(ctx) {
      const { cfg, deps } = ctx;
      const input = runInstancesInput({
        baseAmi: ctx.baseAmi,
        instanceType: cfg.instanceType,
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        profile: cfg.profile,
        keyPair: cfg.keyPair,
        userdata: ctx.userdata!,
        clientToken: ctx.clientToken,
        tags: runTags(ctx.tags),
        blockDevices: ctx.blockDevices,
      });
      if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
      deps.state.save(STATE.clientToken, ctx.clientToken);
      deps.state.save(STATE.launch, 'started');
      const call = deps.ec2.send(new RunInstancesCommand(input));
      launcher.inflight = call.catch(() => undefined);
      let id: string | undefined;
      try {
        id = (await call).Instances?.[0]?.InstanceId;
      } catch (err) {
        deps.state.save(STATE.launch, 'failed');
        throw new UserError(`RunInstances: ${errorMessage(err)}`);
      }
      if (!id) throw new Error('RunInstances returned no instance');
      deps.state.save(STATE.instanceId, id);
      deps.state.save(STATE.launch, 'returned');
      ctx.instanceId = id;
      deps.logger.info(`launched ${id} (${cfg.instanceType}, ${ctx.baseAmi}, run ${cfg.runId})`);
    },
  };
}

/** Waits for the instance to stop by itself, streaming its console, then reads the install result. */
export const install: Phase = {
  id: 'install',
  title: 'Install (until stopped)',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    const reader = new ConsoleReader(deps.ec2, id, deps.logger);
    const deadline = ctx.now() + cfg.timeoutInstance * 1000;
    const interval = cfg.waitInstance * 1000;
    let lastConsole = '';
    const stopped = await deps.logger.group(`Install output (console of ${id})`, async () => {
      for (;;) {
        const inst = await describeInstance(deps.ec2, id);
        const state = inst?.State?.Name ?? 'unknown';
        lastConsole = (await reader.stream()) ?? lastConsole;
        if (state === 'stopped') return true;
        if (state === 'terminated' || state === 'shutting-down')
          throw new UserError(
            `the instance ${id} was terminated during the install: ${inst?.StateReason?.Message ?? 'no reason given'}`,
          );
        const left = deadline - ctx.now();
        if (left <= 0) return false;
        await ctx.sleep(Math.min(interval, left));
      }
    });
    if (!stopped) {
      const text = (await reader.read()) || lastConsole;
      throw new UserError(
        `the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
          (text ? `; last console lines:\n${tail(text)}` : ''),
      );
    }
    ctx.installStatus = await readStatus(ctx, reader);
    if (ctx.installStatus === undefined) {
      if (!cfg.allowNoResult) {
        const text = (await reader.read()) || lastConsole;
        throw new UserError(
          `the instance ${id} stopped without reporting an install result (no result object, no ` +
            `AMIBAKE-RESULT console line). If the base image cannot report one, set ` +
            `${nameOf('allowNoResult', cfg.front)} to trust the stop` +
            (text ? `; last console lines:\n${tail(text)}` : ''),
        );
      }
      deps.logger.warn(
        `no install result from ${id}: trusting the stop (${nameOf('allowNoResult', cfg.front)})`,
      );
      return;
    }
    if (ctx.installStatus !== 0) {
      const log = ctx.staging
        ? await readObject(deps.s3, ctx.staging.bucket, ctx.staging.log, deps.logger)
        : undefined;
      const text = log ?? ((await reader.read()) || lastConsole);
      throw new UserError(
        `the install failed (status ${ctx.installStatus}); no AMI was created` +
          (text ? `. Last lines of the install ${log ? 'log' : 'console'}:\n${tail(text)}` : ''),
      );
    }
    deps.logger.info(`install succeeded (status 0)`);
  },
};

/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
async function readStatus(ctx: BakeContext, reader: ConsoleReader): Promise<number | undefined> {
  const { deps, cfg } = ctx;
  if (ctx.staging) {
    const status = parseResult(
      await readObject(deps.s3, ctx.staging.bucket, ctx.staging.result, deps.logger),
    );
    if (status !== undefined) return status;
  }
  for (let i = 0; i < 3; i++) {
    const text = await reader.read();
    const status = text ? consoleResult(text) : undefined;
    if (status !== undefined) return status;
    if (i < 2) await ctx.sleep(cfg.waitInstance * 1000);
  }
  return undefined;
}

export const image: Phase = {
  id: 'image',
  title: 'Create AMI',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const tags = imageTags(ctx.tags);
    deps.state.save(STATE.imageName, cfg.amiName);
    const imageId = await createImage(deps.ec2, {
      instanceId: ctx.instanceId!,
      name: cfg.amiName,
      description: cfg.description,
      tags,
    });
    deps.state.save(STATE.imageId, imageId);
    deps.logger.info(`creating ${imageId} (${cfg.amiName})`);
    const available = await waitAvailable(deps.ec2, imageId, {
      timeoutSeconds: cfg.timeoutAmi,
      intervalSeconds: cfg.waitAmi,
      abortSignal: ctx.signal,
    });
    await tagSnapshots(deps.ec2, available, tags);
    deps.state.save(STATE.imageDone, '1');
    ctx.image = available;
    deps.logger.info(`${imageId} is available`);
  },
};

export const terminateInstance: Phase = {
  id: 'terminate',
  title: 'Terminate',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    try {
      await terminate(deps.ec2, [id]);
      await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
      deps.state.save(STATE.terminated, '1');
      deps.logger.info(`terminated ${id}`);
    } catch (err) {
      // The AMI is done; a cleanup problem is a warning (the post step tries again).
      deps.logger.warn(`could not confirm that ${id} is terminated: ${errorMessage(err)}`);
    }
  },
};

export function defaultPhases(launcher: Launcher): Phase[] {
  return [preflight, stage, launch(launcher), install, image, terminateInstance];
}

export class Bake {
  private readonly abort = new AbortController();
  private readonly launcher = new Launcher();
  private cleaning?: Promise<CleanupReport>;
  readonly phases: Phase[];
  readonly ctx: BakeContext;
  readonly timings: PhaseTiming[] = [];

  constructor(
    readonly cfg: BakeConfig,
    readonly deps: BakeDeps,
    phases?: (launcher: Launcher) => Phase[],
  ) {
    this.phases = (phases ?? defaultPhases)(this.launcher);
    const signal = this.abort.signal;
    const sleep = deps.sleep ?? abortableSleep;
    const clientToken = randomBytes(8).toString('hex');
    const digestParts = { prepared: cfg.prepared.digest };
    this.ctx = {
      cfg,
      deps,
      signal,
      clientToken,
      baseAmi: cfg.baseAmi,
      digestParts,
      digest: bakeDigest(digestParts),
      tags: {
        name: cfg.name,
        version: cfg.version,
        amiName: cfg.amiName,
        runId: cfg.runId,
        clientToken,
        digest: '',
        baseAmi: cfg.baseAmi,
        extra: cfg.extraTags,
      },
      urls: {},
      done: false,
      report: { outputs: {}, fileVars: {}, summary: [] },
      sleep: (ms) => sleep(ms, signal),
      now: deps.now ?? Date.now,
    };
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<BakeResult> {
    const { ctx } = this;
    let ok = false;
    try {
      for (const phase of this.phases) {
        if (ctx.done && !phase.always) continue;
        if (this.cancelled) throw new CancelledError('the bake was cancelled');
        const t0 = ctx.now();
        await phase.run(ctx);
        this.timings.push({ phase: phase.id, title: phase.title, seconds: (ctx.now() - t0) / 1000 });
      }
      ok = true;
    } finally {
      if (!ok && !this.cancelled) await this.cleanupOnce({ wait: true });
    }
    const image = ctx.reused ?? ctx.image;
    return {
      amiId: image?.ImageId ?? '',
      amiName: this.cfg.amiName,
      region: this.cfg.region,
      instanceId: ctx.instanceId,
      terminated: Boolean(this.deps.state.values()[STATE.terminated]),
      reused: Boolean(ctx.reused),
      baseAmi: ctx.baseAmi,
      instanceType: this.cfg.instanceType,
      digest: ctx.digest,
      snapshots: (image?.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [],
      ),
      timings: this.timings,
      report: ctx.report,
    };
  }

  /** Terminates what the bake launched; every caller gets the same (single) cleanup. */
  cleanupOnce(opts: { wait: boolean }): Promise<CleanupReport> {
    this.cleaning ??= cleanup({
      ec2: this.deps.ec2,
      quick: this.deps.quick,
      logger: this.deps.logger,
      state: this.deps.state.values(),
      wait: opts.wait,
      images: true,
      delaySeconds: Math.min(this.cfg.waitInstance, 5),
      lookupSeconds: opts.wait ? 30 : 0,
    });
    return this.cleaning;
  }

  /**
   * Stops the bake (a signal): the loops end, a RunInstances in flight gets `graceMs` to answer
   * so its instance is known, then the instance is terminated (and, with `wait`, confirmed).
   */
  async cancel(opts: { wait: boolean; graceMs: number }): Promise<CleanupReport> {
    this.abort.abort();
    if (this.launcher.inflight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.launcher.inflight, new Promise((r) => (timer = setTimeout(r, opts.graceMs)))]);
      clearTimeout(timer);
    }
    return this.cleanupOnce(opts);
  }
}
