/**
 * The two fronts of prepare. The CLI and the action run as bundles, the way a shell and the runner
 * start them (INPUT_* variables, GITHUB_OUTPUT); the artifact upload needs GitHub's artifact service,
 * so the successful action run happens in-process with @actions/artifact mocked here (what the
 * upload asks for); test/artifact runs the real client against a local results service.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runAction, runInProcess as runStep, startAction, startCli } from '../support/runner.js';
import { bundleSource } from '../support/bundle.js';
import { readWithCloudInit } from '../support/cloudinit.js';
import { makeSource, tempDir } from './helpers.js';

// Real processes (tar, sh, python3, node bundles) on a CI machine that runs every suite at once.
jest.setTimeout(60_000);

const uploads: { name: string; files: string[]; root: string; options: unknown }[] = [];
jest.unstable_mockModule('@actions/artifact', () => ({
  DefaultArtifactClient: class {
    async uploadArtifact(name: string, files: string[], root: string, options: unknown) {
      uploads.push({ name, files: [...files].sort(), root, options });
      return { id: 4242, size: 1234 };
    }
  },
}));

let savedDist: string | undefined;

beforeAll(async () => {
  // Bundles built from the source under test, as scripts/bundle.mjs builds dist/.
  const outdir = tempDir('amibake-dist-');
  await bundleSource({ 'cli/index': 'src/cli/index.ts', 'prepare/index': 'src/prepare/index.ts' }, outdir, {
    splitting: true,
  });
  savedDist = process.env.AMIBAKE_DIST;
  process.env.AMIBAKE_DIST = outdir;
}, 60_000);

afterAll(() => {
  if (savedDist === undefined) delete process.env.AMIBAKE_DIST;
  else process.env.AMIBAKE_DIST = savedDist;
});

/** Whether process PID has ended (gone, or a zombie not yet reaped), polling for up to 5 s. */
async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return true;
    }
    if (state === 'Z') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('amibake prepare SOURCE TARGET', () => {
  it('prepares examples/web-server as the quick start shows, with AWSREGION from the environment', async () => {
    const target = join(tempDir(), 'out');
    const r = await startCli(['prepare', 'examples/web-server', target], {
      env: { AWSREGION: 'eu-central-1' },
    }).done;
    expect(r.stderr).toContain(`prepared amibake-web-server 1.0.0 in ${target}`);
    expect(r.code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['userdata.gz', 'vars.env']);
    expect(readFileSync(join(target, 'vars.env'), 'utf8')).toContain("AWSREGION='eu-central-1'\n");
    expect(readWithCloudInit(join(target, 'userdata.gz')).schema).toEqual([]);
  });

  it('takes S3URL from the environment for files that go external', async () => {
    const target = join(tempDir(), 'out');
    const r = await startCli(['prepare', 'examples/big-payload', target], {
      env: { S3URL: 's3://my-bucket/amibake/fs.tgz' },
    }).done;
    expect(r.code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['fs.tgz', 'userdata.gz', 'vars.env']);
    expect(readFileSync(join(target, 'vars.env'), 'utf8')).toContain("FS_MODE='external'\n");
  });

  it.each([
    [
      'an invalid option, named as the variable',
      ['examples/web-server'],
      { AWSREGION: 'tokyo' },
      /AWSREGION: "tokyo" is not an AWS region the SDK knows \(regions look like us-east-1, eu-west-3, ap-northeast-1\)/,
    ],
    [
      'files that need S3URL',
      ['examples/big-payload'],
      {},
      /^amibake prepare: S3URL: is required: the files do not fit in the user data/m,
    ],
    [
      'a source that is not a folder',
      ['no/such/source'],
      {},
      /amibake prepare: no\/such\/source: not a folder/,
    ],
  ])('fails with a clear message and writes nothing: %s', async (_n, args, env, message) => {
    const target = join(tempDir(), 'out');
    const r = await startCli(['prepare', ...args, target], { env }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(target)).toBe(false);
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    'stops compile.sh and what it started on %s, removes its temporary files, leaves TARGET as it was',
    async (sig, status) => {
      const tmp = tempDir('amibake-tmpdir-');
      const source = makeSource({
        'script/compile.sh': '#!/bin/sh\nsleep 60 &\necho $! > "$AMIBAKE_SOURCE.pid"\necho started\nwait\n',
      });
      const target = join(tempDir(), 'out');
      const cli = startCli(['prepare', source, target], { env: { TMPDIR: tmp } });
      await cli.waitForOutput(/started/);
      const sleeper = Number(readFileSync(`${source}.pid`, 'utf8'));
      cli.child.kill(sig);
      const r = await cli.done;
      expect(r.stderr).toContain(`amibake prepare: interrupted by ${sig}: compile.sh stopped`);
      expect(r.code).toBe(status);
      expect(readdirSync(tmp)).toEqual([]);
      expect(existsSync(target)).toBe(false);
      expect(await ended(sleeper)).toBe(true);
    },
  );

  it('warns when AWS credentials are in the environment', async () => {
    const target = join(tempDir(), 'out');
    const r = await startCli(['prepare', 'examples/web-server', target], {
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'do-not-print' },
    }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the prepare environment holds cloud credentials \(AWS_ACCESS_KEY_ID/);
    expect(r.stderr).not.toContain('do-not-print');
  });

  it('prints usage for a wrong number of arguments (exit 2) and for --help (exit 0)', async () => {
    const bad = await startCli(['prepare', 'only-one']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: amibake prepare [--disk [--image FILE] [--isolated]] SOURCE TARGET');
    const help = await startCli(['prepare', '--help']).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('S3URL');
    expect(help.stdout).toMatch(/--disk +also bake the root disk here/);
  });

  it('takes --image and --isolated only with --disk, and refuses unknown options (exit 2)', async () => {
    const target = join(tempDir(), 'out');
    for (const extra of [['--image', 'cloud.qcow2'], ['--isolated']]) {
      const r = await startCli(['prepare', ...extra, 'examples/web-server', target]).done;
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([
        2,
        'amibake prepare: --image and --isolated go with --disk',
      ]);
    }
    const unknown = await startCli(['prepare', '--disc', 'examples/web-server', target]).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^amibake prepare: Unknown option '--disc'/);
    expect(existsSync(target)).toBe(false);
  });

  it('prints the package version for --version and version (exit 0)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const arg of ['--version', 'version']) {
      const r = await startCli([arg]).done;
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
    }
  });
});

