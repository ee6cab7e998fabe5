export const id = 758;
export const ids = [758];
export const modules = {

/***/ 9643:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ PREPARE_OPTIONS)
/* harmony export */ });
/* harmony import */ var _core_options_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3457);
/* harmony import */ var _core_parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1896);
/** The prepare stage's options (amibake prepare, action-prepare): loading them loads no AWS SDK. */


const PREPARE_OPTIONS = {
    source: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'source',
        stages: ['prepare'],
        description: 'Image source folder (`cloudinit/`, `fs/`, `script/`, `ami.env`). The CLI takes it as its first argument.',
        required: true,
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .text */ .Qq,
    }),
    target: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'target',
        stages: ['prepare'],
        description: 'Folder the prepared files are written to. The CLI takes it as its second argument.',
        default: 'amibake-out',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .text */ .Qq,
    }),
    awsRegion: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'aws-region',
        env: 'AWSREGION',
        stages: ['prepare'],
        description: 'Region the instance uses for `aws s3 cp` when no presigned URL is handed to it.',
        default: 'ap-northeast-1',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .region */ .Ny,
    }),
    s3Url: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 's3-url',
        env: 'S3URL',
        stages: ['prepare'],
        description: 'Where `fs.tgz` is staged (`s3://bucket/path/fs.tgz`). Required only when the files do not fit inline.',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .s3Url */ .AB,
    }),
    disk: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'disk',
        stages: ['prepare'],
        description: 'Also bake the root disk here: boot the bootable Debian 12 base in a local VM (qemu; needs root and the VM tools), apply the image source with the user data an instance would get, and add the finished disk (`disk.manifest.json`, `disk.blocks`) to the artifact for a build without an instance. The CLI takes `--disk`.',
        default: 'false',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .boolean */ .zM,
    }),
    artifactName: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'artifact-name',
        stages: ['prepare', 'build'],
        description: 'Name of the workflow artifact that carries the prepared files from the prepare job to the build job.',
        default: 'amibake',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .pattern */ .T1(/^[^"\\:<>|*?/\r\n]+$/, 'a valid artifact name'),
    }),
};


/***/ }),

/***/ 2013:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ab: () => (/* binding */ STAGE_VARS),
/* harmony export */   DK: () => (/* binding */ FS_STAGE_PATH),
/* harmony export */   E9: () => (/* binding */ PREPARED_ENV),
/* harmony export */   El: () => (/* binding */ TEST_SH_GUEST_PATH),
/* harmony export */   Fl: () => (/* binding */ GUEST_DIR),
/* harmony export */   NL: () => (/* binding */ SBOM_CONTENT_TYPE),
/* harmony export */   R4: () => (/* binding */ STAGE_ENV),
/* harmony export */   Yi: () => (/* binding */ TEST_RUNNER_PATH),
/* harmony export */   hl: () => (/* binding */ NO_SANITIZE_FILE),
/* harmony export */   jj: () => (/* binding */ INSTALL_SH_GUEST_PATH),
/* harmony export */   n3: () => (/* binding */ RESULT_LINE_RE),
/* harmony export */   nM: () => (/* binding */ DISK_VARS),
/* harmony export */   qY: () => (/* binding */ BUILD_RESERVE),
/* harmony export */   td: () => (/* binding */ GUEST_SCRIPT_PATH),
/* harmony export */   vq: () => (/* binding */ PREPARED_VARS),
/* harmony export */   yJ: () => (/* binding */ GUEST_STATUS),
/* harmony export */   zQ: () => (/* binding */ BUILD_PART_FILENAME)
/* harmony export */ });
/* unused harmony exports GUEST_STEPS_FILE, FS_DISK_STAGE_PATH, GUEST_SBOM_FILE, CLOUD_INIT_RESULT, GUEST_STEPS, GUEST_FINISH, GUEST_TEST_VARS, INSTALL_STATUSES, TEST_STATUSES, TEST_LOG_PATH, CLOUD_INIT_STATE_DIR, RESULT_PREFIX */
/**
 * The contract between prepare, build and the instance. Prepare's user data installs the guest
 * script and `PREPARED_ENV`; the build stage appends one cloud-config part (BUILD_PART_FILENAME)
 * that writes `STAGE_ENV`. Both files live on tmpfs and never reach the image.
 */
