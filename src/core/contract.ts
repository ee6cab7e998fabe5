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

/* The guest script's own paths and names (src/compile/guest/amibake.sh, checked against these by
 * test/compile/guest-contract.test.ts): paths are absolute on the instance, the script prefixes
 * them with its root. */

/** The guest script on the instance. */
export const GUEST_SCRIPT_PATH = `${GUEST_DIR}/amibake.sh`;
/** The guest's record of its runcmd steps, one `NAME STATUS` line each; finish reads it. */
export const GUEST_STEPS_FILE = `${GUEST_DIR}/steps`;
/** Where fs.tgz waits to be extracted (inline: written by the user data; external: downloaded). */
export const FS_STAGE_PATH = '/var/run/fs.tgz';
/** A large external fs.tgz goes to disk instead, when /run (tmpfs) cannot hold it. */
export const FS_DISK_STAGE_PATH = '/var/tmp/amibake-fs.tgz';
/** install.sh, extracted from fs.tgz, run by the install step and removed. */
export const INSTALL_SH_GUEST_PATH = '/var/run/install.sh';
/** The package inventory (CycloneDX JSON) the finish step writes after a successful install and
 *  uploads to STAGE_VARS.sbomUrl; on tmpfs, removed once sent. */
export const GUEST_SBOM_FILE = `${GUEST_DIR}/sbom.json`;
/** The SBOM's media type: the presigned PUT is signed with it, and the guest sends it. */
export const SBOM_CONTENT_TYPE = 'application/vnd.cyclonedx+json';
/** cloud-init's verdict once it has finished (a failing module or runcmd script is an error). */
export const CLOUD_INIT_RESULT = '/run/cloud-init/result.json';

/** runcmd's steps in their order, each `sh amibake.sh STEP`; `finish` runs from power_state. */
export const GUEST_STEPS = ['fetch', 'extract', 'install', 'log'] as const;
export const GUEST_FINISH = 'finish';

/** Variables the guest reads only when a test sets them: another root, another console, GNU tar
 *  treated as older than 1.27, no wait for result.json. Never set on an instance. */
export const GUEST_TEST_VARS = {
  root: 'AMIBAKE_ROOT',
  console: 'AMIBAKE_CONSOLE',
  tarFallback: 'AMIBAKE_TAR_FALLBACK',
  resultWait: 'AMIBAKE_RESULT_WAIT',
} as const;

/** The install status the guest reports (docs: the stage contract's "| Status | Meaning |" table).
 *  Keys are the guest script's variable names; any status but OK means no AMI. */
export const GUEST_STATUS = {
  OK: 0,
  CLOUDINIT: 1, // cloud-init recorded an error in result.json, or no result
  DOWNLOAD: 2, // fs.tgz download failed (or the inline one is missing)
  CHECKSUM: 3, // fs.tgz sha256 mismatch: nothing extracted
  EXTRACT: 4,
  INSTALL_FAILED: 5, // install.sh exited non-zero
  NOT_RUN: 6, // a runcmd command stopped the script before amibake's steps
  SANITISE: 7,
  TEST_FAILED: 8, // script/test.sh exited non-zero (the test instance, not the install)
} as const;

/** The statuses each guest script reports: the install (amibake.sh) and the image test
 *  (amibake-test.sh, on an instance launched from the new AMI). */
export const INSTALL_STATUSES = [
  'OK',
  'CLOUDINIT',
  'DOWNLOAD',
  'CHECKSUM',
  'EXTRACT',
  'INSTALL_FAILED',
  'NOT_RUN',
  'SANITISE',
] as const satisfies readonly (keyof typeof GUEST_STATUS)[];
export const TEST_STATUSES = [
  'OK',
  'CLOUDINIT',
  'TEST_FAILED',
] as const satisfies readonly (keyof typeof GUEST_STATUS)[];

/* The image test's user data (userdata-test.gz): the test runner and script/test.sh, written by
 * write_files and run from power_state's condition once cloud-init has finished. */

/** The test runner on the test instance (src/compile/guest/amibake-test.sh). */
export const TEST_RUNNER_PATH = `${GUEST_DIR}/amibake-test.sh`;
/** script/test.sh on the test instance (tmpfs: it never reaches an image). */
export const TEST_SH_GUEST_PATH = `${GUEST_DIR}/test.sh`;
/** The test log: the runner's lines and test.sh's output, uploaded to AMIBAKE_LOG_URL. */
export const TEST_LOG_PATH = `${GUEST_DIR}/test.log`;
/** cloud-init's state: `data/instance-id` (this boot's instance) and one `instances/<id>` folder per
 *  instance it has booted as. The test log names both: on the first boot of a sanitised image (the
 *  install's `cloud-init clean`), this instance is the only one. */
export const CLOUD_INIT_STATE_DIR = '/var/lib/cloud';

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
  // presigned PUT (Content-Type SBOM_CONTENT_TYPE), body: the package inventory; absent = skipped
  sbomUrl: 'AMIBAKE_SBOM_URL',
  // The key pair the instance was launched with, only when there is one: sanitising then removes
  // that key (read from the instance metadata) from authorized_keys. Not a URL, not a secret.
  keyPair: 'AMIBAKE_KEYPAIR',
} as const;

/** The one line the instance prints on /dev/console before it powers off. */
export const RESULT_PREFIX = 'AMIBAKE-RESULT status=';
export const RESULT_LINE_RE = /^AMIBAKE-RESULT status=(\d+)\s*$/m;

/** Bytes of gzip'd user data left for the build's part: four presigned URLs signed with session
 *  credentials (fs.tgz, result, log, package inventory) take about 2,560 at worst, measured in
 *  test/bake/userdata-budget.test.ts (see docs/stage-contract.md). */
export const BUILD_RESERVE = 4_096;

/** The vars.env names a disk prepare (`amibake prepare --disk`) adds; absent KIND = an instance
 *  artifact. Prepare writes them (src/compile/vars.ts), the build reads them
 *  (src/features/disk-upload/artifact.ts). */
export const DISK_VARS = {
  kind: 'KIND',
  manifestSha256: 'DISK_MANIFEST_SHA256',
  blocksSha256: 'DISK_BLOCKS_SHA256',
  size: 'DISK_SIZE',
  baseDigest: 'DISK_BASE_DIGEST',
  recipe: 'DISK_RECIPE',
} as const;
