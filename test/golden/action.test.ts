/**
 * The golden features through the bundles, the way the runner and a CI shell run them
 * (dist/build, dist/build-post, dist/cli; `npm run build` first), against moto with the
 * instance double playing the instance.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeImageAttributeCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { parseEnv } from '../../src/core/envfile.js';
import { useBake } from '../support/bake-harness.js';
import { runAction, startCli } from '../support/runner.js';
import { makePrepared } from '../bake/fixture.js';
import { actionInputs, BUCKET, instances, objects, tempDir } from '../bake/helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const S3URL = `s3://${BUCKET}/amibake/fs.tgz`;
const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });

const inputs = (dir: string, extra: Record<string, string> = {}) => actionInputs(m.ids, dir, extra);

describe('action-build with golden options', () => {
  test('copies, tags and sharing: the amis and base-ami outputs, output file lines, summary rows', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const outFile = join(tempDir(), 'ami.env');
    m.play('succeed');
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs(f.dir, {
        'build-s3-url': S3URL,
        'output-file': outFile,
        'copy-regions': 'eu-west-1\nap-northeast-1',
        tags: 'team=platform, built={date}',
        'share-accounts': '111111111111',
        'root-volume-type': 'gp3',
      }),
      env: m.moto.env,
    });
    expect(main.stdout).not.toMatch(/::error::/);
    expect(main.code).toBe(0);
    const amis = JSON.parse(main.outputs.amis);
    expect(Object.keys(amis).sort()).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
    expect(amis['us-east-1']).toBe(main.outputs['ami-id']);
    expect(main.outputs['base-ami']).toBe(m.ids.baseAmi);
    for (const [region, id] of Object.entries(amis) as [string, string][]) {
      const [image] = (await ec2(region).send(new DescribeImagesCommand({ ImageIds: [id] }))).Images!;
      expect(image.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'platform' }]));
      const perms = await ec2(region).send(
        new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' }),
      );
      expect(perms.LaunchPermissions).toEqual([{ UserId: '111111111111' }]);
    }
    const file = parseEnv(readFileSync(outFile, 'utf8'), outFile);
    expect(file).toMatchObject({
      AMI_ID: amis['us-east-1'],
      BASE_AMI: m.ids.baseAmi,
      AMI_ID_EU_WEST_1: amis['eu-west-1'],
      AMI_ID_AP_NORTHEAST_1: amis['ap-northeast-1'],
    });
    expect(JSON.parse(file.AMIS)).toEqual(amis);
    for (const cell of [
      'Copies',
      `eu-west-1: ${amis['eu-west-1']}`,
      'Shared with',
      '111111111111 (3 of 3 AMIs)',
      'IMDSv2 required',
    ])
      expect(main.summary).toContain(cell);
    // Every copy finished: the post step has nothing to recover.
    expect(JSON.parse(main.state.amibake_copies).copies.map((c: { status: string }) => c.status)).toEqual([
      'tagged',
      'tagged',
    ]);
    const post = await runAction('build-post', { env: m.moto.env, state: main.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('nothing left to clean up');
  });

  test('dry run: plan in the log, heading in the summary, no AMI output, nothing launched or written', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const outFile = join(tempDir(), 'ami.env');
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs(f.dir, {
        'build-s3-url': S3URL,
        'dry-run': 'true',
        'output-file': outFile,
        'copy-regions': 'eu-west-1',
      }),
      env: m.moto.env,
    });
    expect(main.stdout).not.toMatch(/::error::/);
    expect(main.code).toBe(0);
    expect(main.outputs['ami-id']).toBe('');
    expect(main.outputs['base-ami']).toBe(m.ids.baseAmi);
    expect(main.summary).toContain('Dry run of AMI web-server-1.0.0: nothing launched');
    expect(main.summary).toContain('none (dry run)');
    expect(main.stdout).toMatch(/allowed +RunInstances in us-east-1/);
    expect(main.stdout).toMatch(/user data {9}\d+ of 16384 bytes/);
    expect(existsSync(outFile)).toBe(false);
    expect(await instances(ec2())).toEqual([]);
    expect(await objects(m.moto.endpoint)).toEqual([]);
  });
});

describe('the CLI bundle', () => {
  test('amibake build with BUILDAMI_DRY_RUN: exit 0, the plan on stderr, no AMI_ID= lines', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const run = startCli(['build', f.userdataPath], {
      env: {
        ...m.moto.env,
        BUILDAMI_BASEAMI: m.ids.baseAmi,
        BUILDAMI_SUBNET: m.ids.subnet,
        BUILDAMI_SECURITYGROUPS: m.ids.securityGroup,
        BUILDAMI_DRY_RUN: 'true',
        BUILDAMI_KEEP_LAST: '3',
      },
    });
    const r = await run.done;
    expect(r.stderr).not.toMatch(/amibake build:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/== Dry run: the plan/);
    expect(r.stderr).toMatch(/retention in us-east-1 for "web-server" \(keep last 3\)/);
    expect(await instances(ec2())).toEqual([]);
  });

  test('amibake sweep: reports, exit 0', async () => {
    const r = await startCli(['sweep', '2h'], { env: m.moto.env }).done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'sweep us-east-1: terminated 0 amibake instance(s) older than 2h, 0 younger left alone; unfinished AMIs: none\n',
    );
  });
});
