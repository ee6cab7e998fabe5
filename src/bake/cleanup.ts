/**
 * Removes what an unfinished bake left, from the saved state alone: the bake's own error path,
 * a signal handler, the action's post step and the CLI all call this. Idempotent, and it never
 * throws: what it could not remove comes back in `problems`, each naming the leftover by id, and
 * the caller makes it an error (the post step fails, the CLI exits non-zero).
 *
 * A known instance is terminated directly, TerminateInstances retried until a deadline:
 * DescribeInstances only reports, so a failing or expired Describe cannot abandon the instance.
 */
import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { parseCopyState, recoverCopies } from '../golden/copy.js';
import { createEc2 } from './aws.js';
import { describeImage, discardImage, findByName, ownTags, tagSnapshots } from './image.js';
import { LIVE_STATES, findByToken, terminateKnown, waitTerminated } from './instance.js';
import { deadlineIn, realSleep, retryUntil, type Sleep } from './retry.js';
import { STATE, type StateValues } from './state.js';
import { TAG } from './tags.js';

export interface CleanupOptions {
  ec2: EC2Client;
  /** A client with few retries, for lookups moto does not implement. */
  quick: EC2Client;
  logger: Logger;
  /** The saved state, or a function reading it: then it is read afresh at each step, so that a
   *  call that returned meanwhile (CreateImage in flight at a cancel) is seen. */
  state: StateValues | (() => StateValues);
  /** Wait until the instance is seen terminated (reporting only: TerminateInstances accepted is
   *  what counts). */
  wait: boolean;
  /** When RunInstances was sent but its answer was lost, look for the instance this long:
   *  DescribeInstances is eventually consistent. */
  lookupSeconds?: number;
  /** How long TerminateInstances (and the other removals) are retried. */
  terminateSeconds?: number;
  /** How long an AMI whose CreateImage answer was lost is looked for by name. */
  imageLookupSeconds?: number;
  waitSeconds?: number;
  delaySeconds?: number;
  /** Also deal with an AMI whose creation started but did not finish. */
  images?: boolean;
  sleep?: Sleep;
}

export interface CleanupReport {
  /** Instances whose termination AWS accepted (or that AWS no longer knows). */
  terminated: string[];
  /** Of those, the ones seen `terminated` (or unknown to AWS). */
  confirmed: string[];
  /** Instances not terminated when cleanup gave up. */
  left: string[];
  /** An AMI that became available before the bake stopped: kept and tagged like a result. */
  keptImage?: string;
  discardedImage?: string;
  /** What is left in AWS, one sentence per leftover, each naming it by id: errors for the caller. */
  problems: string[];
}

/** The problems of a report as one error message (empty when nothing is left). */
export function leftoverMessage(report: CleanupReport): string {
  if (!report.problems.length) return '';
  return (
    `cleanup left resources in AWS:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n` +
    'remove them by hand, or let `amibake sweep` terminate the build instances and finish the AMIs'
  );
}

const DEFAULT_TERMINATE_SECONDS = 120;
const DEFAULT_IMAGE_LOOKUP_SECONDS = 15;

/** Live instances launched with the saved client token when RunInstances' answer was lost. */
async function findLaunched(o: CleanupOptions, st: StateValues, report: CleanupReport, sleep: Sleep) {
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
    report.problems.push(
      `could not look for the build instance launched with client token ${token} ` +
        `(tag ${TAG.clientToken}=${token}): ${errorMessage(err)}; if RunInstances went through, ` +
        'that instance is left running',
    );
    return [];
  }
}

