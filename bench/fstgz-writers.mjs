// fs.tgz writers: today's (tar-stream + zlib, src/compile/fstgz.ts) against node-tar 7 (`tar`), on the
// same generated tree at the same gzip level, each run a separate process, interleaved (A B, A B, ...).
// node-tar is asked for what fs.tgz promises: the entries in fstgz.ts's order (byte order, depth first,
// given as the file list with noDirRecurse), exact modes (setuid, sticky), owner 0:0 named root (its
// onWriteEntry hook rewrites the stat it reads), one fixed mtime, no gzip timestamp. The script then
// compares the two archives byte for byte (gzip and tar) and names the first header field that differs.
//
//   npm run bench:fstgz-writers                   # 3,000 files, ~96 MiB, under $TMPDIR/amibake-bench-writers
//   BENCH_FILES=5000 BENCH_MB=200 BENCH_RUNS=7 npm run bench:fstgz-writers
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 96);
const FILES = Number(process.env.BENCH_FILES ?? 3000);
const LEVEL = Number(process.env.BENCH_LEVEL ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'amibake-bench-writers');
const TREE = join(DIR, `tree-${MB}mb-${FILES}`);
const OUT = join(DIR, 'out');
const MTIME = 1_700_000_000;

let seed = 7;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

function generate() {
  if (existsSync(`${TREE}.complete`)) return; // the marker stays outside the archived tree
  rmSync(TREE, { recursive: true, force: true });
  const weights = Array.from({ length: FILES }, () => Math.exp(rand() * 5 + rand() * 3));
  const scale = (MB * 2 ** 20) / weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < FILES; i++) {
    const dir = join(TREE, `usr${i % 7}`, `lib-${i % 31}`);
    mkdirSync(dir, { recursive: true });
    const size = Math.max(1, Math.round(weights[i] * scale));
    const body =
      i % 2
        ? Buffer.from(`line ${i} of a text file ${rand()}\n`.repeat(size / 30 + 1)).subarray(0, size)
        : randomBytes(size);
    writeFileSync(join(dir, `f${i}.${i % 2 ? 'txt' : 'bin'}`), body);
    chmodSync(join(dir, `f${i}.${i % 2 ? 'txt' : 'bin'}`), i % 100 === 0 ? 0o4755 : i % 3 ? 0o644 : 0o755);
  }
  // What fs.tgz must keep exactly: a sticky folder, setgid, a symlink, a name past ustar's 100 bytes.
  mkdirSync(join(TREE, 'tmp'));
  chmodSync(join(TREE, 'tmp'), 0o1777);
  writeFileSync(join(TREE, 'usr0', 'sgid-tool'), 'x');
  chmodSync(join(TREE, 'usr0', 'sgid-tool'), 0o2755);
  symlinkSync('usr0/lib-0', join(TREE, 'lib'));
  const deep = join(
    TREE,
    'opt',
    'a-rather-long-folder-name-for-a-vendor-package',
    'and-its-nested-subfolder',
  );
  mkdirSync(deep, { recursive: true });
  writeFileSync(
    join(deep, 'with-a-long-file-name-that-pushes-the-path-past-one-hundred-bytes.conf'),
    'k=v\n',
  );
  writeFileSync(`${TREE}.complete`, '');
}

