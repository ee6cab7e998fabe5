/**
 * Recovery: the `recover` of every started phase, from the saved state. The run's error path,
 * the signal handlers and the action's post step all come here; what there is to clean follows
 * from the saved state (the started phases and the keys they saved), not from a list.
 */
import { errorMessage } from '../core/errors.js';
import type { Recoverable, Report, Saved, Settle } from './phase.js';
import { readState, startedPhases, STARTED_KEY } from './state.js';

/** Adds a phase's part to the report: arrays are concatenated, other values set. */
function merge<R extends Report>(into: R, part: Partial<R> | void): void {
  if (!part) return;
  const target = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(part)) {
    if (v === undefined) continue;
    const have = target[k];
    target[k] = Array.isArray(have) && Array.isArray(v) ? [...have, ...v] : v;
  }
}

/**
 * Runs `recover` of the started phases in reverse order of their start, `urgent` ones first,
 * then the `settle` waits they returned, in the same order.
 *
 * Why urgent first: the runner's cancel budget is short (SIGINT, SIGTERM 7.5 s later, SIGKILL
 * 2.5 s after; a second signal ends the CLI at once), and strict reverse order would put the
 * termination of the build instance (launch) behind the AMI's recovery, whose lookup by name
 * waits out EC2's eventual consistency for up to 15 s. The instance depends on nothing a later
 * phase made, so TerminateInstances goes out first and the rest follows in reverse.
 *
 * Only the call is urgent, not its confirmation: seeing the instance terminated can take
 * minutes, and a signal's budget spent on it would leave a pending AMI or copies unhandled and
 * unnamed. So a recover returns such a wait as `settle`, run after every phase's recover.
 *
 * `read` is called before each phase: a call that answered meanwhile (a CreateImage in flight at
 * a cancel) has saved its id by then. A `recover` or `settle` that throws becomes a problem of
 * the report.
 */
export async function recoverPhases<D, R extends Report>(
  started: readonly Recoverable<D, R>[],
  read: () => Saved,
  deps: D,
  report: R,
): Promise<R> {
  const reversed = [...started].reverse();
  const order = [...reversed.filter((p) => p.urgent), ...reversed.filter((p) => !p.urgent)];
  const settles: { phase: Recoverable<D, R>; settle: Settle<R> }[] = [];
  const problem = (phase: Recoverable<D, R>, err: unknown) =>
    report.problems.push(`could not recover from ${phase.title.toLowerCase()}: ${errorMessage(err)}`);
  for (const phase of order) {
    if (!phase.recover) continue;
    try {
      const { settle, ...part } = (await phase.recover(read(), deps)) ?? {};
      merge(report, part as Partial<R>);
      if (settle) settles.push({ phase, settle: settle as Settle<R> });
    } catch (err) {
      problem(phase, err);
    }
  }
  for (const { phase, settle } of settles) {
    try {
      merge(report, await settle());
    } catch (err) {
      problem(phase, err);
    }
  }
  return report;
}

/** The phases a registry knows, by id. */
export type Registry<D, R extends Report> = ReadonlyMap<string, Recoverable<D, R>>;

/**
 * The post step's recovery: the started phases (and only those) are looked up in `registry`
 * (supplied by the composition root), the keys they declare read back with `get`, and each one's
 * `recover` run as above. `shared` are keys read for every phase (the region the clients need).
 * Returns undefined when no started phase has anything to recover.
 */
export async function recoverSaved<D, R extends Report>(o: {
  registry: Registry<D, R>;
  get: (key: string) => string | undefined;
  shared?: readonly string[];
  deps: (saved: Saved) => D;
  report: () => R;
}): Promise<{ saved: Saved; report: R } | undefined> {
  const ids = startedPhases({ [STARTED_KEY]: o.get(STARTED_KEY) });
  const phases = ids
    .map((id) => o.registry.get(id))
    .filter((p): p is Recoverable<D, R> => Boolean(p?.recover));
  if (!phases.length) return undefined;
  const keys = new Set([STARTED_KEY, ...(o.shared ?? []), ...phases.flatMap((p) => p.state ?? [])]);
  const saved = readState(o.get, keys);
  return { saved, report: await recoverPhases(phases, () => saved, o.deps(saved), o.report()) };
}
