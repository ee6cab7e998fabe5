/**
 * Guaranteed termination for the action: dist/build/index.js is stopped with SIGTERM (GitHub's
 * cancellation) or SIGKILL (a runner that dies) in each phase, then dist/build-post/index.js runs
 * with the saved STATE_*: no instance may be left pending, running, stopping or stopped.
 */
import { DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { STATE } from '../../src/features/bake/state.js';
import { TAG } from '../../src/aws/tags.js';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { startGate, useMoto, type Gate } from '../support/moto.js';
import { runAction, startAction } from '../support/runner.js';
import { makePrepared } from './fixture.js';
import {
  actionInputs,
  BUCKET,
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
  (['SIGTERM', 'SIGKILL'] as const).map((signal) => ({ phase, signal })),
);

describe('action-build stopped in every phase, then the post step', () => {
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
    const main = startAction('build', {
      inputs: actionInputs(ids, f.dir, { 'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz` }),
      env: gate.env,
    });
    const unfreeze = await inPhase(
      reached,
      main.done,
      (r) => `main ended before the phase (${r.code}):\n${r.stdout}${r.stderr}`,
    );
    main.child.kill(signal);
    const r = await main.done;
    if (signal === 'SIGTERM') {
      // Handled: TerminateInstances at once, then exit.
      expect({ code: r.code, stdout: r.stdout }).toMatchObject({ code: 143 });
      expect(r.stdout).toMatch(/SIGTERM: cancelling the bake/);
    } else {
      expect(r.signal).toBe('SIGKILL');
    }
    expect(r.state[STATE.region]).toBe('us-east-1');
    expect(r.state[STATE.clientToken]).toMatch(/^[0-9a-f]{16}$/);

    if (signal === 'SIGKILL') expect(await liveInstances(ec2)).toHaveLength(1); // left for the post step
    const post = await runAction('build-post', { env: gate.env, state: r.state });
    unfreeze();
    expect({ code: post.code, warnings: post.stdout.match(/^::warning::.*$/gm) }).toEqual({
      code: 0,
      warnings: null,
    });

    expect((await instances(ec2)).length - before.instances).toBe(1);
    expect({ live: await liveInstances(ec2), main: r.stdout, post: post.stdout }).toMatchObject({ live: [] });
    const images = await ownImages(ec2);
    const ours = images.filter((i) => i.Name === `web-server-${bakes}.0.0`);
    if (phase.image === 'kept') {
      // CreateImage went through: the AMI is complete, kept, and its snapshots got their tags.
      expect(images.length - before.images).toBe(1);
      expect(ours).toHaveLength(1);
      const snap = ours[0].BlockDeviceMappings![0].Ebs!.SnapshotId!;
      const tags = await ec2.send(
        new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [snap] }] }),
      );
      expect(tags.Tags!.some((t) => t.Key === TAG.digest)).toBe(true);
    } else {
      expect(images.length - before.images).toBe(0);
    }
  });
});
