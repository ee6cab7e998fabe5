/**
 * Bundles of the current source, built with esbuild the way scripts/bundle.mjs builds dist/ with ncc
 * (ESM for Node 20, guest scripts as text), for tests that run a front as a process without
 * depending on a rebuilt dist/.
 */
import { build, type Metafile } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Some bundled packages are CommonJS and call require(): ESM output needs one. */
const REQUIRE_BANNER =
  "import { createRequire as __amibakeCreateRequire } from 'node:module';\nconst require = __amibakeCreateRequire(import.meta.url);";

/**
 * Bundles `entries` (output name -> source path, relative to the repository) into `outdir`. With
 * `splitting`, what an entry imports lazily becomes chunks of its own, as with ncc. Returns
 * esbuild's metafile: which sources each output file holds.
 */
export async function bundleSource(
  entries: Record<string, string>,
  outdir: string,
  opts: { splitting?: boolean } = {},
): Promise<Metafile> {
  const { metafile } = await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: opts.splitting ?? false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    loader: { '.sh': 'text' },
    logLevel: 'warning',
    metafile: true,
    banner: { js: REQUIRE_BANNER },
  });
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
  return metafile;
}
