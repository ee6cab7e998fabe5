/** Shared pieces of the build tests: moto's network ids, BUILDAMI_* for them, in-process bakes. */
import { captureLogger } from '../support/logger.js';
import { cliSource, readOptions, type StageOptions } from '../../src/core/options.js';
import { createBake } from '../../src/bake/session.js';
import { MemoryState } from '../../src/bake/state.js';
import type { BakeResult } from '../../src/bake/lifecycle.js';

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
  tweaks: Partial<StageOptions<'build'>> = {},
): Promise<InProcess> {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  try {
    const opts = { ...readOptions('build', cliSource({ ...process.env, ...env })), ...tweaks };
    const bake = await createBake(
      opts,
      { userdata, fsTgz: opts.fsTgz },
      { front: 'cli', trustArtifactLocation: true, logger, state, env: { ...process.env, ...env } },
    );
    const result = await bake.run();
    return { result, log: text(), state };
  } catch (error) {
    return { error: error as Error, log: text(), state };
  }
}