/** Guest working folder (tmpfs on every systemd distribution). */
const GUEST_DIR = '/run/amibake';
/** Written by prepare's generated cloud-config: what prepare knew. */
const PREPARED_ENV = `${GUEST_DIR}/prepared.env`;
/** Written by the build's appended part: what only the build knows (presigned URLs). */
const STAGE_ENV = `${GUEST_DIR}/stage.env`;
/** A user cloud-config writes this file (content: step names or `all`) to skip sanitising steps. */
const NO_SANITIZE_FILE = `${GUEST_DIR}/no-sanitize`;
const BUILD_PART_FILENAME = 'amibake-stage.cfg';
/* The guest script's own paths and names (src/compile/guest/amibake.sh, checked against these by
 * test/compile/guest-contract.test.ts): paths are absolute on the instance, the script prefixes
 * them with its root. */
/** The guest script on the instance. */
const GUEST_SCRIPT_PATH = `${GUEST_DIR}/amibake.sh`;
/** The guest's record of its runcmd steps, one `NAME STATUS` line each; finish reads it. */
const GUEST_STEPS_FILE = (/* unused pure expression or super */ null && (`${GUEST_DIR}/steps`));
/** Where fs.tgz waits to be extracted (inline: written by the user data; external: downloaded). */
const FS_STAGE_PATH = '/var/run/fs.tgz';
/** A large external fs.tgz goes to disk instead, when /run (tmpfs) cannot hold it. */
const FS_DISK_STAGE_PATH = '/var/tmp/amibake-fs.tgz';
/** install.sh, extracted from fs.tgz, run by the install step and removed. */
const INSTALL_SH_GUEST_PATH = '/var/run/install.sh';
/** The package inventory (CycloneDX JSON) the finish step writes after a successful install and
 *  uploads to STAGE_VARS.sbomUrl; on tmpfs, removed once sent. */
const GUEST_SBOM_FILE = (/* unused pure expression or super */ null && (`${GUEST_DIR}/sbom.json`));
/** The SBOM's media type: the presigned PUT is signed with it, and the guest sends it. */
const SBOM_CONTENT_TYPE = 'application/vnd.cyclonedx+json';
/** cloud-init's verdict once it has finished (a failing module or runcmd script is an error). */
const CLOUD_INIT_RESULT = '/run/cloud-init/result.json';
/** runcmd's steps in their order, each `sh amibake.sh STEP`; `finish` runs from power_state. */
const GUEST_STEPS = (/* unused pure expression or super */ null && (['fetch', 'extract', 'install', 'log']));
const GUEST_FINISH = 'finish';
/** Variables the guest reads only when a test sets them: another root, another console, GNU tar
 *  treated as older than 1.27, no wait for result.json. Never set on an instance. */
const GUEST_TEST_VARS = {
    root: 'AMIBAKE_ROOT',
    console: 'AMIBAKE_CONSOLE',
    tarFallback: 'AMIBAKE_TAR_FALLBACK',
    resultWait: 'AMIBAKE_RESULT_WAIT',
};
/** The install status the guest reports (docs: the stage contract's "| Status | Meaning |" table).
 *  Keys are the guest script's variable names; any status but OK means no AMI. */
const GUEST_STATUS = {
    OK: 0,
    CLOUDINIT: 1, // cloud-init recorded an error in result.json, or no result
    DOWNLOAD: 2, // fs.tgz download failed (or the inline one is missing)
    CHECKSUM: 3, // fs.tgz sha256 mismatch: nothing extracted
    EXTRACT: 4,
    INSTALL_FAILED: 5, // install.sh exited non-zero
    NOT_RUN: 6, // a runcmd command stopped the script before amibake's steps
    SANITISE: 7,
    TEST_FAILED: 8, // script/test.sh exited non-zero (the test instance, not the install)
};
/** The statuses each guest script reports: the install (amibake.sh) and the image test
 *  (amibake-test.sh, on an instance launched from the new AMI). */
const INSTALL_STATUSES = (/* unused pure expression or super */ null && ([
    'OK',
    'CLOUDINIT',
    'DOWNLOAD',
    'CHECKSUM',
    'EXTRACT',
    'INSTALL_FAILED',
    'NOT_RUN',
    'SANITISE',
]));
const TEST_STATUSES = (/* unused pure expression or super */ null && ([
    'OK',
    'CLOUDINIT',
    'TEST_FAILED',
]));
/* The image test's user data (userdata-test.gz): the test runner and script/test.sh, written by
 * write_files and run from power_state's condition once cloud-init has finished. */
