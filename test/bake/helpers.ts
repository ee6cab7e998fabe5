/** Shared pieces of the build tests: moto's network ids, BUILDAMI_* for them, in-process bakes. */
import { captureLogger } from '../support/logger.js';
import { cliSource } from '../../src/core/options.js';
import { named } from '../../src/core/errors.js';
import { namesFor, readOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import { MemoryState } from '../../src/engine/state.js';
import type { BakeResult } from '../../src/features/bake/context.js';

export {
  BASE_AMI,
  BUCKET,
  ec2For,
  instances,
  LIVE,
  liveInstances,
  motoIds,
  objects,
  ownImages,
  s3For,
  tempDir,
  type MotoIds,
} from '../support/world.js';
export { actionInputs, buildEnv } from '../support/runner.js';

export interface InProcess {
  result?: BakeResult;
  error?: Error;
  log: string;
  state: MemoryState;
}

export { captureLogger } from '../support/logger.js';

/**
 * Runs a bake in this process through the CLI's option reading, with `tweaks` applied to the
 * parsed options: the core takes any positive timeout, only the options table bounds them, so
 * timeouts can be tested in seconds.
 */
export async function bakeInProcess(
  userdata: string,
  env: Record<string, string>,
  tweaks: Partial<BuildOptions> = {},
): Promise<InProcess> {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  try {
    const opts = { ...readOptions('build', cliSource({ ...process.env, ...env })), ...tweaks };
    const bake = await createBake(
      opts,
      { userdata, fsTgz: opts.fsTgz },
      { trustArtifactLocation: true, logger, state, env: { ...process.env, ...env } },
    );
    const result = await bake.run();
    return { result, log: text(), state };
  } catch (error) {
    // As the CLI says it: the options by their variables.
    return { error: named(error as Error, namesFor('cli', 'build')), log: text(), state };
  }
}
