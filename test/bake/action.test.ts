/**
 * action-build and its post step, run from dist/ the way the GitHub runner runs them, against
 * moto with the instance double playing the instance. (`npm run build` first.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { STATE } from '../../src/features/bake/state.js';
import { parseEnv } from '../../src/core/envfile.js';
import { useBake } from '../support/bake-harness.js';
import { LAUNCHING } from '../support/phases.js';
import { actionInputs, ROOT, runAction } from '../support/runner.js';
import { makePrepared } from './fixture.js';
import { BUCKET, ec2For, instances, liveInstances, objects, ownImages, tempDir } from '../support/world.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const S3URL = `s3://${BUCKET}/amibake/fs.tgz`;

const inputs = (dir: string, extra: Record<string, string> = {}) => actionInputs(m.ids, dir, extra);

describe('action-build (dist/build, dist/build-post)', () => {
  test('action.yml: main and a post step that always runs (no post-if)', () => {
    const yml = parse(readFileSync(join(ROOT, 'action-build/action.yml'), 'utf8'));
    expect(yml.runs).toEqual({
      using: 'node24',
      main: '../dist/build/index.js',
      post: '../dist/build-post/index.js',
    });
  });

  test('success: outputs, output file, summary, masked URLs; the post step finds nothing left', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const outFile = join(tempDir(), 'ami.env');
    const double = m.play('succeed');
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs(f.dir, { 'output-file': outFile, 'build-s3-url': S3URL }),
      env: m.moto.env,
    });
    expect(main.stderr + main.stdout).not.toMatch(/::error::/);
    expect(main.code).toBe(0);

    const [image] = await ownImages(ec2For(m.moto.endpoint));
    expect(main.outputs).toMatchObject({
      'ami-id': image.ImageId,
      'ami-name': 'web-server-1.0.0',
      region: 'us-east-1',
      'instance-id': main.state[STATE.instanceId],
    });
    expect(parseEnv(readFileSync(outFile, 'utf8'), outFile)).toMatchObject({
      AMI_ID: image.ImageId,
      AMI_NAME: 'web-server-1.0.0',
      REGION: 'us-east-1',
    });
    // The install output streams into a collapsible group.
    expect(main.stdout).toMatch(/^::group::Install output \(console of i-\w+\)$[\s\S]*^::endgroup::$/m);
    expect(main.summary).toContain('<table>');
    expect(main.summary).toContain(`${main.state[STATE.instanceId]} (terminated)`);
    for (const cell of [
      image.ImageId!,
      'web-server-1.0.0',
      'us-east-1',
      m.ids.baseAmi,
      't3.micro',
      'Install (until stopped)',
      'Create AMI',
    ])
      expect(main.summary).toContain(cell);

    // Time to AMI: the `timings` output, one entry per phase in the order they ran, the install's
    // spans from the instance states the polls saw; a gantt chart in the summary; a line per phase.
    const timings = JSON.parse(main.outputs.timings) as {
      phase: string;
      title: string;
      start: string;
      seconds: number;
      spans: { span: string; title: string; start: string; seconds: number; wait: boolean }[];
    }[];
    expect(timings.map((t) => t.phase)).toEqual(['golden-base', 'preflight', ...LAUNCHING, 'golden-publish']);
    for (const t of timings) {
      expect(Object.keys(t)).toEqual(['phase', 'title', 'start', 'seconds', 'spans']);
      expect(new Date(t.start).toISOString()).toBe(t.start);
      expect(t.seconds).toBeGreaterThanOrEqual(0);
    }
    const starts = timings.map((t) => Date.parse(t.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const byId = Object.fromEntries(timings.map((t) => [t.phase, t]));
    expect(byId.stage.spans.map((s) => s.span)).toEqual(['upload']);
    // The double stops the instance once it has "installed": running, then stopping or stopped.
    expect(byId.install.spans.map((s) => s.span).slice(0, 2)).toEqual(['running', 'install']);
    expect(byId.install.spans.every((s) => s.wait)).toBe(true);
    expect(byId.image.spans).toMatchObject([{ span: 'available', wait: true }]);
    const gantt = /```mermaid\n(gantt\n[\s\S]*?)```/.exec(main.summary)?.[1] ?? '';
    expect(gantt).toContain('dateFormat x');
    const phaseBars = gantt
      .split('section ')[1]
      .split('\n')
      .filter((l) => / :\d+, \d+$/.test(l));
    expect(phaseBars).toHaveLength(timings.length);
    for (const t of timings)
      expect(main.stdout).toMatch(new RegExp(`^${t.title.replace(/[()]/g, '\\$&')}: \\d`, 'm'));
    expect(main.stdout).toContain('Time to AMI:');

    // Each presigned URL is masked before it could be printed, and never printed otherwise.
    const play = await double.played();
    const urls = Object.values(play.stage);
    // fs.tgz's GET, the result's, the log's and the package inventory's PUTs.
    expect(urls).toHaveLength(4);
    const printed = (main.stdout + main.stderr).replace(/^::add-mask::.*$/gm, '');
    for (const url of urls) {
      expect(main.masked).toContain(url);
      expect(printed).not.toContain(new URL(url).searchParams.get('X-Amz-Signature'));
    }
    expect(main.state[STATE.clientToken]).toMatch(/^[0-9a-f]{16}$/);
    expect(main.state[STATE.imageDone]).toBe('1');
    expect((await instances(ec2For(m.moto.endpoint)))[0].State?.Name).toBe('terminated');

    const post = await runAction('build-post', { env: m.moto.env, state: main.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('nothing left to clean up');
    expect(post.stdout).not.toMatch(/::warning::/);
    expect(await ownImages(ec2For(m.moto.endpoint))).toHaveLength(1); // a finished AMI is never touched
  });

  test('install failure: the step fails with the log tail, no AMI, the post step is idempotent', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('fail');
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs(f.dir, { 'build-s3-url': S3URL }),
      env: m.moto.env,
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/::error::the install failed \(status 3\)/);
    expect(main.stdout).toContain('E: Unable to locate package does-not-exist');
    // A failed bake still reports its time: the phases up to the one that failed, that one marked.
    const timings = JSON.parse(main.outputs.timings) as { phase: string }[];
    expect(timings.map((t) => t.phase).slice(-2)).toEqual(['launch', 'install']);
    expect(main.summary).toContain('AMI bake failed in Install');
    expect(main.summary).toMatch(/^ {4}Install \(until stopped\) :crit, \d+, \d+$/m);
    expect(main.summary).not.toMatch(/^ {4}Launch :crit/m);
    expect(await ownImages(ec2For(m.moto.endpoint))).toEqual([]);
    expect(await liveInstances(ec2For(m.moto.endpoint))).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const post = await runAction('build-post', { env: m.moto.env, state: main.state });
      expect(post.code).toBe(0);
      expect(post.stdout).toContain('nothing left to clean up');
    }
  });

  test('invalid inputs: named, nothing launched or uploaded; the post step has nothing to do', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs(f.dir, {
        'timeout-instance': '30',
        'security-groups': 'default',
        'build-s3-url': S3URL,
      }),
      env: m.moto.env,
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/input 'timeout-instance': must be at least 120 seconds/);
    expect(main.stdout).toMatch(/input 'security-groups': must be security group ids/);
    expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
    expect(await objects(m.moto.endpoint)).toEqual([]);
    const post = await runAction('build-post', { env: m.moto.env, state: main.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('nothing was launched');
  });

  test('a missing directory names the input', async () => {
    const main = await runAction('build', {
      defaults: true,
      inputs: inputs('/nonexistent/prepared'),
      env: m.moto.env,
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /::error::cannot read the user data \/nonexistent\/prepared\/userdata\.gz: ENOENT/,
    );
  });
});