/** The test runner on the test instance (src/compile/guest/amibake-test.sh). */
const TEST_RUNNER_PATH = `${GUEST_DIR}/amibake-test.sh`;
/** script/test.sh on the test instance (tmpfs: it never reaches an image). */
const TEST_SH_GUEST_PATH = `${GUEST_DIR}/test.sh`;
/** The test log: the runner's lines and test.sh's output, uploaded to AMIBAKE_LOG_URL. */
const TEST_LOG_PATH = (/* unused pure expression or super */ null && (`${GUEST_DIR}/test.log`));
/** cloud-init's state: `data/instance-id` (this boot's instance) and one `instances/<id>` folder per
 *  instance it has booted as. The test log names both: on the first boot of a sanitised image (the
 *  install's `cloud-init clean`), this instance is the only one. */
const CLOUD_INIT_STATE_DIR = '/var/lib/cloud';
/** Variables of PREPARED_ENV. */
const PREPARED_VARS = {
    fsMode: 'AMIBAKE_FS_MODE', // inline | external | none
    fsSha256: 'AMIBAKE_FS_SHA256',
    fsSize: 'AMIBAKE_FS_SIZE', // bytes; the guest stages a large external fs.tgz on disk instead of tmpfs
    s3Url: 'AMIBAKE_S3URL',
    region: 'AMIBAKE_REGION',
};
/** Variables of STAGE_ENV, all optional: the guest falls back to `aws s3 cp` for the fs and to
 *  the console alone for the result. */
const STAGE_VARS = {
    fsUrl: 'AMIBAKE_FS_URL', // presigned GET of fs.tgz
    resultUrl: 'AMIBAKE_RESULT_URL', // presigned PUT, body "status=<n>\n"
    logUrl: 'AMIBAKE_LOG_URL', // presigned PUT, body: the install log
    // presigned PUT (Content-Type SBOM_CONTENT_TYPE), body: the package inventory; absent = skipped
    sbomUrl: 'AMIBAKE_SBOM_URL',
    // The key pair the instance was launched with, only when there is one: sanitising then removes
    // that key (read from the instance metadata) from authorized_keys. Not a URL, not a secret.
    keyPair: 'AMIBAKE_KEYPAIR',
};
/** The one line the instance prints on /dev/console before it powers off. */
const RESULT_PREFIX = 'AMIBAKE-RESULT status=';
const RESULT_LINE_RE = /^AMIBAKE-RESULT status=(\d+)\s*$/m;
/** Bytes of gzip'd user data left for the build's part: four presigned URLs signed with session
 *  credentials (fs.tgz, result, log, package inventory) take about 2,560 at worst, measured in
 *  test/bake/userdata-budget.test.ts (see docs/stage-contract.md). */
const BUILD_RESERVE = 4_096;
/** The vars.env names a disk prepare (`amibake prepare --disk`) adds; absent KIND = an instance
 *  artifact. Prepare writes them (src/compile/vars.ts), the build reads them
 *  (src/features/disk-upload/artifact.ts). */
const DISK_VARS = {
    kind: 'KIND',
    manifestSha256: 'DISK_MANIFEST_SHA256',
    blocksSha256: 'DISK_BLOCKS_SHA256',
    size: 'DISK_SIZE',
    baseDigest: 'DISK_BASE_DIGEST',
    recipe: 'DISK_RECIPE',
};


/***/ }),

/***/ 5934:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R_: () => (/* binding */ formatEnv),
/* harmony export */   vc: () => (/* binding */ parseEnv)
/* harmony export */ });
/* unused harmony export shellQuote */
/** `KEY='value'` files that are safe to `source` from a shell whatever the values, and parsed
 *  here without running a shell. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function shellQuote(value) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
function formatEnv(vars) {
    return Object.entries(vars)
        .map(([k, v]) => {
        if (!NAME.test(k))
            throw new Error(`invalid variable name "${k}"`);
        return `${k}=${shellQuote(v)}\n`;
    })
        .join('');
}
/**
 * Parses the subset of shell assignment syntax that formatEnv writes, plus unquoted and
 * double-quoted values without expansions (what people write by hand in ami.env).
 * `file` names the file in errors.
 */
