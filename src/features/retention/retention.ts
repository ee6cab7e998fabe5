/**
 * Retention: keep the newest N AMIs of a family (same `amibake:name`, owned by this account) in a
 * region, deregister the older ones and delete their snapshots. Never the AMI just built, never
 * one an instance in the region still uses, never one that is pending or protected, never one kept
 * after failing its test (which does not count towards N either).
 * The plan is computed and printed first; acting on it is a separate step (dry run stops there).
 */
import {
  DescribeInstancesCommand,
  paginateDescribeImages,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import type { Logger } from '../../core/log.js';
import { removeImage } from '../../aws/image-removal.js';
import { snapshotIds } from '../../aws/images.js';
import { TAG } from '../../aws/tags.js';
import { failedTest } from '../bake/test-verdict.js';

export interface RetentionImage {
  imageId: string;
  name: string;
  created: string;
  snapshots: string[];
}

export interface RetentionPlan {
  region: string;
  family: string;
  keepLast: number;
  keep: RetentionImage[];
  remove: RetentionImage[];
  skip: (RetentionImage & { reason: string })[];
}

export interface PlanInput {
  ec2: EC2Client;
  region: string;
  family: string;
  keepLast: number;
  /** The AMIs this bake produced or reused: never removed. */
  protect: string[];
}

const IN_USE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

const summarise = (i: Image): RetentionImage => ({
  imageId: i.ImageId!,
  name: i.Name ?? '',
  created: i.CreationDate ?? '',
  snapshots: snapshotIds(i),
});

export async function planRetention(i: PlanInput): Promise<RetentionPlan> {
  const images: Image[] = [];
  for await (const page of paginateDescribeImages(
    { client: i.ec2, pageSize: 1000 },
    {
      Owners: ['self'],
      IncludeDeprecated: true,
      Filters: [{ Name: `tag:${TAG.family}`, Values: [i.family] }],
    },
  ))
    images.push(...(page.Images ?? []));
  // Tag filters match wildcards; the family is the exact value.
  const family = images.filter((img) => img.Tags?.some((t) => t.Key === TAG.family && t.Value === i.family));
  family.sort(
    (a, b) =>
      (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
      (b.ImageId ?? '').localeCompare(a.ImageId ?? ''),
  );

  const plan: RetentionPlan = {
    region: i.region,
    family: i.family,
    keepLast: i.keepLast,
    keep: [],
    remove: [],
    skip: [],
  };
  const candidates: Image[] = [];
  // Only usable images count towards N: a failed one never takes a good one's place. An AMI
  // that failed its test (kept tagged for inspection) neither counts nor is removed: whoever kept
  // it deregisters it when done.
  let kept = 0;
  for (const img of family) {
    if (failedTest(img) && !i.protect.includes(img.ImageId!)) {
      plan.skip.push({
        ...summarise(img),
        reason: `it failed its test (${TAG.test}=failed), kept for inspection`,
      });
      continue;
    }
    const usable = img.State === 'available';
    if (i.protect.includes(img.ImageId!) || (usable && kept < i.keepLast)) {
      plan.keep.push(summarise(img));
      if (usable) kept++;
    } else candidates.push(img);
  }

  const users = await instancesUsing(
    i.ec2,
    candidates.map((c) => c.ImageId!),
  );
  for (const img of candidates) {
    const s = summarise(img);
    const protection = img.DeregistrationProtection ?? 'disabled';
    if (img.State !== 'available' && img.State !== 'failed')
      plan.skip.push({ ...s, reason: `it is ${img.State}` });
    else if (protection !== 'disabled' && protection !== '')
      plan.skip.push({ ...s, reason: 'deregistration protection is on' });
    else if (users.get(img.ImageId!)?.length)
      plan.skip.push({ ...s, reason: `in use by ${users.get(img.ImageId!)!.join(', ')}` });
    else plan.remove.push(s);
  }
  return plan;
}

/** Image id -> instances (not terminated) launched from it, in the client's region. */
async function instancesUsing(ec2: EC2Client, imageIds: string[]): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  // A filter takes at most 200 values.
  for (let n = 0; n < imageIds.length; n += 200) {
    let NextToken: string | undefined;
    do {
      const out = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'image-id', Values: imageIds.slice(n, n + 200) },
            { Name: 'instance-state-name', Values: IN_USE_STATES },
          ],
          NextToken,
        }),
      );
      for (const r of out.Reservations ?? [])
        for (const inst of r.Instances ?? [])
          if (inst.ImageId && inst.InstanceId)
            users.set(inst.ImageId, [...(users.get(inst.ImageId) ?? []), inst.InstanceId]);
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return users;
}

export function formatPlan(plan: RetentionPlan): string[] {
  const lines = [
    `retention in ${plan.region} for "${plan.family}" (keep last ${plan.keepLast}): ` +
      `${plan.keep.length} kept, ${plan.remove.length} to remove, ${plan.skip.length} skipped`,
  ];
  for (const k of plan.keep) lines.push(`  keep    ${k.imageId}  ${k.created}  ${k.name}`);
  for (const r of plan.remove)
    lines.push(
      `  remove  ${r.imageId}  ${r.created}  ${r.name}${r.snapshots.length ? `  (+ ${r.snapshots.join(', ')})` : ''}`,
    );
  for (const s of plan.skip) lines.push(`  skip    ${s.imageId}  ${s.created}  ${s.name}: ${s.reason}`);
  return lines;
}

export interface RetentionResult {
  region: string;
  removed: { imageId: string; snapshots: string[] }[];
  failed: { imageId: string; problems: string[] }[];
}

/** Carries out a plan. Failures are warned and reported, never thrown: the new AMI is already made. */
export async function applyRetention(
  ec2: EC2Client,
  plan: RetentionPlan,
  log: Logger,
): Promise<RetentionResult> {
  const result: RetentionResult = { region: plan.region, removed: [], failed: [] };
  for (const r of plan.remove) {
    const removal = await removeImage(ec2, r.imageId, log, r.snapshots);
    if (removal.problems.length) result.failed.push({ imageId: r.imageId, problems: removal.problems });
    else {
      result.removed.push({ imageId: r.imageId, snapshots: removal.snapshots });
      log.info(
        `retention: deregistered ${r.imageId} in ${plan.region}${removal.snapshots.length ? `, deleted ${removal.snapshots.join(', ')}` : ''}`,
      );
    }
  }
  return result;
}