async function cleanImage(o: CleanupOptions, st: StateValues, report: CleanupReport, sleep: Sleep) {
  const { ec2, logger } = o;
  const name = st[STATE.imageName];
  if (!name || st[STATE.imageDone]) return;
  const imageId = st[STATE.imageId];
  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  const what = imageId ?? `the AMI named ${name}`;
  let image: Image | undefined;
  try {
    if (imageId) {
      image = (
        await retryUntil(async () => ({ image: await describeImage(ec2, imageId) }), {
          deadline,
          sleep,
          onError: (err) => logger.debug(`DescribeImages ${imageId}: ${errorMessage(err)}; retrying`),
        })
      )?.image;
    } else {
      // CreateImage's answer was lost (or is still coming): the AMI shows up by name, eventually.
      // It is ours only if it carries our token.
      image = await retryUntil(
        async () => {
          const candidate = await findByName(ec2, name);
          const token = candidate?.Tags?.find((t) => t.Key === TAG.clientToken)?.Value;
          return candidate && token === st[STATE.clientToken] ? candidate : undefined;
        },
        {
          deadline: deadlineIn(o.imageLookupSeconds ?? DEFAULT_IMAGE_LOOKUP_SECONDS),
          sleep,
          onError: (err) => logger.debug(`DescribeImages ${name}: ${errorMessage(err)}; retrying`),
        },
      );
    }
  } catch (err) {
    report.problems.push(
      `could not check ${what}, whose creation started (${errorMessage(err)}): if it exists it is ` +
        'left, maybe unfinished and untagged',
    );
    return;
  }
  if (!image && !imageId) {
    // CreateImage was sent and its answer never came, and no AMI of that name carries our token:
    // most likely none was made, but that is not known, so it is reported rather than assumed.
    report.problems.push(
      `CreateImage of ${name} was sent and not answered, and no AMI of that name with ` +
        `${TAG.clientToken}=${st[STATE.clientToken] ?? ''} was found: if one appears, it is unfinished ` +
        'and untagged (`amibake sweep` finishes or removes it)',
    );
    return;
  }
  if (!image?.ImageId || image.State === 'deregistered') return;
  if (image.State === 'available') {
    // The install succeeded and the AMI is complete: recorded like a finished bake (its own tags,
    // the digest included, are on it since CreateImage; the snapshots get them now). A re-run
    // reuses it. If the snapshots cannot be tagged it is discarded instead: never left untagged.
    const id = image.ImageId;
    try {
      await retryUntil(
        async () => {
          await tagSnapshots(ec2, image!, ownTags(image!));
          return true;
        },
        {
          deadline,
          sleep,
          onError: (err) => logger.debug(`tagging the snapshots of ${id}: ${errorMessage(err)}; retrying`),
        },
      );
      logger.info(`the AMI ${id} (${name}) became available before the bake stopped: kept as its result`);
      report.keptImage = id;
      return;
    } catch (err) {
      logger.warn(
        `the snapshots of the AMI ${id} (${name}) cannot be tagged (${errorMessage(err)}): discarding it`,
      );
    }
  }
  report.problems.push(...(await discardImage(ec2, image, logger, { deadline, sleep })));
  report.discardedImage = image.ImageId;
}

export async function cleanup(o: CleanupOptions): Promise<CleanupReport> {
  const { logger } = o;
  const sleep = o.sleep ?? realSleep;
  const read = () => (typeof o.state === 'function' ? o.state() : o.state);
  const report: CleanupReport = { terminated: [], confirmed: [], left: [], problems: [] };
  const st = read();
  const ids = new Set<string>();
  const known = st[STATE.instanceId];
  if (known && !st[STATE.terminated]) ids.add(known);
  for (const id of await findLaunched(o, st, report, sleep)) ids.add(id);

  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  const seen: string[] = [];
  for (const id of ids) {
    logger.info(`terminating ${id}`);
    try {
      const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
      report.terminated.push(id);
      if (state === 'terminated' || state === 'gone') seen.push(id);
    } catch (err) {
      report.left.push(id);
      report.problems.push(`the build instance ${id} could not be terminated: ${errorMessage(err)}`);
    }
  }

  if (o.images) {
    try {
      await cleanImage(o, read(), report, sleep);
    } catch (err) {
      report.problems.push(
        `could not check the unfinished AMI ${read()[STATE.imageId] ?? ''}: ${errorMessage(err)}`,
      );
    }
  }
  // Copies to other regions that did not finish: tagged if available, else removed.
  const copies = parseCopyState(read()[STATE.copies]);
  if (copies) {
    const clients = new Map<string, EC2Client>();
    try {
      const recovered = await recoverCopies(
        copies,
        (r) => clients.get(r) ?? clients.set(r, createEc2(r)).get(r)!,
        logger,
      );
      for (const r of recovered)
        if (r.action === 'kept') report.problems.push(`copy to ${r.region}: ${r.detail}`);
    } catch (err) {
      report.problems.push(
        `could not check the copies (${copies.copies.map((c) => c.imageId ?? c.name).join(', ')}): ${errorMessage(err)}`,
      );
    }
  }

  // Reporting only: AWS accepted the termination; seeing `terminated` is a courtesy.
  const waiting = report.terminated.filter((id) => !seen.includes(id));
  if (waiting.length && o.wait) {
    try {
      const until = deadlineIn(o.waitSeconds ?? 600);
      await waitTerminated(o.ec2, waiting, {
        maxWaitSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)),
        delaySeconds: o.delaySeconds ?? 5,
      });
      seen.push(...waiting);
      logger.info(`terminated ${waiting.join(', ')}`);
    } catch (err) {
      logger.warn(
        `termination of ${waiting.join(', ')} accepted by AWS, not seen completed yet: ${errorMessage(err)}`,
      );
    }
  } else if (seen.length) logger.info(`terminated ${seen.join(', ')}`);
  report.confirmed = seen;
  return report;
}
