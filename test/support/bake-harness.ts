/**
 * The harness of every test that bakes against moto: one moto for the file (this process's SDK
 * pointed at it), optionally the recording gate in front of it, moto reset before each test with
 * the network ids a build needs, and the instance double a test starts stopped after it.
 *
 *   const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { gate: true });
 *   const double = m.play('succeed');          // plays the instance of this test's bake
 *   runAction('build', { inputs: actionInputs(m.ids, dir), env: m.gate.env });
 *
 * `reset: 'once'` keeps one moto state for the whole file (a reset costs seconds; the signal
 * tests count what each case adds instead).
 */
import { motoIds, type MotoIds } from './world.js';
import { startInstanceDouble, type InstanceDouble, type DoubleOptions } from './instance-double.js';
import { useGate, useMoto, type Gate, type Moto } from './moto.js';

type Hook = (fn: () => Promise<void>, timeout?: number) => void;

export interface Hooks {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

export interface BakeHarness {
  readonly moto: Moto;
  /** The gate (with `gate` set). */
  readonly gate: Gate;
  readonly ids: MotoIds;
  /** The double this test started last. */
  readonly double: InstanceDouble | undefined;
  /** Starts the instance double against moto (or `endpoint`); stopped after the test. */
  play(
    behaviour: DoubleOptions['behaviour'],
    opts?: Partial<Omit<DoubleOptions, 'behaviour'>>,
  ): InstanceDouble;
}

export function useBake(
  hooks: Hooks,
  opts: { gate?: boolean; processEnv?: boolean; reset?: 'each' | 'once' } = {},
): BakeHarness {
  const m = useMoto(hooks);
  const g = opts.gate || opts.processEnv ? useGate(m, hooks, { processEnv: opts.processEnv }) : undefined;
  let ids: MotoIds | undefined;
  const doubles: InstanceDouble[] = [];
  const ready = async () => {
    if (opts.reset !== 'once') await m.moto.reset();
    ids = await motoIds(m.moto.endpoint);
  };
  if (opts.reset === 'once') hooks.beforeAll(ready, 30_000);
  else hooks.beforeEach(ready, 30_000);
  hooks.afterEach(async () => {
    await Promise.all(doubles.splice(0).map((d) => d.stop()));
  });
  return {
    get moto() {
      return m.moto;
    },
    get gate() {
      if (!g) throw new Error('useBake: no gate (pass { gate: true })');
      return g.gate;
    },
    get ids() {
      if (!ids) throw new Error('useBake: ids are set in beforeEach/beforeAll');
      return ids;
    },
    get double() {
      return doubles.at(-1);
    },
    play(behaviour, more = {}) {
      const double = startInstanceDouble({ endpoint: m.moto.endpoint, ...more, behaviour });
      doubles.push(double);
      return double;
    },
  };
}