function parseEnv(text, file) {
    const out = {};
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const lineNo = i + 1;
        let line = lines[i].replace(/\r$/, '');
        if (/^\s*(#|$)/.test(line))
            continue;
        line = line.replace(/^\s*export\s+/, '');
        const eq = line.indexOf('=');
        const key = eq > 0 ? line.slice(0, eq) : '';
        if (!NAME.test(key))
            throw new Error(`${file}:${lineNo}: expected NAME=value`);
        let rest = line.slice(eq + 1);
        let value = '';
        while (rest.length > 0) {
            if (rest[0] === "'") {
                let end = rest.indexOf("'", 1);
                // A single-quoted value may span lines.
                while (end < 0 && i + 1 < lines.length) {
                    rest += '\n' + lines[++i];
                    end = rest.indexOf("'", 1);
                }
                if (end < 0)
                    throw new Error(`${file}:${lineNo}: unterminated single quote`);
                value += rest.slice(1, end);
                rest = rest.slice(end + 1);
            }
            else if (rest[0] === '"') {
                const m = /^"((?:[^"\\$`]|\\["\\$`])*)"/.exec(rest);
                if (!m)
                    throw new Error(`${file}:${lineNo}: unsupported double-quoted value (no expansions allowed)`);
                value += m[1].replace(/\\(["\\$`])/g, '$1');
                rest = rest.slice(m[0].length);
            }
            else if (rest[0] === '\\' && rest.length > 1) {
                value += rest[1];
                rest = rest.slice(2);
            }
            else if (/^\s*(#.*)?$/.test(rest)) {
                break;
            }
            else {
                const m = /^[^\s'"\\$`;&|<>()]+/.exec(rest);
                if (!m)
                    throw new Error(`${file}:${lineNo}: unsupported character in value of ${key}`);
                value += m[0];
                rest = rest.slice(m[0].length);
            }
        }
        out[key] = value;
    }
    return out;
}


/***/ }),

/***/ 4325:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ createCliLogger)
/* harmony export */ });
/* unused harmony export createActionLogger */
/* harmony import */ var _inert_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8275);
/** The core logs through this interface so that the same code serves the action (workflow
 *  commands via @actions/core) and the CLI (plain stderr). */

/** amibake's own lines can quote what the artifact carries (an S3 URL, a description, a digest
 *  claimed by vars.env): every line is neutralised, so no quoted text becomes a workflow command.
 *  amibake's own commands go through @actions/core's command functions, never through these. */
const plain = (m) => (0,_inert_js__WEBPACK_IMPORTED_MODULE_0__/* .neutralise */ .$0)(m).join('\n');
/** `commands`: the output is read by the GitHub runner (GITHUB_ACTIONS=true), so instance text is
 *  fenced with stop-commands. */
function createCliLogger(stream = process.stderr, verbose = false, commands = process.env.GITHUB_ACTIONS === 'true') {
    const secrets = [];
    const scrub = (s) => secrets.reduce((acc, x) => acc.split(x).join('***'), s);
    const write = (s) => stream.write(scrub(s) + '\n');
    return {
        info: (m) => write(plain(m)),
        warn: (m) => write(plain(`warning: ${m}`)),
        debug: (m) => {
            if (verbose)
                write(plain(`debug: ${m}`));
        },
        async group(title, fn) {
            write(plain(`== ${title}`));
            return fn();
        },
        mask: (s) => {
            if (s)
                secrets.push(s);
        },
        untrusted(text, title) {
            if (title)
                write(plain(title));
            // One write: nothing of ours can land inside the block.
            write((0,_inert_js__WEBPACK_IMPORTED_MODULE_0__/* .inertBlock */ .WC)(text, commands).join('\n'));
        },
    };
}
async function createActionLogger() {
    const core = await __webpack_require__.e(/* import() */ 224).then(__webpack_require__.bind(__webpack_require__, 5224));
    return {
        // warning, debug and group titles are command data, escaped by @actions/core (one line).
        info: (m) => core.info(plain(m)),
        warn: (m) => core.warning(m),
        debug: (m) => core.debug(m),
        group: (title, fn) => core.group(title, fn),
        mask: (s) => core.setSecret(s),
        untrusted(text, title) {
            if (title)
                core.info(plain(title));
            core.info(inertBlock(text, true).join('\n'));
        },
    };
}


/***/ }),

