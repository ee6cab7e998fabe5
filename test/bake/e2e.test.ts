/**
 * Prepare then build, end to end: the real prepare on the examples, the build against moto, the
 * instance double playing the instance. The user data the instance got is read back with Debian's
 * cloud-init, as the instance would read it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateKeyPairCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { prepare } from '../../src/compile/prepare.js';
import { PREPARED_ENV, STAGE_ENV } from '../../src/core/contract.js';
import { parseEnv } from '../../src/core/envfile.js';
import { parseUserdata } from '../support/instance-double.js';
import { readWithCloudInit } from '../support/cloudinit.js';
import { imageTurns, useGate } from '../support/moto.js';
import { useBake } from '../support/bake-harness.js';
import { LAUNCHING } from '../support/phases.js';
import { ROOT, startCli } from '../support/runner.js';
import {
  BUCKET,
  bakeInProcess,
  buildEnv,
  captureLogger,
  ec2For,
  instances,
  liveInstances,
  objects,
  ownImages,
  tempDir,
} from './helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });

/** The real prepare of examples/web-server, for us-east-1. */
async function prepareWebServer() {
  const { logger } = captureLogger();
  const source = join(ROOT, 'examples/web-server');
  return { prepared: await prepare({ source, target: tempDir(), awsRegion: 'us-east-1', logger }) };
}

