/**
 * Launch: RunInstances with a client token saved before the call. Its recovery terminates the
 * instance, known by id or (when the answer was lost) found by the token, retried until a
 * deadline: DescribeInstances only reports, so a failing or expired Describe cannot abandon it.
 */
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { UserError, errorMessage } from '../../core/errors.js';
import { refusedByAws } from '../../aws/errors.js';
import {
  LIVE_STATES,
  findByToken,
  runInstancesInput,
  terminateKnown,
  waitTerminated,
} from '../../aws/instances.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from '../../aws/retry.js';
import { TAG } from '../../aws/tags.js';
import { CancelledError } from '../../engine/engine.js';
import type { Recovered, Saved } from '../../engine/phase.js';
import type { BakeContext, BakePhase, CleanupReport, RecoverDeps } from './context.js';
import { INSTANCE_STATE, STATE } from './state.js';
import { runTags } from './tags.js';

export const DEFAULT_TERMINATE_SECONDS = 120;

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
  recover: recoverInstance,
};

/** Live instances launched with the saved client token when RunInstances' answer was lost. */
async function findLaunched(o: RecoverDeps, st: Saved, problems: string[], sleep: Sleep) {
  const token = st[STATE.clientToken];
  if (st[STATE.instanceId] || !token || !st[STATE.launch]) return [];
  // An empty answer is believed after lookupSeconds (the instance shows up late); an error is
  // retried until the termination deadline: only an answer tells that nothing was launched.
  const emptyUntil = deadlineIn(st[STATE.launch] === 'started' ? (o.lookupSeconds ?? 0) : 0);
  const errorUntil = Math.max(emptyUntil, deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS));
  try {
    // undefined = "nothing yet, ask again"; past emptyUntil an empty answer is final.
    const found = await retryUntil(
      async () => {
        const found = await findByToken(o.ec2, o.quick, token, o.logger);
        return found.length || Date.now() >= emptyUntil ? found : undefined;
      },
      {
        deadline: errorUntil,
        sleep,
        onError: (err) =>
          o.logger.debug(`looking for the instance of client token ${token}: ${errorMessage(err)}; retrying`),
      },
    );
    return (found ?? []).filter((i) => LIVE_STATES.includes(i.State?.Name ?? '')).map((i) => i.InstanceId!);
  } catch (err) {
    problems.push(
      `could not look for the build instance launched with client token ${token} ` +
        `(tag ${TAG.clientToken}=${token}): ${errorMessage(err)}; if RunInstances went through, ` +
        'that instance is left running',
    );
    return [];
  }
}

/** Terminates the bake's instance (known, or found by token) and, with `wait`, returns as
 *  `settle` the wait to see it terminated: reporting only (TerminateInstances accepted is what
 *  counts), so recovery runs it after the other phases' recovery (src/engine/recovery.ts). */
async function recoverInstance(st: Saved, o: RecoverDeps): Promise<Recovered<CleanupReport>> {
  const { logger } = o;
  const sleep = o.sleep ?? realSleep;
  const report: CleanupReport = { terminated: [], confirmed: [], left: [], problems: [] };
  const ids = new Set<string>();
  const known = st[STATE.instanceId];
  if (known && !st[STATE.terminated]) ids.add(known);
  for (const id of await findLaunched(o, st, report.problems, sleep)) ids.add(id);

  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  for (const id of ids) {
    logger.info(`terminating ${id}`);
    try {
      const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
      report.terminated.push(id);
      if (state === 'terminated' || state === 'gone') report.confirmed.push(id);
    } catch (err) {
      report.left.push(id);
      report.problems.push(`the build instance ${id} could not be terminated: ${errorMessage(err)}`);
    }
  }
  // Seen terminated: the post step (and a second recovery) need not try again.
  const seen = (confirmed: string[]) => {
    if (!confirmed.length) return;
    logger.info(`terminated ${confirmed.join(', ')}`);
    if (known && confirmed.includes(known)) o.save?.(STATE.terminated, '1');
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
