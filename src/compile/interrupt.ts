/** SIGINT and SIGTERM (Ctrl-C, a cancelled CI job) while prepare runs: compile.sh and what it
 *  started are stopped and the temporary folders removed before the process ends. */
import { UserError } from '../core/errors.js';

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type SignalName = keyof typeof SIGNALS;

export class InterruptedError extends UserError {
  override name = 'InterruptedError';
  constructor(readonly signalName: SignalName) {
    super(`interrupted by ${signalName}: compile.sh stopped, temporary files removed, TARGET left as it was`);
  }
  /** The exit status of a process ended by the signal (128 + its number). */
  get exitCode(): number {
    return SIGNALS[this.signalName];
  }
}

/** Runs `fn` with a signal that aborts on the first SIGINT or SIGTERM. The handlers are `once`: a
 *  second signal ends the process at once, as it would without them. */
export async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = (Object.keys(SIGNALS) as SignalName[]).map((sig) => {
    const handler = () => controller.abort(new InterruptedError(sig));
    process.once(sig, handler);
    return [sig, handler] as const;
  });
  try {
    return await fn(controller.signal);
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  }
}
