/**
 * The committed bundles (dist/) on the runtimes they promise: Node 24, which action.yml declares
 * (`runs.using: node24`), and the oldest Node that package.json's `engines` admits, which runs the CLI.
 * Each action entry runs the way the runner starts it (INPUT_* variables, GITHUB_OUTPUT, GITHUB_STATE,
 * GITHUB_STEP_SUMMARY files); the CLI runs as a CI job would.
 *
 * Each runtime is the Node running Jest when its major matches, else the binary named by AMIBAKE_NODE24
 * or AMIBAKE_NODE_MIN, else the copy `scripts/fetch-node.sh <major>` keeps in its cache. A runtime that
 * is missing skips its tests, except under CI=true, where it fails them.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { guestScript } from '../../src/compile/generated.js';
import { ROOT, distEntry, start, type RunResult } from '../support/runner.js';

// Whole Node processes loading multi-megabyte bundles on a shared CI machine.
jest.setTimeout(60_000);

const EXAMPLE = join(ROOT, 'examples/web-server');
const ENGINES_MIN = Number(
  />=\s*(\d+)/.exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node)![1],
);

/** Node of that major: the one running Jest, the variable's binary, or scripts/fetch-node.sh's copy. */
function nodeOf(major: number, variable: string): string | undefined {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const cache =
    process.env.NODE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'amibake/node');
  const path = process.env[variable] || join(cache, String(major), 'package/bin/node');
  return existsSync(path) ? path : undefined;
}

const RUNTIMES = [
  { label: 'Node 24 (action.yml)', major: 24, variable: 'AMIBAKE_NODE24' },
  { label: `Node ${ENGINES_MIN} (engines)`, major: ENGINES_MIN, variable: 'AMIBAKE_NODE_MIN' },
].map((r) => ({
  ...r,
  bin: nodeOf(r.major, r.variable),
  missing: `run scripts/fetch-node.sh ${r.major}, or set ${r.variable}`,
}));

function run(bin: string, entry: string, opts: Parameters<typeof start>[1]): Promise<RunResult> {
  return start([bin, distEntry(entry), ...(opts.args ?? [])], opts).done;
}

/** The guest script that a prepared userdata.gz carries (cloud-config `write_files`). */
function guestScriptIn(userdataGz: Buffer): string {
  const parts = gunzipSync(userdataGz)
    .toString('utf8')
    .split(/^--==amibake-[0-9a-f]+==/m);
  for (const part of parts) {
    const body = part
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n\n');
    if (!body.startsWith('#cloud-config')) continue;
    const files = (parse(body) as { write_files?: { path: string; content: string }[] }).write_files ?? [];
    const script = files.find((f) => f.path.endsWith('/amibake.sh'));
    if (script) return script.content;
  }
  throw new Error('no guest script in the user data');
}

const prepared: Record<string, Buffer> = {};

describe.each(RUNTIMES)('$label', ({ label, major, bin, missing }) => {
  const test = bin ? it : process.env.CI === 'true' ? it : it.skip;
  const need = (): string => {
    if (!bin) throw new Error(`${label} is not installed: ${missing}`);
    return bin;
  };

  test('is the Node it is meant to be', () => {
    expect(execFileSync(need(), ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${major}\\.`));
  });

  test('amibake --help prints the usage; no command is a usage error', async () => {
    const help = await run(need(), 'cli', { action: false, args: ['--help'] });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}amibake prepare SOURCE TARGET/);
    const none = await run(need(), 'cli', { action: false });
    expect(none.code).toBe(2);
  });

  test.each(['prepare', 'build', 'try', 'sweep'])('amibake %s --help loads the command', async (command) => {
    const r = await run(need(), 'cli', { action: false, args: [command, '--help'] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: amibake ${command}\\b`));
  });

  test('amibake prepare compiles the example', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'amibake-bundle-')), 'out');
    const r = await run(need(), 'cli', {
      action: false,
      args: ['prepare', EXAMPLE, target],
      env: { AWSREGION: 'eu-west-1' },
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(target, 'vars.env'), 'utf8')).toMatch(/^NAME='amibake-web-server'$/m);
    prepared[label] = readFileSync(join(target, 'userdata.gz'));
    // The guest script is bundled as text: it must reach the user data exactly as the source has it.
    expect(guestScriptIn(prepared[label])).toBe(guestScript());
  });

  test('action-prepare sets its outputs, then stops at the artifact upload (no results service here)', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'amibake-bundle-')), 'out');
    const r = await run(need(), 'prepare', {
      action: true,
      inputs: { source: EXAMPLE, target, 'aws-region': 'eu-west-1', 'artifact-name': 'prepared' },
      env: { ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' },
    });
    expect(r.outputs.directory).toBe(target);
    expect(r.outputs['userdata-size']).toBe(String(statSync(join(target, 'userdata.gz')).size));
    expect(r.outputs['vars-path']).toBe(join(target, 'vars.env'));
    expect(r.outputs['fs-external']).toBe('false');
    // The lazily loaded @actions/artifact chunk ran: it is what asks for the runtime token.
    expect(r.stdout).toMatch(/^::error::.*ACTIONS_RUNTIME_TOKEN/m);
    expect(r.code).toBe(1);
  });

  test('action-build reaches its first AWS call (and fails there for want of credentials)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amibake-bundle-'));
    const cli = await run(need(), 'cli', {
      action: false,
      args: ['prepare', EXAMPLE, dir],
      env: { AWSREGION: 'eu-west-1' },
    });
    expect(cli.code).toBe(0);
    const r = await run(need(), 'build', {
      action: true,
      inputs: {
        directory: dir,
        'base-ami': 'ami-0123456789abcdef0',
        'security-groups': 'sg-0123456789abcdef0',
        subnet: 'subnet-0123456789abcdef0',
      },
      env: {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_CONFIG_FILE: join(dir, 'none'),
      },
    });
    expect(r.stdout).toMatch(/^::error::.*ami-0123456789abcdef0.*credentials/m);
    expect(r.code).toBe(1);
  });

  test('action-build post step with nothing saved has nothing to clean', async () => {
    const r = await run(need(), 'build-post', { action: true });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/nothing to clean/);
  });
});

describe('the bundles', () => {
  it('prepare the same user data on every runtime', () => {
    const outputs = Object.values(prepared);
    if (outputs.length < 2) return; // a runtime was skipped (outside CI): nothing to compare
    for (const o of outputs.slice(1)) expect(o.equals(outputs[0])).toBe(true);
  });

  it('carry each guest script verbatim', () => {
    const bundled = (entry: string) =>
      readdirSync(dirname(distEntry(entry)))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(dirname(distEntry(entry)), f), 'utf8'))
        .join('\n');
    const script = (path: string) => JSON.stringify(readFileSync(join(ROOT, 'src', path), 'utf8'));
    expect(bundled('prepare')).toContain(script('compile/guest/amibake.sh'));
    expect(bundled('cli')).toContain(script('compile/guest/amibake.sh'));
    expect(bundled('cli')).toContain(script('vm/guest/base-customize.sh'));
  });
});
