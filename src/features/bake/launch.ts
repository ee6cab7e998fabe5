/**
 * Launch: RunInstances with the capacity fallback over the instance types and subnets
 * (./capacity.ts), each attempt's client token saved before its call. Its recovery terminates the
 * instance, known by id or (when an answer was lost) found by any saved token, retried until a
 * deadline: DescribeInstances only reports, so a failing or expired Describe cannot abandon it.
 */
import { runInstancesInput } from '../../aws/instances.js';
import { launchWithFallback, type LaunchRequest } from './capacity.js';
import type { BakeContext, BakePhase } from './context.js';
import { instanceRecovery, type InstanceKeys } from './instance-recovery.js';
import { INSTANCE_STATE, STATE } from './state.js';
import { runTags } from './tags.js';

export { DEFAULT_TERMINATE_SECONDS } from './instance-recovery.js';

/** The build instance's state keys. */
export const BUILD_INSTANCE_KEYS: InstanceKeys = {
  tokens: STATE.clientTokens,
  launch: STATE.launch,
  id: STATE.instanceId,
  terminated: STATE.terminated,
  token: STATE.clientToken,
  what: 'the build instance',
};

/** The launch request of this bake, without the type, subnet and token each attempt chooses. */
export function launchRequest(ctx: BakeContext, userdata: Buffer): LaunchRequest {
  const { cfg } = ctx;
  return {
    baseAmi: ctx.baseAmi,
    securityGroups: cfg.securityGroups,
    profile: cfg.profile,
    keyPair: cfg.keyPair,
    userdata,
    tags: runTags(ctx.tags),
    blockDevices: ctx.blockDevices,
  };
}

/** The RunInstances input of this bake's first attempt (the dry run shows it). */
export function launchInput(ctx: BakeContext, userdata: Buffer) {
  return runInstancesInput({
    ...launchRequest(ctx, userdata),
    instanceType: ctx.instanceTypes[0],
    subnet: ctx.cfg.subnets[0],
    clientToken: ctx.clientToken,
  });
}

export const launch: BakePhase = {
  id: 'launch',
  title: 'Launch',
  state: INSTANCE_STATE,
  // Recovered first: see src/engine/recovery.ts.
  urgent: true,
  async run(ctx) {
    const { cfg, deps } = ctx;
    deps.state.save(STATE.clientToken, ctx.clientToken);
    const launched = await launchWithFallback(ctx, launchRequest(ctx, ctx.userdata!), {
      types: ctx.instanceTypes,
      subnets: cfg.subnets,
      token: ctx.clientToken,
      keys: BUILD_INSTANCE_KEYS,
      what: BUILD_INSTANCE_KEYS.what,
    });
    ctx.instanceId = launched.instanceId;
    ctx.instanceType = launched.instanceType;
    ctx.subnet = launched.subnet;
    deps.logger.info(
      `launched ${launched.instanceId} (${launched.instanceType} in ${launched.subnet ?? 'the default subnet'}, ${ctx.baseAmi}, run ${cfg.runId})`,
    );
  },
  recover: instanceRecovery(BUILD_INSTANCE_KEYS),
};
