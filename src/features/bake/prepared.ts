/** The prepared files (userdata.gz, vars.env, fs.tgz, userdata-test.gz): attacker-controlled input to the build.
 *  Checked before anything is uploaded or launched: the user data's size and form, the sha256 of
 *  each file, and the digest the build computes itself from them (never taken from vars.env). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DIGEST_SCHEME, preparedDigest } from '../../core/digest.js';
import { parseEnv } from '../../core/envfile.js';
import { UserError, errorMessage, opt } from '../../core/errors.js';
import { USERDATA_LIMIT, parseMultipart, readUserdata } from '../../core/userdata.js';

/** Variables of vars.env that the build reads. */
export const VARS = {
  region: 'AWSREGION',
  s3Url: 'S3URL',
  name: 'NAME',
  version: 'VERSION',
  userdataSha256: 'USERDATA_SHA256',
  testUserdataSha256: 'TEST_USERDATA_SHA256',
  fsSha256: 'FS_SHA256',
  fsMode: 'FS_MODE',
  digest: 'PREPARED_DIGEST',
  description: 'DESCRIPTION',
} as const;

/** Control characters and the line breaks the runner or a terminal would honour (C0, DEL, C1 with
 *  U+0085, U+2028/U+2029). A value the build reads from vars.env reaches the log, errors, the plan
 *  and AWS: one of these could start a new line there, and so a workflow command. */
// eslint-disable-next-line no-control-regex -- the point: control characters
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export type FsMode = 'inline' | 'external' | 'none';

/** The image test's user data, beside userdata.gz when the source has script/test.sh. */
export const TEST_USERDATA_FILE = 'userdata-test.gz';