describe('prepare, then build', () => {
  test('examples/web-server (files inline): the AMI, and cloud-init reads the final user data', async () => {
    const { prepared } = await prepareWebServer();
    expect(prepared.fsMode).toBe('inline');
    const double = m.play('succeed');
    const r = await bakeInProcess(
      prepared.userdataPath,
      buildEnv(m.ids, { BUILDAMI_S3URL: `s3://${BUCKET}/web/fs.tgz` }),
      { waitInstance: 0.2, waitAmi: 0.2 },
    );
    expect(r.error).toBeUndefined();
    expect(r.result!.amiName).toBe('amibake-web-server-1.0.0');
    expect(r.result!.reused).toBe(false);
    const play = await double.played();
    expect(play.errors).toEqual([]);
    expect(play.fsOk).toBe(true); // the inline fs.tgz matches prepared.env's sha256
    expect(play.resultPut).toBe(200);
    // Prepare's parts untouched, in order, then the build's.
    const preparedParts = parseUserdata(readFileSync(prepared.userdataPath)).map((p) => p.filename);
    expect(play.parts.map((p) => p.filename)).toEqual([...preparedParts, 'amibake-stage.cfg']);
    expect((await ownImages(ec2For(m.moto.endpoint))).map((i) => i.ImageId)).toEqual([r.result!.amiId]);
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);

    // The instance's view, by cloud-init's own parser and merger.
    const attr = await ec2For(m.moto.endpoint).send(
      new DescribeInstanceAttributeCommand({ InstanceId: r.result!.instanceId!, Attribute: 'userData' }),
    );
    const inst = Buffer.from(attr.UserData!.Value!, 'base64');
    const file = join(tempDir(), 'userdata.gz');
    writeFileSync(file, inst);
    const view = readWithCloudInit(file);
    expect(view.warnings).toEqual([]);
    expect(view.schema).toEqual([]);
    expect(view.parts.at(-1)).toMatchObject({
      filename: 'amibake-stage.cfg',
      content_type: 'text/cloud-config',
    });
    const writeFiles = view.config.write_files as { path: string; permissions?: string; content: string }[];
    const stage = writeFiles.find((f) => f.path === STAGE_ENV)!;
    expect(stage.permissions).toBe('0600');
    expect(Object.keys(parseEnv(stage.content, STAGE_ENV)).sort()).toEqual([
      'AMIBAKE_LOG_URL',
      'AMIBAKE_RESULT_URL',
      // The package inventory's PUT: the bake has an S3 location.
      'AMIBAKE_SBOM_URL',
    ]);
    expect(writeFiles.some((f) => f.path === PREPARED_ENV)).toBe(true); // prepare's list kept: appended, not replaced
    expect(view.config.power_state?.mode).toBe('poweroff');
  });

  test('with a key pair: the instance is launched with it, and stage.env names it for sanitising', async () => {
    const { prepared } = await prepareWebServer();
    const ec2 = ec2For(m.moto.endpoint);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'amibake-build' }));
    m.play('succeed');
    const r = await bakeInProcess(
      prepared.userdataPath,
      buildEnv(m.ids, { BUILDAMI_S3URL: `s3://${BUCKET}/web/fs.tgz`, BUILDAMI_KEYPAIR: 'amibake-build' }),
      { waitInstance: 0.2, waitAmi: 0.2 },
    );
    expect(r.error).toBeUndefined();
    const id = r.result!.instanceId!;
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.KeyName).toBe('amibake-build');
    const attr = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }),
    );
    const file = join(tempDir(), 'userdata.gz');
    writeFileSync(file, Buffer.from(attr.UserData!.Value!, 'base64'));
    const writeFiles = readWithCloudInit(file).config.write_files as { path: string; content: string }[];
    const stage = parseEnv(writeFiles.find((f) => f.path === STAGE_ENV)!.content, STAGE_ENV);
    expect(stage.AMIBAKE_KEYPAIR).toBe('amibake-build');
  });

  test('examples/big-payload (fs.tgz external) through the CLI bundle, as a Jenkins job would', async () => {
    const target = tempDir();
    const env = { ...m.moto.env, AWSREGION: 'us-east-1', S3URL: `s3://${BUCKET}/big/fs.tgz` };
    const prep = await startCli(['prepare', join(ROOT, 'examples/big-payload'), target], { env }).done;
    expect(prep.stderr).not.toMatch(/error/i);
    expect(prep.code).toBe(0);
    const vars = parseEnv(readFileSync(join(target, 'vars.env'), 'utf8'), 'vars.env');
    expect(vars.FS_MODE).toBe('external');

    const double = m.play('succeed');
    const outFile = join(tempDir(), 'out.env');
    const build = await startCli(['build', join(target, 'userdata.gz')], {
      env: { ...m.moto.env, ...buildEnv(m.ids, { BUILDAMI_OUTPUT: outFile }) },
    }).done;
    expect(build.stderr).not.toMatch(/^amibake build:/m);
    expect(build.code).toBe(0);
    const play = await double.played();
    expect(play.errors).toEqual([]);
    expect(play.fsOk).toBe(true); // downloaded through the presigned URL, sha256 as prepared
    const [image] = await ownImages(ec2For(m.moto.endpoint));
    const expected = { AMI_ID: image.ImageId, AMI_NAME: 'amibake-big-payload-1.0.0', REGION: 'us-east-1' };
    expect(parseEnv(build.stdout, 'stdout')).toMatchObject(expected);
    expect(parseEnv(readFileSync(outFile, 'utf8'), outFile)).toMatchObject(expected);
    expect(build.stderr).toMatch(/^AMI +ami-\w+$/m); // the summary
    // TIMINGS=: the phases as they ran, the same JSON as the action's `timings` output.
    const timings = JSON.parse(parseEnv(build.stdout, 'stdout').TIMINGS) as {
      phase: string;
      spans: unknown[];
    }[];
    expect(timings.map((t) => t.phase)).toEqual(['golden-base', 'preflight', ...LAUNCHING, 'golden-publish']);
    expect(parseEnv(readFileSync(outFile, 'utf8'), outFile).TIMINGS).toBe(
      parseEnv(build.stdout, 'stdout').TIMINGS,
    );
    expect(build.stderr).toMatch(/^Install \(until stopped\): \d/m); // the line as the phase ends
    expect(build.stderr).toMatch(/^↳ Launch to running +\d/m); // the table at the end
    expect(await objects(m.moto.endpoint)).toContain('big/fs.tgz');
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);
  });

  test('a failed bake through the CLI bundle still says where its time went', async () => {
    const target = tempDir();
    const env = { ...m.moto.env, AWSREGION: 'us-east-1', S3URL: `s3://${BUCKET}/big/fs.tgz` };
    expect((await startCli(['prepare', join(ROOT, 'examples/big-payload'), target], { env }).done).code).toBe(
      0,
    );
    m.play('fail');
    const failed = await startCli(['build', join(target, 'userdata.gz')], {
      env: { ...m.moto.env, ...buildEnv(m.ids) },
    }).done;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^amibake build: the install failed \(status 3\)/m);
    expect(failed.stderr).toMatch(
      /^Time to AMI:\n(?: {2}.*\n)* {2}Install \(until stopped\) +\d[^\n]*\n(?: {2}↳.*\n)* {2}Total /m,
    );
    expect(failed.stdout).not.toMatch(/^AMI_ID=/m);
  });
});

