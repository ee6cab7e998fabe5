/**
 * A phase of a pipeline: what it does (`run`), the state keys it saves, and how to undo or finish
 * what it left (`recover`, from the saved state alone: the action's post step is another
 * process, with no parsed configuration). The engine knows nothing else of its phases.
 */

/** Saved state: key -> value, absent when never saved. */
export type Saved = Readonly<Record<string, string | undefined>>;

/** What a recovery reports; `problems` name what is left, one sentence each, by id. Features
 *  add facts of their own (arrays are concatenated, other values set, phase by phase). */
export interface Report {
  problems: string[];
}

/**
 * What a `recover` returns: its part of the report and, optionally, `settle`: a wait that only
 * confirms what the recover already set going (an instance seen terminated). Recovery runs every
 * `settle` after the last phase's recover, so a long confirmation never holds up the removal of
 * another phase's leftover (the AMI, the copies) in a short cancel budget. The engine keeps no
 * fact of the phase: the closure carries what it waits for.
 */
export type Recovered<R extends Report> = Partial<R> & { settle?: Settle<R> };
export type Settle<R extends Report> = () => Promise<Partial<R> | void>;

/** What the engine gives every run context. */
export interface RunBase {
  /** Aborted on cancel: loops and waits end. */
  signal: AbortSignal;
  /** Set by a phase to end the pipeline successfully: only `always` phases still run. */
  done: boolean;
  /** Registers a call whose answer a cancel must wait for (briefly): an id it returns, saved
   *  by the phase, is what recovery needs (RunInstances, CreateImage). Returns `call`. */
  track<T>(call: Promise<T>): Promise<T>;
  now(): number;
  /**
   * Starts a span of the running phase (ending the one before): a part of its time worth telling
   * apart, such as an instance's states. `wait`: time spent waiting on the cloud, not working.
   * The engine ends the last span when the phase ends; spans show in the phase's timing.
   */
  span(id: string, title: string, opts?: { wait?: boolean }): void;
  /** Ends the open span, if any: what follows belongs to the phase alone. */
  endSpan(): void;
}

export interface Phase<C extends RunBase = RunBase, D = unknown, R extends Report = Report> {
  id: string;
  title: string;
  /** Runs even after a phase has set `done` (a reused AMI still gets its copies, shares and
   *  retention; a dry run still prints its plan). */
  always?: boolean;
  /** The state keys this phase saves: the post step reads these back for `recover`. */
  state?: readonly string[];
  /**
   * Recovered before the reverse walk: for a phase whose leftover costs money or holds others
   * up while it lives (the build instance). See `recoverPhases` (./recovery.ts) for why.
   */
  urgent?: boolean;
  run(ctx: C): Promise<void>;
  /** Finishes or removes what an interrupted `run` left, from the saved state: idempotent, never
   *  throws for a leftover (it becomes a problem), and runs for a phase that did nothing too. */
  recover?(saved: Saved, deps: D): Promise<Recovered<R> | void>;
}

/** What recovery needs of a phase: the post step has no configuration, so no `run`. */
export type Recoverable<D = unknown, R extends Report = Report> = Pick<
  Phase<never, D, R>,
  'id' | 'title' | 'state' | 'urgent' | 'recover'
>;
