/** Configuration resolved before any AWS call: names, defaults from vars.env, region, run id,
 *  and the console delta the install log is streamed with. */
import { describe, expect, test } from '@jest/globals';
import { configuredRegion } from '../../src/aws/clients.js';
import { bakeDigest, resolveConfig, runIdFrom } from '../../src/features/bake/config.js';
import { consoleDelta, consoleResult, parseResult } from '../../src/features/bake/console.js';
import { buildRegion } from '../../src/features/bake/location.js';
import { loadPrepared } from '../../src/features/bake/prepared.js';
import { cliSource } from '../../src/core/options.js';
import { named } from '../../src/core/errors.js';
import { namesFor, readOptions } from '../../src/pipeline/options.js';
import { main as cliBuild } from '../../src/fronts/cli-build.js';
import { summaryRows } from '../../src/features/bake/report.js';
import type { BakeResult } from '../../src/features/bake/context.js';
import { makePrepared } from './fixture.js';

const base = {
  BUILDAMI_BASEAMI: 'ami-0123456789abcdef0',
  BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
  BUILDAMI_SECURITYGROUPS: 'sg-0123456789abcdef0',
};

async function config(env: Record<string, string>, fixture: Parameters<typeof makePrepared>[0] = {}) {
  const f = await makePrepared(fixture);
  const prepared = await loadPrepared(f.userdataPath);
  const opts = readOptions('build', cliSource({ ...base, ...env }));
  try {
    return resolveConfig(opts, prepared, { region: 'eu-west-1', env: {}, trustArtifactLocation: true });
  } catch (err) {
    // As the CLI says it: the options by their variables.
    throw named(err, namesFor('cli', 'build'));
  }
}

describe('resolveConfig', () => {
  test('NAME and VERSION from vars.env; the AMI is NAME-VERSION; staging from S3URL', async () => {
    const cfg = await config({}, { name: 'web', version: '2.1', s3Url: 's3://bkt/p/fs.tgz' });
    expect(cfg.amiName).toBe('web-2.1');
    expect(cfg.description).toBe('web 2.1 (baked by amibake)');
    expect(cfg.staging).toEqual({ bucket: 'bkt', key: 'p/fs.tgz', url: 's3://bkt/p/fs.tgz' });
    expect(cfg.s3Region).toBe('eu-west-1');
    expect(cfg.timeoutInstance).toBe(1800);
    expect(cfg.timeoutAmi).toBe(3600);
  });

  test("the description: the option, else ami.env's DESCRIPTION", async () => {
    const fixture = { extraVars: { DESCRIPTION: 'Static web server' } };
    expect((await config({}, fixture)).description).toBe('Static web server');
    expect((await config({ BUILDAMI_TARGETDESCRIPTION: 'mine' }, fixture)).description).toBe('mine');
  });

  test('options win over vars.env', async () => {
    const cfg = await config({
      BUILDAMI_TARGETNAME: 'other',
      BUILDAMI_TARGETVERSION: '9',
      BUILDAMI_S3URL: 's3://bk2/k',
      BUILDAMI_S3REGION: 'us-west-2',
    });
    expect(cfg.amiName).toBe('other-9');
    expect(cfg.staging?.bucket).toBe('bk2');
    expect(cfg.s3Region).toBe('us-west-2');
  });

  test('BUILDAMI_S3URL set: an S3URL of vars.env that names another location is refused, naming both', async () => {
    await expect(config({ BUILDAMI_S3URL: 's3://bk2/k' }, { s3Url: 's3://bkt/p/fs.tgz' })).rejects.toThrow(
      /vars\.env: S3URL s3:\/\/bkt\/p\/fs\.tgz is not BUILDAMI_S3URL s3:\/\/bk2\/k: refused/,
    );
    const same = await config({ BUILDAMI_S3URL: 's3://bkt/p/fs.tgz' }, { s3Url: 's3://bkt/p/fs.tgz' });
    expect(same.staging?.url).toBe('s3://bkt/p/fs.tgz');
  });

  test('an AMI name AWS would refuse is an error naming the option', async () => {
    await expect(config({ BUILDAMI_TARGETVERSION: 'v1{x}' })).rejects.toThrow(
      /BUILDAMI_TARGETNAME: the AMI name "web-server-v1\{x\}" \(name-version\) must be/,
    );
    await expect(
      config({ BUILDAMI_TARGETNAME: 'x'.repeat(125), BUILDAMI_TARGETVERSION: '1.0.0' }),
    ).rejects.toThrow(/must be 3 to 128/);
  });

  test('the digest depends on every input and on nothing else', () => {
    const a = bakeDigest({ prepared: 'p', 'base-ami': 'ami-1' });
    expect(bakeDigest({ 'base-ami': 'ami-1', prepared: 'p' })).toBe(a);
    expect(bakeDigest({ prepared: 'p', 'base-ami': 'ami-2' })).not.toBe(a);
  });
});

describe('run id (tag amibake:run)', () => {
  test('GitHub run and attempt, Jenkins BUILD_TAG, else generated', () => {
    expect(runIdFrom({ GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '3' })).toBe('123-3');
    expect(runIdFrom({ BUILD_TAG: 'jenkins-ami-42' })).toBe('jenkins-ami-42');
    expect(runIdFrom({})).toMatch(/^cli-\d{8}T\d{6}-[0-9a-f]{6}$/);
  });
});

