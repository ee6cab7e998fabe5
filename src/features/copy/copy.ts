/**
 * Multi-region copies: CopyImage to every region in parallel, the same tags on each copy and its
 * snapshots (tagged explicitly: TagSpecifications are not honoured everywhere), wait for all,
 * and a journal the caller persists so that an interrupted copy is finished or removed later
 * (the action's post step, the CLI's signal handler) instead of being left untagged.
 */
import {
  CopyImageCommand,
  CreateTagsCommand,
  type EC2Client,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { UserError, errorMessage, msg, type Part } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { ClientFor } from '../../aws/clients.js';
import { removeImage } from '../../aws/image-removal.js';
import {
  findByName as findOwnImageByName,
  ImageWaitError,
  snapshotsByDescription,
  tagImageAndSnapshots,
  waitAvailable as waitImage,
} from '../../aws/images.js';
import { tagValue } from '../../aws/tags.js';
import { TAG } from '../../aws/tags.js';

export type CopyStatus = 'requested' | 'tagged' | 'reused' | 'removed';

export interface CopyRecord {
  region: string;
  /** The copy's name: AMI names are unique per region, so recovery finds a copy whose id never came back. */
  name: string;
  clientToken: string;
  imageId?: string;
  status: CopyStatus;
}

/** Everything recovery needs, saved before every risky call. */
export interface CopyState {
  sourceRegion: string;
  sourceImageId: string;
  tags: Tag[];
  copies: CopyRecord[];
}

export interface CopyPlanInput {
  sourceRegion: string;
  regions: string[];
  encrypt: boolean;
  kmsKeys: Record<string, string>;
  /** The options as errors name them: option refs (the front renders them), or plain text. */
  names: { regions: Part; kmsKeys: Part };
}

export interface PlannedCopy {
  region: string;
  encrypted: boolean;
  kmsKeyId?: string;
}

/** The copies to make: distinct regions other than the build's, each with its key. */
export function planCopies(i: CopyPlanInput): PlannedCopy[] {
  const regions = [...new Set(i.regions)].filter((r) => r !== i.sourceRegion);
  const stray = Object.keys(i.kmsKeys).filter((r) => !regions.includes(r));
  if (stray.length)
    throw new UserError(
      msg`${i.names.kmsKeys}: ${stray.join(', ')} is not among ${i.names.regions} (${regions.join(', ') || 'none'})`,
    );
  return regions.map((region) => {
    const kmsKeyId = i.kmsKeys[region];
    return { region, encrypted: i.encrypt || !!kmsKeyId, ...(kmsKeyId && { kmsKeyId }) };
  });
}

export interface CopyInput {
  clientFor: ClientFor;
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  description?: string;
  /** The bake's digest: an existing copy with the same name and digest is reused. */
  digest: string;
  copies: PlannedCopy[];
  tags: Tag[];
  /** Unique per bake attempt; makes CopyImage idempotent per region. */
  token: string;
  timeoutSeconds: number;
  pollSeconds: number;
  log: Logger;
  /** Called with the whole state whenever it changes; persist it (GITHUB_STATE, memory). */
  journal?: (state: CopyState) => void;
  signal?: AbortSignal;
}

export interface CopyOutcome {
  region: string;
  imageId: string;
  reused: boolean;
  snapshots: string[];
  seconds: number;
}

/**
 * Refuses before copying anything when a region already holds an AMI of that name from another
 * bake; returns the regions where the same bake's copy already exists.
 */
export async function checkCopyTargets(
  i: Pick<CopyInput, 'clientFor' | 'copies' | 'name' | 'digest'>,
): Promise<Record<string, Image>> {
  const existing: Record<string, Image> = {};
  const clashes: string[] = [];
  await Promise.all(
    i.copies.map(async ({ region }) => {
      const image = await findOwnImageByName(i.clientFor(region), i.name);
      if (!image) return;
      if (tagValue(image, TAG.digest) === i.digest && image.State !== 'failed') existing[region] = image;
      else
        clashes.push(
          `${region} already has ${image.ImageId} named "${i.name}" (${image.State}, digest ${tagValue(image, TAG.digest) ?? 'none'})`,
        );
    }),
  );
  if (clashes.length)
    throw new UserError(
      `cannot copy: ${clashes.sort().join('; ')}. Choose another name or version, or deregister it.`,
    );
  return existing;
}

export async function copyToRegions(i: CopyInput): Promise<Record<string, CopyOutcome>> {
  const existing = await checkCopyTargets(i);
  const state: CopyState = {
    sourceRegion: i.sourceRegion,
    sourceImageId: i.sourceImageId,
    tags: i.tags,
    copies: i.copies.map((c, n) => ({
      region: c.region,
      name: i.name,
      clientToken: `${i.token}-${n}`.slice(-64),
      status: 'requested',
      ...(existing[c.region] && { imageId: existing[c.region].ImageId }),
    })),
  };
  const save = () => i.journal?.(structuredClone(state));
  save();

  const results = await Promise.allSettled(
    i.copies.map((c, n) => copyOne(i, c, state.copies[n], existing[c.region], save)),
  );
  const out: Record<string, CopyOutcome> = {};
  const failures: string[] = [];
  results.forEach((r, n) => {
    const region = i.copies[n].region;
    if (r.status === 'fulfilled') out[region] = r.value;
    else failures.push(`${region}: ${errorMessage(r.reason)}`);
  });
  if (failures.length) throw new UserError(`copy failed in ${failures.join('; ')}`);
  return out;
}

async function copyOne(
  i: CopyInput,
  plan: PlannedCopy,
  rec: CopyRecord,
  existing: Image | undefined,
  save: () => void,
): Promise<CopyOutcome> {
  const ec2 = i.clientFor(plan.region);
  const started = Date.now();
  try {
    if (!existing) {
      const out = await ec2.send(
        new CopyImageCommand({
          SourceImageId: i.sourceImageId,
          SourceRegion: i.sourceRegion,
          Name: i.name,
          Description: i.description,
          ClientToken: rec.clientToken,
          CopyImageTags: false,
          ...(plan.encrypted && { Encrypted: true }),
          ...(plan.kmsKeyId && { KmsKeyId: plan.kmsKeyId }),
          TagSpecifications: [
            { ResourceType: 'image', Tags: i.tags },
            { ResourceType: 'snapshot', Tags: i.tags },
          ],
        }),
      );
      rec.imageId = out.ImageId;
      save();
      if (!rec.imageId) throw new Error('CopyImage returned no image id');
      i.log.info(
        `copying ${i.sourceImageId} to ${plan.region} as ${rec.imageId}${plan.encrypted ? ' (encrypted)' : ''}`,
      );
      // Tag the pending copy at once: whatever happens next, it is recognisable as amibake's.
      await ec2.send(new CreateTagsCommand({ Resources: [rec.imageId], Tags: i.tags }));
    } else i.log.info(`${plan.region}: ${rec.imageId} is this bake's copy already, reusing it`);

    const image = await waitAvailable(ec2, rec.imageId!, i);
    const snapshots = await tagImageAndSnapshots(ec2, image, i.tags);
    rec.status = existing ? 'reused' : 'tagged';
    save();
    return {
      region: plan.region,
      imageId: rec.imageId!,
      reused: !!existing,
      snapshots,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    // A failed, timed-out or aborted copy is removed: nothing half-made stays behind.
    if (rec.imageId && !existing) {
      await removeCopy(ec2, rec.imageId, i.log);
      rec.status = 'removed';
      save();
    }
    throw err;
  }
}

async function waitAvailable(ec2: EC2Client, imageId: string, i: CopyInput): Promise<Image> {
  try {
    return await waitImage(ec2, imageId, {
      timeoutSeconds: i.timeoutSeconds,
      intervalSeconds: i.pollSeconds,
      abortSignal: i.signal,
    });
  } catch (err) {
    if (!(err instanceof ImageWaitError)) throw err;
    const state = err.image?.State ?? 'pending';
    if (err.kind === 'failed') throw new Error(`${imageId} failed: ${err.reason}`, { cause: err });
    if (err.kind === 'aborted') throw new Error(`${imageId}: interrupted while ${state}`, { cause: err });
    if (err.kind === 'timeout')
      throw new Error(`${imageId} still ${state} after ${i.timeoutSeconds} s`, { cause: err });
    throw err.cause;
  }
}

/** Deregisters a copy and deletes its snapshots, including those a pending copy does not list yet. */
export async function removeCopy(ec2: EC2Client, imageId: string, log: Logger) {
  let extra: string[] = [];
  try {
    extra = await snapshotsByDescription(ec2, imageId);
  } catch (err) {
    log.warn(`cannot list the snapshots of ${imageId}: ${errorMessage(err)}`);
  }
  const removal = await removeImage(ec2, imageId, log, extra);
  log.info(`removed ${imageId}${removal.snapshots.length ? ` and ${removal.snapshots.join(', ')}` : ''}`);
  return removal;
}
