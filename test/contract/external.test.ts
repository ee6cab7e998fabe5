/**
 * The external contract, snapshotted: what workflows, scripts and AWS accounts already rely on.
 * Read from the outside (the action.yml files, the CLI bundle as a user runs it, the tag keys and
 * variable names as literals in the source, the status table in the docs), so that moving code
 * around cannot change it unnoticed. `UPDATE_CONTRACT=1 npm test -- test/contract` rewrites the
 * snapshot: a change to it is a change users see, and belongs in CHANGELOG.md.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DISK_VARS } from '../../src/compile/vars.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SNAPSHOT = join(ROOT, 'test', 'contract', 'external.json');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');

interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, unknown>;
  runs: Record<string, unknown>;
}

function action(dir: string) {
  const yml = parse(readFileSync(join(ROOT, dir, 'action.yml'), 'utf8')) as ActionYml;
  const inputs = Object.fromEntries(
    Object.entries(yml.inputs ?? {}).map(([k, v]) => [
      k,
      { required: Boolean(v.required), ...(v.default === undefined ? {} : { default: String(v.default) }) },
    ]),
  );
  return { inputs, outputs: Object.keys(yml.outputs ?? {}).sort(), runs: yml.runs };
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return ext.test(name) ? [path] : [];
  });
}

/** Every string literal of the source matching `re` (group 1), sorted and unique. */
function literals(re: RegExp): string[] {
  const found = new Set<string>();
  for (const file of files(join(ROOT, 'src'), /\.(ts|sh)$/))
    for (const m of readFileSync(file, 'utf8').matchAll(re)) found.add(m[1]);
  return [...found].sort();
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return r;
}

function varsKeys(
  example: string,
  env: NodeJS.ProcessEnv = {},
  source = join(ROOT, 'examples', example),
): string[] {
  const out = join(mkdtempSync(join(tmpdir(), 'amibake-contract-')), 'out');
  const r = cli(['prepare', source, out], env);
  if (r.status !== 0) throw new Error(`prepare ${example}: ${r.stderr}`);
  return readFileSync(join(out, 'vars.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => l.slice(0, l.indexOf('=')))
    .sort();
}

/** A copy of an example with a script/test.sh. */
function withTestSh(example: string): string {
  const src = join(mkdtempSync(join(tmpdir(), 'amibake-contract-src-')), example);
  cpSync(join(ROOT, 'examples', example), src, { recursive: true });
  writeFileSync(join(src, 'script/test.sh'), '#!/bin/sh\ntrue\n');
  return src;
}

/** Exit status of `amibake prepare` interrupted while compile.sh runs. */
async function interrupted(signal: 'SIGINT' | 'SIGTERM'): Promise<number | null> {
  const src = mkdtempSync(join(tmpdir(), 'amibake-contract-src-'));
  writeFileSync(join(src, 'ami.env'), 'NAME=contract\nVERSION=1\n');
  spawnSync('mkdir', ['-p', join(src, 'script')]);
  writeFileSync(join(src, 'script', 'compile.sh'), 'echo compiling\nsleep 30\n');
  const child = spawn(process.execPath, [CLI, 'prepare', src, join(src, 'out')], { stdio: 'pipe' });
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('compiling')) resolve();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes('compiling')) resolve();
    });
  });
  child.kill(signal);
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
}

/** The guest's install status table (docs: "| Status | Meaning |"). */
function guestStatuses(): Record<string, string> {
  const docs = [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/)];
  for (const file of docs) {
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('| Status | Meaning |');
    if (at < 0) continue;
    const rows = text.slice(at).split('\n').slice(2);
    const table: Record<string, string> = {};
    for (const row of rows) {
      const m = /^\| (\d+) \| (.*) \|$/.exec(row);
      if (!m) break;
      table[m[1]] = m[2];
    }
    return table;
  }
  throw new Error('no "| Status | Meaning |" table in README.md or docs/');
}

async function contract() {
  return {
    actions: { 'action-prepare': action('action-prepare'), 'action-build': action('action-build') },
    variables: literals(/['"`](BUILDAMI_[A-Z0-9_]+|AWSREGION|S3URL)['"`]/g),
    tagKeys: literals(/['"`](amibake:[a-z0-9-]+)['"`]/g),
    varsEnv: {
      inline: varsKeys('web-server'),
      external: varsKeys('big-payload', { S3URL: 's3://contract-bucket/amibake/fs.tgz' }),
      withTest: varsKeys('web-server', {}, withTestSh('web-server')),
      // What `prepare --disk` adds (a VM bake: the VM suite checks the file, test/vm/disk-prepare).
      diskAdds: Object.values(DISK_VARS).sort(),
    },
    exitCodes: {
      noCommand: cli([]).status,
      help: cli(['--help']).status,
      unknownCommand: cli(['nonsense']).status,
      prepareMissingSource: cli(['prepare', join(tmpdir(), 'amibake-contract-absent'), join(tmpdir(), 'x')])
        .status,
      buildWithoutOptions: cli(['build', join(tmpdir(), 'amibake-contract-absent.gz')]).status,
      prepareSigint: await interrupted('SIGINT'),
      prepareSigterm: await interrupted('SIGTERM'),
    },
    guestStatuses: guestStatuses(),
  };
}

describe('external contract', () => {
  test('is unchanged (action.yml, variables, vars.env keys, exit codes, tag keys, guest statuses)', async () => {
    const now = await contract();
    if (process.env.UPDATE_CONTRACT) writeFileSync(SNAPSHOT, JSON.stringify(now, null, 2) + '\n');
    const then = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as unknown;
    expect(now).toEqual(then);
  }, 60_000);
});
