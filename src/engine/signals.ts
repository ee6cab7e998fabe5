/** Cancelling on SIGINT/SIGTERM within the runner's budget. */
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';

export type SignalName = 'SIGINT' | 'SIGTERM';

/**
 * Runs `onSignal` on the first SIGINT or SIGTERM, then exits with 128 + the signal number; a
 * second signal exits at once. GitHub cancels with SIGINT, then SIGTERM 7.5 s later, then
 * SIGKILL 2.5 s after that. Returns a function that removes the handlers.
 */
export function onSignals(
  logger: Logger,
  onSignal: (signal: SignalName) => Promise<void>,
  limitMs: number,
): () => void {
  let handling = false;
  const codes: Record<SignalName, number> = { SIGINT: 130, SIGTERM: 143 };
  const handler = (signal: SignalName) => {
    if (handling) {
      logger.warn(`${signal} again: exiting without waiting for the cleanup`);
      process.exit(codes[signal]);
    }
    handling = true;
    logger.warn(`${signal}: cancelling the bake`);
    // A referenced timer: until the cleanup is done (or the limit is up) the process cannot end by
    // itself. The bake's own failure (the cancel) settles first and must not end the process
    // with its exit code before TerminateInstances has gone out.
    const limit = new Promise<void>((r) => setTimeout(r, limitMs));
    Promise.race([onSignal(signal).catch((err) => logger.warn(errorMessage(err))), limit]).finally(() =>
      process.exit(codes[signal]),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
