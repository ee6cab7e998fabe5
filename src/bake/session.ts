/** What both fronts do around the lifecycle: load and check everything before any AWS call
 *  that changes something, then cancel cleanly on SIGINT/SIGTERM. */
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { nameOf, type Front, type StageOptions } from '../core/options.js';
import { configuredRegion, createEc2, createS3 } from './aws.js';
import { resolveConfig } from './config.js';
import { goldenConfig, goldenPhases } from '../golden/phases.js';
import { Bake, type BakeDeps, type Launcher, type Phase } from './lifecycle.js';
import { buildRegion } from './location.js';
import { loadPrepared } from './prepared.js';
import { STATE, type StateStore } from './state.js';

export interface SessionIO {
  front: Front;
  /**
   * Whether vars.env may name the region and the S3 location when the build has none of its own
   * (the CLI's spec flow); the action says no. vars.env disagreeing with the build's own values is
   * refused either way (src/bake/location.ts).
   */
  trustArtifactLocation: boolean;
  logger: Logger;
  state: StateStore;
  env: NodeJS.ProcessEnv;
  /** Test seams: a different phase list, sleep or clock. */
  phases?: (launcher: Launcher) => Phase[];
  deps?: Partial<BakeDeps>;
}

export async function createBake(
  opts: StageOptions<'build'>,
  files: { userdata: string; fsTgz?: string },
  io: SessionIO,
): Promise<Bake> {
  const prepared = await loadPrepared(files.userdata, files.fsTgz, nameOf('fsTgz', io.front));
  const policy = { front: io.front, trustArtifactLocation: io.trustArtifactLocation };
  const region = buildRegion(await configuredRegion(io.env), prepared, policy);
  const cfg = resolveConfig(opts, prepared, { ...policy, region, env: io.env });
  // Checked here too, before any AWS call: the golden options that only make sense together.
  const golden = goldenConfig(opts, io.front, region);
  io.state.save(STATE.region, region);
  const deps: BakeDeps = {
    ec2: createEc2(region),
    quick: createEc2(region, 2),
    s3: createS3(cfg.s3Region, io.env),
    logger: io.logger,
    state: io.state,
    ...io.deps,
  };
  return new Bake(cfg, deps, io.phases ?? goldenPhases(golden));
}

export type SignalName = 'SIGINT' | 'SIGTERM';

/**
 * Runs `onSignal` on the first SIGINT or SIGTERM, then exits with 128 + the signal number; a
 * second signal exits at once. GitHub cancels with SIGINT, then SIGTERM 7.5 s later, then
 * SIGKILL 2.5 s after that. Returns a function that removes the handlers.
 */
export function onSignals(
  logger: Logger,
  onSignal: (signal: SignalName) => Promise<void>,
  limitMs: number,
): () => void {
  let handling = false;
  const codes: Record<SignalName, number> = { SIGINT: 130, SIGTERM: 143 };
  const handler = (signal: SignalName) => {
    if (handling) {
      logger.warn(`${signal} again: exiting without waiting for the cleanup`);
      process.exit(codes[signal]);
    }
    handling = true;
    logger.warn(`${signal}: cancelling the bake`);
    // A referenced timer: until the cleanup is done (or the limit is up) the process cannot end by
    // itself. The bake's own failure (the cancel) settles first and must not end the process
    // with its exit code before TerminateInstances has gone out.
    const limit = new Promise<void>((r) => setTimeout(r, limitMs));
    Promise.race([onSignal(signal).catch((err) => logger.warn(errorMessage(err))), limit]).finally(() =>
      process.exit(codes[signal]),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
