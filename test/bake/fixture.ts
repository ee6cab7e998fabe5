/**
 * Prepared files for build tests that do not need the real prepare: the same shapes (a
 * multipart userdata.gz whose 50_amibake-fetch part writes prepared.env and, inline, fs.tgz;
 * vars.env with the digests), built from src/core only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { pack } from 'tar-stream';
import { PREPARED_ENV, PREPARED_VARS } from '../../src/core/contract.js';
import { preparedDigest } from '../../src/core/digest.js';
import { formatEnv } from '../../src/core/envfile.js';
import { gzipUserdata, renderMultipart, type Part } from '../../src/core/userdata.js';

export interface FixtureOptions {
  fsMode?: 'inline' | 'external' | 'none';
  name?: string;
  version?: string;
  s3Url?: string;
  region?: string;
  /** Files of the fs tree. */
  files?: Record<string, string | Buffer>;
  /** More vars.env keys (ami.env's and compile.sh's). */
  extraVars?: Record<string, string>;
  /** Incompressible bytes added to the user data (a comment of random base64). */
  padding?: number;
  dir?: string;
}

export interface Fixture {
  dir: string;
  userdataPath: string;
  userdata: Buffer;
  vars: Record<string, string>;
  fsTgz?: Buffer;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function tgz(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files))
    p.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

export async function makePrepared(opts: FixtureOptions = {}): Promise<Fixture> {
  const fsMode = opts.fsMode ?? 'inline';
  const region = opts.region ?? 'us-east-1';
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'amibake-prepared-'));
  mkdirSync(dir, { recursive: true });
  const fs = fsMode === 'none' ? undefined : await tgz(opts.files ?? { 'etc/motd': 'baked by amibake\n' });
  const prepared: Record<string, string> = { [PREPARED_VARS.fsMode]: fsMode, [PREPARED_VARS.region]: region };
  if (fs) prepared[PREPARED_VARS.fsSha256] = sha256(fs);
  if (opts.s3Url) prepared[PREPARED_VARS.s3Url] = opts.s3Url;

  const writeFiles: Record<string, unknown>[] = [
    { path: PREPARED_ENV, permissions: '0600', content: formatEnv(prepared) },
  ];
  if (fs && fsMode === 'inline')
    writeFiles.push({
      path: '/var/run/fs.tgz',
      permissions: '0600',
      encoding: 'b64',
      content: fs.toString('base64'),
    });
  const parts: Part[] = [
    {
      filename: '50_amibake-fetch.cfg',
      content:
        '#cloud-config\n' +
        stringify(
          { write_files: writeFiles, runcmd: [['/bin/sh', '/run/amibake/amibake.sh', 'fetch']] },
          { lineWidth: 0 },
        ),
    },
    {
      filename: '51_amibake-install.cfg',
      content: '#cloud-config\nruncmd:\n  - [/bin/sh, /run/amibake/amibake.sh, install]\n',
    },
    { filename: '99_amibake-shutdown.cfg', content: '#cloud-config\npower_state:\n  mode: poweroff\n' },
  ];
  if (opts.padding)
    parts.unshift({
      filename: '10_padding.cfg',
      content: `#cloud-config\n# ${randomBytes(Math.ceil((opts.padding * 3) / 4))
        .toString('base64')
        .slice(0, opts.padding)}\n`,
    });
  const userdata = gzipUserdata(renderMultipart(parts));
  const userdataPath = join(dir, 'userdata.gz');
  writeFileSync(userdataPath, userdata);
  if (fs && fsMode === 'external') writeFileSync(join(dir, 'fs.tgz'), fs);

  const vars: Record<string, string> = { AWSREGION: region };
  if (opts.s3Url) vars.S3URL = opts.s3Url;
  vars.NAME = opts.name ?? 'web-server';
  vars.VERSION = opts.version ?? '1.0.0';
  vars.FS_MODE = fsMode;
  if (fs) vars.FS_SHA256 = sha256(fs);
  vars.USERDATA_SHA256 = sha256(userdata);
  Object.assign(vars, opts.extraVars);
  const body = formatEnv(vars);
  vars.PREPARED_DIGEST = preparedDigest({
    userdataSha256: vars.USERDATA_SHA256,
    fsMode,
    fsSha256: fsMode === 'external' ? vars.FS_SHA256 : undefined,
  });
  writeFileSync(join(dir, 'vars.env'), body + formatEnv({ PREPARED_DIGEST: vars.PREPARED_DIGEST }));
  return { dir, userdataPath, userdata, vars, fsTgz: fs };
}

/** A fixture whose userdata.gz is as close as possible to `bytes` without going over. */
export async function preparedOfSize(bytes: number, opts: FixtureOptions = {}): Promise<Fixture> {
  let lo = 0;
  let hi = bytes * 2;
  let best: Fixture | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const f = await makePrepared({ ...opts, padding: mid });
    if (f.userdata.length <= bytes) {
      best = f;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (!best) throw new Error(`cannot make a user data of ${bytes} bytes`);
  return best;
}
