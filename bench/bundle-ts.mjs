// Shared by the bench scripts: TypeScript of the working tree (src/, test/support) bundled by
// esbuild into one ES module that node runs as is, so a bench measures the source, not dist/.
import { build } from 'esbuild';

/** Bundles `contents` (imports resolved from `resolveDir`) into `outfile`. */
export async function bundleTs(contents, resolveDir, outfile, logLevel = 'warning') {
  await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel,
    // Bundled CommonJS dependencies call require: give the ES module one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);",
    },
  });
  return outfile;
}
