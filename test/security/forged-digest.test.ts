/**
 * Attack: an artifact claims the digest of other content (PREPARED_DIGEST in vars.env), so that
 * its AMI is tagged as if baked from that content and a later bake of the real content reuses it.
 * Defence: the build recomputes PREPARED_DIGEST from the files it received and refuses another
 * claim; the reuse digest is the build's own (scheme-marked: AMIs tagged before it never match)
 * and covers the options that change the image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeImagesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { TAG } from '../../src/aws/tags.js';
import { parseEnv } from '../../src/core/envfile.js';
import { useBake } from '../support/bake-harness.js';
import { makePrepared } from '../bake/fixture.js';
import { BASE_AMI, bakeInProcess, buildEnv, ec2For } from '../bake/helpers.js';
import { taggedImage } from '../support/world.js';
import { holdings, noAwsCallCheck, rewriteVars, sha256 } from './artifact-support.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
const noAwsCall = noAwsCallCheck(m, m);
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const allowNoResult = () => buildEnv(m.ids, { BUILDAMI_ALLOW_NO_RESULT: 'true' });

/** The reuse digest an amibake before the digest scheme tagged: sha256 of `key=value` lines, with
 *  PREPARED_DIGEST taken from vars.env as it stood (here: forged). */
function legacyDigest(claimedPrepared: string): string {
  const parts: Record<string, string> = {
    prepared: claimedPrepared,
    'base-ami': BASE_AMI,
    'root-volume': 'gp3,,,,plain',
    imds: 'v2.0',
  };
  const text = Object.keys(parts)
    .sort()
    .map((k) => `${k}=${parts[k]}\n`)
    .join('');
  return sha256(text);
}

/** An AMI of that name baked by an earlier amibake from other content, tagged with `digest`. */
async function poisonedAmi(ec2: EC2Client, name: string, digest: string): Promise<string> {
  const run = await ec2.send(
    new RunInstancesCommand({ ImageId: BASE_AMI, MinCount: 1, MaxCount: 1, InstanceType: 't3.nano' }),
  );
  const instanceId = run.Instances![0].InstanceId!;
  const image = await taggedImage(ec2, instanceId, name, {
    [TAG.family]: 'web-server',
    [TAG.digest]: digest,
  });
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  return image;
}