describe("the issue's cases on the real prepare of examples/big-payload (fs.tgz external)", () => {
  const g = useGate(m, { beforeAll, afterAll }, { processEnv: true });
  let userdata: string;
  const fast = { waitInstance: 0.2, waitAmi: 0.2 };
  beforeAll(async () => {
    const { logger } = captureLogger();
    const prepared = await prepare({
      source: join(ROOT, 'examples/big-payload'),
      target: tempDir(),
      awsRegion: 'us-east-1',
      s3Url: { bucket: BUCKET, key: 'big/fs.tgz', url: `s3://${BUCKET}/big/fs.tgz` },
      logger,
    });
    expect(prepared.fsMode).toBe('external');
    userdata = prepared.userdataPath;
  }, 60_000);
  const ec2 = () => ec2For(m.moto.endpoint);

  test('install failure reported: no AMI, the error carries the log tail, terminated', async () => {
    m.play('fail');
    const r = await bakeInProcess(userdata, buildEnv(m.ids), fast);
    expect(r.error?.message).toMatch(
      /the install failed \(status 3\); no AMI was created\. The last lines of the install log are printed above$/,
    );
    expect(r.log).toMatch(
      /Last lines of the install log:\n[\s\S]*E: Unable to locate package does-not-exist/,
    );
    expect((await m.double!.played()).fsOk).toBe(true);
    expect(await ownImages(ec2())).toEqual([]);
    expect((await instances(ec2())).map((i) => i.State?.Name)).toEqual(['terminated']);
  });

  test('no stop before the timeout: fails with the console tail, terminated, no AMI', async () => {
    m.play('hang');
    const r = await bakeInProcess(userdata, buildEnv(m.ids), { ...fast, timeoutInstance: 2 });
    expect(r.error?.message).toMatch(/did not stop within 2 s; its last console lines are printed above$/);
    expect(await ownImages(ec2())).toEqual([]);
    expect((await instances(ec2())).map((i) => i.State?.Name)).toEqual(['terminated']);
  });

  test('a failed image: the error names its reason, nothing left', async () => {
    m.play('succeed');
    const undo = imageTurns(g.gate, 'failed');
    const r = await bakeInProcess(userdata, buildEnv(m.ids), fast);
    undo();
    expect(r.error?.message).toMatch(/AMI ami-\w+ failed: Snapshot creation failed/);
    expect(await ownImages(ec2())).toEqual([]);
    expect(await liveInstances(ec2())).toEqual([]);
  });

  test('bad options: every problem named, nothing uploaded or launched', async () => {
    const from = g.gate.calls.length;
    const r = await bakeInProcess(
      userdata,
      buildEnv(m.ids, {
        BUILDAMI_TIMEOUT_AMI: '60',
        BUILDAMI_WAIT_INSTANCE: '90',
        BUILDAMI_SECURITYGROUPS: 'web',
      }),
    );
    expect(r.error?.message).toMatch(/BUILDAMI_TIMEOUT_AMI: must be at least 120/);
    expect(r.error?.message).toMatch(/BUILDAMI_WAIT_INSTANCE: must be at most 60/);
    expect(r.error?.message).toMatch(/BUILDAMI_SECURITYGROUPS: must be security group ids/);
    expect(g.gate.calls.slice(from)).toEqual([]); // not a single AWS call
    expect(await instances(ec2())).toEqual([]);
    expect(await objects(m.moto.endpoint)).toEqual([]);
  });

  test('a re-run with the same name and digest reuses the AMI and launches nothing', async () => {
    m.play('succeed');
    const first = await bakeInProcess(userdata, buildEnv(m.ids), fast);
    expect(first.error).toBeUndefined();
    const launches = g.gate.count('RunInstances');
    const again = await bakeInProcess(userdata, buildEnv(m.ids), fast);
    expect(again.error).toBeUndefined();
    expect(again.result).toMatchObject({ reused: true, amiId: first.result!.amiId, instanceId: undefined });
    expect(g.gate.count('RunInstances')).toBe(launches);
    expect(await instances(ec2())).toHaveLength(1);
  });
});
