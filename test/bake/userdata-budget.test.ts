/**
 * The build's part must fit in what prepare leaves free (BUILD_RESERVE). Worst case measured here:
 * four presigned URLs (fs.tgz, result, log, package inventory) signed with session credentials (OIDC: a ~1,100-character session token in
 * every URL) for the longest bucket name and S3 key, appended to a prepared user data at the limit
 * prepare keeps to.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { BUILD_RESERVE, STAGE_ENV, STAGE_VARS } from '../../src/core/contract.js';
import { USERDATA_LIMIT } from '../../src/core/userdata.js';
import { finalUserdata, stageEnv, stagePart } from '../../src/features/bake/userdata.js';
import { presign, stagingKeys } from '../../src/aws/staging.js';
import { parseUserdata, writeFilesOf } from '../support/instance-double.js';
import { parseEnv } from '../../src/core/envfile.js';
import { preparedOfSize } from './fixture.js';

/** An STS session token as AssumeRoleWithWebIdentity returns it: base64, ~1,100 characters. */
const sessionToken = 'IQoJb3JpZ2luX2VjE' + randomBytes(830).toString('base64').replace(/=+$/, '');

function signer() {
  return new S3Client({
    region: 'ap-southeast-2',
    credentials: {
      accessKeyId: 'ASIA' + randomBytes(8).toString('hex').toUpperCase(),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Random characters, as incompressible as a name gets (repeated text would flatter gzip). */
const noise = (n: number, alphabet: string) =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
const bucket = noise(63, lower);
// The longest keys S3 takes: the package inventory's key beside fs.tgz (`amibake-<token>.sbom.json`,
// the longest of the four) at 1,024 bytes.
const folder = noise(
  1024 - '/amibake-0123456789abcdef.sbom.json'.length,
  lower + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_',
);
const key = `${folder}/fs.tgz`;

describe('user data budget', () => {
  test('worst case: four session-signed URLs on a prepared user data at the inline limit fit', async () => {
    expect(sessionToken.length).toBeGreaterThanOrEqual(1_100);
    expect(bucket).toHaveLength(63);
    const keys = stagingKeys({ bucket, key, url: `s3://${bucket}/${key}` }, randomBytes(8).toString('hex'));
    expect(Buffer.byteLength(keys.sbom)).toBe(1024);
    expect(Math.max(...[keys.fs, keys.result, keys.log].map((k) => Buffer.byteLength(k)))).toBeLessThan(1024);
    const urls = await presign(signer(), keys, { seconds: 86_400, withFs: true });
    expect(Object.values(urls).filter(Boolean)).toHaveLength(4);
    // The inventory's URL is signed with its content type (the guest sends that type).
    expect(new URL(urls.sbomUrl!).searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    for (const u of Object.values(urls)) {
      expect(u).toContain(encodeURIComponent(sessionToken));
      // A checksum of the empty body pinned in a PUT URL would make S3 reject the upload.
      expect(u).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
    }
    // And the longest key pair name EC2 takes (255 characters), which the build adds when one is set.
    const keyPair = noise(255, lower + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.');
    const textBytes = Buffer.byteLength(stagePart(urls, { keyPair }));

    const prepared = await preparedOfSize(USERDATA_LIMIT - BUILD_RESERVE, { fsMode: 'inline' });
    expect(prepared.userdata.length).toBeGreaterThan(USERDATA_LIMIT - BUILD_RESERVE - 16);
    const final = finalUserdata(prepared.userdata, urls, { keyPair });
    const used = final.length - prepared.userdata.length;
    process.stdout.write(
      `build part: ${textBytes} bytes of text, +${used} bytes gzip'd on a ${prepared.userdata.length}-byte ` +
        `user data: ${final.length} of ${USERDATA_LIMIT} (reserve ${BUILD_RESERVE}, margin ${BUILD_RESERVE - used})\n`,
    );
    expect(final.length).toBeLessThanOrEqual(USERDATA_LIMIT);
    expect(used).toBeLessThanOrEqual(BUILD_RESERVE);

    // And cloud-init reads the URLs back intact from the last part.
    const parts = parseUserdata(final);
    expect(parts.at(-1)!.filename).toBe('amibake-stage.cfg');
    const stage = writeFilesOf(parts).find((f) => f.path === STAGE_ENV)!;
    expect(stage.permissions).toBe('0600');
    const vars = parseEnv(stage.content, STAGE_ENV);
    expect(vars[STAGE_VARS.fsUrl]).toBe(urls.fsUrl);
    expect(vars[STAGE_VARS.resultUrl]).toBe(urls.resultUrl);
    expect(vars[STAGE_VARS.logUrl]).toBe(urls.logUrl);
    expect(vars[STAGE_VARS.sbomUrl]).toBe(urls.sbomUrl);
    expect(vars[STAGE_VARS.keyPair]).toBe(keyPair);
  });

  test('the key pair is named to the instance only when the build sets one', () => {
    const urls = { resultUrl: 'https://bucket.s3.amazonaws.com/r?X-Amz-Signature=00' };
    expect(parseEnv(stageEnv(urls), STAGE_ENV)).toEqual({ [STAGE_VARS.resultUrl]: urls.resultUrl });
    expect(parseEnv(stageEnv(urls, { keyPair: "ops key's" }), STAGE_ENV)).toEqual({
      [STAGE_VARS.resultUrl]: urls.resultUrl,
      [STAGE_VARS.keyPair]: "ops key's",
    });
  });

  test('over 16,384 bytes: a clear error', async () => {
    const prepared = await preparedOfSize(USERDATA_LIMIT - 200, { fsMode: 'inline' });
    const keys = stagingKeys({ bucket, key, url: `s3://${bucket}/${key}` }, 'abc');
    const urls = await presign(signer(), keys, { seconds: 3600, withFs: false });
    expect(() => finalUserdata(prepared.userdata, urls)).toThrow(/over EC2's limit of 16384/);
  });
});
