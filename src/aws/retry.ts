/**
 * How hard amibake insists on AWS calls: the SDK's own retries of each call, and amibake's
 * retries around the calls cleanup depends on (TerminateInstances, the lookups that find what to
 * clean up). The values are not user options: they are a test seam, so that a fault injected for
 * good fails a call in a second instead of after the SDK's minutes of backoff.
 */

export interface RetryTimings {
  /** Attempts per call made by the SDK (first try included). */
  sdkAttempts: number;
  /** The SDK's retry mode: adaptive also slows down the client after throttling. */
  sdkMode: 'adaptive' | 'standard';
  /** amibake's own retries: the first pause, doubled up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** When set, every deadline of amibake's own retries is at most this long. */
  deadlineCapMs?: number;
}

export const DEFAULT_TIMINGS: RetryTimings = {
  sdkAttempts: 10,
  sdkMode: 'adaptive',
  backoffMs: 1000,
  maxBackoffMs: 15_000,
};

let current: RetryTimings = { ...DEFAULT_TIMINGS };

export function retryTimings(): RetryTimings {
  return current;
}

/** Test seam: changes the timings of the clients created from now on; returns the undo. */
export function setRetryTimings(timings: Partial<RetryTimings>): () => void {
  const saved = current;
  current = { ...current, ...timings };
  return () => {
    current = saved;
  };
}

/** `seconds` as a deadline from now, capped by the test seam. */
export function deadlineIn(seconds: number, now = Date.now()): number {
  const ms = seconds * 1000;
  return now + (current.deadlineCapMs !== undefined ? Math.min(ms, current.deadlineCapMs) : ms);
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `attempt` until it returns a value other than undefined, or the deadline passes (then
 * the last error is thrown, or undefined returned when every attempt answered undefined). Errors
 * for which `fatal` is true end the loop at once.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T | undefined>,
  opts: {
    deadline: number;
    sleep?: Sleep;
    fatal?: (err: unknown) => boolean;
    onError?: (err: unknown) => void;
  },
): Promise<T | undefined> {
  const sleep = opts.sleep ?? realSleep;
  let pause = current.backoffMs;
  for (;;) {
    let lastError: unknown;
    let failed = false;
    try {
      const v = await attempt();
      if (v !== undefined) return v;
    } catch (err) {
      if (opts.fatal?.(err)) throw err;
      opts.onError?.(err);
      lastError = err;
      failed = true;
    }
    const left = opts.deadline - Date.now();
    if (left <= 0) {
      if (failed) throw lastError;
      return undefined;
    }
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, current.maxBackoffMs);
  }
}
