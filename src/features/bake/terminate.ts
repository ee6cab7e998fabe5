/** Terminate: the AMI is made, the instance goes. A failure to confirm is only a warning: the
 *  front decides (the post step tries again; the CLI recovers and fails if it is still there). */
import { errorMessage } from '../../core/errors.js';
import { terminateKnown, waitTerminated } from '../../aws/instances.js';
import { deadlineIn } from '../../aws/retry.js';
import type { BakePhase } from './context.js';
import { STATE } from './state.js';

export const terminate: BakePhase = {
  id: 'terminate',
  title: 'Terminate',
  state: [STATE.terminated],
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    try {
      // Retried until the deadline: a throttled or failing call must not leave the instance.
      await terminateKnown(deps.ec2, id, { deadline: deadlineIn(120), logger: deps.logger });
      await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
      deps.state.save(STATE.terminated, '1');
      deps.logger.info(`terminated ${id}`);
    } catch (err) {
      deps.logger.warn(`could not confirm that ${id} is terminated: ${errorMessage(err)}`);
    }
  },
};
