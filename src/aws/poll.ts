/**
 * How the waits on EC2 poll (an instance to stop, an AMI to become available): a short first
 * pause, then longer ones up to the configured interval. A state reached early is noticed early,
 * and a long wait costs no more calls than a fixed interval would.
 */

/** The first pause, unless the configured interval is shorter. */
export const FIRST_POLL_MS = 2000;
/** Each pause is this much longer than the one before, up to the interval. */
export const POLL_GROWTH = 1.5;

/** A source of pauses: each call returns the next one, in milliseconds. */
export function pollBackoff(
  intervalMs: number,
  o = { firstMs: FIRST_POLL_MS, growth: POLL_GROWTH },
): () => number {
  let next = Math.min(o.firstMs, intervalMs);
  return () => {
    const pause = next;
    next = Math.min(Math.round(next * o.growth), intervalMs);
    return pause;
  };
}

/** Sleeps `ms`; resolves false at once when `signal` is (or becomes) aborted. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
