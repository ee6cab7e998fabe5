/** The capacity tests' bake: in-process through the CLI's option reading, with a state the test
 *  can watch while the bake runs. */
import { cliSource } from '../../src/core/options.js';
import { named } from '../../src/core/errors.js';
import { MemoryState } from '../../src/engine/state.js';
import { namesFor, readOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import type { BakeResult } from '../../src/features/bake/context.js';
import type { BakeHarness } from '../support/bake-harness.js';
import type { LaunchCall } from '../support/faults.js';
import { BUCKET, buildEnv, captureLogger } from '../bake/helpers.js';
import { makePrepared } from '../bake/fixture.js';

let bakes = 0;

export interface Baked {
  result?: BakeResult;
  error?: Error;
  log: string;
  state: MemoryState;
}

/** A bake of a fresh version (no reuse between tests) on moto's network with `env` on top. */
export async function bake(
  m: BakeHarness,
  env: Record<string, string>,
  state = new MemoryState(),
): Promise<Baked> {
  const { logger, text } = captureLogger();
  const all = buildEnv(m.ids, env);
  try {
    // Staged in S3: the instance double reports its result through the presigned URL.
    const f = await makePrepared({
      fsMode: 'external',
      s3Url: `s3://${BUCKET}/capacity/fs.tgz`,
      version: `${++bakes}.0.0`,
    });
    const opts = {
      ...readOptions('build', cliSource({ ...process.env, ...all })),
      waitInstance: 0.2,
      waitAmi: 0.2,
    };
    const b = await createBake(
      opts,
      { userdata: f.userdataPath },
      { trustArtifactLocation: true, logger, state, env: { ...process.env, ...all } },
    );
    return { result: await b.run(), log: text(), state };
  } catch (error) {
    return { error: named(error as Error, namesFor('cli', 'build')), log: text(), state };
  }
}

/** The attempts among the calls: the first call of each client token (the SDK retries an
 *  attempt with its token). */
export function distinctAttempts(calls: LaunchCall[]): LaunchCall[] {
  const seen = new Map<string, LaunchCall>();
  for (const c of calls) {
    const first = seen.get(c.clientToken);
    if (!first) seen.set(c.clientToken, { ...c });
    // The answer that counts is the last one of the token (a retry may have gone through).
    else first.refused = c.refused;
  }
  return [...seen.values()];
}
