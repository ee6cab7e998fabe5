/**
 * The engine: runs an ordered list of phases over one context and recovers what the started ones
 * left. It knows no phase: the composition root (src/pipeline) builds the list from the
 * configuration, each phase saves its state before its risky calls, and recovery
 * (./recovery.ts) runs the started phases' `recover` in reverse.
 */
import { UserError } from '../core/errors.js';
import type { Phase, Report, RunBase } from './phase.js';
import { recoverPhases } from './recovery.js';
import { STARTED_KEY, type StateStore } from './state.js';
import { PhaseClock, type PhaseTiming } from './timings.js';

export type { PhaseTiming, SpanTiming } from './timings.js';

export class CancelledError extends UserError {
  override name = 'CancelledError';
}

const cancelled = () => new CancelledError('the bake was cancelled');

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface EngineOptions<C extends RunBase, D, R extends Report> {
  phases: Phase<C, D, R>[];
  state: StateStore;
  /** Builds the run context from what the engine provides. */
  context: (base: RunBase & { sleep(ms: number): Promise<void> }) => C;
  /** An empty report of the pipeline's recovery. */
  report: () => R;
  /** Test seams. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Called as each phase ends (successfully), with its timing: the log line of a front. */
  onPhaseEnd?: (timing: PhaseTiming) => void;
}

export class Engine<C extends RunBase, D, R extends Report> {
  private readonly abort = new AbortController();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly started: Phase<C, D, R>[] = [];
  private recovering?: Promise<R>;
  private readonly clock: PhaseClock;
  readonly ctx: C;

  constructor(private readonly o: EngineOptions<C, D, R>) {
    const signal = this.abort.signal;
    const sleep = o.sleep ?? abortableSleep;
    const now = o.now ?? Date.now;
    this.clock = new PhaseClock(now);
    this.ctx = o.context({
      signal,
      done: false,
      track: (call) => {
        const settled = call.then(
          () => undefined,
          () => undefined,
        );
        this.inflight.add(settled);
        void settled.then(() => this.inflight.delete(settled));
        return call;
      },
      now,
      span: (id, title, opts) => this.clock.span(id, title, opts),
      endSpan: () => this.clock.endSpan(),
      sleep: (ms) => sleep(ms, signal),
    });
  }

  /** The phases that ran, with their spans; a phase that failed or was cancelled too (ended
   *  where it stopped), so that a failed bake shows where its time went. */
  get timings(): PhaseTiming[] {
    return this.clock.timings;
  }

  get phases(): readonly Phase<C, D, R>[] {
    return this.o.phases;
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Runs the phases in order; each is recorded as started (in the saved state) before it runs.
   *  Throws the first phase's error: recovering is the caller's decision (see `recover`). */
  async run(): Promise<void> {
    const { ctx } = this;
    for (const phase of this.o.phases) {
      if (ctx.done && !phase.always) continue;
      if (this.cancelled) throw cancelled();
      this.started.push(phase);
      this.o.state.save(STARTED_KEY, this.started.map((p) => p.id).join(','));
      this.clock.begin(phase.id, phase.title);
      let ok = false;
      try {
        await phase.run(ctx);
        ok = true;
      } finally {
        const timing = this.clock.end(ok);
        if (ok) this.o.onPhaseEnd?.(timing);
      }
    }
  }

  /** Recovers the started phases (./recovery.ts), reading the state afresh for each; every
   *  caller gets the same, single recovery. */
  recover(deps: D): Promise<R> {
    this.recovering ??= recoverPhases(this.started, () => this.o.state.values(), deps, this.o.report());
    return this.recovering;
  }

  /** Stops the run: loops and waits end, and the calls in flight (`track`) get `graceMs` to
   *  answer, so that the ids they return are saved before recovery looks for them. */
  async cancel(graceMs: number): Promise<void> {
    this.abort.abort();
    if (!this.inflight.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.inflight), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}
