// The disk path's upload, measured side by side in one run: a 4 GiB sparse disk with about 1 GiB used, written
// in the disk format (test/support/disk-artifact.ts), then
//   - plain reading of disk.blocks (the floor: the file read at disk speed);
//   - the build's own work without a network: each block read, gunzipped and hashed (src/features/disk-upload);
//   - the upload (src/aws/ebs-direct.ts) to the in-process EBS endpoint of the tests (test/support/fake-ebs.ts,
//     which checks every block's size and checksum, the count and the LINEAR aggregate), at concurrency
//     1, 4, 16 and 32, each with a simulated service latency per PutSnapshotBlock (BENCH_LATENCY_MS, default 20).
// Bytes sent are compared with bytes used (zero blocks are never sent), throughput with plain reading.
//
//   node bench/upload.mjs          (BENCH_USED_MB=1024 BENCH_DISK_GIB=4 BENCH_LATENCY_MS=20 BENCH_DIR=...)
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleTs } from './bundle-ts.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const USED_MB = Number(process.env.BENCH_USED_MB ?? 1024);
const DISK_GIB = Number(process.env.BENCH_DISK_GIB ?? 4);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,4,16,32').split(',').map(Number);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'amibake-bench-upload');
const MiB = 2 ** 20;

async function bundle() {
  const out = join(ROOT, 'node_modules/.cache/amibake-bench/upload.mjs');
  await bundleTs(
    `
      export { writeDiskFiles } from './test/support/disk-artifact.ts';
      export { startFakeEbs } from './test/support/fake-ebs.ts';
      export { loadDisk, openBlocks } from './src/features/disk-upload/artifact.ts';
      export { startSnapshot, putBlocks, completeSnapshot } from './src/aws/ebs-direct.ts';
      export { EBSClient } from '@aws-sdk/client-ebs';`,
    ROOT,
    out,
    'error',
  );
  return import(out);
}

/** The raw disk: `USED_MB` of data in 64 MiB runs spread evenly over `DISK_GIB`, zeros between; the data is half
 *  random (incompressible) and half text-like (compressible), as a root file system is. */
function rawDisk() {
  const path = join(DIR, `disk-${DISK_GIB}g-${USED_MB}m.raw`);
  if (existsSync(path) && statSync(path).size === DISK_GIB * 1024 * MiB) return path;
  const fd = openSync(path, 'w');
  ftruncateSync(fd, DISK_GIB * 1024 * MiB);
  const runs = USED_MB / 64;
  const gap = (DISK_GIB * 1024 * MiB) / runs;
  const chunk = Buffer.alloc(MiB);
  const text = Buffer.from('amibake disk path: usr/lib/x86_64-linux-gnu/libc.so.6 0644 root root\n');
  for (let r = 0; r < runs; r++)
    for (let m = 0; m < 64; m++) {
      if (m % 2) for (let i = 0; i < MiB; i += text.length) text.copy(chunk, i);
      else for (let i = 0; i < MiB; i++) chunk[i] = (Math.random() * 256) | 0;
      writeSync(fd, chunk, 0, MiB, r * gap + m * MiB);
    }
  closeSync(fd);
  return path;
}

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