/***/ 3457:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fe: () => (/* binding */ nameFor),
/* harmony export */   Tt: () => (/* binding */ readOptions),
/* harmony export */   YA: () => (/* binding */ seconds),
/* harmony export */   kJ: () => (/* binding */ cliSource),
/* harmony export */   uK: () => (/* binding */ option)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1896);
/**
 * The options machinery. Each feature declares its slice of options (src/features/<f>/options.ts,
 * src/compile/options.ts); the composition root (src/pipeline/options.ts) assembles them into the
 * one table that drives the action inputs (kebab-case), the CLI environment variables, defaults,
 * validation, action.yml and the option tables of docs/*.md (`npm run docs`). The domain names an
 * option by its key only; `nameFor` is how a front calls it.
 */


/** Keeps `default` and `required` in the type, so StageOptions knows which values are always set. */
function option(def) {
    return def;
}
/** A number of seconds between `min` and `max`. */
const seconds = (min, max) => (0,_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .integer */ .nd)(min, max, 'seconds');
/** Reads and validates every option of a stage; reports all problems at once, each naming its
 *  option by key (OptionError; the front renders the names). */
function readOptions(table, stage, source) {
    const out = {};
    const problems = [];
    for (const [key, def] of Object.entries(table)) {
        if (!def.stages.includes(stage))
            continue;
        const onFront = source.front === 'action' ? def.input : def.env;
        const given = source.overrides?.[key] ?? (onFront ? source.get(def) : undefined);
        const raw = given !== undefined && given.trim() !== '' ? given : def.default;
        if (raw === undefined) {
            if (def.required)
                problems.push((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .msg */ .ab) `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .opt */ .m7)(key)}: is required`);
            out[key] = undefined;
            continue;
        }
        try {
            out[key] = def.parse(raw);
        }
        catch (err) {
            problems.push((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .msg */ .ab) `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .opt */ .m7)(key)}: ${err.message}`);
        }
    }
    // The source knows its front: the problems read as the user wrote the options.
    if (problems.length)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR(problems).named(nameFor(table, source.front, stage));
    return out;
}
/** How the front calls an option (for messages): `input 'base-ami'` or `BUILDAMI_BASEAMI`; an
 *  option the front lacks is named the way the other front calls it. */
function nameOf(def, key, front) {
    if (!def)
        return key;
    if (front === 'action' && def.input)
        return `input '${def.input}'`;
    if (front === 'cli' && def.env)
        return def.env;
    return def.input ? `input '${def.input}'` : (def.env ?? key);
}
/**
 * The names of a front at a stage, for `err.render(nameFor(...))`. On the action, an option of
 * another stage is the other action's (`action-prepare's input 's3-url'`); on the CLI, an option
 * that a positional argument may also give says so.
 */
function nameFor(table, front, stage) {
    return (key, ref) => {
        const def = table[key];
        const name = nameOf(def, key, front);
        if (front === 'action' && def && !def.stages.includes(stage))
            return `action-${def.stages[0]}'s ${name}`;
        if (front === 'cli' && ref?.argument)
            return def?.env ? `${name} (or the ${ref.argument} argument)` : ref.argument;
        return name;
    };
}
function cliSource(env = process.env, overrides) {
    return {
        front: 'cli',
        get: (def) => (def.env ? env[def.env] : undefined),
        overrides,
    };
}


/***/ }),

/***/ 1896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AB: () => (/* binding */ s3Url),
/* harmony export */   K9: () => (/* binding */ imageVersion),
/* harmony export */   Ny: () => (/* binding */ region),
/* harmony export */   Qq: () => (/* binding */ text),
/* harmony export */   T1: () => (/* binding */ pattern),
/* harmony export */   V2: () => (/* binding */ kmsKeyRegion),
/* harmony export */   nd: () => (/* binding */ integer),
/* harmony export */   p_: () => (/* binding */ list),
/* harmony export */   tO: () => (/* binding */ imageName),
/* harmony export */   zJ: () => (/* binding */ kmsKey),
/* harmony export */   zM: () => (/* binding */ boolean)
/* harmony export */ });
/* harmony import */ var _regions_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(849);
/** Value parsers for the options table. Each throws an Error whose message completes
 *  "<option name>: ..." and never names the option itself (the reader does). */