describe('action-prepare, as the runner starts it', () => {
  it('fails with the input named and uploads nothing on a bad source', async () => {
    const workspace = tempDir();
    const source = makeSource({ 'cloudinit/10_x.cfg': 'power_state:\n  mode: reboot\n' });
    const r = await runAction('prepare', { inputs: { source, target: 'out' }, cwd: workspace });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*cloudinit\/10_x.cfg:1: power_state is set by amibake/);
    expect(r.outputs).toEqual({});
    expect(existsSync(join(workspace, 'out'))).toBe(false);
  });

  it('stops compile.sh when the job is cancelled (SIGINT) and uploads nothing', async () => {
    const tmp = tempDir('amibake-tmpdir-');
    const source = makeSource({ 'script/compile.sh': '#!/bin/sh\necho started\nsleep 60\n' });
    const workspace = tempDir();
    const step = startAction('prepare', { inputs: { source }, cwd: workspace, env: { TMPDIR: tmp } });
    await step.waitForOutput(/started/);
    step.child.kill('SIGINT');
    const r = await step.done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::interrupted by SIGINT: compile.sh stopped');
    expect(r.outputs).toEqual({});
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(join(workspace, 'amibake-out'))).toBe(false);
  });

  it('names the input, not the variable, when an option is invalid', async () => {
    const r = await runAction('prepare', {
      inputs: { source: resolve('examples/web-server'), 's3-url': 'https://bucket/fs.tgz' },
      cwd: tempDir(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::input 's3-url': must be an S3 object URL");
  });
});

describe('action-prepare in-process (artifact service mocked)', () => {
  afterEach(() => {
    uploads.length = 0;
  });

  const runInProcess = async (
    inputs: Record<string, string>,
    opts: { env?: Record<string, string>; cwd?: string } = {},
  ) => {
    const { run } = await import('../../src/fronts/action-prepare.js');
    const r = await runStep(run, { inputs, ...opts });
    return { ...r, exitCode: r.code === 0 ? undefined : r.code };
  };

  it('uploads exactly the prepared files as the artifact and sets every output', async () => {
    const target = join(tempDir(), 'prepared');
    const source = makeSource({ 'fs/opt/blob': randomBytes(40_000) });
    const r = await runInProcess({
      source,
      target,
      's3-url': 's3://bucket/builds/fs.tgz',
      'artifact-name': 'image-files',
    });
    expect(r.exitCode).toBeUndefined();
    expect(uploads).toEqual([
      {
        name: 'image-files',
        files: ['fs.tgz', 'userdata.gz', 'vars.env'].map((f) => join(target, f)),
        root: target,
        options: { compressionLevel: 0 },
      },
    ]);
    expect(r.outputs).toEqual({
      directory: target,
      'userdata-path': join(target, 'userdata.gz'),
      'userdata-size': String(readFileSync(join(target, 'userdata.gz')).length),
      'fs-tgz-path': join(target, 'fs.tgz'),
      'fs-tgz-size': String(readFileSync(join(target, 'fs.tgz')).length),
      'fs-external': 'true',
      'vars-path': join(target, 'vars.env'),
      'test-userdata-path': '',
      'artifact-id': '4242',
    });
    expect(r.summary).toContain('amibake prepare: test-image 1.0.0');
  });

  it('with script/test.sh: uploads userdata-test.gz too and names it in test-userdata-path', async () => {
    const target = join(tempDir(), 'prepared');
    const source = makeSource({ 'fs/etc/motd': 'hi\n', 'script/test.sh': '#!/bin/sh\ntest -f /etc/motd\n' });
    const r = await runInProcess({ source, target });
    expect(r.exitCode).toBeUndefined();
    expect(uploads.map((u) => u.files)).toEqual([
      ['userdata-test.gz', 'userdata.gz', 'vars.env'].map((f) => join(target, f)),
    ]);
    expect(r.outputs['test-userdata-path']).toBe(join(target, 'userdata-test.gz'));
  });

  it('uses the defaults: target amibake-out, artifact amibake, fs inline', async () => {
    const workspace = tempDir();
    const r = await runInProcess({ source: resolve('examples/web-server') }, { cwd: workspace });
    expect(r.exitCode).toBeUndefined();
    expect(uploads.map((u) => [u.name, u.files])).toEqual([
      ['amibake', ['userdata.gz', 'vars.env'].map((f) => join(workspace, 'amibake-out', f))],
    ]);
    expect(r.outputs['fs-external']).toBe('false');
    expect(r.outputs['fs-tgz-path']).toBe('');
    expect(Number(r.outputs['fs-tgz-size'])).toBeGreaterThan(0); // inline, inside the user data
  });

  it('warns when the job holds AWS credentials or may mint an OIDC token', async () => {
    const r = await runInProcess(
      { source: resolve('examples/web-server'), target: join(tempDir(), 'out') },
      {
        env: {
          AWS_SECRET_ACCESS_KEY: 'do-not-print',
          ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token',
        },
      },
    );
    expect(r.exitCode).toBeUndefined();
    expect(r.stdout).toMatch(
      /::warning::the prepare environment holds cloud credentials \(AWS_SECRET_ACCESS_KEY, ACTIONS_ID_TOKEN_REQUEST_URL \(id-token: write\)\)/,
    );
    expect(r.stdout).not.toContain('do-not-print');
    expect(uploads).toHaveLength(1);
  });

  it('uploads nothing when prepare fails', async () => {
    const target = join(tempDir(), 'prepared');
    const r = await runInProcess({ source: makeSource({ 'fs/opt/blob': randomBytes(40_000) }), target });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("::error::input 's3-url': is required");
    expect(uploads).toEqual([]);
    expect(r.outputs).toEqual({});
    expect(existsSync(target)).toBe(false);
  });
});
