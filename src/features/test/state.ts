/** The test phase's state keys: saved before each risky call, read back by its recovery. */
import { TAG } from '../../aws/tags.js';
import type { InstanceKeys } from '../bake/instance-recovery.js';

export const TEST_STATE = {
  /** The first attempt's client token (`<bake token>-test`), also the test instance's
   *  `amibake:client-token` tag. */
  clientToken: 'amibake_test_client_token',
  /** Every launch attempt's client token (capacity fallback), comma-separated, each saved before
   *  its call. */
  clientTokens: 'amibake_test_client_tokens',
  /** `started` before RunInstances, `returned` after its answer, `failed` when AWS refused it. */
  launch: 'amibake_test_launch',
  instanceId: 'amibake_test_instance_id',
  /** Set once the test instance is known to be terminated. */
  terminated: 'amibake_test_terminated',
} as const;

export const TEST_INSTANCE: InstanceKeys = {
  tokens: TEST_STATE.clientTokens,
  launch: TEST_STATE.launch,
  id: TEST_STATE.instanceId,
  terminated: TEST_STATE.terminated,
  token: TEST_STATE.clientToken,
  what: 'the test instance',
  // Only an instance with the test role: whatever its tokens, never the build instance.
  tagFilters: (tokens) => [
    { Name: `tag:${TAG.clientToken}`, Values: tokens },
    { Name: `tag:${TAG.role}`, Values: ['test'] },
  ],
};
