/**
 * Saved state: what the pipeline has started, saved before each risky call so that whoever
 * recovers (the run itself, a signal handler, the action's post step) can find it. The action
 * persists it with core.saveState (the post step reads STATE_*), the CLI keeps it in memory.
 * Phases own their keys (Phase.state); the engine owns one: the started phases.
 */
import type { Saved } from './phase.js';

/** The ids of the phases that have started, in order, comma-separated (saved before each runs). */
export const STARTED_KEY = 'amibake_phases';

export type StateValues = Record<string, string>;

export interface StateStore {
  save(key: string, value: string): void;
  values(): StateValues;
}

/** Keeps the values in memory and hands each one to `sink` (core.saveState in the action). */
export class MemoryState implements StateStore {
  private readonly data: Record<string, string> = {};
  constructor(private readonly sink?: (key: string, value: string) => void) {}
  save(key: string, value: string): void {
    this.data[key] = value;
    this.sink?.(key, value);
  }
  values(): StateValues {
    return { ...this.data };
  }
}

export function startedPhases(saved: Saved): string[] {
  return (saved[STARTED_KEY] ?? '').split(',').filter(Boolean);
}

/** Reads the saved values of `keys` back (the post step: `get` is core.getState). */
export function readState(get: (key: string) => string | undefined, keys: Iterable<string>): StateValues {
  const out: StateValues = {};
  for (const key of keys) {
    const v = get(key);
    if (v) out[key] = v;
  }
  return out;
}