describe('region', () => {
  const clean = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  const withEnv = async <T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> => {
    const saved = { ...process.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    Object.assign(process.env, clean, env);
    try {
      return await fn();
    } finally {
      process.env = saved;
    }
  };

  test('the build region: AWS_REGION, then AWS_DEFAULT_REGION; vars.env only when trusted and unset', async () => {
    const f = await makePrepared({ region: 'ap-northeast-1' });
    const prepared = await loadPrepared(f.userdataPath);
    const cli = { front: 'cli' as const, trustArtifactLocation: true };
    const action = { front: 'action' as const, trustArtifactLocation: false };
    expect(await withEnv({ AWS_REGION: 'eu-west-3' }, async () => (await configuredRegion())!.region)).toBe(
      'eu-west-3',
    );
    const fromDefault = await withEnv({ AWS_DEFAULT_REGION: 'eu-north-1' }, () =>
      configuredRegion(process.env),
    );
    expect(fromDefault).toEqual({ region: 'eu-north-1', from: 'AWS_DEFAULT_REGION' });
    expect(await withEnv({}, () => configuredRegion(process.env))).toBeUndefined();
    // Unset: the CLI takes vars.env's AWSREGION, the action refuses to.
    expect(buildRegion(undefined, prepared, cli)).toBe('ap-northeast-1');
    expect(() => buildRegion(undefined, prepared, action)).toThrow(
      /no AWS region: set AWS_REGION .*never takes its region from vars\.env \(AWSREGION ap-northeast-1\)/,
    );
    // Set and the same: fine on both fronts. Set and different: refused on both, naming both.
    const own = { region: 'ap-northeast-1', from: 'AWS_REGION' };
    expect(buildRegion(own, prepared, action)).toBe('ap-northeast-1');
    for (const policy of [cli, action])
      expect(() => buildRegion({ region: 'us-east-1', from: 'AWS_REGION' }, prepared, policy)).toThrow(
        /vars\.env: AWSREGION ap-northeast-1 is not the build's region us-east-1 \(AWS_REGION\): refused/,
      );
  });
});

describe('console', () => {
  test('the delta of a moving 64 KB window', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}\n`).join('');
    const first = lines.slice(0, 6000);
    const second = lines.slice(2000, 9000); // the window moved and grew
    expect(first + consoleDelta(first, second)).toBe(lines.slice(0, 9000));
    expect(consoleDelta('', 'abc')).toBe('abc');
    expect(consoleDelta('abc\n', 'abc\n')).toBe('');
  });

  test('results: the uploaded body, and the last console line', () => {
    expect(parseResult('status=0\n')).toBe(0);
    expect(parseResult('status=12')).toBe(12);
    expect(parseResult('garbage')).toBeUndefined();
    expect(consoleResult('AMIBAKE-RESULT status=3\nreboot\nAMIBAKE-RESULT status=0\n')).toBe(0);
    expect(consoleResult('[ 12.3] cloud-init: AMIBAKE-RESULT status=0')).toBeUndefined();
  });
});

describe('amibake build without its configuration', () => {
  test('every missing variable is named at once, before anything else', async () => {
    const err = await cliBuild([], { PATH: process.env.PATH }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    for (const name of [
      'BUILDAMI_USERDATA (or the USERDATA argument): is required',
      'BUILDAMI_BASEAMI: is required',
      'BUILDAMI_SECURITYGROUPS: is required',
      'BUILDAMI_SUBNET: is required',
    ])
      expect(message).toContain(name);
  });

  test('the USERDATA argument stands for BUILDAMI_USERDATA', async () => {
    const err = await cliBuild(['/nonexistent/userdata.gz'], { PATH: process.env.PATH }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).not.toContain('BUILDAMI_USERDATA');
    expect((err as Error).message).toContain('BUILDAMI_BASEAMI: is required');
  });
});

describe('the summary', () => {
  const result = (terminated: boolean): BakeResult => ({
    amiId: 'ami-1',
    amiName: 'web-1.0',
    region: 'eu-west-1',
    instanceId: 'i-1',
    terminated,
    reused: false,
    baseAmi: 'ami-0',
    instanceType: 't3.nano',
    digest: 'd',
    snapshots: ['snap-1'],
    timings: [
      {
        phase: 'install',
        title: 'Install (until stopped)',
        start: 0,
        seconds: 125,
        ok: true,
        spans: [{ id: 'stop', title: 'Stop', start: 120_000, seconds: 5, wait: true }],
      },
      { phase: 'image', title: 'Create AMI', start: 125_000, seconds: 3725, ok: true, spans: [] },
    ],
    report: { outputs: {}, fileVars: {}, summary: [] },
  });

  test('the bake in rows: the AMI, the base, the type, each phase and the total', () => {
    expect(summaryRows(result(true))).toEqual([
      ['AMI', 'ami-1'],
      ['Name', 'web-1.0'],
      ['Region', 'eu-west-1'],
      ['Base AMI', 'ami-0'],
      ['Instance type', 't3.nano'],
      ['Build instance', 'i-1 (terminated)'],
      ['Snapshots', 'snap-1'],
      ['Install (until stopped)', '2 min 5 s'],
      ['↳ Stop', '5.0 s'],
      ['Create AMI', '1 h 2 min'],
      ['Total', '1 h 4 min'],
    ]);
  });

  test('says so when the termination was not confirmed', () => {
    expect(summaryRows(result(false))).toContainEqual([
      'Build instance',
      'i-1 (termination not confirmed: see the warnings)',
    ]);
  });
});
