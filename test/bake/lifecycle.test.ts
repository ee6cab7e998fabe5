/**
 * The build lifecycle end to end against moto_server, with the instance double playing the
 * instance. In-process (the core API), so timeouts can be seconds long.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeInstanceAttributeCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { STATE } from '../../src/features/bake/state.js';
import { TAG } from '../../src/aws/tags.js';
import { imageTurns, useGate } from '../support/moto.js';
import { useBake } from '../support/bake-harness.js';
import { makePrepared } from './fixture.js';
import {
  BUCKET,
  bakeInProcess,
  buildEnv,
  ec2For,
  instances,
  liveInstances,
  objects,
  ownImages,
} from './helpers.js';

jest.setTimeout(30_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const S3URL = `s3://${BUCKET}/images/web-server/fs.tgz`;
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const allowNoResult = () => buildEnv(m.ids, { BUILDAMI_ALLOW_NO_RESULT: 'true' });

describe('a bake', () => {
  test('success: AMI available and tagged, instance terminated, URLs never printed', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({
      fsMode: 'external',
      s3Url: S3URL,
      files: { 'opt/app/big.bin': Buffer.alloc(300_000, 7) },
    });
    m.play('succeed');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    expect(r.error).toBeUndefined();
    const result = r.result!;
    expect(result.amiName).toBe('web-server-1.0.0');
    expect(result.region).toBe('us-east-1');
    expect(result.reused).toBe(false);

    // The instance saw what the contract says: fs.tgz through the presigned URL, intact.
    const p = await m.double!.played();
    expect(p.errors).toEqual([]);
    expect(p.fsOk).toBe(true);
    expect(p.stageFile?.permissions).toBe('0600');
    expect(p.resultPut).toBe(200);
    expect(p.userdataBytes).toBeLessThanOrEqual(16_384);
    expect(p.parts.at(-1)?.filename).toBe('amibake-stage.cfg');
    expect(p.instanceId).toBe(result.instanceId);

    // The AMI: available, amibake's tags, snapshots tagged too.
    const [image] = await ownImages(ec2);
    expect(image.ImageId).toBe(result.amiId);
    expect(image.State).toBe('available');
    const tags = Object.fromEntries(image.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags[TAG.digest]).toBe(result.digest);
    expect(tags[TAG.family]).toBe('web-server');
    expect(tags[TAG.version]).toBe('1.0.0');
    expect(tags[TAG.baseAmi]).toBe(m.ids.baseAmi);
    const snaps = result.snapshots;
    expect(snaps.length).toBeGreaterThan(0);
    const snapTags = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: snaps }] }),
    );
    expect(snapTags.Tags!.find((t) => t.Key === TAG.digest)?.Value).toBe(result.digest);

    // The instance: terminated, launched as the issue says.
    const [inst] = await instances(ec2);
    expect(inst.State?.Name).toBe('terminated');
    expect(inst.MetadataOptions?.HttpTokens).toBe('required');
    expect(inst.KeyName).toBeUndefined();
    const itags = Object.fromEntries(inst.Tags!.map((t) => [t.Key, t.Value]));
    expect(itags.Name).toBe('amibake web-server-1.0.0');
    expect(itags[TAG.run]).toMatch(/^cli-/);
    expect(itags[TAG.clientToken]).toBe(r.state.values()[STATE.clientToken]);
    const shutdown = await ec2.send(
      new DescribeInstanceAttributeCommand({
        InstanceId: inst.InstanceId!,
        Attribute: 'instanceInitiatedShutdownBehavior',
      }),
    );
    expect(shutdown.InstanceInitiatedShutdownBehavior?.Value).toBe('stop');
    expect(p.volumeTags.length).toBeGreaterThan(0);
    for (const v of p.volumeTags)
      expect(v).toMatchObject({ [TAG.clientToken]: itags[TAG.clientToken], [TAG.run]: itags[TAG.run] });

    // fs.tgz, the result and the log are in S3 (left for the bucket's lifecycle rules).
    const keys = await objects(m.moto.endpoint);
    expect(keys).toContain('images/web-server/fs.tgz');
    expect(keys.some((k) => k.endsWith('.result'))).toBe(true);
    expect(keys.some((k) => k.endsWith('.log'))).toBe(true);

    // Presigned URLs are secrets.
    const url = p.stage.AMIBAKE_FS_URL;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/amibake-staging\/images\/web-server\/fs\.tgz\?/);
    expect(r.log).not.toContain(url.split('?')[1]);
    expect(r.log).toContain('install succeeded');
    const core = ['preflight', 'stage', 'launch', 'install', 'image', 'terminate'];
    expect(result.timings.map((t) => t.phase).filter((ph) => core.includes(ph))).toEqual(core);
  });

  test('service endpoints alone (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_S3): path-style S3', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('succeed');
    const saved = process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_EC2: m.moto.endpoint,
      AWS_ENDPOINT_URL_S3: m.moto.endpoint,
    });
    let r;
    try {
      r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_EC2;
      delete process.env.AWS_ENDPOINT_URL_S3;
      process.env.AWS_ENDPOINT_URL = saved;
    }
    expect(r.error).toBeUndefined();
    const p = await m.double!.played();
    expect(p.fsOk).toBe(true);
    expect(p.stage.AMIBAKE_FS_URL.startsWith(`${m.moto.endpoint}/${BUCKET}/images/`)).toBe(true);
    expect((await ownImages(ec2For(m.moto.endpoint))).map((i) => i.ImageId)).toEqual([r.result!.amiId]);
  });

  test('inline files with an S3 location: result and log still go to S3, no fs.tgz upload', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }), fast);
    expect(r.error).toBeUndefined();
    const p = await m.double!.played();
    expect(p.stage.AMIBAKE_FS_URL).toBeUndefined();
    expect(p.fsOk).toBe(true); // the inline copy
    expect(p.resultPut).toBe(200);
    const keys = await objects(m.moto.endpoint);
    expect(keys).not.toContain('images/web-server/fs.tgz');
    expect(keys.filter((k) => /amibake-[0-9a-f]+\.(result|log)$/.test(k))).toHaveLength(2);
  });

  test('install failure: no AMI, fails with the log tail, instance terminated', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('fail');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    expect(r.error?.message).toMatch(/the install failed \(status 3\); no AMI was created/);
    // The tail is printed (inert instance text) before the error, which only refers to it.
    expect(r.error?.message).toMatch(/The last lines of the install log are printed above$/);
    expect(r.error?.message).not.toContain('E: Unable to locate package');
    expect(r.log).toMatch(
      /Last lines of the install log:\n[\s\S]*E: Unable to locate package does-not-exist/,
    );
    expect(await ownImages(ec2)).toEqual([]);
    expect(await liveInstances(ec2)).toEqual([]);
    expect((await instances(ec2))[0].State?.Name).toBe('terminated');
  });

  test('no stop before the timeout: fails, terminated, no AMI', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('hang');
    const t0 = Date.now();
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), { ...fast, timeoutInstance: 2 });
    expect(r.error?.message).toMatch(/did not stop within 2 s; its last console lines are printed above$/);
    expect(r.log).toMatch(/Last console lines of i-\w+:\n/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await ownImages(ec2)).toEqual([]);
    expect(await liveInstances(ec2)).toEqual([]);
    expect((await instances(ec2)).map((i) => i.State?.Name)).toEqual(['terminated']);
  });

  test('stopped without a result: fails unless allowed', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('silent');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    expect(r.error?.message).toMatch(
      /stopped without reporting an install result.*BUILDAMI_ALLOW_NO_RESULT/s,
    );
    expect(await ownImages(ec2)).toEqual([]);
    expect(await liveInstances(ec2)).toEqual([]);

    await m.double!.stop();
    m.play('silent');
    const ok = await bakeInProcess(f.userdataPath, allowNoResult(), fast);
    expect(ok.error).toBeUndefined();
    expect(ok.log).toMatch(/no install result .* trusting the stop/);
    expect((await ownImages(ec2)).map((i) => i.ImageId)).toEqual([ok.result!.amiId]);
  });

  test('no S3 location at all: the console is the only channel (moto prints none: no result)', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    const p = await m.double!.played();
    expect(p.stage).toEqual({});
    expect(r.log).toContain('no S3 location');
    expect(r.error?.message).toMatch(/without reporting an install result/);
  });

  test('re-run with the same name and digest: reused, nothing launched', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('succeed');
    const first = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    expect(first.error).toBeUndefined();
    const again = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    expect(again.error).toBeUndefined();
    expect(again.result!.reused).toBe(true);
    expect(again.result!.amiId).toBe(first.result!.amiId);
    expect(again.result!.instanceId).toBeUndefined();
    expect(await instances(ec2)).toHaveLength(1);
    expect(again.state.values()[STATE.launch]).toBeUndefined();
  });

  test('same name, other content: clear error, nothing launched', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    m.play('succeed');
    const a = await makePrepared({ fsMode: 'external', s3Url: S3URL, files: { a: 'one' } });
    expect((await bakeInProcess(a.userdataPath, buildEnv(m.ids), fast)).error).toBeUndefined();
    const b = await makePrepared({ fsMode: 'external', s3Url: S3URL, files: { a: 'two' } });
    const r = await bakeInProcess(b.userdataPath, buildEnv(m.ids), fast);
    expect(r.error?.message).toMatch(
      /the AMI name web-server-1\.0\.0 is taken by ami-\w+, baked from other content/,
    );
    expect(await instances(ec2)).toHaveLength(1);
  });
});

describe('bad input: nothing launched, nothing uploaded', () => {
  const nothingHappened = async () => {
    const ec2 = ec2For(m.moto.endpoint);
    expect(await instances(ec2)).toEqual([]);
    expect(await objects(m.moto.endpoint)).toEqual([]);
  };

  test('invalid options name the variables', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const r = await bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_TIMEOUT_INSTANCE: '60', BUILDAMI_WAIT_AMI: '61', BUILDAMI_SUBNET: 'sub-1' }),
    );
    expect(r.error?.message).toMatch(/BUILDAMI_TIMEOUT_INSTANCE: must be at least 120/);
    expect(r.error?.message).toMatch(/BUILDAMI_WAIT_AMI: must be at most 60/);
    expect(r.error?.message).toMatch(/BUILDAMI_SUBNET: must be a subnet id/);
    await nothingHappened();
  });

  test('a missing base AMI', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const r = await bakeInProcess(f.userdataPath, buildEnv({ ...m.ids, baseAmi: 'ami-0123456789abcdef0' }));
    expect(r.error?.message).toMatch(
      /^BUILDAMI_BASEAMI: .*ami-0123456789abcdef0.* (not found|does not exist)/,
    );
    await nothingHappened();
  });

  test('fs.tgz that does not match vars.env', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    const other = await makePrepared({ fsMode: 'external', s3Url: S3URL, files: { x: 'other' } });
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids, { BUILDAMI_FSTGZ: `${other.dir}/fs.tgz` }));
    expect(r.error?.message).toMatch(/fs\.tgz: sha256 \w+ does not match FS_SHA256 in .*vars\.env/);
    await nothingHappened();
  });

  test('a user data that does not match vars.env', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    const other = await makePrepared({ fsMode: 'inline', files: { x: 'other' }, dir: `${f.dir}/x` });
    const { copyFileSync } = await import('node:fs');
    copyFileSync(other.userdataPath, f.userdataPath);
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }));
    expect(r.error?.message).toMatch(/userdata\.gz: sha256 \w+ does not match USERDATA_SHA256/);
    await nothingHappened();
  });

  test('external files without an S3 location', async () => {
    const f = await makePrepared({ fsMode: 'external' });
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids));
    expect(r.error?.message).toMatch(/BUILDAMI_S3URL: is required, the prepared files went external/);
    await nothingHappened();
  });

  test('a missing user data file', async () => {
    const r = await bakeInProcess('/nonexistent/userdata.gz', buildEnv(m.ids));
    expect(r.error?.message).toMatch(/cannot read the user data \/nonexistent\/userdata\.gz: ENOENT/);
    await nothingHappened();
  });
});

describe('the AMI', () => {
  const g = useGate(m, { beforeAll, afterAll }, { processEnv: true });

  test('a failed image: error with its state reason, deregistered, instance terminated', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('succeed');
    const undo = imageTurns(g.gate, 'failed');
    const from = g.gate.calls.length;
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), fast);
    undo();
    expect(r.error?.message).toMatch(/AMI ami-\w+ failed: Snapshot creation failed/);
    expect(await ownImages(ec2)).toEqual([]);
    expect(await liveInstances(ec2)).toEqual([]);
    // Its snapshots were tagged as amibake's before they were deleted (a role limited to
    // amibake's snapshots may delete them; one left behind is recognisable).
    const calls = g.gate.calls.slice(from).map((c) => ({ action: c.action, q: new URLSearchParams(c.body) }));
    const deleted = calls.filter((c) => c.action === 'DeleteSnapshot').map((c) => c.q.get('SnapshotId'));
    expect(deleted).toHaveLength(1);
    const tagged = calls.findIndex(
      (c) =>
        c.action === 'CreateTags' &&
        c.q.get('ResourceId.1') === deleted[0] &&
        [...c.q.entries()].some(([k, v]) => /^Tag\.\d+\.Key$/.test(k) && v === TAG.run),
    );
    expect(tagged).toBeGreaterThanOrEqual(0);
    expect(tagged).toBeLessThan(calls.findIndex((c) => c.action === 'DeleteSnapshot'));
  });

  test('not available within the AMI timeout: error, deregistered, instance terminated', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const f = await makePrepared({ fsMode: 'external', s3Url: S3URL });
    m.play('succeed');
    const undo = imageTurns(g.gate, 'pending');
    const r = await bakeInProcess(f.userdataPath, buildEnv(m.ids), { ...fast, timeoutAmi: 2 });
    undo();
    expect(r.error?.message).toMatch(/AMI ami-\w+ is not available after 2 s \(state pending\)/);
    expect(await ownImages(ec2)).toEqual([]);
    expect(await liveInstances(ec2)).toEqual([]);
  });
});
