/**
 * What a bundle carries and loads. `--help` answers without loading the AWS SDK (0.1 s instead of
 * 0.4 s and 130 MB): the CLI is bundled from the source with its lazy imports as chunks of their
 * own (as ncc makes dist/cli), run with a module hook that records every file Node loads, and no
 * loaded file may hold an AWS SDK client. The post step's bundle carries only the phases that
 * recover.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleSource } from '../support/bundle.js';

jest.setTimeout(60_000);

let dir: string;
let meta: Metafile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amibake-help-'));
  meta = await bundleSource({ 'cli/index': 'src/cli/index.ts' }, join(dir, 'dist'), { splitting: true });
  // Resolution hooks run off the main thread: each resolved file is appended to the log.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, found.url + '\\n');
  return found;
}`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundle's files (relative to the bundle) that hold part of an AWS SDK client. */
function sdkFiles(): string[] {
  return Object.entries(meta.outputs)
    .filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes('node_modules/@aws-sdk/client-')))
    .map(([file]) => relative(join(dir, 'dist'), file));
}

/** The bundle's files that `amibake ARGS` loads. */
function loaded(args: string[]): { files: string[]; stdout: string } {
  const log = join(dir, `loaded-${args.join('-')}.txt`);
  writeFileSync(log, '');
  const stdout = execFileSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(dir, 'dist/cli/index.js'), ...args],
    { env: { PATH: process.env.PATH, LOADED_LOG: log }, encoding: 'utf8' },
  );
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'))
    .map((u) => relative(join(dir, 'dist'), fileURLToPath(u)))
    .filter((f) => !f.startsWith('..'));
  return { files: [...new Set(files)], stdout };
}

describe('--help loads no AWS SDK', () => {
  it('the bundle has chunks holding the SDK (what the check looks for exists)', () => {
    expect(sdkFiles().length).toBeGreaterThan(0);
    expect(sdkFiles()).not.toContain('cli/index.js');
  });

  it.each([['build'], ['sweep'], ['prepare']])('amibake %s --help', (command) => {
    const { files, stdout } = loaded([command, '--help']);
    expect(stdout).toContain(`usage: amibake ${command}`);
    // The command's own chunk was loaded through the hook: the record is not empty.
    expect(files.length).toBeGreaterThan(1);
    expect(files.filter((f) => sdkFiles().includes(f))).toEqual([]);
  });
});

describe("the post step's bundle", () => {
  it('carries the recovering phases only: no SSM client, no dry-run probes, no staging', async () => {
    const post = await bundleSource({ 'build-post/index': 'src/build-post/index.ts' }, join(dir, 'post'));
    const inputs = Object.keys(post.inputs);
    expect(inputs).toContain('src/features/bake/launch.ts');
    expect(inputs).toContain('src/features/copy/recovery.ts');
    expect(
      inputs.filter((i) =>
        /@aws-sdk\/client-ssm\/|src\/features\/(dry-run|base-ami|janitor|retention)\/|src\/features\/bake\/stage\.ts/.test(
          i,
        ),
      ),
    ).toEqual([]);
  });
});
