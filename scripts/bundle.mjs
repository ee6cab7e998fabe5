// Bundles each entry point with @vercel/ncc into one self-contained folder, dist/<entry>/: index.js
// (ESM, the package is "type": "module"; ncc writes the folder's package.json that says so), the
// numbered chunks of what the entry imports lazily (the CLI's commands, @actions/artifact), and
// licenses.txt (the licences of the bundled packages).
// With --check it bundles into a temporary folder and fails when dist/ differs: dist/ is committed
// because the runner executes it straight from the repository, so it must match the source.
//
// No source maps: dist/ is committed and every map would double it (the AWS SDK is most of each
// bundle), while ncc's output is not minified, so a stack trace already names readable functions and
// lines of dist/*/index.js.
import fs from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export const ENTRIES = ['prepare', 'build', 'build-post', 'cli'];
const check = process.argv.includes('--check');
// --out=DIR [ENTRY ...]: bundles into DIR instead (bench/prepare.mjs times the working tree's CLI so).
const outArg = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const outdir = outArg ?? (check ? await mkdtemp(join(tmpdir(), 'amibake-dist-')) : 'dist');

// Guest shell scripts are imported as text (src/text-modules.d.ts). ncc takes no webpack loader, and
// webpack parses a file of unknown extension as JavaScript: so a `.sh` file under src/ is read as
// the module `export default "<the script>"` (as test/support/text-transform.cjs does for Jest).
// JSON.stringify round-trips every character, so the script in the bundle is the file, byte for byte.
// ncc's webpack reads modules through graceful-fs, which copies fs.readFile when it loads: patch first.
const SRC = resolve('src') + '/';
const readFileOriginal = fs.readFile;
fs.readFile = function readFile(path, ...rest) {
  const file = typeof path === 'string' ? path : path instanceof URL ? path.pathname : '';
  if (!file.startsWith(SRC) || !file.endsWith('.sh')) return readFileOriginal.call(fs, path, ...rest);
  const cb = rest.pop();
  readFileOriginal.call(fs, path, 'utf8', (err, text) =>
    err ? cb(err) : cb(null, Buffer.from(`export default ${JSON.stringify(text)};\n`)),
  );
};
const ncc = createRequire(import.meta.url)('@vercel/ncc');

if (!check) await rm(outdir, { recursive: true, force: true });
for (const entry of only.length ? ENTRIES.filter((e) => only.includes(e)) : ENTRIES) {
  const { code, assets } = await ncc(resolve(`src/${entry}/index.ts`), {
    cache: false,
    quiet: true,
    license: 'licenses.txt',
    // Not transpileOnly: TypeScript alone, given the whole program, knows from tsconfig's NodeNext and
    // "type": "module" that the sources are ES modules (transpiled one by one, they become CommonJS,
    // whose require() finds no export of ESM-only packages such as @actions/core 3).
    target: 'es2022',
  });
  const dir = join(outdir, entry);
  await mkdir(dir, { recursive: true });
  // The CLI is run directly through package.json "bin".
  const cli = entry === 'cli';
  await writeFile(join(dir, 'index.js'), (cli ? '#!/usr/bin/env node\n' : '') + code);
  if (cli) await chmod(join(dir, 'index.js'), 0o755); // writeFile's mode applies only to new files
  for (const [name, { source }] of Object.entries(assets)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), source);
  }
}

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
