/** Bakes with a test: the artifact's test user data (what prepare writes from script/test.sh)
 *  given to the build as it loaded the prepared files, then the pipeline as the fronts assemble it. */
import { cliSource } from '../../src/core/options.js';
import { named } from '../../src/core/errors.js';
import { gzipUserdata, renderMultipart } from '../../src/core/userdata.js';
import { createEc2, createS3 } from '../../src/aws/clients.js';
import { MemoryState } from '../../src/engine/state.js';
import { Bake } from '../../src/features/bake/bake.js';
import { resolveConfig } from '../../src/features/bake/config.js';
import { loadPrepared } from '../../src/features/bake/prepared.js';
import { STATE } from '../../src/features/bake/state.js';
import { reportTestStatus } from '../../src/features/test/test.js';
import { goldenConfig } from '../../src/pipeline/config.js';
import { namesFor, readOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { bakePhases } from '../../src/pipeline/phases.js';
import { captureLogger } from '../support/logger.js';
import { REGION } from '../support/moto.js';
import type { InProcess } from '../bake/helpers.js';

/** A test user data of the shape prepare writes: one cloud-config part running the test. */
export function testUserdata(): Buffer {
  return gzipUserdata(
    renderMultipart([
      {
        filename: '60_amibake-test.cfg',
        content: '#cloud-config\nruncmd:\n  - [/bin/sh, /run/amibake/amibake.sh, test]\n',
      },
    ]),
  );
}

export interface TestBake extends InProcess {
  bake?: Bake;
}

/**
 * Runs a bake in this process with `test` as the artifact's test user data (none: `undefined`).
 * `started` sees the bake as it starts (a test that cancels it).
 */
export async function bakeWithTest(
  userdataPath: string,
  env: Record<string, string>,
  o: { test?: Buffer; tweaks?: Partial<BuildOptions>; started?: (bake: Bake) => void } = {},
): Promise<TestBake> {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  const all = { ...process.env, ...env };
  let bake: Bake | undefined;
  try {
    const opts = { ...readOptions('build', cliSource(all)), ...o.tweaks };
    const prepared = await loadPrepared(userdataPath, opts.fsTgz);
    if (o.test) prepared.testUserdata = o.test;
    const cfg = resolveConfig(opts, prepared, { trustArtifactLocation: true, region: REGION, env: all });
    const golden = goldenConfig(opts, REGION, { hasTest: Boolean(prepared.testUserdata) });
    state.save(STATE.region, REGION);
    bake = new Bake(
      cfg,
      { ec2: createEc2(REGION), quick: createEc2(REGION, 2), s3: createS3(cfg.s3Region, all), logger, state },
      bakePhases(golden),
    );
    if (!golden.test) reportTestStatus(bake.ctx, 'skipped');
    o.started?.(bake);
    const result = await bake.run();
    return { result, log: text(), state, bake };
  } catch (error) {
    return { error: named(error as Error, namesFor('cli', 'build')), log: text(), state, bake };
  }
}
