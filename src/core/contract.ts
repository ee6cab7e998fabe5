/**
 * The contract between prepare, build and the instance. Prepare's user data installs the guest
 * script and `PREPARED_ENV`; the build stage appends one cloud-config part (BUILD_PART_FILENAME)
 * that writes `STAGE_ENV`. Both files live on tmpfs and never reach the image.
 */

/** Guest working folder (tmpfs on every systemd distribution). */
export const GUEST_DIR = '/run/amibake';
/** Written by prepare's generated cloud-config: what prepare knew. */
export const PREPARED_ENV = `${GUEST_DIR}/prepared.env`;
/** Written by the build's appended part: what only the build knows (presigned URLs). */
export const STAGE_ENV = `${GUEST_DIR}/stage.env`;
/** A user cloud-config writes this file (content: step names or `all`) to skip sanitising steps. */
export const NO_SANITIZE_FILE = `${GUEST_DIR}/no-sanitize`;
export const BUILD_PART_FILENAME = 'amibake-stage.cfg';

/** Variables of PREPARED_ENV. */
export const PREPARED_VARS = {
  fsMode: 'AMIBAKE_FS_MODE', // inline | external | none
  fsSha256: 'AMIBAKE_FS_SHA256',
  fsSize: 'AMIBAKE_FS_SIZE', // bytes; the guest stages a large external fs.tgz on disk instead of tmpfs
  s3Url: 'AMIBAKE_S3URL',
  region: 'AMIBAKE_REGION',
} as const;

/** Variables of STAGE_ENV, all optional: the guest falls back to `aws s3 cp` for the fs and to
 *  the console alone for the result. */
export const STAGE_VARS = {
  fsUrl: 'AMIBAKE_FS_URL', // presigned GET of fs.tgz
  resultUrl: 'AMIBAKE_RESULT_URL', // presigned PUT, body "status=<n>\n"
  logUrl: 'AMIBAKE_LOG_URL', // presigned PUT, body: the install log
  // The key pair the instance was launched with, only when there is one: sanitising then removes
  // that key (read from the instance metadata) from authorized_keys. Not a URL, not a secret.
  keyPair: 'AMIBAKE_KEYPAIR',
} as const;

/** The one line the instance prints on /dev/console before it powers off. */
export const RESULT_PREFIX = 'AMIBAKE-RESULT status=';
export const RESULT_LINE_RE = /^AMIBAKE-RESULT status=(\d+)\s*$/m;

/** Bytes of gzip'd user data left for the build's part: three presigned URLs signed with
 *  session credentials, measured in test/build (see README "Stage contract"). */
export const BUILD_RESERVE = 4_096;
