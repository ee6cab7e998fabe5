/**
 * Recovery of an instance the bake launched (the build instance, the test instance), from the
 * saved state alone: terminated by its saved id or, when RunInstances' answer was lost, found by
 * its client token, retried until a deadline: DescribeInstances only reports, so a failing or
 * expired Describe cannot abandon it. The wait to see it terminated is returned as `settle`.
 */
import { errorMessage } from '../../core/errors.js';
import { LIVE_STATES, findByToken, terminateKnown, waitTerminated } from '../../aws/instances.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from '../../aws/retry.js';
import { TAG } from '../../aws/tags.js';
import type { Recovered, Saved } from '../../engine/phase.js';
import type { CleanupReport, RecoverDeps } from './context.js';

export const DEFAULT_TERMINATE_SECONDS = 120;

/** The state keys of one launched instance, and what the reports call it. */
export interface InstanceKeys {
  /** RunInstances' ClientToken, also the instance's `amibake:client-token` tag. */
  clientToken: string;
  /** `started` before RunInstances, `returned` after its answer, `failed` when AWS refused it. */
  launch: string;
  instanceId: string;
  /** Set once the instance is seen terminated. */
  terminated: string;
  what: string;
}

/** Live instances launched with the saved client token when RunInstances' answer was lost. */
async function findLaunched(o: RecoverDeps, st: Saved, keys: InstanceKeys, problems: string[], sleep: Sleep) {
  const token = st[keys.clientToken];
  if (st[keys.instanceId] || !token || !st[keys.launch]) return [];
  // An empty answer is believed after lookupSeconds (the instance shows up late); an error is
  // retried until the termination deadline: only an answer tells that nothing was launched.
  const emptyUntil = deadlineIn(st[keys.launch] === 'started' ? (o.lookupSeconds ?? 0) : 0);
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
      `could not look for the ${keys.what} launched with client token ${token} ` +
        `(tag ${TAG.clientToken}=${token}): ${errorMessage(err)}; if RunInstances went through, ` +
        'that instance is left running',
    );
    return [];
  }
}

/** Terminates the instance (known, or found by token) and, with `wait`, returns as
 *  `settle` the wait to see it terminated: reporting only (TerminateInstances accepted is what
 *  counts), so recovery runs it after the other phases' recovery (src/engine/recovery.ts). */
export async function recoverInstance(
  st: Saved,
  o: RecoverDeps,
  keys: InstanceKeys,
): Promise<Recovered<CleanupReport>> {
  const { logger } = o;
  const sleep = o.sleep ?? realSleep;
  const report: CleanupReport = { terminated: [], confirmed: [], left: [], problems: [] };
  const ids = new Set<string>();
  const known = st[keys.instanceId];
  if (known && !st[keys.terminated]) ids.add(known);
  for (const id of await findLaunched(o, st, keys, report.problems, sleep)) ids.add(id);

  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  for (const id of ids) {
    logger.info(`terminating ${id}`);
    try {
      const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
      report.terminated.push(id);
      if (state === 'terminated' || state === 'gone') report.confirmed.push(id);
    } catch (err) {
      report.left.push(id);
      report.problems.push(`the ${keys.what} ${id} could not be terminated: ${errorMessage(err)}`);
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
