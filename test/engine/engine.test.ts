/** The engine alone, with phases that record what happens: order, recovery in reverse of the
 *  started phases only (urgent ones first), cancel, and the post step's recovery from the saved
 *  state through a registry. */
import { describe, expect, test } from '@jest/globals';
import { CancelledError, Engine } from '../../src/engine/engine.js';
import type { Phase, Report, RunBase, Saved } from '../../src/engine/phase.js';
import { recoverPhases, recoverSaved } from '../../src/engine/recovery.js';
import { MemoryState, STARTED_KEY } from '../../src/engine/state.js';

interface Ctx extends RunBase {
  log: string[];
}
interface Deps {
  log: string[];
}
interface Rep extends Report {
  done: string[];
}

/** A phase that logs its run and recovery, saves `<id>_key` before its work, and may fail. */
function phase(
  id: string,
  o: { fail?: boolean; urgent?: boolean; always?: boolean; noRecover?: boolean } = {},
) {
  const p: Phase<Ctx, Deps, Rep> = {
    id,
    title: `Phase ${id}`,
    state: [`${id}_key`],
    urgent: o.urgent,
    always: o.always,
    async run(ctx) {
      ctx.log.push(`run ${id}`);
      if (o.fail) throw new Error(`${id} failed`);
    },
  };
  if (!o.noRecover)
    p.recover = async (saved: Saved, deps: Deps) => {
      deps.log.push(`recover ${id}${saved[`${id}_key`] ? ` (${saved[`${id}_key`]})` : ''}`);
      return { done: [id] };
    };
  return p;
}

function engine(phases: Phase<Ctx, Deps, Rep>[], state = new MemoryState()) {
  const log: string[] = [];
  const e = new Engine<Ctx, Deps, Rep>({
    phases,
    state,
    report: () => ({ problems: [], done: [] }),
    context: (base) => ({ ...base, log }),
  });
  return { e, log, state };
}

describe('the engine', () => {
  test('runs the phases in order and records each as started before it runs', async () => {
    const state = new MemoryState();
    const seen: string[] = [];
    const spy = phase('b');
    const run = spy.run;
    spy.run = async (ctx) => {
      seen.push(state.values()[STARTED_KEY]);
      return run(ctx);
    };
    const { e, log } = engine([phase('a'), spy, phase('c')], state);
    await e.run();
    expect(log).toEqual(['run a', 'run b', 'run c']);
    expect(seen).toEqual(['a,b']);
    expect(state.values()[STARTED_KEY]).toBe('a,b,c');
    expect(e.timings.map((t) => t.phase)).toEqual(['a', 'b', 'c']);
  });

  test('recovers the started phases only, in reverse order, with the state each saved', async () => {
    const state = new MemoryState();
    state.save('a_key', 'A');
    state.save('c_key', 'C');
    const { e, log } = engine(
      [phase('a'), phase('b', { noRecover: true }), phase('c', { fail: true }), phase('d')],
      state,
    );
    await expect(e.run()).rejects.toThrow('c failed');
    const deps = { log: [] as string[] };
    const report = await e.recover(deps);
    expect(log).toEqual(['run a', 'run b', 'run c']);
    expect(deps.log).toEqual(['recover c (C)', 'recover a (A)']);
    expect(report).toEqual({ problems: [], done: ['c', 'a'] });
    // One recovery, whoever asks.
    expect(await e.recover({ log: [] })).toBe(report);
    expect(deps.log).toHaveLength(2);
  });

  test('urgent phases are recovered first, the others in reverse', async () => {
    const deps = { log: [] as string[] };
    await recoverPhases(
      [phase('a'), phase('launch', { urgent: true }), phase('image'), phase('publish')],
      () => ({}),
      deps,
      { problems: [], done: [] },
    );
    expect(deps.log).toEqual(['recover launch', 'recover publish', 'recover image', 'recover a']);
  });

  test('a recover that throws is a problem of the report; the others still run', async () => {
    const bad = phase('bad');
    bad.recover = async () => {
      throw new Error('AWS said no');
    };
    const deps = { log: [] as string[] };
    const report = await recoverPhases([phase('a'), bad], () => ({}), deps, { problems: [], done: [] });
    expect(report.problems).toEqual(['could not recover from phase bad: AWS said no']);
    expect(deps.log).toEqual(['recover a']);
  });

  test('after `done` only the `always` phases run', async () => {
    const finish = phase('finish');
    finish.run = async (ctx) => {
      ctx.log.push('run finish');
      ctx.done = true;
    };
    const { e, log } = engine([finish, phase('skipped'), phase('report', { always: true })]);
    await e.run();
    expect(log).toEqual(['run finish', 'run report']);
  });

  test('cancel: the run stops before the next phase, after a tracked call had its grace', async () => {
    let answer!: (v: string) => void;
    const saved: string[] = [];
    const slow = phase('slow');
    slow.run = async (ctx) => {
      saved.push(await ctx.track(new Promise<string>((r) => (answer = r))));
    };
    const { e, log } = engine([slow, phase('next')]);
    const running = e.run();
    await new Promise((r) => setImmediate(r));
    setTimeout(() => answer('i-123'), 20);
    await e.cancel(5000);
    // The answer came within the grace: its id is known before recovery.
    expect(saved).toEqual(['i-123']);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(log).not.toContain('run next');
  });

  test('cancel gives a tracked call no more than its grace', async () => {
    const hang = phase('hang');
    hang.run = async (ctx) => void (await ctx.track(new Promise(() => {})));
    const { e } = engine([hang]);
    void e.run();
    await new Promise((r) => setImmediate(r));
    const t0 = Date.now();
    await e.cancel(50);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('recovery in another process (the post step)', () => {
  const registry = new Map([
    ['a', phase('a')],
    ['launch', phase('launch', { urgent: true })],
    ['image', phase('image')],
    ['never', phase('never')],
  ]);

  test('the started phases are looked up in the registry and recovered from their saved keys', async () => {
    const state = new MemoryState();
    const { e } = engine([phase('a'), phase('launch'), phase('image', { fail: true })], state);
    state.save('launch_key', 'i-1');
    state.save('image_key', 'ami-1');
    state.save('never_key', 'not read: that phase never started');
    await expect(e.run()).rejects.toThrow();
    const saved = state.values();
    const read: string[] = [];
    const log: string[] = [];
    const done = await recoverSaved({
      registry,
      get: (key) => (read.push(key), saved[key]),
      deps: () => ({ log }),
      report: () => ({ problems: [], done: [] }),
    });
    expect(log).toEqual(['recover launch (i-1)', 'recover image (ami-1)', 'recover a']);
    expect(done?.report.done).toEqual(['launch', 'image', 'a']);
    expect(read).not.toContain('never_key');
  });

  test('nothing started: nothing to recover', async () => {
    const log: string[] = [];
    const done = await recoverSaved({
      registry,
      get: () => undefined,
      deps: () => ({ log }),
      report: () => ({ problems: [], done: [] }),
    });
    expect(done).toBeUndefined();
    expect(log).toEqual([]);
  });

  test('a phase unknown to the registry is skipped, the known ones recovered', async () => {
    const log: string[] = [];
    await recoverSaved({
      registry,
      get: (key) => (key === STARTED_KEY ? 'a,retired,image' : undefined),
      deps: () => ({ log }),
      report: () => ({ problems: [], done: [] }),
    });
    expect(log).toEqual(['recover image', 'recover a']);
  });
});
