/** The prepared files (userdata.gz, vars.env, fs.tgz), checked against the digests in vars.env
 *  before anything is uploaded or launched. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseEnv } from '../core/envfile.js';
import { UserError, errorMessage } from '../core/errors.js';
import { readUserdata } from '../core/userdata.js';

/** Variables of vars.env that the build reads. */
export const VARS = {
  region: 'AWSREGION',
  s3Url: 'S3URL',
  name: 'NAME',
  version: 'VERSION',
  userdataSha256: 'USERDATA_SHA256',
  fsSha256: 'FS_SHA256',
  fsMode: 'FS_MODE',
  digest: 'PREPARED_DIGEST',
} as const;

export type FsMode = 'inline' | 'external' | 'none';

export interface Prepared {
  userdataPath: string;
  userdata: Buffer;
  varsPath: string;
  vars: Record<string, string>;
  fsMode: FsMode;
  /** Only when the files went external. */
  fsTgzPath?: string;
  fsSize?: number;
  /** Digest of everything prepare produced: part of the AMI's reuse digest. */
  digest: string;
}

export async function sha256File(path: string): Promise<string> {
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
 * Reads `userdataPath`, the `vars.env` beside it and, when prepare staged the files externally,
 * `fsTgzPath` (default: `fs.tgz` beside the user data). `fsTgzOption` names the option that set
 * fsTgzPath, for errors.
 */
export async function loadPrepared(
  userdataPath: string,
  fsTgzPath?: string,
  fsTgzOption = 'fs.tgz',
): Promise<Prepared> {
  const dir = dirname(userdataPath);
  const varsPath = join(dir, 'vars.env');
  const userdata = await readOrExplain(userdataPath, 'cannot read the user data');
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
  try {
    readUserdata(userdata);
  } catch (err) {
    throw new UserError(`${userdataPath}: not gzip'd user data (${errorMessage(err)})`);
  }
  const fsMode = vars[VARS.fsMode];
  if (fsMode !== 'inline' && fsMode !== 'external' && fsMode !== 'none') {
    throw new UserError(`${varsPath}: ${VARS.fsMode} must be inline, external or none (got "${fsMode}")`);
  }
  const prepared: Prepared = { userdataPath, userdata, varsPath, vars, fsMode, digest: vars[VARS.digest] };
  if (fsMode !== 'external') return prepared;

  const fsPath = fsTgzPath ?? join(dir, 'fs.tgz');
  const expected = vars[VARS.fsSha256];
  if (!expected)
    throw new UserError(`${varsPath}: ${VARS.fsSha256} is missing although ${VARS.fsMode}=external`);
  let size: number;
  try {
    size = (await stat(fsPath)).size;
  } catch {
    throw new UserError(
      `${fsTgzOption}: ${fsPath} not found; prepare staged the files externally, so fs.tgz must be uploaded`,
    );
  }
  const fsSha = await sha256File(fsPath);
  if (fsSha !== expected) {
    throw new UserError(
      `${fsPath}: sha256 ${fsSha} does not match ${VARS.fsSha256} in ${varsPath} (${expected}): ` +
        'the files do not come from the same prepare run',
    );
  }
  return { ...prepared, fsTgzPath: fsPath, fsSize: size };
}
