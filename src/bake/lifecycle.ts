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
import { refusedByAws } from '../golden/aws.js';
import { DIGEST_SCHEME } from '../core/digest.js';
import { UserError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { nameOf } from '../core/options.js';
import { cleanup, leftoverMessage, type CleanupReport } from './cleanup.js';
import { bakeDigest, imageDigestParts, type BakeConfig } from './config.js';
import { ConsoleReader, consoleResult, parseResult, tail } from './console.js';
import { createImage, findByName, tagSnapshots, waitAvailable } from './image.js';
import { describeInstance, runInstancesInput, terminateKnown, waitTerminated } from './instance.js';
import { deadlineIn } from './retry.js';
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

/** `err` with the cleanup's leftovers appended to its message (same class: a UserError stays one). */
function withLeftovers(err: unknown, left: string): Error {
  if (err instanceof Error) {
    err.message = `${err.message}\n${left}`;
    return err;
  }
  return new Error(`${String(err)}\n${left}`);
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
    // Only this bake's own digest counts: the tag of an AMI baked from other content, with other
    // image options, or by an amibake before DIGEST_SCHEME (whose digest vars.env could forge).
    if (theirs !== ctx.digest) {
      throw new UserError(
        `the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options ` +
          `(${TAG.digest} ${theirs ?? 'absent'}, this bake ${ctx.digest}; AMIs baked before ` +
          `${DIGEST_SCHEME} are never reused): bump the version (${nameOf('targetVersion', cfg.front)}), ` +
          `or deregister ${existing.ImageId} to bake ${cfg.amiName} again`,
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
  /** The CreateImage call in flight: a cancel waits for it too, so its AMI id is known. */
  imaging?: Promise<unknown>;
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
        // Only a refusal means nothing was launched; after a 5xx, throttling or a lost answer the
        // instance may exist, and cleanup looks for it by token for a while ('started').
        if (refusedByAws(err)) deps.state.save(STATE.launch, 'failed');
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
      const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
      throw new UserError(
        `the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
          (shown ? '; its last console lines are printed above' : ''),
      );
    }
    ctx.installStatus = await readStatus(ctx, reader);
    if (ctx.installStatus === undefined) {
      if (!cfg.allowNoResult) {
        const text = (await reader.read()) || lastConsole;
        const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
        throw new UserError(
          `the instance ${id} stopped without reporting an install result (no result object, no ` +
            `AMIBAKE-RESULT console line). If the base image cannot report one, set ` +
            `${nameOf('allowNoResult', cfg.front)} to trust the stop` +
            (shown ? '; its last console lines are printed above' : ''),
        );
      }
      deps.logger.warn(
        `no install result from ${id}: trusting the stop (${nameOf('allowNoResult', cfg.front)})`,
      );
      return;
    }
    if (ctx.installStatus !== 0) {
      const log = ctx.staging
        ? await readObject(deps.s3, ctx.staging.bucket, ctx.staging.log, deps.logger, TAIL_BYTES)
        : undefined;
      const text = log ?? ((await reader.read()) || lastConsole);
      const what = log ? 'install log' : 'console';
      const shown = showTail(deps.logger, text, `Last lines of the ${what}:`);
      throw new UserError(
        `the install failed (status ${ctx.installStatus}); no AMI was created` +
          (shown ? `. The last lines of the ${what} are printed above` : ''),
      );
    }
    deps.logger.info(`install succeeded (status 0)`);
  },
};

/** Bytes of the install log read back for its tail: the instance decides how big the log is. */
const TAIL_BYTES = 64 * 1024;
/** The result object is one `status=N` line; the instance could upload anything. */
const RESULT_BYTES = 4096;

/** Prints the end of instance text as an inert block, before the error that refers to it: an
 *  error message is an `::error::` command, so it never carries instance text. */
function showTail(logger: Logger, text: string | undefined, title: string): boolean {
  if (!text) return false;
  logger.untrusted(tail(text), title);
  return true;
}

/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
async function readStatus(ctx: BakeContext, reader: ConsoleReader): Promise<number | undefined> {
  const { deps, cfg } = ctx;
  if (ctx.staging) {
    const status = parseResult(
      await readObject(deps.s3, ctx.staging.bucket, ctx.staging.result, deps.logger, RESULT_BYTES),
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

export function image(launcher: Launcher): Phase {
  return {
    id: 'image',
    title: 'Create AMI',
    run: (ctx) => createAmi(ctx, launcher),
  };
}

async function createAmi(ctx: BakeContext, launcher: Launcher): Promise<void> {
  const { cfg, deps } = ctx;
  const tags = imageTags(ctx.tags);
  if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
  deps.state.save(STATE.imageName, cfg.amiName);
  const call = createImage(deps.ec2, {
    instanceId: ctx.instanceId!,
    name: cfg.amiName,
    description: cfg.description,
    tags,
  });
  launcher.imaging = call.catch(() => undefined);
  let imageId: string;
  try {
    imageId = await call;
  } catch (err) {
    // Refused: no AMI was made, and cleanup has none to look for. Any other failure may have come
    // after AWS made it: the name stays saved, and cleanup looks for it.
    if (refusedByAws(err)) deps.state.save(STATE.imageName, '');
    throw err;
  }
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
}

export const terminateInstance: Phase = {
  id: 'terminate',
  title: 'Terminate',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    try {
      // Retried until the deadline: a throttled or failing call must not leave the instance.
      await terminateKnown(deps.ec2, id, { deadline: deadlineIn(120), logger: deps.logger });
      await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
      deps.state.save(STATE.terminated, '1');
      deps.logger.info(`terminated ${id}`);
    } catch (err) {
      // The AMI is done: the front decides (the post step tries again; the CLI cleans up and
      // fails if the instance is still not terminated).
      deps.logger.warn(`could not confirm that ${id} is terminated: ${errorMessage(err)}`);
    }
  },
};

export function defaultPhases(launcher: Launcher): Phase[] {
  return [preflight, stage, launch(launcher), install, image(launcher), terminateInstance];
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
    const digestParts = imageDigestParts(cfg);
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
    try {
      for (const phase of this.phases) {
        if (ctx.done && !phase.always) continue;
        if (this.cancelled) throw new CancelledError('the bake was cancelled');
        const t0 = ctx.now();
        await phase.run(ctx);
        this.timings.push({ phase: phase.id, title: phase.title, seconds: (ctx.now() - t0) / 1000 });
      }
    } catch (err) {
      // A cancel cleans up itself (and reports to its caller).
      if (!this.cancelled) {
        const report = await this.cleanupOnce({ wait: true });
        // The bake's error names what it could not remove, by id, and an AMI that stays.
        const st = this.deps.state.values();
        const kept = report.keptImage ?? (st[STATE.imageDone] ? st[STATE.imageId] : undefined);
        const notes = [
          leftoverMessage(report),
          kept ? `the AMI ${kept} (${this.cfg.amiName}) is complete and kept: a new bake reuses it` : '',
        ].filter(Boolean);
        if (notes.length) throw withLeftovers(err, notes.join('\n'));
      }
      throw err;
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
  cleanupOnce(opts: { wait: boolean; terminateSeconds?: number }): Promise<CleanupReport> {
    this.cleaning ??= cleanup({
      ec2: this.deps.ec2,
      quick: this.deps.quick,
      logger: this.deps.logger,
      // Read afresh: a CreateImage that returned after the cancel has saved its id meanwhile.
      state: () => this.deps.state.values(),
      wait: opts.wait,
      images: true,
      delaySeconds: Math.min(this.cfg.waitInstance, 5),
      lookupSeconds: opts.wait ? 30 : 0,
      terminateSeconds: opts.terminateSeconds,
      // Within a signal handler's time limit: the post step looks again, for longer.
      imageLookupSeconds:
        opts.terminateSeconds === undefined ? undefined : Math.min(15, opts.terminateSeconds),
    }).then((report) => {
      // Seen terminated: the post step (and a second cleanup) need not try again.
      const id = this.deps.state.values()[STATE.instanceId];
      if (id && report.confirmed.includes(id)) this.deps.state.save(STATE.terminated, '1');
      return report;
    });
    return this.cleaning;
  }

  /**
   * Stops the bake (a signal): the loops end, a RunInstances or CreateImage in flight gets
   * `graceMs` to answer so its instance or AMI id is known, then the instance is terminated
   * (and, with `wait`, seen terminated) and the AMI kept or discarded. The report's problems
   * name what is left.
   */
  async cancel(opts: { wait: boolean; graceMs: number; terminateSeconds?: number }): Promise<CleanupReport> {
    this.abort.abort();
    const inflight = [this.launcher.inflight, this.launcher.imaging].filter(Boolean);
    if (inflight.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(inflight), new Promise((r) => (timer = setTimeout(r, opts.graceMs)))]);
      clearTimeout(timer);
    }
    return this.cleanupOnce(opts);
  }
}
