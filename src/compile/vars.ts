/**
 * vars.env: what the build stage (and any shell that sources it) needs from prepare. Quoted by
 * formatEnv, so `. vars.env` is safe whatever the values. PREPARED_DIGEST comes last: the digest of
 * what reaches the instance (userdata.gz, fs.tgz when it goes external, userdata-test.gz when the
 * source has a test), computed by the shared
 * preparedDigest, which the build recomputes from the files it received and checks against it.
 */
import { DISK_VARS } from '../core/contract.js';
import { preparedDigest } from '../core/digest.js';
import { formatEnv } from '../core/envfile.js';
import type { FsMode } from './generated.js';

/** The names amibake writes; docs/stage-contract.md documents them. */
export const VARS = {
  region: 'AWSREGION',
  s3Url: 'S3URL',
  name: 'NAME',
  version: 'VERSION',
  fsMode: 'FS_MODE',
  fsSha256: 'FS_SHA256',
  fsSize: 'FS_SIZE',
  userdataSha256: 'USERDATA_SHA256',
  testUserdataSha256: 'TEST_USERDATA_SHA256',
  preparedDigest: 'PREPARED_DIGEST',
} as const;

/** The names a disk prepare adds (defined with the stage contract: the build reads them too):
 *  reserved for every prepare, so a user's ami.env can never pass for a disk artifact. */
export { DISK_VARS };

const RESERVED = new Set<string>([...Object.values(VARS), ...Object.values(DISK_VARS)]);
/** Sourcing vars.env must not change how the shell that sources it behaves, nor fail (bash's
 *  read-only UID, EUID, PPID, BASH_VERSINFO...). */
const SHELL_NAMES =
  /^(PATH|IFS|HOME|SHELL|ENV|BASH|BASH_\w+|CDPATH|PS[1-4]|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|OLDPWD|PWD|UID|EUID|PPID|GROUPS|RANDOM|SECONDS|LINENO|OPTIND|OPTARG|GLOBIGNORE|POSIXLY_CORRECT|TMOUT|HISTFILE|TMPDIR|LANG|LC_\w+|LD_\w+|DYLD_\w+|NODE_OPTIONS)$/;
/** What configures the build job (and its AWS access): a prepare job must not set it for a build
 *  job that sources vars.env. */
const BUILD_PREFIXES = ['AWS_', 'BUILDAMI_'];

/** Problems with variables a user adds (ami.env's extra keys, compile.sh's), each prefixed by `where`. */
export function checkUserVars(vars: Record<string, string>, where: string, taken: Set<string>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(vars)) {
    if (RESERVED.has(key) || key.startsWith('AMIBAKE_'))
      problems.push(`${where}: ${key} is set by amibake; choose another name`);
    else if (BUILD_PREFIXES.some((p) => key.startsWith(p)))
      problems.push(
        `${where}: ${key} would configure the build job that sources vars.env (AWS_* and BUILDAMI_* ` +
          'belong to the build job); choose another name',
      );
    else if (SHELL_NAMES.test(key))
      problems.push(`${where}: ${key} would change the shell that sources vars.env; choose another name`);
    else if (taken.has(key)) problems.push(`${where}: ${key} is already set by ami.env`);
  }
  return problems;
}

export interface VarsInput {
  region: string;
  s3Url?: string;
  ami: Record<string, string>;
  compiled: Record<string, string>;
  fsMode: FsMode;
  fsSha256?: string;
  fsSize?: number;
  userdataSha256: string;
  /** Only when the source has script/test.sh. */
  testUserdataSha256?: string;
}

export function renderVars(input: VarsInput): { text: string; vars: Record<string, string> } {
  const vars: Record<string, string> = { [VARS.region]: input.region };
  if (input.s3Url) vars[VARS.s3Url] = input.s3Url;
  vars[VARS.name] = input.ami.NAME;
  vars[VARS.version] = input.ami.VERSION;
  vars[VARS.fsMode] = input.fsMode;
  if (input.fsSha256) vars[VARS.fsSha256] = input.fsSha256;
  if (input.fsSize !== undefined) vars[VARS.fsSize] = String(input.fsSize);
  vars[VARS.userdataSha256] = input.userdataSha256;
  if (input.testUserdataSha256) vars[VARS.testUserdataSha256] = input.testUserdataSha256;
  for (const [k, v] of Object.entries(input.ami)) if (!(k in vars)) vars[k] = v;
  for (const [k, v] of Object.entries(input.compiled)) vars[k] = v;
  const body = formatEnv(vars);
  const digest = preparedDigest({
    userdataSha256: input.userdataSha256,
    fsMode: input.fsMode,
    fsSha256: input.fsSha256,
    testUserdataSha256: input.testUserdataSha256,
  });
  vars[VARS.preparedDigest] = digest;
  return { text: body + formatEnv({ [VARS.preparedDigest]: digest }), vars };
}
