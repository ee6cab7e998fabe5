// Benchmark of fs.tgz: amibake's builder (tar-stream + zlib, src/compile/fstgz.ts) against GNU tar
// on the same generated tree at the same gzip level, in the same run. Prints wall time and peak RSS
// of each, measured by /usr/bin/time around a separate process.
//
//   npm run bench:prepare                       # ~1 GiB in ~20,000 files under $TMPDIR/amibake-bench
//   BENCH_MB=256 BENCH_FILES=5000 npm run bench:prepare
//
// Targets (README "BENCHMARKS.md"): no slower than GNU tar, peak RSS under 150 MB.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 1024);
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const LEVEL = Number(process.env.BENCH_LEVEL ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'amibake-bench');
const TREE = join(DIR, `tree-${MB}mb-${FILES}`);
const OUT = join(DIR, 'out');

// A small deterministic generator, so that every run benchmarks the same shapes of files.
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

function generate() {
  if (existsSync(join(TREE, '.complete'))) return;
  rmSync(TREE, { recursive: true, force: true });
  console.error(`generating ${MB} MiB in ${FILES} files under ${TREE} ...`);
  // Sizes: many small files and a few large ones (log-normal), scaled to the total.
  const weights = Array.from({ length: FILES }, () => Math.exp(rand() * 6 + rand() * 4));
  const scale = (MB * 2 ** 20) / weights.reduce((a, b) => a + b, 0);
  const words = [
    'info',
    'request',
    'served',
    'GET',
    '/api/v1/items',
    'status=200',
    'latency_ms=',
    'user',
    'cache',
  ];
  for (let i = 0; i < FILES; i++) {
    const dir = join(TREE, `d${String(i % 97).padStart(2, '0')}`, `s${String(i % 13)}`);
    mkdirSync(dir, { recursive: true });
    const size = Math.max(1, Math.round(weights[i] * scale));
    let body;
    if (i % 2 === 0) {
      body = randomBytes(size); // incompressible: binaries, archives, media
    } else {
      // compressible: text with some variation
      const lines = [];
      let n = 0;
      while (n < size) {
        const line = `${words[i % words.length]} ${i}-${n} ${words[(n >> 3) % words.length]} ${Math.floor(rand() * 1e6)}\n`;
        lines.push(line);
        n += line.length;
      }
      body = Buffer.from(lines.join('')).subarray(0, size);
    }
    writeFileSync(join(dir, `f${i}.${i % 2 ? 'txt' : 'bin'}`), body, { mode: i % 50 === 0 ? 0o4755 : 0o644 });
  }
  writeFileSync(join(TREE, '.complete'), '');
}

async function bundleBuilder() {
  const out = join(DIR, 'fstgz-bench.mjs');
  await build({
    stdin: {
      contents: `import { buildFsTgz } from './src/compile/fstgz.ts';
        const [fsDir, out, level] = process.argv.slice(2);
        const r = await buildFsTgz({ fsDir, out, level: Number(level) });
        console.log(JSON.stringify({ ...r, maxRSS: process.resourceUsage().maxRSS }));`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);",
    },
  });
  return out;
}

/** Runs a command under /usr/bin/time: wall seconds and peak RSS (KiB) of the process tree's largest. */
function timed(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [wall, rssKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, rssMb: rssKb / 1024, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function best(runs) {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian package "time")');
  mkdirSync(OUT, { recursive: true });
  generate();
  const builder = await bundleBuilder();
  const bytes = Number(
    execFileSync('du', ['-sb', '--exclude=.complete', TREE], { encoding: 'utf8' }).split('\t')[0],
  );
  // Warm the page cache so that every contender reads from memory.
  execFileSync('sh', ['-c', `find "${TREE}" -type f -exec cat {} + >/dev/null`]);

  const gz = `gzip -${LEVEL}`;
  const contenders = [
    {
      name: `GNU tar -czf (gzip -${LEVEL})`,
      run: () => timed('tar', ['-I', gz, '-cf', join(OUT, 'tar.tgz'), '-C', TREE, '.']),
      out: 'tar.tgz',
    },
    {
      name: `GNU tar, reproducible (--sort=name --owner=0 --mtime=@0, gzip -n -${LEVEL})`,
      run: () =>
        timed('tar', [
          '-I',
          `${gz} -n`,
          '--sort=name',
          '--owner=0',
          '--group=0',
          '--numeric-owner',
          '--mtime=@0',
          '-cf',
          join(OUT, 'tar-repro.tgz'),
          '-C',
          TREE,
          '.',
        ]),
      out: 'tar-repro.tgz',
    },
    {
      name: `amibake fs.tgz (tar-stream + zlib level ${LEVEL})`,
      run: () => {
        const r = timed(process.execPath, [builder, TREE, join(OUT, 'amibake.tgz'), String(LEVEL)]);
        const own = JSON.parse(r.stdout);
        return { ...r, entries: own.entries, ownRssMb: own.maxRSS / 1024 };
      },
      out: 'amibake.tgz',
    },
  ];

  // Interleaved (A B C, A B C, ...) so that a busy neighbour slows every contender alike.
  const runs = contenders.map(() => []);
  for (let i = 0; i < RUNS; i++) contenders.forEach((c, j) => runs[j].push(c.run()));
  const results = contenders.map((c, j) => ({
    ...c,
    ...best(runs[j]),
    median: median(runs[j].map((r) => r.wall)),
    size: statSync(join(OUT, c.out)).size,
  }));
  const ours = results.at(-1);
  const listed = execFileSync('sh', ['-c', `tar -tzf "${join(OUT, 'amibake.tgz')}" | wc -l`], {
    encoding: 'utf8',
  });
  if (Number(listed) !== ours.entries)
    throw new Error(`GNU tar lists ${listed.trim()} entries, expected ${ours.entries}`);

  const line = (cols) => `| ${cols.join(' | ')} |`;
  console.log(
    `\nfs.tgz benchmark: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${FILES} files (half random, half text), ` +
      `gzip level ${LEVEL}, best and median of ${RUNS} interleaved runs; node ${process.version}, ${cpus().length} CPUs (${cpus()[0].model.trim()}), ` +
      `${execFileSync('tar', ['--version'], { encoding: 'utf8' }).split('\n')[0]}\n`,
  );
  console.log(
    line(['tool', 'best wall (s)', 'median wall (s)', 'MiB/s (best)', 'peak RSS (MB)', 'fs.tgz (MiB)']),
  );
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const r of results)
    console.log(
      line([
        r.name,
        r.wall.toFixed(2),
        r.median.toFixed(2),
        (bytes / 2 ** 20 / r.wall).toFixed(0),
        r.rssMb.toFixed(0),
        (r.size / 2 ** 20).toFixed(1),
      ]),
    );
  const tar = results[0];
  const ok = ours.wall <= tar.wall && ours.median <= tar.median && ours.rssMb < 150;
  console.log(
    `\namibake vs GNU tar -czf: ${(ours.wall / tar.wall).toFixed(2)}x the time (best), ${(ours.median / tar.median).toFixed(2)}x (median); ` +
      `vs reproducible GNU tar: ${(ours.wall / results[1].wall).toFixed(2)}x (best); peak RSS ${ours.rssMb.toFixed(0)} MB ` +
      `(node's own maxRSS ${ours.ownRssMb.toFixed(0)} MB). Targets: no slower than GNU tar, under 150 MB: ${ok ? 'met' : 'NOT met'}`,
  );
  if (process.env.BENCH_KEEP !== '1') rmSync(OUT, { recursive: true, force: true });
}

await main();
