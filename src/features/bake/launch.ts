/**
 * Launch: RunInstances with the capacity fallback over the instance types and subnets
 * (./capacity.ts), each attempt's client token saved before its call. Its recovery terminates the
 * instance, known by id or (when an answer was lost) found by any saved token, retried until a
 * deadline: DescribeInstances only reports, so a failing or expired Describe cannot abandon it.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { errorMessage } from '../../core/errors.js';
import {
  LIVE_STATES,
  findByTokens,
  runInstancesInput,
  terminateKnown,
  waitTerminated,
} from '../../aws/instances.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from '../../aws/retry.js';
import { TAG } from '../../aws/tags.js';
import type { Recovered, Saved } from '../../engine/phase.js';
import { launchWithFallback, savedTokens, type LaunchKeys, type LaunchRequest } from './capacity.js';
import type { BakeContext, BakePhase, CleanupReport, RecoverDeps } from './context.js';
import { INSTANCE_STATE, STATE } from './state.js';
import { runTags } from './tags.js';

export const DEFAULT_TERMINATE_SECONDS = 120;

/** The build instance's state keys. */
export const BUILD_INSTANCE_KEYS: LaunchKeys = {
  tokens: STATE.clientTokens,
  launch: STATE.launch,
  id: STATE.instanceId,
  terminated: STATE.terminated,
  token: STATE.clientToken,
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
      what: 'the build instance',
    });
    ctx.instanceId = launched.instanceId;
    ctx.instanceType = launched.instanceType;
    ctx.subnet = launched.subnet;
    deps.logger.info(
      `launched ${launched.instanceId} (${launched.instanceType} in ${launched.subnet ?? 'the default subnet'}, ${ctx.baseAmi}, run ${cfg.runId})`,
    );
  },
  recover: instanceRecovery(BUILD_INSTANCE_KEYS, { what: 'the build instance' }),
};

export interface InstanceRecoveryOptions {
  /** How problems call the instance ("the build instance"). */
  what: string;
  /** The tag filters that find the instance of these tokens when the client-token filter fails
   *  (moto lacks it), from the tokens and the saved state. Default: the `amibake:client-token` tag
   *  equal to one of the tokens (another launch of the same bake may carry the bake's token as its
   *  tag too: then add a filter that tells the two apart, such as a role tag). */
  tagFilters?: (tokens: string[], st: Saved) => Filter[];
}

/** Live instances launched with any saved client token when a RunInstances answer was lost. */
async function findLaunched(
  o: RecoverDeps,
  st: Saved,
  problems: string[],
  sleep: Sleep,
  keys: LaunchKeys,
  how: InstanceRecoveryOptions,
) {
  const tokens = savedTokens(st, keys);
  if (st[keys.id] || !tokens.length || !st[keys.launch]) return [];
  // An empty answer is believed after lookupSeconds (the instance shows up late); an error is
  // retried until the termination deadline: only an answer tells that nothing was launched.
  const emptyUntil = deadlineIn(st[keys.launch] === 'started' ? (o.lookupSeconds ?? 0) : 0);
  const errorUntil = Math.max(emptyUntil, deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS));
  const list = `client token${tokens.length > 1 ? 's' : ''} ${tokens.join(', ')}`;
  try {
    // undefined = "nothing yet, ask again"; past emptyUntil an empty answer is final.
    const found = await retryUntil(
      async () => {
        const found = await findByTokens(o.ec2, o.quick, tokens, o.logger, how.tagFilters?.(tokens, st));
        return found.length || Date.now() >= emptyUntil ? found : undefined;
      },
      {
        deadline: errorUntil,
        sleep,
        onError: (err) =>
          o.logger.debug(`looking for the instance of ${list}: ${errorMessage(err)}; retrying`),
      },
    );
    return (found ?? []).filter((i) => LIVE_STATES.includes(i.State?.Name ?? '')).map((i) => i.InstanceId!);
  } catch (err) {
    problems.push(
      `could not look for ${how.what} launched with ${list} ` +
        `(tag ${TAG.clientToken}): ${errorMessage(err)}; if RunInstances went through, ` +
        'that instance is left running',
    );
    return [];
  }
}

/**
 * The recovery of an instance launched under `keys` (the build's, the test's): terminates it
 * (known by id, or found by any saved token) and, with `wait`, returns as `settle` the wait to see
 * it terminated: reporting only (TerminateInstances accepted is what counts), so recovery runs it
 * after the other phases' recovery (src/engine/recovery.ts).
 */
export function instanceRecovery(
  keys: LaunchKeys,
  how: InstanceRecoveryOptions,
): (st: Saved, o: RecoverDeps) => Promise<Recovered<CleanupReport>> {
  return (st, o) => recoverInstance(st, o, keys, how);
}

async function recoverInstance(
  st: Saved,
  o: RecoverDeps,
  keys: LaunchKeys,
  how: InstanceRecoveryOptions,
): Promise<Recovered<CleanupReport>> {
  const { logger } = o;
  const sleep = o.sleep ?? realSleep;
  const report: CleanupReport = { terminated: [], confirmed: [], left: [], problems: [] };
  const ids = new Set<string>();
  const known = st[keys.id];
  if (known && !st[keys.terminated]) ids.add(known);
  for (const id of await findLaunched(o, st, report.problems, sleep, keys, how)) ids.add(id);

  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  for (const id of ids) {
    logger.info(`terminating ${id}`);
    try {
      const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
      report.terminated.push(id);
      if (state === 'terminated' || state === 'gone') report.confirmed.push(id);
    } catch (err) {
      report.left.push(id);
      report.problems.push(`${how.what} ${id} could not be terminated: ${errorMessage(err)}`);
    }
  }
  // Seen terminated: the post step (and a second recovery) need not try again.
  const seen = (confirmed: string[]) => {
    if (!confirmed.length) return;
    logger.info(`terminated ${confirmed.join(', ')}`);
    if (known && confirmed.includes(known)) o.save?.(keys.terminated, '1');
  };
  seen(report.confirmed);
  const waiting = report.terminated.filter((id) => !report.confirmed.includes(id));
  if (!waiting.length || !o.wait) return report;
  const settle = async (): Promise<Partial<CleanupReport>> => {
    try {
      const until = deadlineIn(o.waitSeconds ?? 600);
      await waitTerminated(o.ec2, waiting, {
        maxWaitSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)),
        delaySeconds: o.delaySeconds ?? 5,
      });
    } catch (err) {
      logger.warn(
        `termination of ${waiting.join(', ')} accepted by AWS, not seen completed yet: ${errorMessage(err)}`,
      );
      return {};
    }
    seen(waiting);
    return { confirmed: waiting };
  };
  return { ...report, settle };
}
