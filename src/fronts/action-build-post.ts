/** action-build post step: runs after success, failure and cancellation alike (no post-if) and
 *  terminates whatever main launched, from the saved state. Idempotent. It fails (an error
 *  annotation naming each leftover by id, a non-zero exit) when something could not be removed. */
import * as core from '@actions/core';
import { errorMessage } from '../core/errors.js';
import { createActionLogger } from '../core/log.js';
import { createEc2 } from '../bake/aws.js';
import { cleanup, leftoverMessage } from '../bake/cleanup.js';
import { STATE, readState } from '../bake/state.js';

export async function run(): Promise<void> {
  const logger = await createActionLogger();
  try {
    const state = readState((key) => core.getState(key));
    const region = state[STATE.region];
    if (
      !region ||
      !(state[STATE.launch] || state[STATE.instanceId] || state[STATE.imageName] || state[STATE.copies])
    ) {
      logger.info('nothing was launched: nothing to clean up');
      return;
    }
    const report = await cleanup({
      ec2: createEc2(region),
      quick: createEc2(region, 2),
      logger,
      state,
      wait: true,
      images: true,
      // Main may have died before RunInstances answered: the instance shows up eventually.
      lookupSeconds: 60,
      // The runner gives a post step time; a throttled or failing TerminateInstances is retried.
      terminateSeconds: 300,
      waitSeconds: 600,
      delaySeconds: 5,
    });
    const left = leftoverMessage(report);
    if (left) core.setFailed(left);
    else if (!report.terminated.length && !report.discardedImage && !report.keptImage)
      logger.info('nothing left to clean up');
  } catch (err) {
    // Unexpected: whatever main launched may be left.
    core.setFailed(`cleanup: ${errorMessage(err)}`);
  }
}
