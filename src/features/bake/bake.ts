/**
 * A bake: the engine over the bake's context. On an error it recovers the started phases and
 * names what is left in the error; a signal cancels it (`cancel`); the CLI recovers once more
 * when the instance was not seen terminated (`cleanupOnce`).
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import { clientsByRegion } from '../../aws/clients.js';
import { Engine } from '../../engine/engine.js';
import type { BakeConfig } from './config.js';
import { bakeDigest, imageDigestParts } from './config.js';
import {
  emptyReport,
  leftoverMessage,
  type BakeContext,
  type BakeDeps,
  type BakePhase,
  type BakeResult,
  type CleanupReport,
  type RecoverDeps,
} from './context.js';
import { STATE } from './state.js';
import { phaseLine } from './timings.js';

/** `err` with the recovery's leftovers appended to its message (same class: a UserError stays one). */
function withLeftovers(err: unknown, left: string): Error {
  if (err instanceof UserError) return err.append(`\n${left}`);
  if (err instanceof Error) {
    err.message = `${err.message}\n${left}`;
    return err;
  }
  return new Error(`${String(err)}\n${left}`);
}

export interface RecoverOptions {
  wait: boolean;
  /** Set under a signal's time limit: how long removals are retried. */
  terminateSeconds?: number;
}

export class Bake {
  readonly engine: Engine<BakeContext, RecoverDeps, CleanupReport>;

  constructor(
    readonly cfg: BakeConfig,
    readonly deps: BakeDeps,
    phases: BakePhase[],
  ) {
    const clientToken = randomBytes(8).toString('hex');
    const digestParts = imageDigestParts(cfg);
    this.engine = new Engine<BakeContext, RecoverDeps, CleanupReport>({
      phases,
      state: deps.state,
      report: emptyReport,
      sleep: deps.sleep,
      now: deps.now,
      // One line per phase as it ends: where the time to AMI goes, readable while it runs.
      onPhaseEnd: (t) => deps.logger.info(phaseLine(t)),
      context: (base) => ({
        ...base,
        cfg,
        deps,
        clientToken,
        baseAmi: cfg.baseAmi,
        instanceTypes: cfg.instanceTypes,
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
        clientFor: clientsByRegion({ region: cfg.region, ec2: deps.ec2 }),
        report: { outputs: {}, fileVars: {}, summary: [] },
      }),
    });
  }

  get ctx(): BakeContext {
    return this.engine.ctx;
  }

  get phases(): readonly BakePhase[] {
    return this.engine.phases;
  }

  get cancelled(): boolean {
    return this.engine.cancelled;
  }

  async run(): Promise<BakeResult> {
    const { ctx } = this;
    try {
      await this.engine.run();
    } catch (err) {
      // A cancel recovers itself (and reports to its caller).
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
      instanceType: ctx.instanceType ?? ctx.instanceTypes.join(', '),
      digest: ctx.digest,
      snapshots: (image?.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [],
      ),
      timings: this.engine.timings,
      report: ctx.report,
    };
  }

  /** Recovers what the bake started; every caller gets the same (single) recovery. */
  cleanupOnce(opts: RecoverOptions): Promise<CleanupReport> {
    const { deps, cfg } = this;
    return this.engine.recover({
      ec2: deps.ec2,
      quick: deps.quick,
      clientFor: this.ctx.clientFor,
      logger: deps.logger,
      wait: opts.wait,
      images: true,
      delaySeconds: Math.min(cfg.waitInstance, 5),
      lookupSeconds: opts.wait ? 30 : 0,
      terminateSeconds: opts.terminateSeconds,
      // Within a signal handler's time limit: the post step looks again, for longer.
      imageLookupSeconds:
        opts.terminateSeconds === undefined ? undefined : Math.min(15, opts.terminateSeconds),
      save: (key, value) => deps.state.save(key, value),
    });
  }

  /**
   * Stops the bake (a signal): the loops end, a RunInstances or CreateImage in flight gets
   * `graceMs` to answer so its instance or AMI id is known, then the started phases are
   * recovered: the instance terminated first, the AMI kept or discarded, the copies recovered, and
   * (with `wait`) the instance seen terminated last. The report's problems name what is left.
   */
  async cancel(opts: RecoverOptions & { graceMs: number }): Promise<CleanupReport> {
    await this.engine.cancel(opts.graceMs);
    return this.cleanupOnce(opts);
  }
}