describe('forged PREPARED_DIGEST', () => {
  test('an artifact claiming the digest of other content is refused, naming vars.env and both values; no AWS call', async () => {
    const real = await makePrepared({ files: { 'etc/motd': 'the real content\n' } });
    const forged = await makePrepared({ files: { 'etc/motd': 'a backdoor\n' } });
    const own = parseEnv(readFileSync(join(forged.dir, 'vars.env'), 'utf8'), 'vars.env').PREPARED_DIGEST;
    rewriteVars(forged.dir, (v) => (v.PREPARED_DIGEST = real.vars.PREPARED_DIGEST));

    const r = await noAwsCall(() => bakeInProcess(forged.userdataPath, buildEnv(m.ids), fast));
    expect(r.error?.message).toBe(
      `${join(forged.dir, 'vars.env')}: PREPARED_DIGEST ${real.vars.PREPARED_DIGEST} is not the digest of ` +
        `the prepared files (${own}, computed by the build from ${forged.userdataPath}, amibake-digest-2): ` +
        'refused. Prepare again with this version of amibake, and do not edit its files',
    );
  });

  test('external fs.tgz: the digest covers the fs.tgz the build hashed, not the one vars.env names', async () => {
    const S3URL = 's3://amibake-staging/a/fs.tgz';
    const real = await makePrepared({ fsMode: 'external', s3Url: S3URL, files: { a: 'real' } });
    const forged = await makePrepared({ fsMode: 'external', s3Url: S3URL, files: { a: 'forged' } });
    // Everything in vars.env self-consistent with the forged files, the digest the real one's.
    rewriteVars(forged.dir, (v) => (v.PREPARED_DIGEST = real.vars.PREPARED_DIGEST));
    const r = await noAwsCall(() =>
      bakeInProcess(forged.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL }), fast),
    );
    expect(r.error?.message).toContain(
      `PREPARED_DIGEST ${real.vars.PREPARED_DIGEST} is not the digest of the prepared files`,
    );
    expect(r.error?.message).toContain(
      `computed by the build from ${forged.userdataPath} and ${join(forged.dir, 'fs.tgz')}`,
    );
  });

  test('an AMI an earlier amibake tagged with a forged claim is not reused by a bake of the real content', async () => {
    const ec2 = ec2For(m.moto.endpoint);
    const real = await makePrepared({ files: { 'etc/motd': 'the real content\n' } });
    // What an amibake before the digest scheme tagged when an artifact of other content claimed
    // the real content's PREPARED_DIGEST (then the sha256 of vars.env's other lines).
    const text = readFileSync(join(real.dir, 'vars.env'), 'utf8');
    const legacyPrepared = sha256(text.replace(/^PREPARED_DIGEST=.*\n/m, ''));
    const poisoned = await poisonedAmi(ec2, 'web-server-1.0.0', legacyDigest(legacyPrepared));
    const before = await holdings(m.moto.endpoint);
    const launches = m.gate.count('RunInstances');

    const r = await bakeInProcess(real.userdataPath, buildEnv(m.ids), fast);
    expect(r.result?.reused).toBeUndefined();
    expect(r.error?.message).toMatch(
      new RegExp(
        `^the AMI name web-server-1\\.0\\.0 is taken by ${poisoned}, baked from other content or options ` +
          `\\(amibake:digest [0-9a-f]{64}, this bake [0-9a-f]{64}; AMIs baked before amibake-digest-2 are never ` +
          `reused\\): bump the version \\(BUILDAMI_TARGETVERSION\\), or deregister ${poisoned} to bake web-server-1\\.0\\.0 again$`,
      ),
    );
    expect(m.gate.count('RunInstances')).toBe(launches);
    expect(await holdings(m.moto.endpoint)).toEqual(before);
  });

  test('the reuse digest covers the options that change the image: another base AMI, instance type or key pair is not a reuse', async () => {
    const real = await makePrepared();
    m.play('succeed');
    const first = await bakeInProcess(real.userdataPath, allowNoResult(), fast);
    expect(first.error).toBeUndefined();
    // Another of moto's public images, of the same architecture: the base AMI is part of the image.
    const base = (
      await ec2For(m.moto.endpoint).send(new DescribeImagesCommand({ ImageIds: [m.ids.baseAmi] }))
    ).Images![0];
    const otherBase = (
      await ec2For(m.moto.endpoint).send(
        new DescribeImagesCommand({
          Filters: [
            { Name: 'architecture', Values: [base.Architecture!] },
            { Name: 'state', Values: ['available'] },
          ],
        }),
      )
    ).Images!.find((i) => i.ImageId !== m.ids.baseAmi && i.RootDeviceType === 'ebs')!.ImageId!;
    const after = await holdings(m.moto.endpoint);
    const launches = m.gate.count('RunInstances');
    const changes: Record<string, string>[] = [
      { BUILDAMI_BASEAMI: otherBase },
      { BUILDAMI_TYPE: 't3.small' },
      { BUILDAMI_KEYPAIR: 'someone' },
      { BUILDAMI_ALLOW_NO_RESULT: 'false' },
      { BUILDAMI_ROOT_VOLUME_SIZE: '20' },
      { BUILDAMI_AMI_IMDSV2: 'false' },
    ];
    for (const change of changes) {
      const r = await bakeInProcess(
        real.userdataPath,
        buildEnv(m.ids, { BUILDAMI_ALLOW_NO_RESULT: 'true', ...change }),
        fast,
      );
      expect([Object.keys(change)[0], r.error?.message]).toEqual([
        Object.keys(change)[0],
        expect.stringContaining(`is taken by ${first.result!.amiId}, baked from other content`),
      ]);
    }
    // The same options again: reused.
    const again = await bakeInProcess(real.userdataPath, allowNoResult(), fast);
    expect(again.result?.reused).toBe(true);
    expect(m.gate.count('RunInstances')).toBe(launches);
    expect(await holdings(m.moto.endpoint)).toEqual(after);
  });
});
