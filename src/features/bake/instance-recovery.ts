/**
 * Recovery of an instance the bake launched (the build instance, the test instance), from the
 * saved state alone: terminated by its saved id or, when a RunInstances answer was lost, found by
 * any of the client tokens its launch saved (one per capacity-fallback attempt: ./capacity.ts),
 * retried until a deadline: DescribeInstances only reports, so a failing or expired Describe
 * cannot abandon it. The wait to see it terminated is returned as `settle`.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { errorMessage } from '../../core/errors.js';
import { LIVE_STATES, findByTokens, terminateKnown, waitTerminated } from '../../aws/instances.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from '../../aws/retry.js';
import { TAG } from '../../aws/tags.js';
import type { Recovered, Saved } from '../../engine/phase.js';
import { savedTokens, type LaunchKeys } from './capacity.js';
import type { CleanupReport, RecoverDeps } from './context.js';

export const DEFAULT_TERMINATE_SECONDS = 120;

/** The instance one launch's state keys stand for, and how to find it. */
export interface InstanceKeys extends LaunchKeys {
  /** How problems call the instance ("the build instance"). */
  what: string;
  /** The tag filters that find the instance of these tokens when the client-token filter fails
   *  (moto lacks it), from the tokens and the saved state. Default: the `amibake:client-token` tag
   *  equal to one of the tokens. Another launch of the same bake whose tag could match (the test
   *  instance) adds a filter that tells the two apart, such as its role tag. */
  tagFilters?: (tokens: string[], st: Saved) => Filter[];
}

/** Live instances launched with any saved client token when a RunInstances answer was lost. */
async function findLaunched(o: RecoverDeps, st: Saved, keys: InstanceKeys, problems: string[], sleep: Sleep) {
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
        const found = await findByTokens(o.ec2, o.quick, tokens, o.logger, keys.tagFilters?.(tokens, st));
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
      `could not look for ${keys.what} launched with ${list} ` +
        `(tag ${TAG.clientToken}): ${errorMessage(err)}; if RunInstances went through, ` +
        'that instance is left running',
    );
    return [];
  }
}

/** Terminates the instance (known by id, or found by any saved token) and, with `wait`, returns
 *  as `settle` the wait to see it terminated: reporting only (TerminateInstances accepted is what
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
  const known = st[keys.id];
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
      report.problems.push(`${keys.what} ${id} could not be terminated: ${errorMessage(err)}`);
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

/** A phase's `recover` for the instance of `keys`. */
export function instanceRecovery(
  keys: InstanceKeys,
): (st: Saved, o: RecoverDeps) => Promise<Recovered<CleanupReport>> {
  return (st, o) => recoverInstance(st, o, keys);
}
