/**
 * Guaranteed termination for the CLI (no post step to rely on): `amibake build` from dist/cli is
 * stopped with SIGINT (Ctrl-C, Jenkins' abort) or SIGTERM in each phase; when it has exited, no
 * instance may be left pending, running, stopping or stopped.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { startGate, useMoto, type Gate } from '../support/moto.js';
import { startCli } from '../support/runner.js';
import { makePrepared } from './fixture.js';
import {
  BUCKET,
  buildEnv,
  ec2For,
  instances,
  liveInstances,
  motoIds,
  ownImages,
  type MotoIds,
} from './helpers.js';
import { FROZEN_PHASES, inPhase } from './phases.js';

jest.setTimeout(60_000);
const m = useMoto({ beforeAll, afterAll });
let gate: Gate;
let ids: MotoIds;
let double: InstanceDouble | undefined;
let bakes = 0;

beforeAll(async () => {
  gate = await startGate(m.moto);
  ids = await motoIds(m.moto.endpoint);
}, 30_000);
afterAll(async () => gate.stop());
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

const cases = FROZEN_PHASES.flatMap((phase) =>
  (['SIGINT', 'SIGTERM'] as const).map((signal) => ({ phase, signal })),
);

describe('amibake build stopped in every phase', () => {
  test.each(cases)('$signal $phase.name', async ({ phase, signal }) => {
    const ec2 = ec2For(m.moto.endpoint);
    // One moto for the file (a reset costs seconds): each case bakes its own AMI name and counts
    // what it adds; the live-instance checks stay global.
    const f = await makePrepared({
      fsMode: 'external',
      s3Url: `s3://${BUCKET}/amibake/fs.tgz`,
      version: `${++bakes}.0.0`,
    });
    const before = { instances: (await instances(ec2)).length, images: (await ownImages(ec2)).length };
    expect(await liveInstances(ec2)).toEqual([]);
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: phase.behaviour });
    const reached = phase.arm(gate);
    const cli = startCli(['build', f.userdataPath], { env: { ...gate.env, ...buildEnv(ids) } });
    const unfreeze = await inPhase(
      reached,
      cli.done,
      (r) => `the CLI ended before the phase (${r.code}):\n${r.stderr}`,
    );
    cli.child.kill(signal);
    // SIGINT: RunInstances answers late, during the cancel (terminated by id); SIGTERM: its answer
    // never comes (found by the client-token tag).
    if (phase.name === 'before RunInstances returns' && signal === 'SIGINT') setTimeout(unfreeze, 500);
    const r = await cli.done;
    unfreeze();
    // The whole output in the failure message, should this ever fail.
    const out = { code: r.code, stdout: r.stdout, stderr: r.stderr };
    expect(out).toMatchObject({ code: signal === 'SIGINT' ? 130 : 143, stdout: '' }); // no AMI_ID= lines
    expect(out.stderr).toContain(`${signal}: cancelling the bake`);
    expect(out.stderr).toMatch(/terminated i-\w+/);

    expect((await instances(ec2)).length - before.instances).toBe(1);
    expect({ live: await liveInstances(ec2), stderr: r.stderr }).toMatchObject({ live: [] });
    const images = await ownImages(ec2);
    expect(images.length - before.images).toBe(phase.image === 'kept' ? 1 : 0);
    if (phase.image === 'kept') expect(images.map((i) => i.Name)).toContain(`web-server-${bakes}.0.0`);
  });
});
