/** The test phase as recovery knows it: the post step's registry imports this alone (no S3
 *  staging, no configuration). */
import type { Recoverable } from '../../engine/phase.js';
import type { CleanupReport, RecoverDeps } from '../bake/context.js';
import { instanceRecovery } from '../bake/instance-recovery.js';
import { TEST_INSTANCE, TEST_STATE } from './state.js';

/** The phase as recovery knows it (no configuration needed). */
export const testRecovery = {
  id: 'test',
  title: 'Test',
  state: Object.values(TEST_STATE),
  // The test instance costs money while it runs: terminated first, as the build instance.
  urgent: true,
  recover: instanceRecovery(TEST_INSTANCE),
} satisfies Recoverable<RecoverDeps, CleanupReport>;
