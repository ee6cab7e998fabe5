// Benchmark of `amibake prepare` as a user runs it: the whole command (a CLI bundle built from the
// working tree by scripts/bundle.mjs, the bundler of dist/, into a temporary folder), and its
// archive stage alone (buildFsTgz, src/compile/fstgz.ts), against `tar -czf` and pigz (when
// installed) on the same generated tree at the same gzip level. Interleaved runs (A B C D, A B C D,
// ...) so that a busy neighbour slows every contender alike; each run is a separate process under
// /usr/bin/time (wall time, peak RSS); ratios to tar -czf are taken run by run, medians quoted.
//
//   npm run bench:prepare                            # ~1 GiB in 20,000 files under $TMPDIR/amibake-bench
//   BENCH_MB=256 BENCH_FILES=4000 npm run bench:prepare
//
// The source: fs/ (half random, half text), ami.env, no compile.sh, S3URL set: fs.tgz goes external.
// Targets (issue 12): the whole prepare at most 0.6x tar -czf's wall time for 1 GiB in 20,000 files,
// 0.75x for 256 MiB in 4,000, under 150 MB peak RSS.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleTs } from './bundle-ts.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 1024);
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const LEVEL = Number(process.env.BENCH_LEVEL ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'amibake-bench');
const SOURCE = join(DIR, `source-${MB}mb-${FILES}`);
const TREE = join(SOURCE, 'fs');
const OUT = join(DIR, 'out');
const DIST = join(DIR, 'dist');

// A small deterministic generator, so that every run benchmarks the same shapes of files.
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

function generate() {
  if (existsSync(join(SOURCE, '.complete'))) return;
  rmSync(SOURCE, { recursive: true, force: true });
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
  writeFileSync(join(SOURCE, 'ami.env'), 'NAME=bench\nVERSION=1\n');
  writeFileSync(join(SOURCE, '.complete'), '');
}

/** The archive stage alone: buildFsTgz from the working tree, bundled by esbuild (seconds). */
async function bundleBuilder() {
  const out = join(DIR, 'fstgz-bench.mjs');
  return bundleTs(
    `import { buildFsTgz } from './src/compile/fstgz.ts';
        const [fsDir, out, level] = process.argv.slice(2);
        const r = await buildFsTgz({ fsDir, out, level: Number(level) });
        console.log(JSON.stringify({ ...r, maxRSS: process.resourceUsage().maxRSS }));`,
    ROOT,
    out,
  );
}

/** The CLI as dist/ would hold it, from the working tree: BENCH_CLI=path skips the build (e.g.
 *  BENCH_CLI=dist/cli/index.js to time the committed bundle). */
