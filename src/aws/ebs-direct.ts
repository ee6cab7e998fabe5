/**
 * Uploading a disk with the EBS direct APIs (no instance, no S3, no ImportSnapshot): StartSnapshot,
 * PutSnapshotBlock in parallel with bounded concurrency, CompleteSnapshot. The API's contract,
 * which moto does not check: every block is 512 KiB, carries the base64 SHA256 of the bytes
 * sent, and CompleteSnapshot names how many blocks were written, with the LINEAR aggregate of
 * their checksums (SHA256 over the per-block digests in block order). Zero blocks are never sent:
 * a snapshot reads them as zeros. Throttling and 5xx answers are retried by the client's own
 * backoff (./clients.ts: createEbs).
 */
import { createHash } from 'node:crypto';
import {
  CompleteSnapshotCommand,
  PutSnapshotBlockCommand,
  StartSnapshotCommand,
  type EBSClient,
} from '@aws-sdk/client-ebs';
import { toTags } from './tags.js';

/** The only block size the EBS direct APIs write. */
export const EBS_BLOCK_SIZE = 524_288;
/** StartSnapshot's idle timeout, in minutes (the API's bounds). */
export const SNAPSHOT_TIMEOUT_MINUTES = { min: 10, max: 4_320 } as const;

export interface SnapshotSpec {
  /** GiB: at least the disk's size. */
  volumeSizeGiB: number;
  tags: Record<string, string>;
  description: string;
  encrypted: boolean;
  /** Only with `encrypted`; default the account's EBS key. */
  kmsKeyArn?: string;
  /** Minutes without a written block after which EBS cancels the snapshot (moves it to `error`). */
  timeoutMinutes: number;
  /** Idempotency: a repeated StartSnapshot with it returns the same snapshot. */
  clientToken: string;
}

export async function startSnapshot(
  ebs: EBSClient,
  spec: SnapshotSpec,
  abortSignal?: AbortSignal,
): Promise<string> {
  const out = await ebs.send(
    new StartSnapshotCommand({
      VolumeSize: spec.volumeSizeGiB,
      Tags: toTags(spec.tags),
      Description: spec.description,
      ClientToken: spec.clientToken,
      Timeout: Math.min(
        Math.max(Math.round(spec.timeoutMinutes), SNAPSHOT_TIMEOUT_MINUTES.min),
        SNAPSHOT_TIMEOUT_MINUTES.max,
      ),
      ...(spec.encrypted && { Encrypted: true }),
      ...(spec.encrypted && spec.kmsKeyArn && { KmsKeyArn: spec.kmsKeyArn }),
    }),
    { abortSignal },
  );
  if (!out.SnapshotId) throw new Error('StartSnapshot answered without a snapshot id');
  return out.SnapshotId;
}

/** One block to write: its index on the disk and how to get its 512 KiB. */
export interface UploadBlock {
  index: number;
  /** base64 SHA256 the bytes must have (the manifest's claim): a mismatch stops the upload. */
  expectedSha256?: string;
  read(): Promise<Buffer>;
}

/** A block whose bytes do not hash to what was expected: the data was altered. */
export class BlockChecksumError extends Error {
  override name = 'BlockChecksumError';
  constructor(
    readonly index: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`block ${index}: SHA256 ${actual} of its bytes is not the expected ${expected}`);
  }
}

export interface UploadResult {
  /** Blocks written (CompleteSnapshot's ChangedBlocksCount). */
  sent: number;
  /** Blocks read that were all zeros, hence not written. */
  zero: number;
  /** Bytes written. */
  bytes: number;
  /** base64 SHA256 over the written blocks' digests in block order (LINEAR). */
  aggregate: string;
}

export interface PutOptions {
  /** Blocks in flight at most. */
  concurrency: number;
  abortSignal?: AbortSignal;
  /** Called after each written block (progress). */
  onBlock?: (index: number, sent: number) => void;
}

/** memcmp against zeros costs far less than hashing the block. */
const ZERO_BLOCK = Buffer.alloc(EBS_BLOCK_SIZE);
const isZero = (b: Buffer) => b.equals(ZERO_BLOCK);

/**
 * Writes the blocks to the pending snapshot, at most `concurrency` at a time. The first failure
 * stops the others from starting and is thrown once those in flight have ended (a block
 * half-sent is the snapshot's, which the caller deletes).
 */
export async function putBlocks(
  ebs: EBSClient,
  snapshotId: string,
  blocks: Iterable<UploadBlock> | AsyncIterable<UploadBlock>,
  opts: PutOptions,
): Promise<UploadResult> {
  const it =
    Symbol.asyncIterator in blocks
      ? (blocks as AsyncIterable<UploadBlock>)[Symbol.asyncIterator]()
      : (blocks as Iterable<UploadBlock>)[Symbol.iterator]();
  const digests = new Map<number, Buffer>();
  const result = { sent: 0, zero: 0, bytes: 0 };
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!failure && !opts.abortSignal?.aborted) {
      const next = await it.next();
      if (next.done) return;
      const block = next.value;
      try {
        const data = await block.read();
        if (data.length !== EBS_BLOCK_SIZE)
          throw new Error(`block ${block.index}: ${data.length} bytes, not ${EBS_BLOCK_SIZE}`);
        // The checksum sent is the one of the bytes sent, computed here: never a claim.
        const digest = createHash('sha256').update(data).digest();
        const checksum = digest.toString('base64');
        if (block.expectedSha256 !== undefined && block.expectedSha256 !== checksum)
          throw new BlockChecksumError(block.index, block.expectedSha256, checksum);
        if (isZero(data)) {
          result.zero++;
          continue;
        }
        if (digests.has(block.index)) throw new Error(`block ${block.index} given twice`);
        digests.set(block.index, digest);
        await ebs.send(
          new PutSnapshotBlockCommand({
            SnapshotId: snapshotId,
            BlockIndex: block.index,
            BlockData: data,
            DataLength: EBS_BLOCK_SIZE,
            Checksum: checksum,
            ChecksumAlgorithm: 'SHA256',
          }),
          { abortSignal: opts.abortSignal },
        );
        result.sent++;
        result.bytes += data.length;
        opts.onBlock?.(block.index, result.sent);
      } catch (err) {
        failure ??= { err };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  if (failure) throw failure.err;
  if (opts.abortSignal?.aborted) throw opts.abortSignal.reason ?? new Error('the upload was cancelled');
  return { ...result, aggregate: linearChecksum(digests) };
}

/** The LINEAR aggregate: SHA256 of the blocks' raw SHA256 digests concatenated in index order. */
export function linearChecksum(digests: Map<number, Buffer>): string {
  const hash = createHash('sha256');
  for (const index of [...digests.keys()].sort((a, b) => a - b)) hash.update(digests.get(index)!);
  return hash.digest('base64');
}

/** Seals the snapshot: EBS checks the count and the aggregate, then makes it `completed`. */
export async function completeSnapshot(
  ebs: EBSClient,
  snapshotId: string,
  upload: Pick<UploadResult, 'sent' | 'aggregate'>,
  abortSignal?: AbortSignal,
): Promise<void> {
  await ebs.send(
    new CompleteSnapshotCommand({
      SnapshotId: snapshotId,
      ChangedBlocksCount: upload.sent,
      Checksum: upload.aggregate,
      ChecksumAlgorithm: 'SHA256',
      ChecksumAggregationMethod: 'LINEAR',
    }),
    { abortSignal },
  );
}
