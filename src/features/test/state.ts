/** The test phase's state keys: saved before each risky call, read back by its recovery. */
import type { InstanceKeys } from '../bake/instance-recovery.js';

export const TEST_STATE = {
  /** RunInstances' ClientToken of the test instance, also its `amibake:client-token` tag. */
  clientToken: 'amibake_test_client_token',
  /** `started` before RunInstances, `returned` after its answer, `failed` when AWS refused it. */
  launch: 'amibake_test_launch',
  instanceId: 'amibake_test_instance_id',
  /** Set once the test instance is known to be terminated. */
  terminated: 'amibake_test_terminated',
} as const;

export const TEST_INSTANCE: InstanceKeys = { ...TEST_STATE, what: 'test instance' };
