/**
 * The janitor: the one leak a post step cannot prevent is a runner killed outright (or cut off
 * from its credentials). In one region, past a given age, it terminates build and test instances
 * (both tagged `amibake:run`; a test instance also `amibake:role=test`), and it finishes what a bake stopped in its image phase left of its AMIs (tagged
 * `amibake:run` at CreateImage): an AMI that failed or is still pending is discarded with its
 * snapshots; an available one whose snapshots never got their tags is recorded like a finished
 * bake (a re-run reuses it by digest), never deleted.
 */
import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  paginateDescribeInstances,
  TerminateInstancesCommand,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { discardImage } from '../../aws/image-removal.js';
import { snapshotIds, tagSnapshots } from '../../aws/images.js';
import { deleteSnapshot, runSnapshots, snapshotsInUse } from '../../aws/snapshots.js';
import { ownTags } from '../../aws/tags.js';
import { deadlineIn } from '../../aws/retry.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { isNotFound } from '../../aws/errors.js';
import { formatMs } from '../../core/duration.js';
import { TAG } from '../../aws/tags.js';

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface SweptInstance {
  instanceId: string;
  state: string;
  launched: string;
  run: string;
  name: string;
  /** `test` for an instance launched to test a new AMI, else `build`. */
  role: string;
}

export interface SweepReport {
  region: string;
  olderThan: string;
  /** Terminated (or, in a dry run, would be). */
  swept: SweptInstance[];
  /** amibake instances still younger than the age. */
  spared: number;
  failed: { instanceId: string; error: string }[];
  /** Unfinished AMIs older than the age: discarded or recorded (or, in a dry run, would be). */
  images: SweptImage[];
  /** AMIs that could not be discarded or recorded; the error names what is left by id. */
  failedImages: { imageId: string; error: string }[];
  /** The AMIs could not be listed (nothing was done to them). */
  imagesError?: string;
  /** Snapshots of interrupted disk uploads older than the age (pending, or completed with no AMI
   *  using them): deleted (or would be). */
  snapshots?: { snapshotId: string; started: string; run: string }[];
  failedSnapshots?: { snapshotId: string; error: string }[];
  snapshotsError?: string;
  dryRun: boolean;
}

export interface SweptImage {
  imageId: string;
  /** `discard`: failed or still pending, deregistered with its snapshots; `record`: available,
   *  its snapshots tagged with the AMI's own tags. */
  action: 'discard' | 'record';
  state: string;
  created: string;
  run: string;
  name: string;
  snapshots: string[];
}

export interface SweepInput {
  ec2: EC2Client;
  region: string;
  olderThanMs: number;
  log: Logger;
  dryRun?: boolean;
  /** Never these (the caller's own instance). */
  exclude?: string[];
  now?: Date;
}

export async function sweep(i: SweepInput): Promise<SweepReport> {
  const now = i.now ?? new Date();
  const cutoff = now.getTime() - i.olderThanMs;
  const report: SweepReport = {
    region: i.region,
    olderThan: formatMs(i.olderThanMs),
    swept: [],
    spared: 0,
    failed: [],
    images: [],
    failedImages: [],
    dryRun: !!i.dryRun,
  };
  for await (const page of paginateDescribeInstances(
    { client: i.ec2, pageSize: 1000 },
    {
      Filters: [
        { Name: 'tag-key', Values: [TAG.run] },
        { Name: 'instance-state-name', Values: LIVE_STATES },
      ],
    },
  ))
    for (const r of page.Reservations ?? [])
      for (const inst of r.Instances ?? []) {
        const id = inst.InstanceId!;
        if (i.exclude?.includes(id)) continue;
        const launched = inst.LaunchTime ? new Date(inst.LaunchTime) : undefined;
        if (!launched || launched.getTime() > cutoff) {
          report.spared++;
          continue;
        }
        const tag = (k: string) => inst.Tags?.find((t) => t.Key === k)?.Value ?? '';
        report.swept.push({
          instanceId: id,
          state: inst.State?.Name ?? '',
          launched: launched.toISOString(),
          run: tag(TAG.run),
          name: tag('Name'),
          role: tag(TAG.role) || 'build',
        });
      }

  if (!i.dryRun)
    for (let n = 0; n < report.swept.length; n += 1000) {
      const ids = report.swept.slice(n, n + 1000).map((s) => s.instanceId);
      try {
        await i.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      } catch (err) {
        // One bad id fails the whole call; retry one by one to terminate the rest.
        for (const id of ids)
          try {
            await i.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
          } catch (e) {
            if (!isNotFound(e, 'instance')) report.failed.push({ instanceId: id, error: errorMessage(e) });
          }
        i.log.debug(`batch termination failed (${errorMessage(err)}), retried one by one`);
      }
    }
  const failedIds = new Set(report.failed.map((f) => f.instanceId));
  for (const s of report.swept)
    if (!failedIds.has(s.instanceId))
      i.log.info(
        `${i.dryRun ? 'would terminate' : 'terminated'} ${s.instanceId} (${s.state}, launched ${s.launched}${s.run ? `, run ${s.run}` : ''})`,
      );
  for (const f of report.failed) i.log.warn(`could not terminate ${f.instanceId}: ${f.error}`);
  try {
    await sweepImages(i, cutoff, report);
  } catch (err) {
    // The instances are done and reported; the AMIs stay for the next sweep.
    report.imagesError = errorMessage(err);
    i.log.warn(`could not look for unfinished AMIs: ${report.imagesError}`);
  }
  try {
    await sweepSnapshots(i, cutoff, report);
  } catch (err) {
    report.snapshotsError = errorMessage(err);
    i.log.warn(`could not look for leftover snapshots: ${report.snapshotsError}`);
  }
  return report;
}

