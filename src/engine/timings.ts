/**
 * Where a run's time went: each phase's start and length, and the spans a phase marks inside
 * itself (an instance's states, an AMI becoming available). The engine keeps the clock; what the
 * phases and spans mean is theirs, so a phase added later is timed with no change here.
 */

export interface SpanTiming {
  id: string;
  title: string;
  /** Epoch milliseconds. */
  start: number;
  seconds: number;
  /** Time spent waiting on the cloud (a state to change), as opposed to amibake's own work. */
  wait: boolean;
}

export interface PhaseTiming {
  phase: string;
  title: string;
  /** Epoch milliseconds. */
  start: number;
  seconds: number;
  /** False when the phase threw (or was cancelled): it ended where it stopped. */
  ok: boolean;
  spans: SpanTiming[];
}

interface Open {
  timing: PhaseTiming;
  span?: SpanTiming;
}

export class PhaseClock {
  readonly timings: PhaseTiming[] = [];
  private open?: Open;

  constructor(private readonly now: () => number) {}

  begin(phase: string, title: string): void {
    const timing: PhaseTiming = { phase, title, start: this.now(), seconds: 0, ok: false, spans: [] };
    this.timings.push(timing);
    this.open = { timing };
  }

  /** Ends the running phase (and its open span); `ok` once it returned. */
  end(ok = true): PhaseTiming {
    const open = this.open;
    if (!open) throw new Error('no phase is running');
    this.endSpan();
    open.timing.seconds = (this.now() - open.timing.start) / 1000;
    open.timing.ok = ok;
    this.open = undefined;
    return open.timing;
  }

  span(id: string, title: string, opts: { wait?: boolean } = {}): void {
    // Outside a phase (a recovery, a test calling a phase directly) there is nothing to time.
    if (!this.open) return;
    this.endSpan();
    const span: SpanTiming = { id, title, start: this.now(), seconds: 0, wait: opts.wait ?? false };
    this.open.timing.spans.push(span);
    this.open.span = span;
  }

  endSpan(): void {
    const span = this.open?.span;
    if (!span) return;
    span.seconds = (this.now() - span.start) / 1000;
    this.open!.span = undefined;
  }
}

/** Seconds spent waiting on the cloud: the `wait` spans of every phase. */
export function waitedSeconds(timings: readonly PhaseTiming[]): number {
  return timings.reduce((a, t) => a + t.spans.reduce((b, s) => b + (s.wait ? s.seconds : 0), 0), 0);
}
