/**
 * Attack (or accident): a region that is not one (`us-eats-1`) in any region option. The SDK
 * builds an endpoint for any well-formed name, so it used to fail late with an unclear error.
 * Defence: every region option is checked against the SDK's own region list
 * (src/core/sdk-regions.ts, generated from the installed SDK) before any AWS call, with a
 * "did you mean" and the option's name. The action and the CLI run from dist/ (`npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { regionProblem } from '../../src/core/regions.js';
import { SDK_REGIONS } from '../../src/core/sdk-regions.js';
import { useBake } from '../support/bake-harness.js';
import { ROOT, runAction, startCli } from '../support/runner.js';
import { makePrepared } from '../bake/fixture.js';
import { actionInputs, BUCKET, buildEnv, tempDir } from '../bake/helpers.js';
import { noAwsCallCheck } from './artifact-support.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { gate: true });
const OURS = `s3://${BUCKET}/amibake/fs.tgz`;

const said = (region: string, guess: string) =>
  `"${region}" is not an AWS region the SDK knows: did you mean ${guess}?`;

const noAwsCall = noAwsCallCheck(m, m);

describe('the region list', () => {
  test("is the installed SDK's (scripts/regions.mjs --check)", () => {
    expect(
      execFileSync(process.execPath, ['scripts/regions.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' }),
    ).toMatch(/matches @aws-sdk\/core/);
    expect(SDK_REGIONS).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'us-gov-west-1']),
    );
    expect(SDK_REGIONS.some((r) => r.endsWith('-global'))).toBe(false);
  });

  test.each([
    ['us-eats-1', 'us-east-1'],
    ['eu-wset-1', 'eu-west-1'],
    ['ap-northeast-l', 'ap-northeast-1'],
    ['useast1', 'us-east-1'],
  ])('%s: did you mean %s?', (typo, guess) => {
    expect(regionProblem(typo)).toBe(said(typo, guess));
  });

  test('a known region passes; nonsense gets no guess', () => {
    expect(regionProblem('eu-central-2')).toBeUndefined();
    expect(regionProblem('moon-base-7')).toBe(
      '"moon-base-7" is not an AWS region the SDK knows (regions look like us-east-1, eu-west-3, ap-northeast-1)',
    );
  });
});

describe('action-build: each region option, before any AWS call', () => {
  const inputs = (dir: string, extra: Record<string, string> = {}) =>
    actionInputs(m.ids, dir, { 'build-s3-url': OURS, ...extra });
  const error = (stdout: string) => /^::error::(.*)$/m.exec(stdout)?.[1] ?? '';

  test.each([
    ['AWS_REGION', { AWS_REGION: 'us-eats-1' }, {}, `AWS_REGION: ${said('us-eats-1', 'us-east-1')}`],
    [
      "input 's3-region'",
      {},
      { 's3-region': 'us-eats-1' },
      `input 's3-region': ${said('us-eats-1', 'us-east-1')}`,
    ],
    [
      "input 'copy-regions'",
      {},
      { 'copy-regions': 'eu-west-1\neu-wset-2' },
      `input 'copy-regions': ${said('eu-wset-2', 'eu-west-2')}`,
    ],
    [
      "input 'copy-kms-keys'",
      {},
      { 'copy-regions': 'eu-west-1', 'copy-kms-keys': 'eu-wset-1=alias/amis' },
      `input 'copy-kms-keys': ${said('eu-wset-1', 'eu-west-1')}`,
    ],
  ])('%s', async (_name, env, extra, message) => {
    const f = await makePrepared({ fsMode: 'inline' });
    const main = await noAwsCall(() =>
      runAction('build', { inputs: inputs(f.dir, extra), env: { ...m.gate.env, ...env } }),
    );
    expect(main.code).toBe(1);
    expect(error(main.stdout)).toContain(message);
  });
});

describe('the CLI: each region option, before any AWS call', () => {
  test('AWS_DEFAULT_REGION (AWS_REGION unset)', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const env: Record<string, string> = {
      ...m.gate.env,
      ...buildEnv(m.ids),
      AWS_DEFAULT_REGION: 'us-eats-1',
    };
    delete env.AWS_REGION;
    const run = await noAwsCall(() => startCli(['build', f.userdataPath], { env }).done);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`AWS_DEFAULT_REGION: ${said('us-eats-1', 'us-east-1')}`);
  });

  test("AWSREGION of vars.env in the spec's flow (no AWS_REGION): named with its file", async () => {
    const f = await makePrepared({ fsMode: 'inline', region: 'ap-northeast-l' });
    const env: Record<string, string> = { ...m.gate.env, ...buildEnv(m.ids) };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    const run = await noAwsCall(() => startCli(['build', f.userdataPath], { env }).done);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${f.dir}/vars.env: AWSREGION: ${said('ap-northeast-l', 'ap-northeast-1')}`);
  });

  test('BUILDAMI_S3REGION and BUILDAMI_COPY_REGIONS, all problems at once', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const env = {
      ...m.gate.env,
      ...buildEnv(m.ids, { BUILDAMI_S3REGION: 'us-wset-2', BUILDAMI_COPY_REGIONS: 'eu-wset-1' }),
    };
    const run = await noAwsCall(() => startCli(['build', f.userdataPath], { env }).done);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`BUILDAMI_S3REGION: ${said('us-wset-2', 'us-west-2')}`);
    expect(run.stderr).toContain(`BUILDAMI_COPY_REGIONS: ${said('eu-wset-1', 'eu-west-1')}`);
  });

  test('AWSREGION of amibake prepare: refused before anything is written', async () => {
    const target = join(tempDir(), 'out');
    const run = await noAwsCall(
      () =>
        startCli(['prepare', join(ROOT, 'examples/web-server'), target], {
          env: { ...m.gate.env, AWSREGION: 'us-eats-1' },
        }).done,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`AWSREGION: ${said('us-eats-1', 'us-east-1')}`);
    expect(existsSync(target)).toBe(false);
  });

  test('amibake sweep: AWS_REGION', async () => {
    const run = await noAwsCall(
      () => startCli(['sweep'], { env: { ...m.gate.env, AWS_REGION: 'us-eats-1' } }).done,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`AWS_REGION: ${said('us-eats-1', 'us-east-1')}`);
  });
});
