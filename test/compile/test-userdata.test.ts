/**
 * script/test.sh in prepare: userdata-test.gz (the image test's user data) read back the way
 * cloud-init reads it, its budget, the script's checks, vars.env's TEST_USERDATA_SHA256 and the
 * digest it joins.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREPARE_OPTIONS } from '../../src/compile/options.js';
import { prepare, type PrepareInput } from '../../src/compile/prepare.js';
import {
  TEST_PART,
  TEST_USERDATA_BUDGET,
  TEST_USERDATA_FILE,
  testRunnerScript,
} from '../../src/compile/test-userdata.js';
import {
  BUILD_PART_FILENAME,
  STAGE_ENV,
  TEST_RUNNER_PATH,
  TEST_SH_GUEST_PATH,
} from '../../src/core/contract.js';
import { preparedDigest } from '../../src/core/digest.js';
import { parseEnv } from '../../src/core/envfile.js';
import { named } from '../../src/core/errors.js';
import { nameFor } from '../../src/core/options.js';
import { parseMultipart, readUserdata } from '../../src/core/userdata.js';
import { finalUserdata } from '../../src/features/bake/userdata.js';
import { readWithCloudInit } from '../support/cloudinit.js';
import { makeSource, recordingLogger, tempDir, type TreeEntry } from './helpers.js';

jest.setTimeout(60_000);

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const TEST_SH =
  '#!/bin/sh\n# checks what the install left\ntest -f /etc/motd || exit 3\ngrep -q hello /etc/motd\n';

function run(source: string, extra: Partial<PrepareInput> = {}) {
  const target = extra.target ?? join(tempDir('amibake-out-'), 'out');
  const promise = prepare({
    source,
    target,
    awsRegion: 'ap-northeast-1',
    logger: recordingLogger(),
    env: {},
    ...extra,
  }).catch((err) => {
    throw named(err, nameFor(PREPARE_OPTIONS, 'cli', 'prepare'));
  });
  return { target, promise };
}

const varsOf = (target: string) =>
  parseEnv(readFileSync(join(target, 'vars.env'), 'utf8'), join(target, 'vars.env'));

describe('script/test.sh present', () => {
  it('writes userdata-test.gz: one cloud-config part that cloud-init reads as the runner, test.sh and power_state', async () => {
    const source = makeSource({ 'fs/etc/motd': 'hello\n', 'script/test.sh': TEST_SH });
    const { target, promise } = run(source);
    const r = await promise;
    const path = join(target, TEST_USERDATA_FILE);
    expect(r.testUserdataPath).toBe(path);
    expect(r.files).toContain(path); // what action-prepare uploads
    const gz = readFileSync(path);
    expect(r.sizes.testUserdata).toBe(gz.length);
    expect(gz.length).toBeLessThanOrEqual(TEST_USERDATA_BUDGET);

    // The form the build checks userdata.gz against, and the build's part appends to it.
    expect(parseMultipart(readUserdata(gz)).map((p) => p.filename)).toEqual([TEST_PART]);

    const ci = readWithCloudInit(path);
    expect(ci.parts.map((p) => [p.filename, p.content_type])).toEqual([[TEST_PART, 'text/cloud-config']]);
    expect(ci.warnings).toEqual([]);
    expect(ci.schema).toEqual([]);
    const files = ci.config.write_files as { path: string; content: string; permissions: string }[];
    expect(files.map((f) => [f.path, f.permissions])).toEqual([
      [TEST_RUNNER_PATH, '0700'],
      [TEST_SH_GUEST_PATH, '0700'],
    ]);
    expect(files[1].content).toBe(TEST_SH); // inline, byte for byte
    expect(files[0].content).toBe(testRunnerScript());
    expect(ci.config.power_state).toMatchObject({
      mode: 'poweroff',
      condition: `/bin/sh ${TEST_RUNNER_PATH}; exit 0`,
    });
    // Nothing of the install: no runcmd, no guest script, no fs.tgz.
    expect(ci.config.runcmd).toBeUndefined();
    expect(readUserdata(gz)).not.toContain('amibake.sh');
  });

  it('records TEST_USERDATA_SHA256 in vars.env, and the test joins PREPARED_DIGEST', async () => {
    const tree = { 'fs/etc/motd': 'hello\n' };
    const without = await run(makeSource(tree)).promise;
    const { target, promise } = run(makeSource({ ...tree, 'script/test.sh': TEST_SH }));
    const withTest = await promise;
    const vars = varsOf(target);
    const testSha = sha256(readFileSync(join(target, TEST_USERDATA_FILE)));
    expect(vars.TEST_USERDATA_SHA256).toBe(testSha);
    expect(withTest.vars.TEST_USERDATA_SHA256).toBe(testSha);
    // The same install: the same userdata.gz; the digest differs by the test alone.
    expect(withTest.vars.USERDATA_SHA256).toBe(without.vars.USERDATA_SHA256);
    expect(vars.PREPARED_DIGEST).toBe(
      preparedDigest({ userdataSha256: vars.USERDATA_SHA256, fsMode: 'inline', testUserdataSha256: testSha }),
    );
    expect(vars.PREPARED_DIGEST).not.toBe(without.vars.PREPARED_DIGEST);

    const other = await run(makeSource({ ...tree, 'script/test.sh': TEST_SH.replace('hello', 'world') }))
      .promise;
    expect(other.vars.PREPARED_DIGEST).not.toBe(vars.PREPARED_DIGEST);
    expect(other.vars.USERDATA_SHA256).toBe(without.vars.USERDATA_SHA256);
  });

  it('takes a test.sh that compile.sh writes', async () => {
    const source = makeSource({
      'script/compile.sh': `#!/bin/sh\nprintf '#!/bin/sh\\necho compiled-test\\n' > script/test.sh\n`,
    });
    const r = await run(source).promise;
    const ci = readWithCloudInit(r.testUserdataPath!);
    expect(ci.config.write_files[1].content).toBe('#!/bin/sh\necho compiled-test\n');
  });

  it('leaves room for the build part: the presigned URLs appended stay within EC2’s limit', async () => {
    const r = await run(makeSource({ 'script/test.sh': TEST_SH })).promise;
    const urls = {
      resultUrl: `https://b.s3.amazonaws.com/amibake-x.result?${'X'.repeat(1500)}`,
      logUrl: `https://b.s3.amazonaws.com/amibake-x.log?${'Y'.repeat(1500)}`,
    };
    const final = finalUserdata(readFileSync(r.testUserdataPath!), urls);
    const path = join(tempDir(), 'final.gz');
    writeFileSync(path, final);
    const ci = readWithCloudInit(path);
    expect(ci.parts.map((p) => p.filename)).toEqual([TEST_PART, BUILD_PART_FILENAME]);
    expect(ci.config.write_files.map((f: { path: string }) => f.path)).toEqual([
      TEST_RUNNER_PATH,
      TEST_SH_GUEST_PATH,
      STAGE_ENV,
    ]);
    expect(ci.schema).toEqual([]);
  });
});

describe('script/test.sh absent', () => {
  it('writes no userdata-test.gz, no TEST_USERDATA_SHA256, and the digest of a source without a test', async () => {
    const target = join(tempDir(), 'out');
    const source = makeSource({ 'fs/etc/motd': 'hello\n', 'script/test.sh': TEST_SH });
    await run(source, { target }).promise;
    expect(existsSync(join(target, TEST_USERDATA_FILE))).toBe(true);
    // The same TARGET again without the test: the stale file goes.
    rmSync(join(source, 'script/test.sh'));
    const r = await run(source, { target }).promise;
    expect(existsSync(join(target, TEST_USERDATA_FILE))).toBe(false);
    expect(r.testUserdataPath).toBeUndefined();
    expect(r.files.map((f) => f.slice(target.length + 1)).sort()).toEqual(['userdata.gz', 'vars.env']);
    const vars = varsOf(target);
    expect(vars.TEST_USERDATA_SHA256).toBeUndefined();
    expect(vars.PREPARED_DIGEST).toBe(
      preparedDigest({ userdataSha256: vars.USERDATA_SHA256, fsMode: 'inline' }),
    );
  });
});

describe('a bad script/test.sh: errors name it, nothing is written', () => {
  const failing = async (tree: Record<string, TreeEntry>, message: string | RegExp) => {
    const { target, promise } = run(makeSource(tree));
    await expect(promise).rejects.toThrow(message);
    expect(existsSync(target)).toBe(false);
  };

  it('too big for the user data once gzip’d', async () => {
    // Random bytes do not compress: the budget is reached with a script of this size.
    const noise = randomBytes(TEST_USERDATA_BUDGET).toString('base64');
    await failing(
      { 'script/test.sh': `#!/bin/sh\n# ${noise}\ntrue\n` },
      new RegExp(
        `/script/test\\.sh: the test user data is \\d+ bytes gzip'd, more than the ${TEST_USERDATA_BUDGET} prepare may use \\(16384 minus 4096 for the build stage\\)`,
      ),
    );
  });

  it('just within the budget is accepted', async () => {
    // A script that compresses well can be much larger than the budget before gzip.
    const lines = Array.from({ length: 2000 }, (_, i) => `test -e /etc/file-${i % 10} || exit 3`).join('\n');
    const r = await run(makeSource({ 'script/test.sh': `#!/bin/sh\n${lines}\n` })).promise;
    expect(r.sizes.testUserdata).toBeLessThanOrEqual(TEST_USERDATA_BUDGET);
    expect(Buffer.byteLength(lines)).toBeGreaterThan(TEST_USERDATA_BUDGET);
  });

  it.each([
    [
      'not UTF-8',
      Buffer.from('#!/bin/sh\necho caf\xe9\n', 'latin1'),
      /script\/test\.sh: not valid UTF-8 text/,
    ],
    ['empty', '', /script\/test\.sh: empty \(write the checks it should run, or remove it/],
    ['with a NUL byte', 'echo a\0b\n', /script\/test\.sh: holds a NUL byte/],
  ])('%s', async (_name, content, message) => {
    await failing({ 'script/test.sh': content }, message);
  });

  it('a folder', async () => {
    const source = makeSource();
    mkdirSync(join(source, 'script/test.sh'), { recursive: true });
    const { promise } = run(source);
    await expect(promise).rejects.toThrow(/script\/test\.sh: must be a file/);
  });

  it('a symlink out of the source', async () => {
    await failing(
      { 'script/test.sh': { symlink: '/bin/true' } },
      /script\/test\.sh: symlink points outside the image source/,
    );
  });
});
