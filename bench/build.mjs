// Benchmark of the build's own cost, against moto with the instance double playing the instance
// (test/support), through the bundled CLI (dist/cli: `npm run build` first) the way a user runs it:
//
//  (a) overhead: `amibake build` wall time minus the time its waits on EC2 states took (the `wait`
//      spans of its TIMINGS= line). Budget: 2 s plus one poll interval (BUILDAMI_WAIT_INSTANCE).
//  (b) staging: the S3 multipart upload of an fs.tgz of BENCH_MB MiB (src/aws/staging.ts, as the
//      stage phase runs it) against reading the same file (`cat > /dev/null`, and a node read).
//  (c) hand-off: action-prepare's upload and action-build's download of the artifact (the real
//      @actions/artifact client, compression 0 as action-prepare sets it) through the local
//      results service and Azurite, for an fs.tgz of BENCH_HANDOFF_MB MiB.
//
//   npm run bench:build
//   BENCH_MB=256 BENCH_HANDOFF_MB=64 BENCH_RUNS=5 BENCH_WAIT=5 npm run bench:build
//   BENCH_ONLY=a BENCH_WAIT=5 npm run bench:build     # (a) alone, at the default poll interval
//
// A measurement, not a test: it prints the figures (and whether (a) is within its budget) and
// exits 0 either way; BENCHMARKS.md keeps them.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleTs } from './bundle-ts.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 1024);
const HANDOFF_MB = Number(process.env.BENCH_HANDOFF_MB ?? 256);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WAIT = Number(process.env.BENCH_WAIT ?? 1);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'amibake-bench');
const CLI = join(ROOT, 'dist/cli/index.js');
/** Which measurements to run: a, b, c (all by default). */
const ONLY = (process.env.BENCH_ONLY ?? 'a,b,c').split(',');

/** The test support (moto, the instance double, the results service) and the staging upload,
 *  bundled from TypeScript into one module. */
async function bundleHarness() {
  // Inside the project: what the bundle resolves at run time (Azurite's entry) is found in node_modules.
  const out = join(ROOT, 'node_modules/.cache/amibake-bench/build-harness.mjs');
  await bundleTs(
    `
        export { startMoto } from './test/support/moto.ts';
        export { startInstanceDouble } from './test/support/instance-double.ts';
        export { motoIds, s3For, BUCKET } from './test/support/world.ts';
        export { startResultsService } from './test/support/results-service.ts';
        export { stagingKeys, uploadFs } from './src/aws/staging.ts';
        export { DefaultArtifactClient } from '@actions/artifact';`,
    ROOT,
    out,
    'error',
  );
  return import(out);
}

/** A file of `mb` MiB of random bytes (fs.tgz is compressed: incompressible), kept between runs. */
function payload(mb) {
  const path = join(DIR, `fs-${mb}mb.tgz`);
  if (existsSync(path) && statSync(path).size === mb * 2 ** 20) return path;
  console.error(`writing ${mb} MiB to ${path} ...`);
  const fd = openSync(path, 'w');
  for (let i = 0; i < mb; i++) writeSync(fd, randomBytes(2 ** 20));
  closeSync(fd);
  return path;
}