function bundleCli() {
  if (process.env.BENCH_CLI) return resolve(process.env.BENCH_CLI);
  console.error(`bundling the CLI from the working tree into ${DIST} (scripts/bundle.mjs, ncc) ...`);
  execFileSync(process.execPath, ['scripts/bundle.mjs', `--out=${DIST}`, 'cli'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return join(DIST, 'cli', 'index.js');
}

/** Runs a command under /usr/bin/time: wall seconds and peak RSS (MB) of the process tree's largest. */
function timed(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const [wall, rssKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, rssMb: rssKb / 1024, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian package "time")');
  mkdirSync(OUT, { recursive: true });
  generate();
  const builder = await bundleBuilder();
  const cli = bundleCli();
  const bytes = Number(execFileSync('du', ['-sb', TREE], { encoding: 'utf8' }).split('\t')[0]);
  // Warm the page cache so that every contender reads from memory.
  execFileSync('sh', ['-c', `find "${TREE}" -type f -exec cat {} + >/dev/null`]);

  const target = join(OUT, 'prepared');
  const contenders = [
    {
      name: `tar -czf (GNU tar, gzip -${LEVEL})`,
      run: () => timed('tar', ['-I', `gzip -${LEVEL}`, '-cf', join(OUT, 'tar.tgz'), '-C', TREE, '.']),
    },
    ...(has('pigz')
      ? [
          {
            name: `tar + pigz -${LEVEL} (${cpus().length} threads)`,
            run: () => timed('tar', ['-I', `pigz -${LEVEL}`, '-cf', join(OUT, 'pigz.tgz'), '-C', TREE, '.']),
          },
        ]
      : []),
    {
      name: '`amibake prepare` (whole command)',
      run: () =>
        timed(process.execPath, [cli, 'prepare', SOURCE, target], {
          AWSREGION: 'eu-west-1',
          S3URL: 's3://amibake-bench/fs.tgz',
        }),
      prepare: true,
    },
    {
      name: 'amibake archive stage alone (buildFsTgz)',
      run: () => timed(process.execPath, [builder, TREE, join(OUT, 'amibake.tgz'), String(LEVEL)]),
    },
  ];

  const load = [loadavg()];
  const runs = contenders.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    contenders.forEach((c, j) => runs[j].push(c.run()));
    load.push(loadavg());
  }
  // What prepare wrote is an archive GNU tar and gunzip read, holding every file of the tree.
  const tgz = join(target, 'fs.tgz');
  execFileSync('gzip', ['-t', tgz]);
  const listed = Number(
    execFileSync('sh', ['-c', `tar -tzf "${tgz}" | grep -vc '/$'`], { encoding: 'utf8' }),
  );
  if (listed !== FILES)
    throw new Error(`GNU tar lists ${listed} files in prepare's fs.tgz, expected ${FILES}`);

  const tar = runs[0];
  const line = (cols) => `| ${cols.join(' | ')} |`;
  const load1 = load.map((l) => l[0].toFixed(1));
  console.log(
    `\nprepare benchmark: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${FILES} files (half random, half text, no compile.sh, ` +
      `external fs.tgz), gzip level ${LEVEL}, ${RUNS} interleaved runs; node ${process.version}, ${cpus().length} CPUs ` +
      `(${cpus()[0].model.trim()}), ${execFileSync('tar', ['--version'], { encoding: 'utf8' }).split('\n')[0]}; ` +
      `load average (1 min) before and after each round: ${load1.join(', ')}\n`,
  );
  console.log(
    line([
      'command',
      'median wall (s)',
      'min-max wall (s)',
      'x tar -czf (median of pairs)',
      'median peak RSS (MB)',
    ]),
  );
  console.log(line(['---', '---:', '---:', '---:', '---:']));
  const ratios = [];
  contenders.forEach((c, j) => {
    const walls = runs[j].map((r) => r.wall);
    const ratio = median(runs[j].map((r, i) => r.wall / tar[i].wall));
    ratios.push(ratio);
    console.log(
      line([
        c.name,
        median(walls).toFixed(2),
        `${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)}`,
        ratio.toFixed(2),
        median(runs[j].map((r) => r.rssMb)).toFixed(0),
      ]),
    );
  });
  const p = contenders.findIndex((c) => c.prepare);
  const budget = MB >= 1024 ? 0.6 : 0.75;
  const rss = Math.max(...runs[p].map((r) => r.rssMb));
  const sizes = { fsTgz: statSync(tgz).size, tar: statSync(join(OUT, 'tar.tgz')).size };
  console.log(
    `\nwhole prepare: ${ratios[p].toFixed(2)}x tar -czf's wall time (target at most ${budget}x), ` +
      `highest peak RSS ${rss.toFixed(0)} MB (target under 150): ${ratios[p] <= budget && rss < 150 ? 'met' : 'NOT met'}; ` +
      `fs.tgz ${(sizes.fsTgz / 2 ** 20).toFixed(1)} MiB, tar -czf's ${(sizes.tar / 2 ** 20).toFixed(1)} MiB` +
      (has('pigz') ? '' : '; pigz is not installed (apt-get install pigz) and was left out'),
  );
  if (process.env.BENCH_KEEP !== '1') rmSync(OUT, { recursive: true, force: true });
}

await main();
