/**
 * The uploader held to the EBS direct APIs' contract by an in-process endpoint that checks what
 * moto does not: 512 KiB blocks, the SHA256 of the bytes sent, ChangedBlocksCount and the LINEAR
 * aggregate; bounded concurrency; no zero block sent; an altered block never sent; throttling
 * and 5xx retried, a refusal not.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EBSClient } from '@aws-sdk/client-ebs';
import {
  BlockChecksumError,
  EBS_BLOCK_SIZE,
  completeSnapshot,
  putBlocks,
  startSnapshot,
  type UploadBlock,
} from '../../src/aws/ebs-direct.js';
import { sdkRetry } from '../../src/aws/clients.js';
import { setRetryTimings } from '../../src/aws/retry.js';
import { startFakeEbs, type FakeEbs } from '../support/fake-ebs.js';

jest.setTimeout(60_000);
let ebs: FakeEbs;
let undoTimings: () => void;
const client = () =>
  new EBSClient({
    region: 'us-east-1',
    endpoint: ebs.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    ...sdkRetry(),
  });

beforeAll(async () => {
  ebs = await startFakeEbs();
  undoTimings = setRetryTimings({ sdkAttempts: 3, sdkMode: 'standard' });
});
afterAll(async () => {
  undoTimings();
  await ebs.stop();
});
beforeEach(() => {
  ebs.putDelayMs = 0;
  ebs.failPutsFrom(Infinity, 500);
});

const block = (index: number, fill: (i: number) => number): UploadBlock => {
  const data = Buffer.alloc(EBS_BLOCK_SIZE);
  for (let i = 0; i < data.length; i += 4096) data[i] = fill(i);
  return {
    index,
    expectedSha256: createHash('sha256').update(data).digest('base64'),
    read: async () => Buffer.from(data),
  };
};
const dataBlock = (index: number) => block(index, (i) => ((index * 7 + i) % 250) + 1);
const zeroBlock = (index: number) => block(index, () => 0);

const spec = {
  volumeSizeGiB: 2,
  tags: { 'amibake:run': 'run-1', 'amibake:name': 'web', 'amibake:client-token': 'tok-1' },
  description: 'test',
  encrypted: true,
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc',
  timeoutMinutes: 30,
  clientToken: 'tok-1',
};

async function upload(blocks: UploadBlock[], concurrency: number) {
  const c = client();
  const id = await startSnapshot(c, spec);
  const result = await putBlocks(c, id, blocks, { concurrency });
  await completeSnapshot(c, id, result);
  return { id, result, snap: ebs.snapshots.get(id)! };
}

describe('the EBS direct uploader', () => {
  it('starts the snapshot with the size, tags, encryption, KMS key, timeout and client token', async () => {
    const { snap } = await upload([dataBlock(0)], 1);
    expect(snap.start).toMatchObject({
      VolumeSize: 2,
      Encrypted: true,
      KmsKeyArn: spec.kmsKeyArn,
      Timeout: 30,
      ClientToken: 'tok-1',
      Tags: expect.arrayContaining([{ Key: 'amibake:run', Value: 'run-1' }]),
    });
  });

  it('writes every non-zero block in 512 KiB with its checksum and completes with the count and LINEAR aggregate', async () => {
    const blocks = [dataBlock(0), zeroBlock(1), dataBlock(2), zeroBlock(3), dataBlock(2047)];
    const { snap, result } = await upload(blocks, 4);
    expect(snap.refused).toEqual([]);
    expect(snap.status).toBe('completed');
    expect([...snap.blocks.keys()].sort((a, b) => a - b)).toEqual([0, 2, 2047]);
    expect(result).toMatchObject({ sent: 3, zero: 2, bytes: 3 * EBS_BLOCK_SIZE });
    expect(snap.completion).toMatchObject({ count: '3', aggregation: 'LINEAR', algorithm: 'SHA256' });
    // The zero blocks never reached the endpoint.
    expect(ebs.calls.filter((c) => /\/blocks\/(1|3)$/.test(c))).toEqual([]);
  });

  it('the fake refuses a wrong count, so the check above can fail', async () => {
    const c = client();
    const id = await startSnapshot(c, spec);
    const result = await putBlocks(c, id, [dataBlock(0), dataBlock(1)], { concurrency: 2 });
    await expect(completeSnapshot(c, id, { ...result, sent: 3 })).rejects.toThrow(/ChangedBlocksCount 3/);
    await expect(completeSnapshot(c, id, { ...result, aggregate: 'A'.repeat(43) + '=' })).rejects.toThrow(
      /aggregate/,
    );
  });

  it.each([1, 4, 16])('keeps at most %i blocks in flight', async (concurrency) => {
    // A fresh endpoint: its high-water mark is this upload's.
    const saved = ebs;
    ebs = await startFakeEbs();
    // Held long enough for the bound to be reached on a loaded machine.
    ebs.putDelayMs = 200;
    try {
      const { snap } = await upload(
        Array.from({ length: 24 }, (_, i) => dataBlock(i)),
        concurrency,
      );
      expect(snap.blocks.size).toBe(24);
      // Parallel for real, and bounded: with 24 blocks held 200 ms each, the bound is reached.
      expect(ebs.maxInFlight).toBe(concurrency);
    } finally {
      await ebs.stop();
      ebs = saved;
    }
  });

  it('stops at a block whose bytes are not the expected ones, and never sends it', async () => {
    const bad = dataBlock(5);
    const altered: UploadBlock = {
      ...bad,
      read: async () => {
        const b = await bad.read();
        b[100] ^= 0xff;
        return b;
      },
    };
    const c = client();
    const id = await startSnapshot(c, spec);
    const err = await putBlocks(c, id, [dataBlock(0), altered, dataBlock(9)], { concurrency: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlockChecksumError);
    expect((err as BlockChecksumError).index).toBe(5);
    const snap = ebs.snapshots.get(id)!;
    expect(snap.blocks.has(5)).toBe(false);
    // The first failure stops the rest.
    expect(snap.blocks.has(9)).toBe(false);
  });

  it('refuses a block that is not 512 KiB before sending it', async () => {
    const c = client();
    const id = await startSnapshot(c, spec);
    const short: UploadBlock = { index: 0, read: async () => Buffer.alloc(512, 1) };
    await expect(putBlocks(c, id, [short], { concurrency: 1 })).rejects.toThrow(/512 bytes, not 524288/);
    expect(ebs.calls.filter((x) => x.startsWith(`PUT /snapshots/${id}/`))).toEqual([]);
  });

  it('retries a 5xx (the SDK backs off) and gives up after its attempts', async () => {
    const c = client();
    const id = await startSnapshot(c, spec);
    ebs.failPutsFrom(2, 500);
    const puts = () => ebs.calls.filter((x) => x.startsWith(`PUT /snapshots/${id}/`)).length;
    await expect(putBlocks(c, id, [dataBlock(0), dataBlock(1)], { concurrency: 1 })).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    // Block 0 once, block 1 three times (sdkAttempts).
    expect(puts()).toBe(4);
  });

  it('does not retry a refusal', async () => {
    const c = client();
    const id = await startSnapshot(c, spec);
    ebs.failPutsFrom(1, 400, 'AccessDeniedException');
    await expect(putBlocks(c, id, [dataBlock(0), dataBlock(1)], { concurrency: 1 })).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(ebs.calls.filter((x) => x.startsWith(`PUT /snapshots/${id}/`))).toHaveLength(1);
  });
});