/**
 * Snapshots of disk uploads left behind, tagged by a bake and older than the age, deleted: those
 * that never completed (the runner died between StartSnapshot and CompleteSnapshot: `pending`,
 * `error`), and completed ones no AMI of the region uses (it died between CompleteSnapshot and
 * RegisterImage, and its post step could not delete it). A snapshot an AMI uses is never touched
 * (after the AMI sweep above, which removes its discarded AMIs' snapshots itself).
 */
async function sweepSnapshots(i: SweepInput, cutoff: number, report: SweepReport): Promise<void> {
  report.snapshots = [];
  report.failedSnapshots = [];
  const found = await runSnapshots(i.ec2, ['pending', 'error', 'completed']);
  const used = found.some((s) => s.State === 'completed') ? await snapshotsInUse(i.ec2) : new Set<string>();
  for (const snap of found) {
    const started = snap.StartTime ? new Date(snap.StartTime).getTime() : NaN;
    if (!(started <= cutoff)) continue;
    if (snap.State === 'completed' && used.has(snap.SnapshotId!)) continue;
    const run = snap.Tags?.find((t) => t.Key === TAG.run)?.Value ?? '';
    const entry = { snapshotId: snap.SnapshotId!, started: new Date(started).toISOString(), run };
    report.snapshots.push(entry);
    const what = `the ${snap.State === 'completed' ? 'completed (no AMI uses it)' : snap.State} snapshot ${entry.snapshotId} (started ${entry.started}${run ? `, run ${run}` : ''})`;
    if (i.dryRun) {
      i.log.info(`would delete ${what}`);
      continue;
    }
    try {
      await deleteSnapshot(i.ec2, entry.snapshotId);
      i.log.info(`deleted ${what}`);
    } catch (err) {
      report.failedSnapshots.push({ snapshotId: entry.snapshotId, error: errorMessage(err) });
      i.log.warn(`could not delete ${what}: ${errorMessage(err)}`);
    }
  }
}

/** How long each call of an AMI's discard is retried. */
const DISCARD_SECONDS = 60;
/** States of an AMI that will never become available. */
const DEAD_STATES = ['failed', 'error', 'invalid'];

async function sweepImages(i: SweepInput, cutoff: number, report: SweepReport): Promise<void> {
  const candidates: Image[] = [];
  let token: string | undefined;
  do {
    const page = await i.ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'tag-key', Values: [TAG.run] }],
        MaxResults: 1000,
        NextToken: token,
      }),
    );
    for (const image of page.Images ?? []) {
      const created = image.CreationDate ? Date.parse(image.CreationDate) : NaN;
      // An AMI of unknown age may belong to a bake still running: left alone like a young one.
      if (!(created <= cutoff)) continue;
      const state = image.State ?? '';
      if (state === 'available' || state === 'pending' || DEAD_STATES.includes(state)) candidates.push(image);
    }
    token = page.NextToken;
  } while (token);

  const untagged = await untaggedSnapshots(
    i.ec2,
    candidates.filter((c) => c.State === 'available'),
  );
  for (const image of candidates) {
    const available = image.State === 'available';
    // A finished bake: its snapshots carry its tags. Not a leak.
    if (available && !snapshotIds(image).some((s) => untagged.has(s))) continue;
    const tag = (k: string) => image.Tags?.find((t) => t.Key === k)?.Value ?? '';
    report.images.push({
      imageId: image.ImageId!,
      action: available ? 'record' : 'discard',
      state: image.State ?? '',
      created: new Date(Date.parse(image.CreationDate!)).toISOString(),
      run: tag(TAG.run),
      name: image.Name ?? '',
      snapshots: snapshotIds(image),
    });
  }
  if (i.dryRun) {
    for (const s of report.images) i.log.info(`would ${s.action} ${describe(s)}`);
    return;
  }
  const byId = new Map(candidates.map((c) => [c.ImageId!, c]));
  for (const s of report.images) {
    const image = byId.get(s.imageId)!;
    if (s.action === 'record') {
      try {
        // The image's own tags (the digest included) on its snapshots: what the bake would have done.
        await tagSnapshots(i.ec2, image, ownTags(image));
        i.log.info(`recorded ${describe(s)}: its snapshots are tagged, the AMI is kept`);
      } catch (err) {
        report.failedImages.push({
          imageId: s.imageId,
          error: `its snapshots ${s.snapshots.join(', ')} could not be tagged: ${errorMessage(err)}`,
        });
      }
      continue;
    }
    const problems = await discardImage(i.ec2, image, i.log, {
      deadline: deadlineIn(DISCARD_SECONDS),
    });
    if (problems.length) report.failedImages.push({ imageId: s.imageId, error: problems.join('; ') });
    else i.log.info(`discarded ${describe(s)}`);
  }
  for (const f of report.failedImages) i.log.warn(`could not clean up the AMI ${f.imageId}: ${f.error}`);
}