/** Runs a command; resolves with its wall seconds, stdout and stderr. */
function run(cmd, args, env) {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${stderr.slice(-4000)}`));
      else resolveRun({ wall, stdout, stderr });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s) => s.toFixed(2);

/** `KEY='value'` of the CLI's stdout (formatEnv quoting: no quote inside a TIMINGS value). */
function envLine(stdout, key) {
  const line = stdout.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`no ${key}= line in:\n${stdout}`);
  return line.slice(key.length + 2, -1).replace(/'\\''/g, "'");
}

/** (a) `amibake build` of examples/big-payload (fs.tgz external), BENCH_RUNS times. */
async function overhead(h, moto) {
  const target = mkdtempSync(join(DIR, 'prepared-'));
  const s3Url = `s3://${h.BUCKET}/bench/fs.tgz`;
  await run(process.execPath, [CLI, 'prepare', join(ROOT, 'examples/big-payload'), target], {
    ...moto.env,
    AWSREGION: 'us-east-1',
    S3URL: s3Url,
  });
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    await moto.reset();
    const ids = await h.motoIds(moto.endpoint);
    const double = h.startInstanceDouble({ endpoint: moto.endpoint, behaviour: 'succeed' });
    try {
      const r = await run(process.execPath, [CLI, 'build', join(target, 'userdata.gz')], {
        ...moto.env,
        BUILDAMI_BASEAMI: ids.baseAmi,
        BUILDAMI_SUBNET: ids.subnet,
        BUILDAMI_SECURITYGROUPS: ids.securityGroup,
        BUILDAMI_WAIT_INSTANCE: String(WAIT),
        BUILDAMI_WAIT_AMI: String(WAIT),
        BUILDAMI_NAME: 'bench',
        BUILDAMI_VERSION: `1.0.${i}`,
      });
      const timings = JSON.parse(envLine(r.stdout, 'TIMINGS'));
      const phases = timings.reduce((a, t) => a + t.seconds, 0);
      const waited = timings.flatMap((t) => t.spans).reduce((a, s) => a + (s.wait ? s.seconds : 0), 0);
      rows.push({ wall: r.wall, phases, waited, overhead: r.wall - waited, timings });
    } finally {
      await double.stop();
    }
  }
  return rows;
}

async function nodeRead(path) {
  const t0 = performance.now();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) void chunk;
  return (performance.now() - t0) / 1000;
}

/** (b) the staging upload against reading the file, BENCH_RUNS times, interleaved. */
async function staging(h, moto) {
  const path = payload(MB);
  const s3 = h.s3For(moto.endpoint);
  const logger = { info() {}, debug() {}, warn() {} };
  await nodeRead(path); // into the page cache: every contender reads from memory
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const cat = spawnSync('sh', ['-c', `cat "${path}" >/dev/null`]);
    if (cat.status !== 0) throw new Error('cat failed');
    const catS = (performance.now() - t) / 1000;
    const readS = await nodeRead(path);
    await moto.reset();
    await h.motoIds(moto.endpoint); // the bucket
    const keys = h.stagingKeys({ bucket: h.BUCKET, key: 'bench/fs.tgz' }, `bench${i}`);
    const t0 = performance.now();
    await h.uploadFs(s3, keys, path, logger);
    rows.push({ cat: catS, read: readS, upload: (performance.now() - t0) / 1000 });
  }
  return rows;
}

/** (c) the artifact hand-off: upload as action-prepare does, download as action-build does. */
async function handoff(h) {
  const results = await h.startResultsService();
  const rows = [];
  const saved = { ...process.env };
  // The client reports its progress on stdout (as it would in a step's log): not among the figures.
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    // The prepared files as action-prepare hands them on: userdata.gz, vars.env, fs.tgz.
    const dir = join(DIR, `handoff-${HANDOFF_MB}mb`);
    mkdirSync(dir, { recursive: true });
    const fs = join(dir, 'fs.tgz');
    if (!existsSync(fs)) linkSync(payload(HANDOFF_MB), fs);
    writeFileSync(join(dir, 'userdata.gz'), randomBytes(12 * 1024));
    writeFileSync(join(dir, 'vars.env'), `FS_MODE='external'\nFS_SIZE='${statSync(fs).size}'\n`);
    const files = ['userdata.gz', 'vars.env', 'fs.tgz'].map((f) => join(dir, f));
    for (let i = 0; i < RUNS; i++) {
      const name = `amibake-${i}`;
      Object.assign(process.env, results.jobEnv('prepare'));
      const t0 = performance.now();
      const up = await new h.DefaultArtifactClient().uploadArtifact(name, files, dir, {
        compressionLevel: 0,
      });
      const upS = (performance.now() - t0) / 1000;
      Object.assign(process.env, results.jobEnv('build'));
      const t1 = performance.now();
      const client = new h.DefaultArtifactClient();
      const id = (await client.getArtifact(name)).artifact.id;
      const path = mkdtempSync(join(DIR, 'download-'));
      await client.downloadArtifact(id, { path });
      const downS = (performance.now() - t1) / 1000;
      if (statSync(join(path, 'fs.tgz')).size !== statSync(fs).size)
        throw new Error('the downloaded fs.tgz differs in size');
      rmSync(path, { recursive: true, force: true });
      rows.push({ upload: upS, download: downS, size: up.size });
    }
  } finally {
    process.stdout.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await results.stop();
  }
  return rows;
}

