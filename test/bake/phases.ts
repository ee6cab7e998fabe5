/** The phases a bake can be interrupted in, each reached (and frozen) through the gate in front
 *  of moto and the instance double. */
import type { Behaviour } from '../support/instance-double.js';
import { imageState, type Gate } from '../support/moto.js';
import { startAction, startCli, type Running } from '../support/runner.js';
import type { Fixture } from './fixture.js';
import { actionInputs, BUCKET, buildEnv, type MotoIds } from './helpers.js';

export interface FrozenPhase {
  name: string;
  /** How the instance double behaves meanwhile. */
  behaviour: Behaviour;
  /** What remains of the AMI afterwards: none, or kept (it became available before the stop). */
  image: 'none' | 'kept';
  /** Arms the gate before the bake starts; the returned promise resolves once the bake is in the
   *  phase, with a function that unfreezes the gate. */
  arm(gate: Gate): Promise<() => void>;
}

/** Holds the answer of the next `action` call; resolves, with its release, once it is held. */
async function held(gate: Gate, action: string): Promise<() => void> {
  const hold = gate.hold(action);
  await hold.reached;
  return hold.release;
}

export const FROZEN_PHASES: FrozenPhase[] = [
  {
    name: 'before RunInstances returns',
    behaviour: 'hang',
    image: 'none',
    arm: (gate) => held(gate, 'RunInstances'),
  },
  {
    name: 'while waiting for the instance to stop',
    behaviour: 'hang',
    image: 'none',
    async arm(gate) {
      // A console read: the wait loop is running.
      await gate.waitFor('GetConsoleOutput', gate.count('GetConsoleOutput') + 1, 30_000);
      return () => {};
    },
  },
  {
    name: 'during CreateImage',
    behaviour: 'succeed',
    image: 'kept',
    arm: (gate) => held(gate, 'CreateImage'),
  },
  {
    name: 'while waiting for the AMI',
    behaviour: 'succeed',
    image: 'none',
    async arm(gate) {
      const created = gate.count('CreateImage') + 1;
      await gate.waitFor('CreateImage', created, 30_000);
      const undo = gate.rewrite('DescribeImages', imageState('pending'));
      await gate.waitFor('DescribeImages', gate.count('DescribeImages') + 1, 30_000);
      return undo;
    },
  },
];

/** Waits for the bake to be in the phase `reached` (from `arm`) says, and gives its unfreeze
 *  function; a bake that ends first fails the test with `ended(result)`. */
export async function inPhase<R>(
  reached: Promise<() => void>,
  done: Promise<R>,
  ended: (result: R) => string,
): Promise<() => void> {
  return Promise.race([
    reached,
    done.then((r) => {
      throw new Error(ended(r));
    }),
  ]);
}

/** Each front's build of a prepared fixture on moto's network, through `env` (the gate's). */
export const FRONTS = {
  action: (ids: MotoIds, f: Fixture, env: Record<string, string>): Running =>
    startAction('build', {
      inputs: actionInputs(ids, f.dir, { 'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz` }),
      env,
    }),
  cli: (ids: MotoIds, f: Fixture, env: Record<string, string>): Running =>
    startCli(['build', f.userdataPath], { env: { ...env, ...buildEnv(ids) } }),
};

/** Arms the gate for `phase`, starts a build, and waits until the build is frozen in the phase. */
export async function startInPhase(
  phase: FrozenPhase,
  gate: Gate,
  start: () => Running,
): Promise<{ run: Running; unfreeze: () => void }> {
  const reached = phase.arm(gate);
  const run = start();
  const unfreeze = await inPhase(
    reached,
    run.done,
    (r) => `the build ended before the phase (${r.code}):\n${r.stdout}${r.stderr}`,
  );
  return { run, unfreeze };
}
