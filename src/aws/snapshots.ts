/**
 * EBS snapshots on their own (not through an AMI): found by amibake's client-token tag (a
 * StartSnapshot whose answer was lost), waited on until completed, deleted, and listed for the
 * janitor. "Not found" is an answer here, classified by ./errors.ts.
 */
import {
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { isNotFound } from './errors.js';
import { pause, pollBackoff } from './poll.js';
import { TAG } from './tags.js';

/** The snapshot, or undefined when it does not exist (any more). */
export async function findSnapshot(ec2: EC2Client, snapshotId: string): Promise<Snapshot | undefined> {
  try {
    const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    return out.Snapshots?.find((s) => s.SnapshotId === snapshotId);
  } catch (err) {
    if (isNotFound(err, 'snapshot')) return undefined;
    throw err;
  }
}

/** The account's snapshots carrying `amibake:client-token=token` (one bake's upload). */
export async function snapshotsByToken(ec2: EC2Client, token: string): Promise<Snapshot[]> {
  const out = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: `tag:${TAG.clientToken}`, Values: [token] }],
    }),
  );
  return out.Snapshots ?? [];
}

/** The account's snapshots tagged by a bake (`amibake:run`) in these states. */
export async function runSnapshots(ec2: EC2Client, states: string[]): Promise<Snapshot[]> {
  const found: Snapshot[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        // The state is checked here rather than filtered: one listing serves every state asked.
        Filters: [{ Name: 'tag-key', Values: [TAG.run] }],
        NextToken: token,
      }),
    );
    found.push(...(page.Snapshots ?? []).filter((s) => states.includes(s.State ?? '')));
    token = page.NextToken;
  } while (token);
  return found;
}

/** Deletes the snapshot; true when it is gone (already gone included). Other errors throw. */
export async function deleteSnapshot(ec2: EC2Client, snapshotId: string): Promise<true> {
  try {
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
  } catch (err) {
    if (!isNotFound(err, 'snapshot')) throw err;
  }
  return true;
}

export class SnapshotWaitError extends Error {
  override name = 'SnapshotWaitError';
  constructor(
    readonly snapshotId: string,
    readonly kind: 'error' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Waits until EC2 reports the snapshot `completed` (the EBS direct APIs' CompleteSnapshot only
 * starts that); `error` and the timeout are SnapshotWaitErrors. A failing DescribeSnapshots (the
 * id not known yet, a throttle) is retried until the timeout.
 */
export async function waitCompleted(
  ec2: EC2Client,
  snapshotId: string,
  opts: { timeoutSeconds: number; intervalSeconds: number; abortSignal?: AbortSignal },
): Promise<Snapshot> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  const next = pollBackoff(opts.intervalSeconds * 1000);
  let seen: Snapshot | undefined;
  let error: unknown;
  for (;;) {
    try {
      const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), {
        abortSignal: opts.abortSignal,
      });
      seen = out.Snapshots?.find((s) => s.SnapshotId === snapshotId) ?? seen;
      error = undefined;
      if (seen?.State === 'completed') return seen;
      if (seen?.State === 'error')
        throw new SnapshotWaitError(
          snapshotId,
          'error',
          `snapshot ${snapshotId} failed: ${seen.StateMessage || 'no reason given'}`,
        );
    } catch (err) {
      if (err instanceof SnapshotWaitError) throw err;
      error = err;
    }
    const aborted = () =>
      new SnapshotWaitError(snapshotId, 'aborted', `the wait for snapshot ${snapshotId} was cancelled`);
    if (opts.abortSignal?.aborted) throw aborted();
    const left = deadline - Date.now();
    if (left <= 0) {
      if (error) throw error;
      throw new SnapshotWaitError(
        snapshotId,
        'timeout',
        `snapshot ${snapshotId} is not completed after ${opts.timeoutSeconds} s (state ${seen?.State ?? 'unknown'}, ${seen?.Progress ?? '?'})`,
      );
    }
    if (!(await pause(Math.min(next(), left), opts.abortSignal))) throw aborted();
  }
}

/**
 * The snapshots that the account's AMIs in this region use (every state, disabled ones included).
 * Listed rather than filtered by `block-device-mapping.snapshot-id`: one listing answers for every
 * snapshot, and an emulator without that filter answers the same.
 */
export async function snapshotsInUse(ec2: EC2Client): Promise<Set<string>> {
  const used = new Set<string>();
  let token: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        IncludeDisabled: true,
        MaxResults: 1000,
        NextToken: token,
      }),
    );
    for (const image of page.Images ?? [])
      for (const b of image.BlockDeviceMappings ?? []) if (b.Ebs?.SnapshotId) used.add(b.Ebs.SnapshotId);
    token = page.NextToken;
  } while (token);
  return used;
}
