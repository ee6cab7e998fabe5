/**
 * Removes what an unfinished bake left, from the saved state alone: the bake's own error path,
 * a signal handler, the action's post step and the CLI all call this. Idempotent, and it never
 * throws: cleanup problems are warnings.
 */
import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { parseCopyState, recoverCopies } from '../golden/copy.js';
import { createEc2 } from './aws.js';
import { describeImage, discardImage, findByName, ownTags, tagSnapshots } from './image.js';
import { LIVE_STATES, describeInstance, findByToken, terminate, waitTerminated } from './instance.js';
import { STATE, type StateValues } from './state.js';
import { TAG } from './tags.js';

export interface CleanupOptions {
  ec2: EC2Client;
  /** A client with few retries, for lookups moto does not implement. */
  quick: EC2Client;
  logger: Logger;
  state: StateValues;
  /** Wait until the instance is terminated. */
  wait: boolean;
  /** When RunInstances was sent but its answer was lost, look for the instance this long:
   *  DescribeInstances is eventually consistent. */
  lookupSeconds?: number;
  waitSeconds?: number;
  delaySeconds?: number;
  /** Also deal with an AMI whose creation started but did not finish. */
  images?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

export interface CleanupReport {
  terminated: string[];
  /** Instances still not terminated when cleanup gave up (warned). */
  left: string[];
  keptImage?: string;
  discardedImage?: string;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function instancesToStop(o: CleanupOptions): Promise<string[]> {
  const { state, logger } = o;
  const ids = new Set<string>();
  const known = state[STATE.instanceId];
  if (known) {
    const inst = await describeInstance(o.ec2, known);
    if (!inst || LIVE_STATES.includes(inst.State?.Name ?? '')) ids.add(known);
  }
  const token = state[STATE.clientToken];
  if (!known && token && state[STATE.launch]) {
    const sleep = o.sleep ?? realSleep;
    const deadline = Date.now() + (state[STATE.launch] === 'started' ? (o.lookupSeconds ?? 0) * 1000 : 0);
    for (;;) {
      const found = await findByToken(o.ec2, o.quick, token, logger);
      for (const i of found) if (LIVE_STATES.includes(i.State?.Name ?? '')) ids.add(i.InstanceId!);
      if (found.length || Date.now() >= deadline) break;
      await sleep(2000);
    }
  }
  return [...ids];
}

async function cleanImage(o: CleanupOptions, report: CleanupReport): Promise<void> {
  const { state, ec2, logger } = o;
  const name = state[STATE.imageName];
  if (!name || state[STATE.imageDone]) return;
  let image: Image | undefined;
  const imageId = state[STATE.imageId];
  if (imageId) image = await describeImage(ec2, imageId);
  else {
    // CreateImage's answer was lost: the AMI is ours only if it carries our token.
    const candidate = await findByName(ec2, name);
    const token = candidate?.Tags?.find((t) => t.Key === TAG.clientToken)?.Value;
    if (candidate && token === state[STATE.clientToken]) image = candidate;
  }
  if (!image?.ImageId || image.State === 'deregistered') return;
  if (image.State === 'available') {
    // The install succeeded and the AMI is complete: keep it (a re-run reuses it), finish tagging.
    await tagSnapshots(ec2, image, ownTags(image)).catch((err) =>
      logger.warn(`could not tag the snapshots of ${image!.ImageId}: ${errorMessage(err)}`),
    );
    logger.info(`AMI ${image.ImageId} (${name}) became available before the bake stopped: kept`);
    report.keptImage = image.ImageId;
    return;
  }
  await discardImage(ec2, image.ImageId, logger);
  report.discardedImage = image.ImageId;
}

export async function cleanup(o: CleanupOptions): Promise<CleanupReport> {
  const { logger } = o;
  const report: CleanupReport = { terminated: [], left: [] };
  let ids: string[] = [];
  try {
    ids = await instancesToStop(o);
    if (ids.length) {
      await terminate(o.ec2, ids);
      logger.info(`terminating ${ids.join(', ')}`);
    }
  } catch (err) {
    logger.warn(`could not terminate the build instance ${ids.join(', ')}: ${errorMessage(err)}`);
    report.left = ids;
    ids = [];
  }
  if (o.images) {
    try {
      await cleanImage(o, report);
    } catch (err) {
      logger.warn(`could not check the unfinished AMI: ${errorMessage(err)}`);
    }
  }
  // Copies to other regions that did not finish: tagged if available, else removed.
  const copies = parseCopyState(o.state[STATE.copies]);
  if (copies) {
    const clients = new Map<string, EC2Client>();
    await recoverCopies(copies, (r) => clients.get(r) ?? clients.set(r, createEc2(r)).get(r)!, logger).catch(
      (err) => logger.warn(`could not check the copies: ${errorMessage(err)}`),
    );
  }
  if (ids.length && o.wait) {
    try {
      await waitTerminated(o.ec2, ids, {
        maxWaitSeconds: o.waitSeconds ?? 600,
        delaySeconds: o.delaySeconds ?? 5,
      });
      logger.info(`terminated ${ids.join(', ')}`);
    } catch (err) {
      logger.warn(`${ids.join(', ')} not terminated yet: ${errorMessage(err)}`);
      report.left = ids;
      return report;
    }
  }
  report.terminated = ids;
  return report;
}