export interface Prepared {
  userdataPath: string;
  userdata: Buffer;
  varsPath: string;
  vars: Record<string, string>;
  fsMode: FsMode;
  /** Only when the files went external. */
  fsTgzPath?: string;
  fsSize?: number;
  /** The image test's user data (userdata-test.gz), only when the source has script/test.sh:
   *  checked like userdata.gz and part of the digest. */
  testUserdata?: Buffer;
  testUserdataPath?: string;
  /** PREPARED_DIGEST as the build computed it from the files (vars.env's claim must equal it):
   *  part of the AMI's reuse digest. */
  digest: string;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function readOrExplain(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UserError(`${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
  }
}

/**
 * userdata.gz, checked before any AWS call: at most EC2's 16,384 bytes before it is gunzipped,
 * inflated no further than USERDATA_TEXT_LIMIT, and the MIME multipart prepare writes.
 */
async function readPreparedUserdata(path: string, what = 'the user data'): Promise<Buffer> {
  let userdata: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > USERDATA_LIMIT)
        throw new UserError(
          `${path}: ${size} bytes, more than EC2's limit of ${USERDATA_LIMIT} for user data: not what prepare writes`,
        );
      userdata = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`,
    );
  }
  // Read as one: a file grown since the size check is still held to the limit.
  if (userdata.length > USERDATA_LIMIT)
    throw new UserError(`${path}: more than EC2's limit of ${USERDATA_LIMIT} bytes for user data`);
  try {
    parseMultipart(readUserdata(userdata));
  } catch (err) {
    throw new UserError(`${path}: ${errorMessage(err)}`);
  }
  return userdata;
}

/**
 * Reads `userdataPath`, the `vars.env` beside it and, when prepare staged the files externally,
 * `fsTgzPath` (default: `fs.tgz` beside the user data).
 */
export async function loadPrepared(userdataPath: string, fsTgzPath?: string): Promise<Prepared> {
  const dir = dirname(userdataPath);
  const varsPath = join(dir, 'vars.env');
  const userdata = await readPreparedUserdata(userdataPath);
  const varsText = await readOrExplain(
    varsPath,
    'cannot read vars.env (prepare writes it beside userdata.gz):',
  );
  let vars: Record<string, string>;
  try {
    vars = parseEnv(varsText.toString('utf8'), varsPath);
  } catch (err) {
    throw new UserError(errorMessage(err));
  }
  // vars.env is the artifact's: its values are never quoted with a line break in them. The value
  // itself is not printed, only its key.
  for (const key of Object.values(VARS)) {
    if (vars[key] !== undefined && LINE_BREAKING.test(vars[key]))
      throw new UserError(
        `${varsPath}: ${key} holds a line break or control character; amibake prepare never writes one`,
      );
  }
  for (const key of [VARS.userdataSha256, VARS.fsMode, VARS.digest]) {
    if (!vars[key])
      throw new UserError(`${varsPath}: ${key} is missing (was it written by amibake prepare?)`);
  }
  const udSha = createHash('sha256').update(userdata).digest('hex');
  if (udSha !== vars[VARS.userdataSha256]) {
    throw new UserError(
      `${userdataPath}: sha256 ${udSha} does not match ${VARS.userdataSha256} in ${varsPath} ` +
        `(${vars[VARS.userdataSha256]}): the files do not come from the same prepare run`,
    );
  }
  const fsMode = vars[VARS.fsMode];
  if (fsMode !== 'inline' && fsMode !== 'external' && fsMode !== 'none') {
    throw new UserError(`${varsPath}: ${VARS.fsMode} must be inline, external or none (got "${fsMode}")`);
  }
  const test = await readTestUserdata(dir, varsPath, vars);
  const prepared: Prepared = {
    userdataPath,
    userdata,
    varsPath,
    vars,
    fsMode,
    digest: '',
    ...(test && { testUserdata: test.userdata, testUserdataPath: test.path }),
  };
  const testUserdataSha256 = test?.sha256;
  if (fsMode !== 'external')
    return checkDigest({
      ...prepared,
      digest: preparedDigest({ userdataSha256: udSha, fsMode, testUserdataSha256 }),
    });

  const fsPath = fsTgzPath ?? join(dir, 'fs.tgz');
  const expected = vars[VARS.fsSha256];
  if (!expected)
    throw new UserError(`${varsPath}: ${VARS.fsSha256} is missing although ${VARS.fsMode}=external`);
  let size: number;
  try {
    size = (await stat(fsPath)).size;
  } catch {
    throw new UserError([
      opt('fsTgz'),
      `: ${fsPath} not found; prepare staged the files externally, so fs.tgz must be uploaded`,
    ]);
  }
  const fsSha = await sha256File(fsPath);
  if (fsSha !== expected) {
    throw new UserError(
      `${fsPath}: sha256 ${fsSha} does not match ${VARS.fsSha256} in ${varsPath} (${expected}): ` +
        'the files do not come from the same prepare run',
    );
  }
  return checkDigest({
    ...prepared,
    fsTgzPath: fsPath,
    fsSize: size,
    digest: preparedDigest({ userdataSha256: udSha, fsMode, fsSha256: fsSha, testUserdataSha256 }),
  });
}

/**
 * userdata-test.gz beside userdata.gz, checked like it (size, form, sha256 against vars.env's
 * TEST_USERDATA_SHA256). The file and the claim come together or not at all: a claim without the
 * file would bake an image whose test never runs, a file without a claim a test outside the digest.
 */
async function readTestUserdata(
  dir: string,
  varsPath: string,
  vars: Record<string, string>,
): Promise<{ path: string; userdata: Buffer; sha256: string } | undefined> {
  const path = join(dir, TEST_USERDATA_FILE);
  const claimed = vars[VARS.testUserdataSha256];
  const present = await stat(path).then(
    () => true,
    () => false,
  );
  if (claimed === undefined || claimed === '') {
    if (present)
      throw new UserError(
        `${path}: ${VARS.testUserdataSha256} is missing from ${varsPath}: the files do not come from the same ` +
          'prepare run (prepare records the test it wrote)',
      );
    return undefined;
  }
  if (!present)
    throw new UserError(
      `${path}: not found, although ${varsPath} sets ${VARS.testUserdataSha256} (the source has script/test.sh): ` +
        'the artifact must carry every file prepare wrote',
    );
  const userdata = await readPreparedUserdata(path, 'the test user data');
  const sha256 = createHash('sha256').update(userdata).digest('hex');
  if (sha256 !== claimed)
    throw new UserError(
      `${path}: sha256 ${sha256} does not match ${VARS.testUserdataSha256} in ${varsPath} (${claimed}): ` +
        'the files do not come from the same prepare run',
    );
  return { path, userdata, sha256 };
}

/** vars.env's PREPARED_DIGEST must be the one the build computed: an artifact that claims the
 *  digest of other content would get that content's AMI reused, or poison it for a later bake. */
function checkDigest(prepared: Prepared): Prepared {
  const claimed = prepared.vars[VARS.digest];
  if (claimed !== prepared.digest) {
    const from = [prepared.userdataPath, prepared.fsTgzPath, prepared.testUserdataPath]
      .filter(Boolean)
      .join(' and ');
    throw new UserError(
      `${prepared.varsPath}: ${VARS.digest} ${claimed} is not the digest of the prepared files ` +
        `(${prepared.digest}, computed by the build from ${from}, ${DIGEST_SCHEME}): refused. ` +
        'Prepare again with this version of amibake, and do not edit its files',
    );
  }
  return prepared;
}