/** One process per run: `node <writer> <tree> <out> <level> <mtime>`. */
async function bundleWriters() {
  const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };
  const banner = {
    js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);",
  };
  const tarStream = join(DIR, 'writer-tar-stream.mjs');
  await build({
    ...common,
    banner,
    outfile: tarStream,
    stdin: {
      contents: `import { buildFsTgz } from './src/compile/fstgz.ts';
        const [fsDir, out, level, mtime] = process.argv.slice(2);
        await buildFsTgz({ fsDir, out, level: Number(level), mtime: Number(mtime) });`,
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
  const nodeTar = join(DIR, 'writer-node-tar.mjs');
  await build({
    ...common,
    banner,
    outfile: nodeTar,
    stdin: {
      // The file list in fstgz.ts's order (byte order of names, depth first, folders first).
      contents: `import { create } from 'tar';
        import { readdirSync, lstatSync } from 'node:fs';
        import { join } from 'node:path';
        const [fsDir, out, level, mtime] = process.argv.slice(2);
        const list = [];
        const walk = (rel) => {
          for (const raw of readdirSync(rel ? join(fsDir, rel) : fsDir, { encoding: 'buffer' }).sort(Buffer.compare)) {
            const r = rel ? rel + '/' + raw.toString() : raw.toString();
            list.push(r);
            if (lstatSync(join(fsDir, r)).isDirectory()) walk(r);
          }
        };
        walk('');
        const when = new Date(Number(mtime) * 1000);
        await create(
          {
            file: out,
            cwd: fsDir,
            gzip: { level: Number(level) },
            noDirRecurse: true,
            mtime: when,
            onWriteEntry(e) {
              // owner root:root whatever the owner on disk; uname comes from (myuid, myuser)
              e.stat.uid = 0; e.stat.gid = 0; e.myuid = 0; e.myuser = 'root';
              e.stat.atime = when; e.stat.ctime = when;
            },
          },
          list,
        );`,
      resolveDir: ROOT,
      loader: 'js',
    },
  });
  return { tarStream, nodeTar };
}

function timed(script, out) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, script, TREE, out, String(LEVEL), String(MTIME)],
    {
      encoding: 'utf8',
    },
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return { wall, rssMb: Number(r.stderr.trim().split('\n').at(-1)) / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const FIELDS = [
  ['name', 0, 100],
  ['mode', 100, 8],
  ['uid', 108, 8],
  ['gid', 116, 8],
  ['size', 124, 12],
  ['mtime', 136, 12],
  ['checksum', 148, 8],
  ['type', 156, 1],
  ['linkname', 157, 100],
  ['magic', 257, 6],
  ['version', 263, 2],
  ['uname', 265, 32],
  ['gname', 297, 32],
  ['devmajor', 329, 8],
  ['devminor', 337, 8],
  ['prefix', 345, 155],
];

/** The 512-byte headers of a tar stream (pax headers included). */
function headers(t) {
  const out = [];
  for (let o = 0; o + 512 <= t.length;) {
    const h = t.subarray(o, o + 512);
    if (h.every((x) => x === 0)) break;
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0/g, '').trim() || '0', 8);
    out.push(h);
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** A header field, its runs of NUL bytes counted: "root" then 28 NULs is root\0×28. */
const show = (field) =>
  JSON.stringify(field.toString('latin1')).replace(/(\\u0000)+/g, (m) => `\\0×${m.length / 6}`);

/** Which header fields differ, in how many headers, with the first example of each. */
function headerDifferences(a, b) {
  const [ha, hb] = [headers(a), headers(b)];
  const diffs = new Map();
  if (ha.length !== hb.length) diffs.set('entry count', { n: 1, example: `${ha.length} and ${hb.length}` });
  for (let i = 0; i < Math.min(ha.length, hb.length); i++)
    for (const [name, o, l] of FIELDS) {
      const [x, y] = [ha[i].subarray(o, o + l), hb[i].subarray(o, o + l)];
      if (x.equals(y)) continue;
      const d = diffs.get(name) ?? { n: 0, example: `${show(x)}, node-tar ${show(y)}` };
      d.n++;
      diffs.set(name, d);
    }
  return [...diffs].map(
    ([name, d]) => `  ${name}: ${d.n} of ${ha.length} headers, e.g. tar-stream ${d.example}`,
  );
}

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (Debian package "time")');
  mkdirSync(OUT, { recursive: true });
  generate();
  const { tarStream, nodeTar } = await bundleWriters();
  const bytes = Number(execFileSync('du', ['-sb', TREE], { encoding: 'utf8' }).split('\t')[0]);
  execFileSync('sh', ['-c', `find "${TREE}" -type f -exec cat {} + >/dev/null`]);
  const contenders = [
    {
      name: 'tar-stream + zlib (today, src/compile/fstgz.ts)',
      script: tarStream,
      out: join(OUT, 'tar-stream.tgz'),
    },
    { name: 'node-tar 7 (tar.create, gzip)', script: nodeTar, out: join(OUT, 'node-tar.tgz') },
  ];
  timed(tarStream, contenders[0].out); // warm-up of node and the page cache
  timed(nodeTar, contenders[1].out);
  const runs = contenders.map(() => []);
  for (let i = 0; i < RUNS; i++) contenders.forEach((c, j) => runs[j].push(timed(c.script, c.out)));

  const [a, b] = contenders.map((c) => readFileSync(c.out));
  const [ta, tb] = [gunzipSync(a), gunzipSync(b)];
  const listing = (f) =>
    execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', f], { encoding: 'utf8' });
  const [la, lb] = contenders.map((c) => listing(c.out));
  const line = (cols) => `| ${cols.join(' | ')} |`;
  console.log(
    `\nfs.tgz writers: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${FILES} files, gzip level ${LEVEL}, ${RUNS} interleaved runs ` +
      `after a warm-up; node ${process.version}, ${cpus().length} CPUs (${cpus()[0].model.trim()})\n`,
  );
  console.log(
    line([
      'writer',
      'median wall (s)',
      'min wall (s)',
      'max wall (s)',
      'median peak RSS (MB)',
      'fs.tgz (bytes)',
    ]),
  );
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:']));
  contenders.forEach((c, j) => {
    const w = runs[j].map((r) => r.wall);
    console.log(
      line([
        c.name,
        median(w).toFixed(2),
        Math.min(...w).toFixed(2),
        Math.max(...w).toFixed(2),
        median(runs[j].map((r) => r.rssMb)).toFixed(0),
        String(readFileSync(c.out).length),
      ]),
    );
  });
  const ratios = runs[1].map((r, i) => r.wall / runs[0][i].wall);
  console.log(
    `\nnode-tar / tar-stream wall, pair by pair: median ${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
  );
  console.log(
    `fs.tgz identical: ${a.equals(b)}; tar streams identical: ${ta.equals(tb)}; GNU tar listings identical: ${la === lb}`,
  );
  if (!ta.equals(tb)) console.log(`header fields that differ:\n${headerDifferences(ta, tb).join('\n')}`);
  if (la !== lb) {
    const [xa, xb] = [la.split('\n'), lb.split('\n')];
    const k = xa.findIndex((l, i) => l !== xb[i]);
    console.log(`first listing difference:\n  tar-stream: ${xa[k]}\n  node-tar:   ${xb[k]}`);
  }
}

await main();