function describe(s: SweptImage): string {
  return (
    `the ${s.state} AMI ${s.imageId} (${s.name}, created ${s.created}${s.run ? `, run ${s.run}` : ''})` +
    (s.snapshots.length ? ` with its snapshots ${s.snapshots.join(', ')}` : '')
  );
}

/**
 * The snapshots of these AMIs that lack one of their AMI's amibake tags (the bake died between
 * the AMI becoming available and the tagging). Filtered by id rather than asked by id: a
 * snapshot deleted meanwhile is no error, just absent (and so not counted as untagged).
 */
async function untaggedSnapshots(ec2: EC2Client, images: Image[]): Promise<Set<string>> {
  const wanted = new Map<string, [string, string][]>();
  for (const image of images) {
    const own = Object.entries(ownTags(image)).filter(([k]) => k.startsWith('amibake:'));
    for (const s of snapshotIds(image)) wanted.set(s, own);
  }
  const untagged = new Set<string>();
  const ids = [...wanted.keys()];
  // EC2 takes at most 200 values per filter.
  for (let n = 0; n < ids.length; n += 200) {
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [{ Name: 'snapshot-id', Values: ids.slice(n, n + 200) }],
          NextToken: token,
        }),
      );
      for (const snap of page.Snapshots ?? []) {
        const has = new Map((snap.Tags ?? []).map((t) => [t.Key, t.Value]));
        if (!(wanted.get(snap.SnapshotId!) ?? []).every(([k, v]) => has.get(k) === v))
          untagged.add(snap.SnapshotId!);
      }
      token = page.NextToken;
    } while (token);
  }
  return untagged;
}

export function formatSweep(r: SweepReport): string {
  const verb = r.dryRun ? 'would terminate' : 'terminated';
  const failed = new Set(r.failedImages.map((f) => f.imageId));
  const ids = (action: SweptImage['action']) =>
    r.images.filter((s) => s.action === action && !failed.has(s.imageId)).map((s) => s.imageId);
  const discarded = ids('discard');
  const recorded = ids('record');
  const amis = [
    discarded.length ? `${r.dryRun ? 'would discard' : 'discarded'} ${discarded.join(' ')}` : '',
    recorded.length ? `${r.dryRun ? 'would record' : 'recorded'} ${recorded.join(' ')}` : '',
    failed.size ? `failed ${[...failed].join(' ')}` : '',
  ].filter(Boolean);
  return (
    `sweep ${r.region}: ${verb} ${r.swept.length - r.failed.length} amibake instance(s) older than ${r.olderThan}` +
    `${r.failed.length ? `, ${r.failed.length} failed` : ''}, ${r.spared} younger left alone; ` +
    `unfinished AMIs: ${r.imagesError ? `not checked (${r.imagesError})` : amis.length ? amis.join(', ') : 'none'}` +
    snapshotsText(r)
  );
}

function snapshotsText(r: SweepReport): string {
  if (r.snapshotsError) return `; unfinished snapshots: not checked (${r.snapshotsError})`;
  const failed = new Set((r.failedSnapshots ?? []).map((f) => f.snapshotId));
  const done = (r.snapshots ?? []).filter((s) => !failed.has(s.snapshotId)).map((s) => s.snapshotId);
  if (!done.length && !failed.size) return '';
  return (
    `; unfinished snapshots: ${done.length ? `${r.dryRun ? 'would delete' : 'deleted'} ${done.join(' ')}` : ''}` +
    (failed.size ? `${done.length ? ', ' : ''}failed ${[...failed].join(' ')}` : '')
  );
}
