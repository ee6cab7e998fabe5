/** action-build post step: runs after success, failure and cancellation alike (no post-if) and
 *  recovers whatever main started, from the saved state: the phases main recorded as started,
 *  each with the keys it saved. Idempotent. It fails (an error annotation naming each leftover by
 *  id, a non-zero exit) when something could not be removed. */
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.js';
import { createActionLogger } from '../core/log.js';
import { leftoverMessage } from '../features/bake/context.js';
import { recoverPostStep } from '../pipeline/recovery.js';

export async function run(): Promise<void> {
  const logger = await createActionLogger();
  try {
    const report = await recoverPostStep((key) => core.getState(key) || undefined, logger, {
      wait: true,
      // Main may have died before RunInstances answered: the instance shows up eventually.
      lookupSeconds: 60,
      // The runner gives a post step time; a throttled or failing TerminateInstances is retried.
      terminateSeconds: 300,
      waitSeconds: 600,
      delaySeconds: 5,
    });
    if (!report) {
      logger.info('nothing was launched: nothing to clean up');
      return;
    }
    const left = leftoverMessage(report);
    if (left) core.setFailed(left);
    else if (!report.terminated.length && !report.discardedImage && !report.keptImage)
      logger.info('nothing left to clean up');
  } catch (err) {
    // Unexpected: whatever main launched may be left.
    core.setFailed(`cleanup: ${errorMessage(err)}`);
  }
}
