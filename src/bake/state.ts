/**
 * Cleanup state: what the lifecycle has started, saved before each risky call so that whoever
 * cleans up (the bake itself, a signal handler, the action's post step) can find it. The action
 * persists it with core.saveState (the post step reads STATE_*), the CLI keeps it in memory.
 */

/** State keys. Values are strings; absent means "not started". */
export const STATE = {
  region: 'amibake_region',
  /** RunInstances ClientToken, also the `amibake:client-token` tag of the instance. */
  clientToken: 'amibake_client_token',
  /** `started` before RunInstances (and after an error that may have come after the launch),
   *  `returned` after its answer, `failed` after AWS refused it (nothing was launched). */
  launch: 'amibake_launch',
  instanceId: 'amibake_instance_id',
  /** Saved before CreateImage, so an interrupted creation can be found by name; emptied when AWS
   *  refused the call (no AMI was made). */
  imageName: 'amibake_image_name',
  imageId: 'amibake_image_id',
  /** Set once the AMI is available and fully tagged: it is the bake's result, never cleaned up. */
  imageDone: 'amibake_image_done',
  /** Set once the instance is known to be terminated. */
  terminated: 'amibake_terminated',
  /** The multi-region copies in flight (JSON, src/golden/copy.ts): recovery finishes or removes them. */
  copies: 'amibake_copies',
} as const;

export type StateKey = (typeof STATE)[keyof typeof STATE];
export type StateValues = Partial<Record<StateKey, string>>;

export interface StateStore {
  save(key: StateKey, value: string): void;
  values(): StateValues;
}

/** Keeps the values in memory and hands each one to `sink` (core.saveState in the action). */
export class MemoryState implements StateStore {
  private readonly data: StateValues = {};
  constructor(private readonly sink?: (key: StateKey, value: string) => void) {}
  save(key: StateKey, value: string): void {
    this.data[key] = value;
    this.sink?.(key, value);
  }
  values(): StateValues {
    return { ...this.data };
  }
}

/** Reads the saved values back (the post step: `get` is core.getState). */
export function readState(get: (key: StateKey) => string | undefined): StateValues {
  const out: StateValues = {};
  for (const key of Object.values(STATE)) {
    const v = get(key);
    if (v) out[key] = v;
  }
  return out;
}