async function reportOverhead(h, moto, line) {
  const a = await overhead(h, moto);
  const budget = 2 + WAIT;
  const o = median(a.map((r) => r.overhead));
  console.log(
    `(a) amibake build against moto (examples/big-payload, fs.tgz external, wait-instance/wait-ami ${WAIT} s)\n`,
  );
  console.log(line(['run', 'wall (s)', 'phases (s)', 'waiting on EC2 states (s)', 'overhead (s)']));
  console.log(line(['---', '---:', '---:', '---:', '---:']));
  a.forEach((r, i) => console.log(line([i + 1, fmt(r.wall), fmt(r.phases), fmt(r.waited), fmt(r.overhead)])));
  console.log(
    `\noverhead (wall minus waits), median: ${fmt(o)} s; budget 2 s + one poll interval = ${budget} s: ` +
      `${o <= budget ? 'within' : 'OVER'} the budget`,
  );
  const last = a.at(-1).timings;
  console.log(`phases of the last run: ${last.map((t) => `${t.phase} ${fmt(t.seconds)}`).join(', ')}`);
  console.log(
    `spans: ${last.flatMap((t) => t.spans.map((s) => `${t.phase}/${s.span} ${fmt(s.seconds)}`)).join(', ')}\n`,
  );
}

async function reportStaging(h, moto, line) {
  const b = await staging(h, moto);
  const up = median(b.map((r) => r.upload));
  const cat = median(b.map((r) => r.cat));
  const read = median(b.map((r) => r.read));
  console.log(`(b) staging an fs.tgz of ${MB} MiB (multipart, 16 MiB parts, 4 in flight) to moto\n`);
  console.log(line(['what', 'median (s)', 'MiB/s', 'vs cat']));
  console.log(line(['---', '---:', '---:', '---:']));
  for (const [what, s] of [
    ['cat > /dev/null', cat],
    ['node read (1 MiB chunks)', read],
    ['S3 upload to moto (src/aws/staging.ts)', up],
  ])
    console.log(line([what, fmt(s), (MB / s).toFixed(0), `${(s / cat).toFixed(1)}x`]));
  console.log('');
}

async function reportHandoff(h, line) {
  const c = await handoff(h);
  console.log(
    `(c) artifact hand-off of ${HANDOFF_MB} MiB (userdata.gz, vars.env, fs.tgz) through the results service and Azurite\n`,
  );
  console.log(line(['step', 'median (s)', 'MiB/s']));
  console.log(line(['---', '---:', '---:']));
  const upC = median(c.map((r) => r.upload));
  const downC = median(c.map((r) => r.download));
  console.log(
    line(['upload (action-prepare: uploadArtifact, compression 0)', fmt(upC), (HANDOFF_MB / upC).toFixed(0)]),
  );
  console.log(
    line([
      'download (action-build: getArtifact + downloadArtifact)',
      fmt(downC),
      (HANDOFF_MB / downC).toFixed(0),
    ]),
  );
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
  mkdirSync(DIR, { recursive: true });
  const h = await bundleHarness();
  const line = (cols) => `| ${cols.join(' | ')} |`;
  const load = () => loadavg()[0].toFixed(1);
  console.log(
    `\nbuild benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0].model.trim()}), ` +
      `load average ${load()} at the start; median of ${RUNS} runs\n`,
  );

  // processEnv: this process's own clients (the bucket, the double, the staging upload) reach moto too.
  const moto = ONLY.includes('a') || ONLY.includes('b') ? await h.startMoto({ processEnv: true }) : undefined;
  try {
    if (ONLY.includes('a')) await reportOverhead(h, moto, line);
    if (ONLY.includes('b')) await reportStaging(h, moto, line);
  } finally {
    await moto?.stop();
  }
  if (ONLY.includes('c')) await reportHandoff(h, line);
  console.log(`\nload average ${load()} at the end`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
