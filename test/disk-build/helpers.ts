/** The disk path's test pieces: a disk artifact from a synthetic raw disk, a bake of it in this
 *  process (the CLI's option reading), and the snapshot read back block by block. */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import {
  CreateTagsCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Snapshot,
  type Tag,
} from '@aws-sdk/client-ec2';
import { cliSource } from '../../src/core/options.js';
import { MemoryState } from '../../src/engine/state.js';
import type { Bake } from '../../src/features/bake/bake.js';
import { readBuildOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import { captureLogger } from '../support/logger.js';
import { REGION, type Gate } from '../support/moto.js';
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

/**
 * moto's RegisterImage keeps only the name and description: the AMI gets no tags and a snapshot
 * of moto's own. Through the gate, the AMIs registered from now on get what AWS gives them: the
 * request's tags (TagSpecification) and, in every DescribeImages answer, the registered snapshot
 * in their block device mapping. The architecture is left out, as moto leaves it. Until the
 * returned function is called.
 */
export function registerLikeAws(gate: Gate, ec2: EC2Client): () => void {
  const snapshots = new Map<string, string>();
  const undoRegister = gate.rewrite('RegisterImage', async (answer, request) => {
    const imageId = /<imageId>(ami-[0-9a-f]+)<\/imageId>/.exec(answer)?.[1];
    if (!imageId) return answer;
    const form = new URLSearchParams(request);
    const snapshot = form.get('BlockDeviceMapping.1.Ebs.SnapshotId');
    if (snapshot) snapshots.set(imageId, snapshot);
    const tags: Tag[] = [];
    for (let i = 1; form.has(`TagSpecification.1.Tag.${i}.Key`); i++)
      tags.push({
        Key: form.get(`TagSpecification.1.Tag.${i}.Key`)!,
        Value: form.get(`TagSpecification.1.Tag.${i}.Value`) ?? '',
      });
    if (tags.length) await ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: tags }));
    return answer;
  });
  const undoDescribe = gate.rewrite('DescribeImages', (answer) =>
    eachImage(answer, (item) => {
      const ours = snapshots.get(/<imageId>(ami-[0-9a-f]+)<\/imageId>/.exec(item)?.[1] ?? '');
      // One device each: the root device's snapshot.
      return ours
        ? item.replace(/<snapshotId>snap-[0-9a-f]+<\/snapshotId>/, `<snapshotId>${ours}</snapshotId>`)
        : item;
    }),
  );
  return () => {
    undoRegister();
    undoDescribe();
  };
}

/** `xml` (a DescribeImages answer) with each image's `<item>` (nested items and all) through `fn`. */
function eachImage(xml: string, fn: (item: string) => string): string {
  const open = xml.indexOf('<imagesSet>');
  if (open < 0) return xml;
  const tags = /<item>|<\/item>|<\/imagesSet>/g;
  tags.lastIndex = open;
  let out = '';
  let from = 0;
  let depth = 0;
  let start = 0;
  for (let m = tags.exec(xml); m && m[0] !== '</imagesSet>'; m = tags.exec(xml)) {
    if (m[0] === '<item>') {
      if (depth++ === 0) start = m.index;
    } else if (--depth === 0) {
      const end = m.index + m[0].length;
      out += xml.slice(from, start) + fn(xml.slice(start, end));
      from = end;
    }
  }
  return out + xml.slice(from);
}
