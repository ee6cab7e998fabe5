/**
 * Launch: RunInstances with a client token saved before the call. Its recovery terminates the
 * instance, known by id or (when the answer was lost) found by the token, retried until a
 * deadline: DescribeInstances only reports, so a failing or expired Describe cannot abandon it.
 */
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { UserError, errorMessage } from '../../core/errors.js';
import { refusedByAws } from '../../aws/errors.js';
import { runInstancesInput } from '../../aws/instances.js';
import { CancelledError } from '../../engine/engine.js';
import type { BakeContext, BakePhase } from './context.js';
import { recoverInstance, type InstanceKeys } from './instance-recovery.js';
import { INSTANCE_STATE, STATE } from './state.js';
import { runTags } from './tags.js';

export { DEFAULT_TERMINATE_SECONDS } from './instance-recovery.js';

/** The RunInstances input of this bake (the dry run shows it too). */
export function launchInput(ctx: BakeContext, userdata: Buffer) {
  const { cfg } = ctx;
  return runInstancesInput({
    baseAmi: ctx.baseAmi,
    instanceType: cfg.instanceType,
    subnet: cfg.subnet,
    securityGroups: cfg.securityGroups,
    profile: cfg.profile,
    keyPair: cfg.keyPair,
    userdata,
    clientToken: ctx.clientToken,
    tags: runTags(ctx.tags),
    blockDevices: ctx.blockDevices,
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
    const input = launchInput(ctx, ctx.userdata!);
    if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
    deps.state.save(STATE.clientToken, ctx.clientToken);
    deps.state.save(STATE.launch, 'started');
    const call = ctx.track(deps.ec2.send(new RunInstancesCommand(input)));
    let id: string | undefined;
    try {
      id = (await call).Instances?.[0]?.InstanceId;
    } catch (err) {
      // Only a refusal means nothing was launched; after a 5xx, throttling or a lost answer the
      // instance may exist, and recovery looks for it by token for a while ('started').
      if (refusedByAws(err)) deps.state.save(STATE.launch, 'failed');
      throw new UserError(`RunInstances: ${errorMessage(err)}`);
    }
    if (!id) throw new Error('RunInstances returned no instance');
    deps.state.save(STATE.instanceId, id);
    deps.state.save(STATE.launch, 'returned');
    ctx.instanceId = id;
    deps.logger.info(`launched ${id} (${cfg.instanceType}, ${ctx.baseAmi}, run ${cfg.runId})`);
  },
  recover: (st, o) => recoverInstance(st, o, BUILD_INSTANCE),
};

/** The build instance's keys, for its recovery. */
const BUILD_INSTANCE: InstanceKeys = {
  clientToken: STATE.clientToken,
  launch: STATE.launch,
  instanceId: STATE.instanceId,
  terminated: STATE.terminated,
  what: 'build instance',
};
