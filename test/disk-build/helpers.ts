/** The disk path's test pieces: a disk artifact from a synthetic raw disk, a bake of it in this
 *  process (the CLI's option reading), and the snapshot read back block by block. */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { DescribeSnapshotsCommand, type EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { cliSource } from '../../src/core/options.js';
import { MemoryState } from '../../src/engine/state.js';
import type { Bake } from '../../src/features/bake/bake.js';
import { readBuildOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import { captureLogger } from '../support/logger.js';
import { REGION } from '../support/moto.js';
import { BLOCK } from '../support/disk-artifact.js';

export async function diskBake(
  dir: string,
  env: Record<string, string> = {},
  tweaks: Partial<BuildOptions> = {},
): Promise<{ bake: Bake; state: MemoryState; log: () => string }> {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  const all = { ...process.env, ...env };
  const opts = { ...readBuildOptions(cliSource(all), 'disk'), ...tweaks };
  const bake = await createBake(
    opts,
    { userdata: join(dir, 'userdata.gz') },
    { trustArtifactLocation: true, logger, state, env: all },
  );
  return { bake, state, log: text };
}

export function ebsFor(endpoint: string, region = REGION): EBSClient {
  return new EBSClient({ region, endpoint });
}

/**
 * The snapshot's blocks as written (moto lists them with the index the writer gave and reports a
 * BlockSize of 512 whatever was written: each block's own length says how much it holds).
 */
export async function readSnapshot(ebs: EBSClient, snapshotId: string): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  let token: string | undefined;
  do {
    const page = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, NextToken: token }));
    for (const b of page.Blocks ?? []) {
      // moto answers the index as a string: a number again, as the API defines it.
      const index = Number(b.BlockIndex);
      const got = await ebs.send(
        new GetSnapshotBlockCommand({
          SnapshotId: snapshotId,
          BlockIndex: index,
          BlockToken: b.BlockToken!,
        }),
      );
      out.set(index, Buffer.from(await got.BlockData!.transformToByteArray()));
    }
    token = page.NextToken;
  } while (token);
  return out;
}

/** Compares the raw disk with the snapshot's blocks, byte for byte; returns the first difference. */
export function diffDisk(rawPath: string, size: number, blocks: Map<number, Buffer>): string | undefined {
  const fd = openSync(rawPath, 'r');
  const buf = Buffer.alloc(BLOCK);
  const zero = Buffer.alloc(BLOCK);
  try {
    for (const [index, data] of blocks)
      if (data.length !== BLOCK) return `block ${index} holds ${data.length} bytes, not ${BLOCK}`;
    for (let index = 0; index * BLOCK < size; index++) {
      buf.fill(0);
      readSync(fd, buf, 0, BLOCK, index * BLOCK);
      const got = blocks.get(index) ?? zero;
      if (!got.equals(buf)) return `block ${index} differs${blocks.has(index) ? '' : ' (not written)'}`;
    }
  } finally {
    closeSync(fd);
  }
  return undefined;
}

/** Snapshots a bake tagged (amibake:run), whatever their state. */
export async function bakeSnapshots(ec2: EC2Client): Promise<Snapshot[]> {
  const out = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag-key', Values: ['amibake:run'] }],
    }),
  );
  return out.Snapshots ?? [];
}
