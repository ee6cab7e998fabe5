/** What both fronts do around a bake: load and check everything before any AWS call that
 *  changes something, then assemble the bake from the configuration. */
import type { Logger } from '../core/log.js';
import { configuredRegion, createEc2, createS3 } from '../aws/clients.js';
import type { StateStore } from '../engine/state.js';
import { Bake } from '../features/bake/bake.js';
import { resolveConfig } from '../features/bake/config.js';
import type { BakeDeps, BakePhase } from '../features/bake/context.js';
import { buildRegion } from '../features/bake/location.js';
import { loadPrepared } from '../features/bake/prepared.js';
import { kindOf } from '../features/disk-upload/artifact.js';
import { STATE } from '../features/bake/state.js';
import { reportTestStatus } from '../features/test/test.js';
import { goldenConfig } from './config.js';
import type { BuildOptions } from './options.js';
import { bakePhases } from './phases.js';

export interface SessionIO {
  /**
   * Whether vars.env may name the region and the S3 location when the build has none of its own
   * (the CLI's spec flow); the action says no. vars.env disagreeing with the build's own values is
   * refused either way (src/features/bake/location.ts).
   */
  trustArtifactLocation: boolean;
  logger: Logger;
  state: StateStore;
  env: NodeJS.ProcessEnv;
  /** Where the bake writes the files it hands on (the package inventory); the system's
   *  temporary folder when unset. */
  workDir?: string;
  /** Test seams: a different phase list, sleep or clock. */
  phases?: BakePhase[];
  deps?: Partial<BakeDeps>;
}

export async function createBake(
  opts: BuildOptions,
  files: { userdata: string; fsTgz?: string },
  io: SessionIO,
): Promise<Bake> {
  const prepared = await loadPrepared(files.userdata, files.fsTgz);
  // vars.env's claim only decides which files must be there and be verified (the disk's phases).
  const kind = kindOf(prepared.vars, prepared.varsPath);
  const policy = { trustArtifactLocation: io.trustArtifactLocation };
  const region = buildRegion(await configuredRegion(io.env), prepared, policy);
  const cfg = resolveConfig(opts, prepared, { ...policy, region, env: io.env });
  // Checked here too, before any AWS call: the golden options that only make sense together.
  const golden = goldenConfig(opts, region, { hasTest: Boolean(prepared.testUserdata), kind });
  io.state.save(STATE.region, region);
  const deps: BakeDeps = {
    ec2: createEc2(region),
    quick: createEc2(region, 2),
    s3: createS3(cfg.s3Region, io.env),
    logger: io.logger,
    state: io.state,
    workDir: io.workDir,
    ...io.deps,
  };
  const bake = new Bake(cfg, deps, io.phases ?? bakePhases(golden, kind));
  // No test phase: the outputs say so (the phase sets them when it runs).
  if (!golden.test) reportTestStatus(bake.ctx, 'skipped');
  return bake;
}