const text = (raw) => raw;
function pattern(re, what) {
    return (raw) => {
        if (!re.test(raw))
            throw new Error(`must be ${what} (got "${raw}")`);
        return raw;
    };
}
function integer(min, max, unit = '') {
    const u = unit ? ` ${unit}` : '';
    return (raw) => {
        if (!/^\d+$/.test(raw.trim()))
            throw new Error(`must be a whole number${u ? ` of${u}` : ''} (got "${raw}")`);
        const n = Number(raw.trim());
        if (n < min)
            throw new Error(`must be at least ${min}${u} (got ${n})`);
        if (n > max)
            throw new Error(`must be at most ${max}${u} (got ${n})`);
        return n;
    };
}
const boolean = (raw) => {
    const v = raw.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v))
        return true;
    if (['false', 'no', '0', 'off'].includes(v))
        return false;
    throw new Error(`must be true or false (got "${raw}")`);
};
/** Comma- or newline-separated list; blanks dropped. */
function list(item = text) {
    return (raw) => raw
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map(item);
}
const s3Url = (raw) => {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(raw.trim());
    if (!m || m[2].endsWith('/'))
        throw new Error(`must be an S3 object URL like s3://bucket/path/fs.tgz (got "${raw}")`);
    return { bucket: m[1], key: m[2], url: raw.trim() };
};
/** An AWS region the SDK knows, with a suggestion for a typo. */
const region = (raw) => {
    const value = raw.trim();
    const problem = (0,_regions_js__WEBPACK_IMPORTED_MODULE_0__/* .regionProblem */ .Og)(value);
    if (problem)
        throw new Error(problem);
    return value;
};
/** An image name: AWS's AMI name characters (with room for `-VERSION`), and `{}`. */
const imageName = pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{3,128}$/, 'a valid AMI name (3 to 128 characters)');
/** An image version. */
const imageVersion = pattern(/^[A-Za-z0-9()[\]./\-'@_ {}]{1,64}$/, 'a version made of letters, digits and ._-');
/** A KMS key id, alias or ARN (key or alias). */
const kmsKey = (raw) => {
    const v = raw.trim();
    const ok = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v) ||
        /^mrk-[0-9a-f]{32}$/.test(v) ||
        /^alias\/[A-Za-z0-9/_-]{1,250}$/.test(v) ||
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/.test(v);
    if (!ok)
        throw new Error(`must be a KMS key id, alias/NAME or key ARN (got "${raw}")`);
    return v;
};
/** The region of a KMS ARN, when the key is given as one. */
function kmsKeyRegion(key) {
    return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
}


/***/ }),

/***/ 849:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Og: () => (/* binding */ regionProblem)
});

// UNUSED EXPORTS: closestRegion, editDistance

;// CONCATENATED MODULE: ./src/core/sdk-regions.ts
// Generated by scripts/regions.mjs from @aws-sdk/core 3.981.0 (its endpoint partitions data,
// version 1.1). Do not edit: run `npm run regions` after upgrading the SDK.
const SDK_REGIONS = [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'cn-north-1',
    'cn-northwest-1',
    'eu-central-1',
    'eu-central-2',
    'eu-isoe-west-1',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eusc-de-east-1',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-gov-east-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-iso-west-1',
    'us-isob-east-1',
    'us-isob-west-1',
    'us-isof-east-1',
    'us-isof-south-1',
    'us-west-1',
    'us-west-2',
];

;// CONCATENATED MODULE: ./src/core/regions.ts
/**
 * AWS regions as the SDK knows them (src/core/sdk-regions.ts, generated from the installed SDK's
 * endpoint partitions). A typo region would otherwise reach the SDK, which builds an endpoint for
 * any well-formed name, and fail late with an unclear network error; checked before any AWS call.
 */

const KNOWN = new Set(SDK_REGIONS);
/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`eats` → `east`). */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.length][b.length];
}
/** The known region closest to `value`, when it is close enough to be a typo of it. */
function closestRegion(value) {
    const v = value.trim().toLowerCase();
    let best;
    let bestDistance = Infinity;
    for (const r of SDK_REGIONS) {
        const d = editDistance(v, r);
        if (d < bestDistance)
            [best, bestDistance] = [r, d];
    }
    return bestDistance <= Math.max(2, Math.floor(v.length / 3)) ? best : undefined;
}
/** Why `value` is not a region, completing "<option>: ", or undefined when it is one. */
function regionProblem(value) {
    if (KNOWN.has(value))
        return undefined;
    const guess = closestRegion(value);
    return (`"${value}" is not an AWS region the SDK knows` +
        (guess ? `: did you mean ${guess}?` : ' (regions look like us-east-1, eu-west-3, ap-northeast-1)'));
}


/***/ })

};
