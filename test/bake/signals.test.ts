/**
 * Guaranteed termination, for both fronts, from their bundles:
 * - action-build (dist/build) stopped with SIGTERM (GitHub's cancellation) or SIGKILL (a runner
 *   that dies) in each phase, then the post step (dist/build-post) with the saved STATE_*;
 * - `amibake build` (dist/cli, no post step to rely on) stopped with SIGINT (Ctrl-C, Jenkins'
 *   abort) or SIGTERM in each phase.
 * Afterwards no instance may be left pending, running, stopping or stopped, and an AMI is left
 * only when it became available before the stop.
 */
import { DescribeTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { STATE } from '../../src/features/bake/state.js';
import { TAG } from '../../src/aws/tags.js';
import { useBake } from '../support/bake-harness.js';
import { runAction, type RunResult } from '../support/runner.js';
import { makePrepared } from './fixture.js';
import { BUCKET, ec2For, instances, liveInstances, ownImages } from './helpers.js';
import { FROZEN_PHASES, FRONTS, startInPhase, type FrozenPhase } from './phases.js';

jest.setTimeout(60_000);
// One moto for the file (a reset costs seconds): each case bakes its own AMI name and counts what
// it adds; the live-instance checks stay global.
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { gate: true, reset: 'once' });
let bakes = 0;

interface Stopped {
  phase: FrozenPhase;
  signal: NodeJS.Signals;
  r: RunResult;
  unfreeze: () => void;
  ec2: EC2Client;
}

const FRONT_CASES = [
  {
    front: 'action-build, then its post step',
    start: FRONTS.action,
    signals: ['SIGTERM', 'SIGKILL'] as NodeJS.Signals[],
    async after({ signal, r, unfreeze, ec2 }: Stopped) {
      if (signal === 'SIGTERM') {
        // Handled: TerminateInstances at once, then exit.
        expect({ code: r.code, stdout: r.stdout }).toMatchObject({ code: 143 });
        expect(r.stdout).toMatch(/SIGTERM: cancelling the bake/);
      } else {
        expect(r.signal).toBe('SIGKILL');
        expect(await liveInstances(ec2)).toHaveLength(1); // left for the post step
      }
      expect(r.state[STATE.region]).toBe('us-east-1');
      expect(r.state[STATE.clientToken]).toMatch(/^[0-9a-f]{16}$/);
      const post = await runAction('build-post', { env: m.gate.env, state: r.state });
      unfreeze();
      expect({ code: post.code, warnings: post.stdout.match(/^::warning::.*$/gm) }).toEqual({
        code: 0,
        warnings: null,
      });
      return post.stdout;
    },
  },
  {
    front: 'amibake build',
    start: FRONTS.cli,
    signals: ['SIGINT', 'SIGTERM'] as NodeJS.Signals[],
    async after({ signal, r, unfreeze }: Stopped) {
      unfreeze();
      // The whole output in the failure message, should this ever fail.
      const out = { code: r.code, stdout: r.stdout, stderr: r.stderr };
      expect(out).toMatchObject({ code: signal === 'SIGINT' ? 130 : 143, stdout: '' }); // no AMI_ID= lines
      expect(out.stderr).toContain(`${signal}: cancelling the bake`);
      expect(out.stderr).toMatch(/terminated i-\w+/);
      return r.stderr;
    },
  },
];

describe.each(FRONT_CASES)('$front stopped in every phase', ({ start, signals, after }) => {
  const cases = FROZEN_PHASES.flatMap((phase) => signals.map((signal) => ({ phase, signal })));

  test.each(cases)('$signal $phase.name', async ({ phase, signal }) => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({
      fsMode: 'external',
      s3Url: `s3://${BUCKET}/amibake/fs.tgz`,
      version: `${++bakes}.0.0`,
    });
    const before = { instances: (await instances(ec2)).length, images: (await ownImages(ec2)).length };
    expect(await liveInstances(ec2)).toEqual([]);
    m.play(phase.behaviour);
    const { run, unfreeze } = await startInPhase(phase, m.gate, () => start(m.ids, f, m.gate.env));
    run.child.kill(signal);
    // SIGINT: RunInstances answers late, during the cancel (terminated by id); otherwise its answer
    // comes only after the process ended (SIGTERM of the CLI: found by the client-token tag).
    if (phase.name === 'before RunInstances returns' && signal === 'SIGINT') setTimeout(unfreeze, 500);
    const r = await run.done;
    const log = await after({ phase, signal, r, unfreeze, ec2 });

    expect((await instances(ec2)).length - before.instances).toBe(1);
    expect({ live: await liveInstances(ec2), log }).toMatchObject({ live: [] });
    const images = await ownImages(ec2);
    const ours = images.filter((i) => i.Name === `web-server-${bakes}.0.0`);
    expect(images.length - before.images).toBe(phase.image === 'kept' ? 1 : 0);
    if (phase.image === 'kept') {
      // CreateImage went through: the AMI is complete, kept, and its snapshots got their tags.
      expect(ours).toHaveLength(1);
      const snap = ours[0].BlockDeviceMappings![0].Ebs!.SnapshotId!;
      const tags = await ec2.send(
        new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [snap] }] }),
      );
      expect(tags.Tags!.some((t) => t.Key === TAG.digest)).toBe(true);
    }
  });
});