async function main() {
  mkdirSync(DIR, { recursive: true });
  const b = await bundle();
  const raw = rawDisk();
  const target = join(DIR, 'target');
  mkdirSync(target, { recursive: true });
  let t0 = process.hrtime.bigint();
  const files = await b.writeDiskFiles(raw, target);
  const packSeconds = seconds(t0);
  const blocksPath = join(target, 'disk.blocks');
  const vars = {
    DISK_MANIFEST_SHA256: files.manifestSha256,
    DISK_BLOCKS_SHA256: files.blocksSha256,
    DISK_SIZE: String(files.size),
    DISK_BASE_DIGEST: 'b'.repeat(64),
    DISK_RECIPE: 'bench',
  };
  const used = files.blocks * 524288;
  const compressed = statSync(blocksPath).size;

  // The floor: disk.blocks read whole, at the file system's speed (page cache warm after the packing).
  t0 = process.hrtime.bigint();
  readFileSync(blocksPath);
  const readSeconds = seconds(t0);

  // The build's work without a network: verify the files, then every block read, gunzipped and hashed.
  t0 = process.hrtime.bigint();
  const disk = await b.loadDisk(target, vars, join(target, 'vars.env'));
  const verifyFilesSeconds = seconds(t0);
  t0 = process.hrtime.bigint();
  const { createHash } = await import('node:crypto');
  {
    const { blocks, close } = await b.openBlocks(disk);
    for (const blk of blocks)
      createHash('sha256')
        .update(await blk.read())
        .digest();
    await close();
  }
  const blocksSeconds = seconds(t0);

  const ebs = await b.startFakeEbs();
  ebs.putDelayMs = LATENCY;
  const client = new b.EBSClient({
    region: 'us-east-1',
    endpoint: ebs.endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    // As the build's client: a connection reset is retried.
    maxAttempts: 3,
  });
  const uploads = [];
  for (const concurrency of LEVELS) {
    t0 = process.hrtime.bigint();
    const id = await b.startSnapshot(client, {
      volumeSizeGiB: DISK_GIB,
      tags: {},
      description: 'bench',
      encrypted: false,
      timeoutMinutes: 30,
      clientToken: `bench-${concurrency}`,
    });
    const { blocks, close } = await b.openBlocks(disk);
    const r = await b.putBlocks(client, id, blocks, { concurrency });
    await close();
    await b.completeSnapshot(client, id, r);
    const s = seconds(t0);
    const snap = ebs.snapshots.get(id);
    if (snap.refused.length || snap.status !== 'completed')
      throw new Error(`refused: ${snap.refused.join('; ')}`);
    uploads.push({ concurrency, seconds: s, sent: r.bytes, blocks: r.sent, inFlight: ebs.maxInFlight });
    snap.blocks.clear();
  }
  await ebs.stop();

  const mbps = (bytes, s) => (bytes / MiB / s).toFixed(0);
  console.log(
    `# disk upload: ${DISK_GIB} GiB disk, ${(used / MiB).toFixed(0)} MiB used, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `disk.blocks: ${files.blocks} blocks of ${(files.size / 524288).toFixed(0)}, ${(compressed / MiB).toFixed(0)} MiB compressed (${(compressed / used).toFixed(2)}x of used), packed in ${packSeconds.toFixed(1)} s`,
  );
  console.log(
    `bytes sent / bytes used: ${(uploads[0].sent / used).toFixed(2)}; bytes sent / disk size: ${(uploads[0].sent / files.size).toFixed(3)}`,
  );
  console.log('');
  console.log('| Step | Seconds | MiB/s of used data | Ratio to plain reading |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| plain read of disk.blocks (${(compressed / MiB).toFixed(0)} MiB) | ${readSeconds.toFixed(2)} | ${mbps(used, readSeconds)} | 1.00x |`,
  );
  console.log(
    `| verify the files (sha256 of manifest and blocks) | ${verifyFilesSeconds.toFixed(2)} | ${mbps(used, verifyFilesSeconds)} | ${(verifyFilesSeconds / readSeconds).toFixed(2)}x |`,
  );
  console.log(
    `| read + gunzip + SHA256 every block | ${blocksSeconds.toFixed(2)} | ${mbps(used, blocksSeconds)} | ${(blocksSeconds / readSeconds).toFixed(2)}x |`,
  );
  for (const u of uploads)
    console.log(
      `| upload, concurrency ${u.concurrency} (${LATENCY} ms per block, ${u.inFlight} in flight at most) | ${u.seconds.toFixed(2)} | ${mbps(u.sent, u.seconds)} | ${(u.seconds / readSeconds).toFixed(2)}x |`,
    );
  const base = uploads[0].seconds;
  console.log('');
  console.log(
    `speed-up over concurrency ${uploads[0].concurrency}: ${uploads.map((u) => `${u.concurrency}: ${(base / u.seconds).toFixed(2)}x`).join(', ')}`,
  );
}

await main();
