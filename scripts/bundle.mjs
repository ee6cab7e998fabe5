// Bundles each entry point into dist/<entry>/index.js (ESM, shared chunks in dist/chunks).
// With --check it bundles into a temporary folder and fails when dist/ differs: dist/ is committed
// because the runner executes it straight from the repository, so it must match the source.
import { build } from 'esbuild';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ENTRIES = ['prepare', 'build', 'build-post', 'cli'];
const check = process.argv.includes('--check');
const outdir = check ? await mkdtemp(join(tmpdir(), 'amibake-dist-')) : 'dist';

if (!check) await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: Object.fromEntries(ENTRIES.map((e) => [`${e}/index`, `src/${e}/index.ts`])),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  loader: { '.sh': 'text' },
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __amibakeCreateRequire } from 'node:module';\nconst require = __amibakeCreateRequire(import.meta.url);",
  },
});
// The CLI is run directly through package.json "bin".
const cli = join(outdir, 'cli/index.js');
await writeFile(cli, '#!/usr/bin/env node\n' + (await readFile(cli, 'utf8')));
// writeFile's mode applies only to new files, and esbuild has already created this one.
await chmod(cli, 0o755);
await writeFile(join(outdir, 'package.json'), '{ "type": "module" }\n');

if (check) {
  const list = async (dir) =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile())
      .map((d) => relative(dir, join(d.parentPath, d.name)))
      .sort();
  const [fresh, committed] = [await list(outdir), await list('dist').catch(() => [])];
  const problems = [];
  for (const f of new Set([...fresh, ...committed])) {
    if (!fresh.includes(f)) problems.push(`dist/${f} is not produced by the source any more`);
    else if (!committed.includes(f)) problems.push(`dist/${f} is missing`);
    else if (!(await readFile(join(outdir, f))).equals(await readFile(join('dist', f))))
      problems.push(`dist/${f} differs from a fresh build`);
    else if (((await stat(join(outdir, f))).mode & 0o111) !== ((await stat(join('dist', f))).mode & 0o111))
      problems.push(`dist/${f} has other permissions than a fresh build`);
  }
  await rm(outdir, { recursive: true, force: true });
  if (problems.length) {
    console.error(problems.join('\n') + '\ndist/ is stale: run `npm run build` and commit dist/.');
    process.exit(1);
  }
  console.log('dist/ matches the source');
}
