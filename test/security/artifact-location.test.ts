/**
 * Attack: vars.env picks where the build writes with its role (S3URL: a tampered artifact made
 * the build upload fs.tgz over s3://victim/prod/app-config.json) and where it works (AWSREGION).
 * Defence: the action takes its bucket and region only from its own inputs and the job's AWS
 * configuration; vars.env naming anything else is refused, naming both. The CLI keeps the
 * spec's flow (vars.env's values) only while BUILDAMI_S3URL / AWS_REGION are unset.
 * The action and the CLI run from dist/ (`npm run build` first), behind the recording gate.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { REGION } from '../support/moto.js';
import { useBake } from '../support/bake-harness.js';
import { runAction, startCli } from '../support/runner.js';
import { makePrepared } from '../bake/fixture.js';
import { actionInputs, BUCKET, buildEnv, ec2For, liveInstances } from '../bake/helpers.js';
import { holdings, noAwsCallCheck } from './artifact-support.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { gate: true });
const noAwsCall = noAwsCallCheck(m, m);
const VICTIM = 's3://victim-bucket/prod/app-config.json';
const OURS = `s3://${BUCKET}/amibake/fs.tgz`;

beforeEach(async () => {
  const s3 = new S3Client({ region: REGION, endpoint: m.moto.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'victim-bucket' }));
  await s3.send(
    new PutObjectCommand({ Bucket: 'victim-bucket', Key: 'prod/app-config.json', Body: '{"db":"prod"}' }),
  );
}, 30_000);

/** action-build through the gate (or with `env`), on moto's network. */
const build = (dir: string, extra: Record<string, string> = {}, env = m.gate.env) =>
  runAction('build', { inputs: actionInputs(m.ids, dir, extra), env });

/** The action's `::error::` line. */
const errorOf = (stdout: string) => /^::error::(.*)$/m.exec(stdout)?.[1] ?? '';

describe('the action takes its S3 location from its own inputs only', () => {
  test('external fs.tgz, vars.env S3URL on a victim object, no build-s3-url: refused, nothing written anywhere', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: VICTIM });
    const main = await noAwsCall(() => build(f.dir));
    expect(main.code).toBe(1);
    expect(errorOf(main.stdout)).toBe(
      "input 'build-s3-url': is required, the prepared files went external (fs.tgz); the bucket the build " +
        `writes to comes from input 'build-s3-url' only, never from vars.env (S3URL ${VICTIM})`,
    );
    // The victim's object, left as it was (noAwsCall: moto holds what it held before).
    expect((await holdings(m.moto.endpoint)).objects[VICTIM]).toBe('{"db":"prod"}');
  });

  test("build-s3-url set, vars.env's S3URL elsewhere: refused naming both, before any AWS call", async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: VICTIM });
    const main = await noAwsCall(() => build(f.dir, { 'build-s3-url': OURS }));
    expect(main.code).toBe(1);
    expect(errorOf(main.stdout)).toBe(
      `${f.dir}/vars.env: S3URL ${VICTIM} is not input 'build-s3-url' ${OURS}: refused, the artifact does ` +
        `not choose where the build writes. Prepare with action-prepare's input 's3-url' ${OURS}, or change input 'build-s3-url'`,
    );
  });

  test('inline bake, vars.env S3URL on a victim, no build-s3-url: console only, no S3 call at all', async () => {
    const f = await makePrepared({ fsMode: 'inline', s3Url: VICTIM });
    const before = await holdings(m.moto.endpoint);
    const from = m.gate.calls.length;
    const double = m.play('succeed');
    const main = await build(f.dir, { 'allow-no-result': 'true' });
    expect(errorOf(main.stdout)).toBe('');
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('no S3 location: the install result is read from the console only');
    // No presigned URL reached the instance, and the build made no S3 request of its own.
    expect((await double.played()).stage).toEqual({});
    expect(m.gate.calls.slice(from).filter((c) => c.action.startsWith('S3:'))).toEqual([]);
    const after = await holdings(m.moto.endpoint);
    expect(after.objects).toEqual(before.objects);
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);
  });
});

describe('the action takes its region from the job only', () => {
  test("vars.env's AWSREGION is not the job's region: refused naming both, no AWS call", async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: OURS, region: 'eu-west-1' });
    const main = await noAwsCall(() => build(f.dir, { 'build-s3-url': OURS }));
    expect(main.code).toBe(1);
    expect(errorOf(main.stdout)).toBe(
      `${f.dir}/vars.env: AWSREGION eu-west-1 is not the build's region us-east-1 (AWS_REGION): refused, ` +
        "the artifact does not choose the region. Prepare with action-prepare's input 'aws-region' us-east-1, " +
        'or configure the build for eu-west-1',
    );
  });

  test('no region configured for the job: refused, even though vars.env names one', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const env: Record<string, string> = { ...m.gate.env };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    const main = await noAwsCall(() => build(f.dir, {}, env));
    expect(main.code).toBe(1);
    expect(errorOf(main.stdout)).toMatch(
      /^no AWS region: set AWS_REGION .*; the build never takes its region from vars\.env \(AWSREGION us-east-1\)$/,
    );
  });
});

describe('the CLI: vars.env unless the build has its own values, then the same refusal', () => {
  test('BUILDAMI_S3URL set and vars.env names another S3URL: refused naming both', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: VICTIM });
    const run = await noAwsCall(
      () =>
        startCli(['build', f.userdataPath], {
          env: { ...m.gate.env, ...buildEnv(m.ids, { BUILDAMI_S3URL: OURS }) },
        }).done,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${f.dir}/vars.env: S3URL ${VICTIM} is not BUILDAMI_S3URL ${OURS}: refused, the artifact does not ` +
        `choose where the build writes. Prepare with S3URL ${OURS}, or change BUILDAMI_S3URL`,
    );
  });

  test('AWS_REGION set and vars.env names another AWSREGION: refused naming both', async () => {
    const f = await makePrepared({ fsMode: 'inline', region: 'ap-northeast-1' });
    const run = await noAwsCall(
      () => startCli(['build', f.userdataPath], { env: { ...m.gate.env, ...buildEnv(m.ids) } }).done,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${f.dir}/vars.env: AWSREGION ap-northeast-1 is not the build's region us-east-1 (AWS_REGION): refused`,
    );
  });
});
