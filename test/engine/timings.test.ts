/** The engine's clock: each phase's start and length, the spans a phase marks, a failed phase
 *  timed where it stopped, and the hook a front logs from. */
import { describe, expect, test } from '@jest/globals';
import { Engine, type PhaseTiming } from '../../src/engine/engine.js';
import type { Phase, Report, RunBase } from '../../src/engine/phase.js';
import { MemoryState } from '../../src/engine/state.js';
import { PhaseClock, waitedSeconds } from '../../src/engine/timings.js';

/** A clock that moves only when a phase says so. */
function fakeClock(t0 = 1_700_000_000_000) {
  let t = t0;
  return { now: () => t, advance: (ms: number) => void (t += ms), t0 };
}

type P = Phase<RunBase, unknown, Report>;
const step = (id: string, run: P['run']): P => ({ id, title: `Phase ${id}`, run });

function engine(phases: P[], clock: ReturnType<typeof fakeClock>, ended: PhaseTiming[] = []) {
  return new Engine<RunBase, unknown, Report>({
    phases,
    state: new MemoryState(),
    report: () => ({ problems: [] }),
    context: (base) => base,
    now: clock.now,
    onPhaseEnd: (t) => ended.push(structuredClone(t)),
  });
}

describe('phase timings', () => {
  test('each phase: its start, its length, and its spans, each ended by the next or by the phase', async () => {
    const c = fakeClock();
    const ended: PhaseTiming[] = [];
    const e = engine(
      [
        step('a', async () => c.advance(1500)),
        step('b', async (ctx) => {
          c.advance(100); // before any span: the phase's own
          ctx.span('boot', 'Boot', { wait: true });
          c.advance(2000);
          ctx.span('work', 'Work', { wait: true });
          c.advance(3000);
          ctx.endSpan();
          c.advance(250); // after the spans: the phase's own again
          ctx.span('tail', 'Tail');
          c.advance(50); // ended by the phase's end
        }),
      ],
      c,
      ended,
    );
    await e.run();
    expect(e.timings).toEqual([
      { phase: 'a', title: 'Phase a', start: c.t0, seconds: 1.5, ok: true, spans: [] },
      {
        phase: 'b',
        title: 'Phase b',
        start: c.t0 + 1500,
        seconds: 5.4,
        ok: true,
        spans: [
          { id: 'boot', title: 'Boot', start: c.t0 + 1600, seconds: 2, wait: true },
          { id: 'work', title: 'Work', start: c.t0 + 3600, seconds: 3, wait: true },
          { id: 'tail', title: 'Tail', start: c.t0 + 6850, seconds: 0.05, wait: false },
        ],
      },
    ]);
    // The hook sees each phase once, complete, as it ends.
    expect(ended).toEqual(e.timings);
    expect(waitedSeconds(e.timings)).toBe(5);
  });

  test('a phase that throws is timed where it stopped, marked not ok, and not announced', async () => {
    const c = fakeClock();
    const ended: PhaseTiming[] = [];
    const e = engine(
      [
        step('a', async () => c.advance(10)),
        step('b', async (ctx) => {
          ctx.span('wait', 'Wait', { wait: true });
          c.advance(700);
          throw new Error('boom');
        }),
        step('c', async () => c.advance(1)),
      ],
      c,
      ended,
    );
    await expect(e.run()).rejects.toThrow('boom');
    expect(e.timings.map((t) => [t.phase, t.seconds, t.ok])).toEqual([
      ['a', 0.01, true],
      ['b', 0.7, false],
    ]);
    expect(e.timings[1].spans).toEqual([
      { id: 'wait', title: 'Wait', start: c.t0 + 10, seconds: 0.7, wait: true },
    ]);
    expect(ended.map((t) => t.phase)).toEqual(['a']);
  });

  test('a span outside any phase is ignored; ending no span is harmless', () => {
    const c = fakeClock();
    const clock = new PhaseClock(c.now);
    clock.span('x', 'X');
    clock.endSpan();
    expect(clock.timings).toEqual([]);
    expect(() => clock.end()).toThrow('no phase is running');
  });
});
