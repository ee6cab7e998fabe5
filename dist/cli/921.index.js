export const id = 921;
export const ids = [921];
export const modules = {

/***/ 5736:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dk: () => (/* binding */ TAG),
/* harmony export */   He: () => (/* binding */ runTags),
/* harmony export */   LZ: () => (/* binding */ toTags),
/* harmony export */   rK: () => (/* binding */ imageTags)
/* harmony export */ });
const TAG = {
    name: 'Name',
    run: 'amibake:run',
    clientToken: 'amibake:client-token',
    imageName: 'amibake:name',
    version: 'amibake:version',
    digest: 'amibake:digest',
    baseAmi: 'amibake:base-ami',
};
function toTags(map) {
    return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}
function runTags(t) {
    return {
        ...t.extra,
        [TAG.name]: `amibake ${t.amiName}`,
        [TAG.run]: t.runId,
        [TAG.clientToken]: t.clientToken,
    };
}
function imageTags(t) {
    return {
        ...t.extra,
        [TAG.name]: t.amiName,
        [TAG.imageName]: t.name,
        [TAG.version]: t.version,
        [TAG.digest]: t.digest,
        [TAG.baseAmi]: t.baseAmi,
        [TAG.run]: t.runId,
        // Lets cleanup tell this bake's AMI from another one that took the same name.
        [TAG.clientToken]: t.clientToken,
    };
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

/***/ 101:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lw: () => (/* binding */ OPTIONS),
  kJ: () => (/* binding */ cliSource),
  Vb: () => (/* binding */ nameOf),
  Tt: () => (/* binding */ readOptions)
});

// UNUSED EXPORTS: optionName

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: ./src/golden/base-ami.ts
var base_ami = __webpack_require__(9060);
// EXTERNAL MODULE: ./src/golden/copy.ts
var copy = __webpack_require__(5680);
// EXTERNAL MODULE: ./src/golden/duration.ts
var duration = __webpack_require__(1661);
// EXTERNAL MODULE: ./src/golden/share.ts
var share = __webpack_require__(4390);
// EXTERNAL MODULE: ./src/golden/tags.ts
var tags = __webpack_require__(4276);
// EXTERNAL MODULE: ./src/golden/volume.ts
var volume = __webpack_require__(3503);
;// CONCATENATED MODULE: ./src/golden/parsers.ts
/** The golden-image option parsers, gathered for the options table. */







;// CONCATENATED MODULE: ./src/core/options.ts
/**
 * The one table of options. It drives the action inputs (kebab-case), the CLI environment
 * variables, defaults, validation, action.yml and the README's input tables (`npm run docs`).
 */



/** Keeps `default` and `required` in the type, so StageOptions knows which values are always set. */
function opt(def) {
    return def;
}
const seconds = (min, max) => parse/* integer */.nd(min, max, 'seconds');
const OPTIONS = {
    // ---- prepare ----
    source: opt({
        input: 'source',
        stages: ['prepare'],
        description: 'Image source folder (`cloudinit/`, `fs/`, `script/`, `ami.env`). The CLI takes it as its first argument.',
        required: true,
        parse: parse/* text */.Qq,
    }),
    target: opt({
        input: 'target',
        stages: ['prepare'],
        description: 'Folder the prepared files are written to. The CLI takes it as its second argument.',
        default: 'amibake-out',
        parse: parse/* text */.Qq,
    }),
    awsRegion: opt({
        input: 'aws-region',
        env: 'AWSREGION',
        stages: ['prepare'],
        description: 'Region the instance uses for `aws s3 cp` when no presigned URL is handed to it.',
        default: 'ap-northeast-1',
        parse: parse/* region */.Ny,
    }),
    s3Url: opt({
        input: 's3-url',
        env: 'S3URL',
        stages: ['prepare'],
        description: 'Where `fs.tgz` is staged (`s3://bucket/path/fs.tgz`). Required only when the files do not fit inline.',
        parse: parse/* s3Url */.AB,
    }),
    artifactName: opt({
        input: 'artifact-name',
        stages: ['prepare', 'build'],
        description: 'Name of the workflow artifact that carries the prepared files from the prepare job to the build job.',
        default: 'amibake',
        parse: parse/* pattern */.T1(/^[^"\\:<>|*?/\r\n]+$/, 'a valid artifact name'),
    }),
    // ---- build ----
    directory: opt({
        input: 'directory',
        stages: ['build'],
        description: 'Use the prepared files in this folder instead of downloading the artifact.',
        parse: parse/* text */.Qq,
    }),
    userdata: opt({
        env: 'BUILDAMI_USERDATA',
        stages: ['build'],
        description: 'Path to `userdata.gz` (or the first argument). `vars.env` and `fs.tgz` beside it are used too.',
        parse: parse/* text */.Qq,
    }),
    targetName: opt({
        input: 'target-name',
        env: 'BUILDAMI_TARGETNAME',
        stages: ['build'],
        description: 'Image name (or the second argument); the AMI is named `NAME-VERSION`. Default: `NAME` from `ami.env`.',
        parse: parse/* pattern */.T1(/^[A-Za-z0-9()[\]./\-'@_ {}]{3,128}$/, 'a valid AMI name (3 to 128 characters)'),
    }),
    targetVersion: opt({
        input: 'target-version',
        env: 'BUILDAMI_TARGETVERSION',
        stages: ['build'],
        description: 'Image version (or the third argument). Default: `VERSION` from `ami.env`.',
        parse: parse/* pattern */.T1(/^[A-Za-z0-9()[\]./\-'@_ {}]{1,64}$/, 'a version made of letters, digits and ._-'),
    }),
    targetDescription: opt({
        input: 'target-description',
        env: 'BUILDAMI_TARGETDESCRIPTION',
        stages: ['build'],
        description: 'AMI description. Default: `DESCRIPTION` from `ami.env`, else generated from the name and version.',
        parse: parse/* pattern */.T1(/^.{1,255}$/s, 'at most 255 characters'),
    }),
    baseAmi: opt({
        input: 'base-ami',
        env: 'BUILDAMI_BASEAMI',
        stages: ['build'],
        description: 'The base AMI the temporary instance boots: an id, `resolve:ssm:/parameter/path`, or `name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]` (newest available, not deprecated). Resolved before anything is launched.',
        required: true,
        // Validated here, resolved by src/golden/base-ami.ts (an SSM or EC2 lookup).
        parse: (raw) => (base_ami/* baseAmiRef */.Ii(raw), raw.trim()),
    }),
    securityGroups: opt({
        input: 'security-groups',
        env: 'BUILDAMI_SECURITYGROUPS',
        stages: ['build'],
        description: 'Security group ids for the temporary instance, separated by commas or newlines.',
        required: true,
        parse: parse/* list */.p_(parse/* pattern */.T1(/^sg-[0-9a-f]{8,17}$/, 'security group ids such as sg-0123456789abcdef0')),
    }),
    subnet: opt({
        input: 'subnet',
        env: 'BUILDAMI_SUBNET',
        stages: ['build'],
        description: 'Subnet id for the temporary instance.',
        required: true,
        parse: parse/* pattern */.T1(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0123456789abcdef0'),
    }),
    profile: opt({
        input: 'instance-profile',
        env: 'BUILDAMI_PROFILE',
        stages: ['build'],
        description: 'IAM instance profile (name or ARN). Optional: the instance needs no AWS access of its own.',
        parse: parse/* pattern */.T1(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
    }),
    instanceType: opt({
        input: 'instance-type',
        env: 'BUILDAMI_TYPE',
        stages: ['build'],
        description: 'Instance type of the temporary instance.',
        default: 't3.nano',
        parse: parse/* pattern */.T1(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro'),
    }),
    keyPair: opt({
        input: 'key-pair',
        env: 'BUILDAMI_KEYPAIR',
        stages: ['build'],
        description: 'Key pair for the temporary instance. Default: none (amibake never needs SSH).',
        parse: parse/* pattern */.T1(/^.{1,255}$/, 'a key pair name'),
    }),
    outputFile: opt({
        input: 'output-file',
        env: 'BUILDAMI_OUTPUT',
        stages: ['build'],
        description: 'File to write `AMI_ID=`, `AMI_NAME=`, `REGION=` lines to (sourceable).',
        parse: parse/* text */.Qq,
    }),
    timeoutInstance: opt({
        input: 'timeout-instance',
        env: 'BUILDAMI_TIMEOUT_INSTANCE',
        stages: ['build'],
        description: 'Seconds the install may take, from launch until the instance has stopped (at least 120).',
        default: '1800',
        parse: seconds(120, 86_400),
    }),
    timeoutAmi: opt({
        input: 'timeout-ami',
        env: 'BUILDAMI_TIMEOUT_AMI',
        stages: ['build'],
        description: 'Seconds the AMI creation may take until it is available (at least 120).',
        default: '3600',
        parse: seconds(120, 86_400),
    }),
    waitInstance: opt({
        input: 'wait-instance',
        env: 'BUILDAMI_WAIT_INSTANCE',
        stages: ['build'],
        description: 'Seconds between checks of the instance state (at most 60).',
        default: '5',
        parse: seconds(1, 60),
    }),
    waitAmi: opt({
        input: 'wait-ami',
        env: 'BUILDAMI_WAIT_AMI',
        stages: ['build'],
        description: 'Seconds between checks of the AMI state (at most 60).',
        default: '5',
        parse: seconds(1, 60),
    }),
    buildS3Url: opt({
        input: 'build-s3-url',
        env: 'BUILDAMI_S3URL',
        stages: ['build'],
        description: 'S3 URL `fs.tgz` is uploaded to; the install result and log are written beside it. The action takes it from this input only; the CLI defaults to `S3URL` from `vars.env`. A `vars.env` naming another S3URL is refused.',
        parse: parse/* s3Url */.AB,
    }),
    s3Region: opt({
        input: 's3-region',
        env: 'BUILDAMI_S3REGION',
        stages: ['build'],
        description: 'Region of the S3 bucket. Default: the build region.',
        parse: parse/* region */.Ny,
    }),
    fsTgz: opt({
        env: 'BUILDAMI_FSTGZ',
        stages: ['build'],
        description: 'Path to `fs.tgz`. Default: `fs.tgz` beside the user data, when prepare produced one.',
        parse: parse/* text */.Qq,
    }),
    allowNoResult: opt({
        input: 'allow-no-result',
        env: 'BUILDAMI_ALLOW_NO_RESULT',
        stages: ['build'],
        description: 'Create the AMI when the instance stopped without reporting an install result (a base image without amibake’s result reporting).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    // ---- golden-image features (src/golden) ----
    tags: opt({
        input: 'tags',
        env: 'BUILDAMI_TAGS',
        stages: ['build'],
        description: 'Tags for the AMI, its snapshots and copies, and the build instance: `key=value` items separated by commas or newlines. Values may use `{name}`, `{version}`, `{base_ami}`, `{run_id}`, `{date}`.',
        parse: tags/* tagList */.Tw,
    }),
    rootVolumeSize: opt({
        input: 'root-volume-size',
        env: 'BUILDAMI_ROOT_VOLUME_SIZE',
        stages: ['build'],
        description: 'Root volume size in GiB. Default: the base image’s.',
        parse: parse/* integer */.nd(1, 65_536, 'GiB'),
    }),
    rootVolumeType: opt({
        input: 'root-volume-type',
        env: 'BUILDAMI_ROOT_VOLUME_TYPE',
        stages: ['build'],
        description: 'Root volume type: gp3, gp2, io2, io1 or standard.',
        default: 'gp3',
        parse: volume/* rootVolumeType */.dZ,
    }),
    rootVolumeIops: opt({
        input: 'root-volume-iops',
        env: 'BUILDAMI_ROOT_VOLUME_IOPS',
        stages: ['build'],
        description: 'Provisioned IOPS of the root volume (gp3 3000 to 80000; io1 and io2 require it).',
        parse: parse/* integer */.nd(100, 256_000, 'IOPS'),
    }),
    rootVolumeThroughput: opt({
        input: 'root-volume-throughput',
        env: 'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
        stages: ['build'],
        description: 'Throughput of a gp3 root volume in MiB/s (125 to 2000).',
        parse: parse/* integer */.nd(125, 2_000, 'MiB/s'),
    }),
    encrypt: opt({
        input: 'encrypt',
        env: 'BUILDAMI_ENCRYPT',
        stages: ['build'],
        description: 'Encrypt the root volume, hence the AMI’s snapshot (and its copies).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    kmsKey: opt({
        input: 'kms-key',
        env: 'BUILDAMI_KMS_KEY',
        stages: ['build'],
        description: 'KMS key (id, alias/NAME or ARN) for the encrypted root volume. Default: the account’s EBS default key. Needed to share an encrypted AMI.',
        parse: volume/* kmsKey */.zJ,
    }),
    amiImdsv2: opt({
        input: 'ami-imdsv2',
        env: 'BUILDAMI_AMI_IMDSV2',
        stages: ['build'],
        description: 'Mark the AMI (and its copies) IMDSv2-only (`ImdsSupport v2.0`): instances launched from it require session tokens. The build instance always requires IMDSv2.',
        default: 'true',
        parse: parse/* boolean */.zM,
    }),
    copyRegions: opt({
        input: 'copy-regions',
        env: 'BUILDAMI_COPY_REGIONS',
        stages: ['build'],
        description: 'Regions to copy the AMI to, in parallel, separated by commas or newlines.',
        parse: parse/* list */.p_(parse/* region */.Ny),
    }),
    copyKmsKeys: opt({
        input: 'copy-kms-keys',
        env: 'BUILDAMI_COPY_KMS_KEYS',
        stages: ['build'],
        description: 'KMS key of each encrypted copy: `region=key` items separated by commas or newlines. A region listed here gets an encrypted copy.',
        parse: copy/* regionKeyMap */.AM,
    }),
    timeoutCopy: opt({
        input: 'timeout-copy',
        env: 'BUILDAMI_TIMEOUT_COPY',
        stages: ['build'],
        description: 'Seconds the copies may take until all are available (at least 120).',
        default: '3600',
        parse: seconds(120, 86_400),
    }),
    shareAccounts: opt({
        input: 'share-accounts',
        env: 'BUILDAMI_SHARE_ACCOUNTS',
        stages: ['build'],
        description: 'AWS account ids allowed to launch the AMI and its copies, separated by commas or newlines.',
        parse: parse/* list */.p_(share/* accountId */.lS),
    }),
    shareOrgs: opt({
        input: 'share-organizations',
        env: 'BUILDAMI_SHARE_ORGS',
        stages: ['build'],
        description: 'Organization ARNs allowed to launch the AMI and its copies.',
        parse: parse/* list */.p_(share/* organizationArn */.TB),
    }),
    shareOus: opt({
        input: 'share-ous',
        env: 'BUILDAMI_SHARE_OUS',
        stages: ['build'],
        description: 'Organizational unit ARNs allowed to launch the AMI and its copies.',
        parse: parse/* list */.p_(share/* ouArn */.ae),
    }),
    shareSnapshots: opt({
        input: 'share-snapshots',
        env: 'BUILDAMI_SHARE_SNAPSHOTS',
        stages: ['build'],
        description: 'Also let the share accounts create volumes from the snapshots (needed to copy the AMI): `auto` does so for encrypted AMIs.',
        default: 'auto',
        parse: share/* snapshotSharing */.n2,
    }),
    public: opt({
        input: 'public',
        env: 'BUILDAMI_PUBLIC',
        stages: ['build'],
        description: 'Make the AMI and its copies public (every AWS account can launch them). Warns.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    deprecateAfter: opt({
        input: 'deprecate-after',
        env: 'BUILDAMI_DEPRECATE_AFTER',
        stages: ['build'],
        description: 'Deprecate the AMI and its copies this long after the bake, e.g. `90d`, `12w` (units m, h, d, w).',
        parse: duration/* duration */.p(60_000, 10 * 365 * 86_400_000),
    }),
    deregistrationProtection: opt({
        input: 'deregistration-protection',
        env: 'BUILDAMI_DEREGISTRATION_PROTECTION',
        stages: ['build'],
        description: 'Protect the AMI and its copies from deregistration: `true`, or `cooldown` (protection stays 24 h after being disabled).',
        default: 'false',
        parse: share/* protection */.sc,
    }),
    keepLast: opt({
        input: 'keep-last',
        env: 'BUILDAMI_KEEP_LAST',
        stages: ['build'],
        description: 'Keep the newest N AMIs of this name (`amibake:name`) in each region the bake touched; deregister older ones and delete their snapshots. Default: keep all.',
        parse: parse/* integer */.nd(1, 1000, 'AMIs'),
    }),
    dryRun: opt({
        input: 'dry-run',
        env: 'BUILDAMI_DRY_RUN',
        stages: ['build', 'sweep'],
        description: 'Resolve and validate everything, prove the permissions with EC2 DryRun calls and print the plan; launch, copy, share and delete nothing.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    sweep: opt({
        input: 'sweep',
        env: 'BUILDAMI_SWEEP',
        stages: ['build'],
        description: 'Before launching, run the janitor in the region: terminate amibake build instances older than `sweep-age` and finish the AMIs stopped bakes left (discard failed or pending ones, tag the snapshots of available ones).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    sweepAge: opt({
        input: 'sweep-age',
        env: 'BUILDAMI_SWEEP_AGE',
        stages: ['build', 'sweep'],
        description: 'Age past which an amibake build instance or unfinished AMI counts as leaked (longer than any bake: the instance and AMI timeouts).',
        default: '6h',
        parse: duration/* duration */.p(60 * 60_000, 365 * 86_400_000),
    }),
};
/** How an option is called on a front: the message prefix of its errors. */
function optionName(def, front) {
    return front === 'action' ? `input '${def.input}'` : `${def.env}`;
}
/** Reads and validates every option of a stage; reports all problems at once. */
function readOptions(stage, source) {
    const out = {};
    const problems = [];
    for (const [key, def] of Object.entries(OPTIONS)) {
        if (!def.stages.includes(stage))
            continue;
        const onFront = source.front === 'action' ? def.input : def.env;
        const given = source.overrides?.[key] ?? (onFront ? source.get(def) : undefined);
        const raw = given !== undefined && given.trim() !== '' ? given : def.default;
        const name = onFront ? optionName(def, source.front) : key;
        if (raw === undefined) {
            if (def.required)
                problems.push(`${name}: is required`);
            out[key] = undefined;
            continue;
        }
        try {
            out[key] = def.parse(raw);
        }
        catch (err) {
            problems.push(`${name}: ${err.message}`);
        }
    }
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
    return out;
}
/** Names an option the way the current front calls it, for errors raised after parsing. */
function nameOf(key, front) {
    const def = OPTIONS[key];
    if (front === 'action' && def.input)
        return `input '${def.input}'`;
    if (front === 'cli' && def.env)
        return def.env;
    return def.input ? `input '${def.input}'` : (def.env ?? key);
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
/* harmony export */   Ny: () => (/* binding */ region),
/* harmony export */   Qq: () => (/* binding */ text),
/* harmony export */   T1: () => (/* binding */ pattern),
/* harmony export */   nd: () => (/* binding */ integer),
/* harmony export */   p_: () => (/* binding */ list),
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


/***/ }),

/***/ 9160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   EZ: () => (/* binding */ tagValue),
/* harmony export */   F1: () => (/* binding */ findImage),
/* harmony export */   Ns: () => (/* binding */ snapshotIds),
/* harmony export */   V5: () => (/* binding */ refusedByAws),
/* harmony export */   aH: () => (/* binding */ removeImage),
/* harmony export */   ci: () => (/* binding */ tagImageAndSnapshots),
/* harmony export */   jB: () => (/* binding */ findOwnImageByName),
/* harmony export */   pH: () => (/* binding */ snapshotsByDescription),
/* harmony export */   ph: () => (/* binding */ isEncrypted)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/** Small EC2 helpers shared by the golden-image features: error codes, image lookups, tagging
 *  an image with its snapshots, and removing an image with its snapshots. */


/** The AWS error code of an SDK error ('DryRunOperation', 'InvalidAMIID.NotFound', ...). */
function errorCode(err) {
    const e = err;
    return e?.Code ?? e?.name ?? e?.code ?? '';
}
const THROTTLING = /^(RequestLimitExceeded|Throttling|ThrottlingException|ThrottledException|RequestThrottled|SlowDown|TooManyRequestsException)$/;
/** AWS answered and refused the call (a 4xx that is not throttling): it was not carried out. Any
 *  other failure (5xx, throttling, a lost connection) may have come after AWS did the work. */
function refusedByAws(err) {
    const status = err?.$metadata?.httpStatusCode;
    return (status !== undefined &&
        status >= 400 &&
        status < 500 &&
        status !== 429 &&
        !THROTTLING.test(errorCode(err)));
}
function snapshotIds(image) {
    return (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s) => !!s);
}
function isEncrypted(image) {
    return (image.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted === true);
}
/** The snapshots EC2 made for `imageId`, found by their description ("Created by CreateImage(...)
 *  for ami-..."): a pending AMI does not list them yet, but they exist and outlive it. */
async function snapshotsByDescription(ec2, imageId) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeSnapshotsCommand */ .MmI({
        OwnerIds: ['self'],
        Filters: [{ Name: 'description', Values: [`*${imageId}*`] }],
    }));
    return (out.Snapshots ?? []).map((s) => s.SnapshotId).filter(Boolean);
}
/** The image, or undefined when it does not exist (any more). */
async function findImage(ec2, imageId) {
    try {
        const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeImagesCommand */ .ji5({ ImageIds: [imageId] }));
        return out.Images?.find((i) => i.ImageId === imageId);
    }
    catch (err) {
        if (/^InvalidAMIID\./.test(errorCode(err)))
            return undefined;
        throw err;
    }
}
/** Our own image of that name in the client's region (AMI names are unique per region and owner). */
async function findOwnImageByName(ec2, name) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeImagesCommand */ .ji5({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    return out.Images?.find((i) => i.Name === name);
}
const tagValue = (image, key) => image.Tags?.find((t) => t.Key === key)?.Value;
/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
async function tagImageAndSnapshots(ec2, image, tags) {
    const snaps = snapshotIds(image);
    if (tags.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .CreateTagsCommand */ .RmG({ Resources: [image.ImageId, ...snaps], Tags: tags }));
    return snaps;
}
/**
 * Deregisters the image, then deletes its snapshots (a snapshot cannot go while an image uses
 * it). `extraSnapshots` are snapshots known from elsewhere (a pending copy lists none yet).
 * Idempotent: a missing image or snapshot is not a problem.
 */
async function removeImage(ec2, imageId, log, extraSnapshots = []) {
    const problems = [];
    let image;
    try {
        image = await findImage(ec2, imageId);
    }
    catch (err) {
        problems.push(`describe ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
    }
    const snapshots = [...new Set([...(image ? snapshotIds(image) : []), ...extraSnapshots])];
    if (image) {
        try {
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DeregisterImageCommand */ .x2c({ ImageId: imageId }));
        }
        catch (err) {
            if (!/^InvalidAMIID\./.test(errorCode(err)))
                problems.push(`deregister ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    if (problems.length === 0) {
        for (const snap of snapshots) {
            try {
                await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .DeleteSnapshotCommand */ .tZN({ SnapshotId: snap }));
            }
            catch (err) {
                if (errorCode(err) !== 'InvalidSnapshot.NotFound')
                    problems.push(`delete ${snap}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
            }
        }
    }
    for (const p of problems)
        log.warn(p);
    return { imageId, snapshots, problems };
}


/***/ }),

/***/ 9060:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ii: () => (/* binding */ baseAmiRef),
/* harmony export */   JL: () => (/* binding */ resolveBaseAmi)
/* harmony export */ });
/* unused harmony export isDeprecated */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5193);
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4736);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9160);
/**
 * The base image by reference: an id, an SSM parameter (`resolve:ssm:/path`, the syntax
 * RunInstances itself accepts) or a name filter with owners (newest available, not deprecated).
 * The resolved id is what the bake uses, tags (`amibake:base-ami`) and folds into its digest.
 */




const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const SSM_PREFIX = 'resolve:ssm:';
// A parameter name (path or plain), optionally `:version` or `:label`.
const SSM_NAME = /^(\/?[A-Za-z0-9_.\-/]{1,2047})(:[A-Za-z0-9_.-]{1,100})?$/;
const OWNER = /^(\d{12}|self|amazon|aws-marketplace|aws-backup-vault)$/;
const NAME_PATTERN = /^[A-Za-z0-9()[\]./\-'@_ *?]{1,128}$/;
const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'];
const USAGE = 'an AMI id (ami-0123456789abcdef0), resolve:ssm:/parameter/path, or name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]';
/** Parser for BUILDAMI_BASEAMI / base-ami. */
const baseAmiRef = (input) => {
    const raw = input.trim();
    if (AMI_ID.test(raw))
        return { kind: 'id', raw, id: raw };
    if (raw.startsWith(SSM_PREFIX)) {
        const parameter = raw.slice(SSM_PREFIX.length);
        if (!SSM_NAME.test(parameter) || /^\/?aws\/?$/.test(parameter))
            throw new Error(`must name an SSM parameter after resolve:ssm: (got "${raw}")`);
        return { kind: 'ssm', raw, parameter };
    }
    if (raw.includes('=')) {
        let name;
        let architecture;
        const owners = [];
        for (const part of raw.split(',').map((s) => s.trim())) {
            const eq = part.indexOf('=');
            const key = part.slice(0, eq).trim().toLowerCase();
            const value = part.slice(eq + 1).trim();
            if (eq < 0 || !value)
                throw new Error(`"${part}" is not key=value; must be ${USAGE}`);
            if (key === 'name') {
                if (name !== undefined)
                    throw new Error('name= is given twice');
                if (!NAME_PATTERN.test(value))
                    throw new Error(`name pattern "${value}" may hold AMI name characters and the wildcards * and ?`);
                name = value;
            }
            else if (key === 'owner') {
                if (!OWNER.test(value))
                    throw new Error(`owner "${value}" must be a 12-digit account id, self, amazon or aws-marketplace`);
                owners.push(value);
            }
            else if (key === 'architecture' || key === 'arch') {
                if (!ARCHITECTURES.includes(value))
                    throw new Error(`architecture "${value}" must be one of ${ARCHITECTURES.join(', ')}`);
                architecture = value;
            }
            else
                throw new Error(`unknown filter key "${key}"; must be ${USAGE}`);
        }
        if (!name)
            throw new Error(`a filter needs name=PATTERN; must be ${USAGE}`);
        // Without an owner anyone could publish a newer image that matches the name.
        if (!owners.length)
            throw new Error(`a name filter needs at least one owner=ACCOUNT (got "${raw}")`);
        return { kind: 'filter', raw, name, owners: [...new Set(owners)], architecture };
    }
    throw new Error(`must be ${USAGE} (got "${raw}")`);
};
function isDeprecated(image, now) {
    return !!image.DeprecationTime && Date.parse(image.DeprecationTime) <= now.getTime();
}
async function resolveBaseAmi(input) {
    const { ref, option } = input;
    const now = input.now ?? new Date();
    switch (ref.kind) {
        case 'id': {
            const image = await describeBase(input, ref.id);
            return { imageId: ref.id, image, via: 'id', how: ref.id, warnings: deprecation(image, now) };
        }
        case 'ssm': {
            const id = await readParameter(input, ref.parameter);
            const image = await describeBase(input, id);
            const how = `SSM parameter ${ref.parameter}`;
            return { imageId: id, image, via: 'ssm', how, warnings: deprecation(image, now) };
        }
        case 'filter': {
            const filters = [
                { Name: 'name', Values: [ref.name] },
                { Name: 'state', Values: ['available'] },
                { Name: 'image-type', Values: ['machine'] },
            ];
            if (ref.architecture)
                filters.push({ Name: 'architecture', Values: [ref.architecture] });
            const found = [];
            try {
                for await (const page of (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .paginateDescribeImages */ .XiR)({ client: input.ec2, pageSize: 1000 }, { Owners: ref.owners, Filters: filters, IncludeDeprecated: false }))
                    found.push(...(page.Images ?? []));
            }
            catch (err) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${option}: cannot search images (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)})`);
            }
            // An owner sees its own deprecated images whatever IncludeDeprecated says.
            const usable = found.filter((i) => i.State === 'available' && !isDeprecated(i, now));
            usable.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
                (b.ImageId ?? '').localeCompare(a.ImageId ?? ''));
            const best = usable[0];
            if (!best)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${option}: no available, non-deprecated image matches name "${ref.name}" owned by ${ref.owners.join(', ')}` +
                    (ref.architecture ? ` (architecture ${ref.architecture})` : '') +
                    (found.length ? ` (${found.length} matched but are deprecated or not available)` : ''));
            return {
                imageId: best.ImageId,
                image: best,
                via: 'filter',
                warnings: [],
                how: `newest of ${usable.length} image(s) named "${ref.name}" owned by ${ref.owners.join(', ')}: ${best.Name} (${best.CreationDate})`,
            };
        }
    }
}
function deprecation(image, now) {
    return isDeprecated(image, now)
        ? [`base image ${image.ImageId} (${image.Name}) is deprecated since ${image.DeprecationTime}`]
        : [];
}
async function readParameter(input, parameter) {
    let value;
    try {
        const out = await input.ssm.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .GetParameterCommand */ .lhy({ Name: parameter }));
        value = out.Parameter?.Value;
    }
    catch (err) {
        const code = (0,_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .errorCode */ .CA)(err);
        if (code === 'ParameterNotFound' || code === 'ParameterVersionNotFound')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: SSM parameter ${parameter} does not exist in this region`);
        if (code === 'AccessDeniedException')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: not allowed to read SSM parameter ${parameter} (ssm:GetParameter)`);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: cannot read SSM parameter ${parameter} (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)})`);
    }
    value = value?.trim();
    if (!value || !AMI_ID.test(value))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: SSM parameter ${parameter} holds "${value ?? ''}", not an AMI id`);
    return value;
}
async function describeBase(input, id) {
    let image;
    try {
        const out = await input.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .DescribeImagesCommand */ .ji5({ ImageIds: [id], IncludeDeprecated: true }));
        image = out.Images?.find((i) => i.ImageId === id);
    }
    catch (err) {
        if (!/^InvalidAMIID\./.test((0,_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .errorCode */ .CA)(err)))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: cannot describe ${id} (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)})`);
    }
    if (!image)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: image ${id} does not exist or is not visible to this account`);
    if (image.State !== 'available')
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: image ${id} is ${image.State}, not available`);
    if (image.RootDeviceType === 'instance-store')
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${input.option}: image ${id} is instance-store-backed; amibake bakes EBS-backed images`);
    return image;
}


/***/ }),

/***/ 5680:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AM: () => (/* binding */ regionKeyMap),
/* harmony export */   FP: () => (/* binding */ planCopies),
/* harmony export */   Kl: () => (/* binding */ parseCopyState),
/* harmony export */   On: () => (/* binding */ copyToRegions),
/* harmony export */   gG: () => (/* binding */ recoverCopies),
/* harmony export */   nh: () => (/* binding */ serializeCopyState),
/* harmony export */   qo: () => (/* binding */ checkCopyTargets)
/* harmony export */ });
/* unused harmony export removeCopy */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1896);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9160);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4276);
/* harmony import */ var _volume_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3503);
/**
 * Multi-region copies: CopyImage to every region in parallel, the same tags on each copy and its
 * snapshots (tagged explicitly: TagSpecifications are not honoured everywhere), wait for all,
 * and a journal the caller persists so that an interrupted copy is finished or removed later
 * (the action's post step, the CLI's signal handler) instead of being left untagged.
 */






/** Parser for copy-kms-keys: `region=key` items. */
const regionKeyMap = (raw) => {
    const out = {};
    for (const item of raw
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean)) {
        const eq = item.indexOf('=');
        if (eq < 0)
            throw new Error(`"${item}" is not region=kms-key`);
        const region = (0,_core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .region */ .Ny)(item.slice(0, eq).trim());
        const key = (0,_volume_js__WEBPACK_IMPORTED_MODULE_4__/* .kmsKey */ .zJ)(item.slice(eq + 1).trim());
        if (out[region])
            throw new Error(`region ${region} is given twice`);
        const keyRegion = (0,_volume_js__WEBPACK_IMPORTED_MODULE_4__/* .kmsKeyRegion */ .V2)(key);
        if (keyRegion && keyRegion !== region)
            throw new Error(`the key for ${region} is in ${keyRegion}; a copy needs a key of its own region`);
        out[region] = key;
    }
    return out;
};
/** The copies to make: distinct regions other than the build's, each with its key. */
function planCopies(i) {
    const regions = [...new Set(i.regions)].filter((r) => r !== i.sourceRegion);
    const stray = Object.keys(i.kmsKeys).filter((r) => !regions.includes(r));
    if (stray.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${i.names.kmsKeys}: ${stray.join(', ')} is not among ${i.names.regions} (${regions.join(', ') || 'none'})`);
    return regions.map((region) => {
        const kmsKeyId = i.kmsKeys[region];
        return { region, encrypted: i.encrypt || !!kmsKeyId, ...(kmsKeyId && { kmsKeyId }) };
    });
}
/**
 * Refuses before copying anything when a region already holds an AMI of that name from another
 * bake; returns the regions where the same bake's copy already exists.
 */
async function checkCopyTargets(i) {
    const existing = {};
    const clashes = [];
    await Promise.all(i.copies.map(async ({ region }) => {
        const image = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .findOwnImageByName */ .jB)(i.clientFor(region), i.name);
        if (!image)
            return;
        if ((0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .tagValue */ .EZ)(image, _tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.digest) === i.digest && image.State !== 'failed')
            existing[region] = image;
        else
            clashes.push(`${region} already has ${image.ImageId} named "${i.name}" (${image.State}, digest ${(0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .tagValue */ .EZ)(image, _tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.digest) ?? 'none'})`);
    }));
    if (clashes.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`cannot copy: ${clashes.sort().join('; ')}. Choose another name or version, or deregister it.`);
    return existing;
}
async function copyToRegions(i) {
    const existing = await checkCopyTargets(i);
    const state = {
        sourceRegion: i.sourceRegion,
        sourceImageId: i.sourceImageId,
        tags: i.tags,
        copies: i.copies.map((c, n) => ({
            region: c.region,
            name: i.name,
            clientToken: `${i.token}-${n}`.slice(-64),
            status: 'requested',
            ...(existing[c.region] && { imageId: existing[c.region].ImageId }),
        })),
    };
    const save = () => i.journal?.(structuredClone(state));
    save();
    const results = await Promise.allSettled(i.copies.map((c, n) => copyOne(i, c, state.copies[n], existing[c.region], save)));
    const out = {};
    const failures = [];
    results.forEach((r, n) => {
        const region = i.copies[n].region;
        if (r.status === 'fulfilled')
            out[region] = r.value;
        else
            failures.push(`${region}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(r.reason)}`);
    });
    if (failures.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`copy failed in ${failures.join('; ')}`);
    return out;
}
async function copyOne(i, plan, rec, existing, save) {
    const ec2 = i.clientFor(plan.region);
    const started = Date.now();
    try {
        if (!existing) {
            const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .CopyImageCommand */ .SDF({
                SourceImageId: i.sourceImageId,
                SourceRegion: i.sourceRegion,
                Name: i.name,
                Description: i.description,
                ClientToken: rec.clientToken,
                CopyImageTags: false,
                ...(plan.encrypted && { Encrypted: true }),
                ...(plan.kmsKeyId && { KmsKeyId: plan.kmsKeyId }),
                TagSpecifications: [
                    { ResourceType: 'image', Tags: i.tags },
                    { ResourceType: 'snapshot', Tags: i.tags },
                ],
            }));
            rec.imageId = out.ImageId;
            save();
            if (!rec.imageId)
                throw new Error('CopyImage returned no image id');
            i.log.info(`copying ${i.sourceImageId} to ${plan.region} as ${rec.imageId}${plan.encrypted ? ' (encrypted)' : ''}`);
            // Tag the pending copy at once: whatever happens next, it is recognisable as amibake's.
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .CreateTagsCommand */ .RmG({ Resources: [rec.imageId], Tags: i.tags }));
        }
        else
            i.log.info(`${plan.region}: ${rec.imageId} is this bake's copy already, reusing it`);
        const image = await waitAvailable(ec2, rec.imageId, i);
        const snapshots = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .tagImageAndSnapshots */ .ci)(ec2, image, i.tags);
        rec.status = existing ? 'reused' : 'tagged';
        save();
        return {
            region: plan.region,
            imageId: rec.imageId,
            reused: !!existing,
            snapshots,
            seconds: (Date.now() - started) / 1000,
        };
    }
    catch (err) {
        // A failed, timed-out or aborted copy is removed: nothing half-made stays behind.
        if (rec.imageId && !existing) {
            await removeCopy(ec2, rec.imageId, i.log);
            rec.status = 'removed';
            save();
        }
        throw err;
    }
}
async function waitAvailable(ec2, imageId, i) {
    try {
        await (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .waitUntilImageAvailable */ .Ex1)({
            client: ec2,
            maxWaitTime: i.timeoutSeconds,
            minDelay: i.pollSeconds,
            maxDelay: i.pollSeconds,
            abortSignal: i.signal,
        }, { ImageIds: [imageId] });
    }
    catch (err) {
        const image = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .findImage */ .F1)(ec2, imageId).catch(() => undefined);
        if (image?.State === 'failed')
            throw new Error(`${imageId} failed: ${image.StateReason?.Message ?? image.StateReason?.Code ?? 'no reason given'}`, { cause: err });
        if (i.signal?.aborted)
            throw new Error(`${imageId}: interrupted while ${image?.State ?? 'pending'}`, { cause: err });
        if (/TIMEOUT/i.test((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)) || err.name === 'TimeoutError')
            throw new Error(`${imageId} still ${image?.State ?? 'pending'} after ${i.timeoutSeconds} s`, {
                cause: err,
            });
        throw err;
    }
    const image = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .findImage */ .F1)(ec2, imageId);
    if (!image)
        throw new Error(`${imageId} disappeared`);
    return image;
}
/** Deregisters a copy and deletes its snapshots, including those a pending copy does not list yet. */
async function removeCopy(ec2, imageId, log) {
    let extra = [];
    try {
        extra = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotsByDescription */ .pH)(ec2, imageId);
    }
    catch (err) {
        log.warn(`cannot list the snapshots of ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
    }
    const removal = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .removeImage */ .aH)(ec2, imageId, log, extra);
    log.info(`removed ${imageId}${removal.snapshots.length ? ` and ${removal.snapshots.join(', ')}` : ''}`);
    return removal;
}
/**
 * For the post step (or a signal handler): each copy the journal shows unfinished is either
 * available (its tagging is finished, it stays) or not (it is deregistered with its snapshots).
 * Never throws; running it twice changes nothing the second time. A copy that could be neither
 * finished nor removed is reported `kept` with its id (or its name): the caller turns it into an
 * error, so that nothing is left unreported.
 */
async function recoverCopies(state, clientFor, log) {
    const reports = [];
    for (const rec of state.copies) {
        if (rec.status !== 'requested')
            continue;
        const report = { region: rec.region, imageId: rec.imageId, action: 'absent', detail: '' };
        try {
            const ec2 = clientFor(rec.region);
            const image = rec.imageId ? await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .findImage */ .F1)(ec2, rec.imageId) : await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .findOwnImageByName */ .jB)(ec2, rec.name);
            if (!image || image.State === 'deregistered') {
                report.detail = 'no copy was made';
            }
            else if (image.State === 'available') {
                report.imageId = image.ImageId;
                const snaps = await (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .tagImageAndSnapshots */ .ci)(ec2, image, state.tags);
                report.action = 'tagged';
                report.detail = `finished tagging ${image.ImageId}${snaps.length ? ` and ${snaps.join(', ')}` : ''}`;
            }
            else {
                report.imageId = image.ImageId;
                const removal = await removeCopy(ec2, image.ImageId, log);
                report.action = removal.problems.length ? 'kept' : 'removed';
                report.detail = removal.problems.length
                    ? `could not remove ${image.ImageId} (${image.State}), left in ${rec.region}: ${removal.problems.join('; ')}`
                    : `removed ${image.State} copy ${image.ImageId}${removal.snapshots.length ? ` and ${removal.snapshots.join(', ')}` : ''}`;
            }
        }
        catch (err) {
            report.action = 'kept';
            // Named by id (or by name when CopyImage's answer never came): what is left must be findable.
            report.detail =
                `recovery failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; ` +
                    `${report.imageId ?? rec.imageId ?? `the copy named ${rec.name}`} may be left in ${rec.region}`;
            report.imageId ??= rec.imageId;
        }
        if (report.action === 'kept')
            log.warn(`copy to ${rec.region}: ${report.detail}`);
        else
            log.info(`copy to ${rec.region}: ${report.detail}`);
        reports.push(report);
    }
    return reports;
}
/** The state as saved (JSON), and back; a malformed value recovers nothing rather than failing. */
function serializeCopyState(state) {
    return JSON.stringify(state);
}
function parseCopyState(raw) {
    if (!raw)
        return undefined;
    try {
        const s = JSON.parse(raw);
        return Array.isArray(s?.copies) && Array.isArray(s.tags) ? s : undefined;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 1661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ formatMs),
/* harmony export */   p: () => (/* binding */ duration)
/* harmony export */ });
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
function duration(minMs, maxMs) {
    return (raw) => {
        const text = raw.trim().toLowerCase();
        if (!/^(\d+[mhdw])+$/.test(text))
            throw new Error(`must be a duration such as 90d, 12h, 2w or 1d12h (got "${raw}")`);
        let ms = 0;
        for (const m of text.matchAll(/(\d+)([mhdw])/g))
            ms += Number(m[1]) * UNIT_MS[m[2]];
        if (ms < minMs)
            throw new Error(`must be at least ${formatMs(minMs)} (got "${raw}")`);
        if (ms > maxMs)
            throw new Error(`must be at most ${formatMs(maxMs)} (got "${raw}")`);
        return { ms, text };
    };
}
function formatMs(ms) {
    for (const [u, size] of [
        ['w', UNIT_MS.w],
        ['d', UNIT_MS.d],
        ['h', UNIT_MS.h],
    ])
        if (ms >= size && ms % size === 0)
            return `${ms / size}${u}`;
    return `${Math.round(ms / UNIT_MS.m)}m`;
}


/***/ }),

/***/ 4390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TB: () => (/* binding */ organizationArn),
/* harmony export */   ae: () => (/* binding */ ouArn),
/* harmony export */   b0: () => (/* binding */ sharingProblems),
/* harmony export */   lS: () => (/* binding */ accountId),
/* harmony export */   n2: () => (/* binding */ snapshotSharing),
/* harmony export */   rX: () => (/* binding */ applyImageSettings),
/* harmony export */   sc: () => (/* binding */ protection)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9160);
/* harmony import */ var _volume_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3503);
/**
 * What happens to each finished AMI (the build's and every copy): IMDSv2 requirement, launch
 * permissions (accounts, organizations, OUs, public only when asked), snapshot permissions for
 * accounts that need them, deprecation time and deregistration protection.
 */




const accountId = (raw) => {
    const v = raw.trim();
    if (!/^\d{12}$/.test(v))
        throw new Error(`must be 12-digit AWS account ids (got "${raw}")`);
    return v;
};
const organizationArn = (raw) => {
    const v = raw.trim();
    if (!/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/.test(v))
        throw new Error(`must be organization ARNs like arn:aws:organizations::123456789012:organization/o-abcd123456 (got "${raw}")`);
    return v;
};
const ouArn = (raw) => {
    const v = raw.trim();
    if (!/^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(v))
        throw new Error(`must be organizational unit ARNs like arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cdef3456 (got "${raw}")`);
    return v;
};
const snapshotSharing = (raw) => {
    const v = raw.trim().toLowerCase();
    if (v === 'auto')
        return 'auto';
    if (['true', 'yes', '1', 'on'].includes(v))
        return 'true';
    if (['false', 'no', '0', 'off'].includes(v))
        return 'false';
    throw new Error(`must be auto, true or false (got "${raw}")`);
};
const protection = (raw) => {
    const v = raw.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v))
        return 'true';
    if (['false', 'no', '0', 'off'].includes(v))
        return 'false';
    if (v === 'cooldown' || v === 'with-cooldown')
        return 'cooldown';
    throw new Error(`must be true, false or cooldown (got "${raw}")`);
};
/** Checks that fail before anything is launched (AWS would refuse later, after the bake). */
function sharingProblems(s, encrypt, kmsKey, n) {
    const problems = [];
    const shared = s.accounts.length + s.organizations.length + s.ous.length > 0;
    if (encrypt && s.public)
        problems.push(`${n.public}: an encrypted AMI cannot be public (${n.encrypt} is true)`);
    if (encrypt && !kmsKey && (shared || s.public))
        problems.push(`${n.kmsKey}: an AMI encrypted with the AWS-managed key aws/ebs cannot be shared; give a customer managed key and allow the accounts to use it`);
    return problems;
}
/**
 * Applies every setting to one AMI. A setting that fails is reported (and fails the bake) but does
 * not stop the others, so the summary shows exactly what was applied.
 */
async function applyImageSettings(i) {
    const { ec2, image, settings: s, log } = i;
    const imageId = image.ImageId;
    const now = i.now ?? new Date();
    const report = {
        imageId,
        region: i.region,
        imdsV2: false,
        sharedWith: [],
        snapshotsSharedWith: [],
        problems: [],
    };
    const step = async (what, fn) => {
        try {
            await fn();
        }
        catch (err) {
            report.problems.push(`${what} on ${imageId} in ${i.region}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    };
    // A reused AMI or copy keeps what an earlier run set: nothing is set twice.
    if (s.imdsV2 && image.ImdsSupport === 'v2.0')
        report.imdsV2 = true;
    else if (s.imdsV2)
        await step('requiring IMDSv2', async () => {
            await (0,_volume_js__WEBPACK_IMPORTED_MODULE_2__/* .requireImdsV2 */ .vg)(ec2, imageId);
            report.imdsV2 = true;
        });
    const add = [
        ...s.accounts.map((UserId) => ({ UserId })),
        ...s.organizations.map((OrganizationArn) => ({ OrganizationArn })),
        ...s.ous.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
        ...(s.public ? [{ Group: 'all' }] : []),
    ];
    if (add.length)
        await step('sharing', async () => {
            if (s.public)
                log.warn(`making ${imageId} in ${i.region} PUBLIC: every AWS account can launch it`);
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .ModifyImageAttributeCommand */ .FE3({ ImageId: imageId, LaunchPermission: { Add: add } }));
            report.sharedWith = [...s.accounts, ...s.organizations, ...s.ous, ...(s.public ? ['public'] : [])];
        });
    const snaps = (0,_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotIds */ .Ns)(image);
    const shareSnaps = s.shareSnapshots === 'true' || (s.shareSnapshots === 'auto' && (0,_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .isEncrypted */ .ph)(image));
    if (shareSnaps && s.accounts.length && snaps.length)
        await step('sharing snapshots', async () => {
            // The OperationType/UserIds form (AWS takes it and CreateVolumePermission alike; moto only this one).
            for (const SnapshotId of snaps)
                await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .ModifySnapshotAttributeCommand */ .KD0({
                    SnapshotId,
                    Attribute: 'createVolumePermission',
                    OperationType: 'add',
                    UserIds: s.accounts,
                }));
            report.snapshotsSharedWith = [...s.accounts];
        });
    if (s.deprecateAfter && image.DeprecationTime)
        report.deprecateAt = image.DeprecationTime;
    else if (s.deprecateAfter) {
        const at = new Date(now.getTime() + s.deprecateAfter.ms);
        await step('setting the deprecation time', async () => {
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .EnableImageDeprecationCommand */ .cJk({ ImageId: imageId, DeprecateAt: at }));
            report.deprecateAt = at.toISOString();
        });
    }
    if (s.protection !== 'false' && image.DeregistrationProtection?.startsWith('enabled'))
        report.protection = s.protection;
    else if (s.protection !== 'false')
        await step('enabling deregistration protection', async () => {
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .EnableImageDeregistrationProtectionCommand */ .BxO({
                ImageId: imageId,
                WithCooldown: s.protection === 'cooldown',
            }));
            report.protection = s.protection;
        });
    for (const p of report.problems)
        log.warn(p);
    return report;
}


/***/ }),

/***/ 4276:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dk: () => (/* binding */ TAG),
/* harmony export */   Ep: () => (/* binding */ renderTags),
/* harmony export */   Tw: () => (/* binding */ tagList),
/* harmony export */   _p: () => (/* binding */ tagContext)
/* harmony export */ });
/* unused harmony exports PLACEHOLDERS, MAX_USER_TAGS, parseTag, isoDate, renderValue */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5736);


/** amibake's own tag keys (the build's table, src/bake/tags.ts, is the one source). */
const TAG = {
    name: _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.imageName,
    version: _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.version,
    digest: _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.digest,
    baseAmi: _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.baseAmi,
    /** On the build instance and its volumes: the run that launched it (the janitor's key). */
    run: _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.run,
};
const PLACEHOLDERS = ['name', 'version', 'base_ami', 'run_id', 'date'];
/** EC2 allows 50 tags per resource; amibake keeps room for its own and `Name`. */
const MAX_USER_TAGS = 40;
const MAX_KEY = 128;
const MAX_VALUE = 256;
const PLACEHOLDER_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
// Control characters are accepted by no AWS API in tags and break the job summary table.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
function checkText(what, s, max) {
    if (CONTROL_RE.test(s))
        throw new Error(`${what} "${s}" contains a control character`);
    if (s.length > max)
        throw new Error(`${what} "${s.slice(0, 40)}…" is longer than ${max} characters`);
}
function checkPlaceholders(s) {
    for (const m of s.matchAll(PLACEHOLDER_RE))
        if (!PLACEHOLDERS.includes(m[1]))
            throw new Error(`unknown placeholder {${m[1]}} in "${s}" (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`);
}
function parseTag(raw) {
    const eq = raw.indexOf('=');
    if (eq < 0)
        throw new Error(`"${raw}" is not key=value`);
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (!key)
        throw new Error(`"${raw}" has an empty key`);
    checkText('tag key', key, MAX_KEY);
    if (/^aws:/i.test(key))
        throw new Error(`tag key "${key}": the aws: prefix is reserved by AWS`);
    if (/^amibake:/i.test(key))
        throw new Error(`tag key "${key}": the amibake: prefix is reserved for amibake's own tags`);
    // amibake sets Name itself (the AMI name; `amibake NAME-VERSION` on the instance): a user's Name
    // would be dropped without a word, so it is refused instead.
    if (key === _bake_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.name)
        throw new Error(`tag key "Name" is set by amibake (the AMI name on the AMI, "amibake NAME-VERSION" on the instance); name the AMI with the target name and version`);
    if (/\{[A-Za-z_][A-Za-z0-9_]*\}/.test(key))
        throw new Error(`tag key "${key}": placeholders go in values only`);
    checkText('tag value', value, MAX_VALUE);
    checkPlaceholders(value);
    return { key, value };
}
/** Parser for BUILDAMI_TAGS: `key=value` items separated by commas or newlines. */
const tagList = (raw) => {
    const items = raw
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map(parseTag);
    const seen = new Set();
    for (const t of items) {
        if (seen.has(t.key))
            throw new Error(`tag key "${t.key}" is given twice`);
        seen.add(t.key);
    }
    if (items.length > MAX_USER_TAGS)
        throw new Error(`at most ${MAX_USER_TAGS} tags (got ${items.length}); EC2 allows 50 per resource`);
    return items;
};
/** `{date}`: the UTC day of the bake. */
function isoDate(d) {
    return d.toISOString().slice(0, 10);
}
function renderValue(template, ctx) {
    return template.replace(PLACEHOLDER_RE, (whole, name) => PLACEHOLDERS.includes(name) ? ctx[name] : whole);
}
/** Renders the user's templates; a value that grows past the AWS limit is an error naming the key. */
function renderTags(templates, ctx) {
    return templates.map(({ key, value }) => {
        const v = renderValue(value, ctx);
        if (v.length > MAX_VALUE)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`tag "${key}": the value is ${v.length} characters once rendered, more than EC2's ${MAX_VALUE}`);
        return { Key: key, Value: v };
    });
}
function tagContext(i) {
    return { name: i.name, version: i.version, base_ami: i.baseAmi, run_id: i.runId, date: isoDate(i.date) };
}


/***/ }),

/***/ 3503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KB: () => (/* binding */ rootBlockDeviceMapping),
/* harmony export */   V2: () => (/* binding */ kmsKeyRegion),
/* harmony export */   ZG: () => (/* binding */ validateRootVolume),
/* harmony export */   cg: () => (/* binding */ describeRootVolume),
/* harmony export */   dZ: () => (/* binding */ rootVolumeType),
/* harmony export */   vg: () => (/* binding */ requireImdsV2),
/* harmony export */   zJ: () => (/* binding */ kmsKey)
/* harmony export */ });
/* unused harmony exports ROOT_VOLUME_TYPES, LIMITS, baseRoot, BUILD_INSTANCE_METADATA */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/**
 * The root volume of the build instance (and so of the AMI): size, type, IOPS, throughput and
 * encryption, validated against the EBS limits before anything is launched. Encryption happens
 * at launch (the snapshot CreateImage takes inherits it), so no separate encrypted copy is needed.
 */


/** Types a root (boot) volume can have; st1 and sc1 cannot boot. */
const ROOT_VOLUME_TYPES = ['gp3', 'gp2', 'io2', 'io1', 'standard'];
// EBS limits as documented for each volume type (gp3 since its 2025 raise to 64 TiB).
const LIMITS = {
    gp3: {
        size: [1, 65_536],
        iops: [3_000, 80_000],
        iopsPerGib: 500,
        throughput: [125, 2_000],
        baseIops: 3_000,
    },
    gp2: { size: [1, 16_384] },
    io2: { size: [4, 65_536], iops: [100, 256_000], iopsPerGib: 1_000, iopsRequired: true },
    io1: { size: [4, 16_384], iops: [100, 64_000], iopsPerGib: 50, iopsRequired: true },
    standard: { size: [1, 1_024] },
};
/** gp3 throughput may be at most a quarter of its IOPS (MiB/s per IOPS). */
const GP3_THROUGHPUT_PER_IOPS = 0.25;
const rootVolumeType = (raw) => {
    const v = raw.trim().toLowerCase();
    if (!ROOT_VOLUME_TYPES.includes(v))
        throw new Error(`must be one of ${ROOT_VOLUME_TYPES.join(', ')} (got "${raw}"; st1 and sc1 cannot boot)`);
    return v;
};
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
/** Checks that the options fit together (the base image's size is checked at launch). */
function validateRootVolume(o, names) {
    const problems = volumeProblems(o, o.size, names);
    if (problems.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR(problems);
}
function volumeProblems(o, size, n) {
    const lim = LIMITS[o.type];
    const problems = [];
    if (size !== undefined && (size < lim.size[0] || size > lim.size[1]))
        problems.push(`${n.size}: ${o.type} volumes are ${lim.size[0]} to ${lim.size[1]} GiB (got ${size})`);
    if (o.iops !== undefined) {
        if (!lim.iops)
            problems.push(`${n.iops}: ${o.type} volumes take no IOPS setting (use gp3, io1 or io2)`);
        else if (o.iops < lim.iops[0] || o.iops > lim.iops[1])
            problems.push(`${n.iops}: ${o.type} volumes take ${lim.iops[0]} to ${lim.iops[1]} IOPS (got ${o.iops})`);
        else if (size !== undefined && lim.iopsPerGib && o.iops > size * lim.iopsPerGib)
            problems.push(`${n.iops}: ${o.type} allows at most ${lim.iopsPerGib} IOPS per GiB: ${o.iops} IOPS needs at least ${Math.ceil(o.iops / lim.iopsPerGib)} GiB (size ${size})`);
    }
    else if (lim.iopsRequired)
        problems.push(`${n.iops}: ${o.type} volumes need an IOPS value`);
    if (o.throughput !== undefined) {
        if (!lim.throughput)
            problems.push(`${n.throughput}: only gp3 volumes take a throughput (got ${o.type})`);
        else if (o.throughput < lim.throughput[0] || o.throughput > lim.throughput[1])
            problems.push(`${n.throughput}: gp3 throughput is ${lim.throughput[0]} to ${lim.throughput[1]} MiB/s (got ${o.throughput})`);
        else {
            const iops = o.iops ?? lim.baseIops;
            if (o.throughput > iops * GP3_THROUGHPUT_PER_IOPS)
                problems.push(`${n.throughput}: gp3 allows at most ${GP3_THROUGHPUT_PER_IOPS} MiB/s per IOPS: ${o.throughput} MiB/s needs at least ${Math.ceil(o.throughput / GP3_THROUGHPUT_PER_IOPS)} IOPS (${n.iops} is ${iops})`);
        }
    }
    if (o.kmsKey && !o.encrypt)
        problems.push(`${n.kmsKey}: a KMS key needs ${n.encrypt} set to true`);
    return problems;
}
/** The root device and its size in the base image. */
function baseRoot(base) {
    const deviceName = base.RootDeviceName;
    if (!deviceName)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`base image ${base.ImageId} names no root device`);
    const root = base.BlockDeviceMappings?.find((m) => m.DeviceName === deviceName);
    return { deviceName, size: root?.Ebs?.VolumeSize, encrypted: root?.Ebs?.Encrypted === true };
}
/**
 * The BlockDeviceMappings entry for RunInstances. The size defaults to the base image's; a
 * smaller one is an error (EBS cannot shrink a snapshot).
 */
function rootBlockDeviceMapping(o, base, n) {
    const root = baseRoot(base);
    if (o.size !== undefined && root.size !== undefined && o.size < root.size)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR([
            `${n.size}: ${o.size} GiB is smaller than the base image's root volume (${root.size} GiB in ${base.ImageId})`,
        ]);
    const size = o.size ?? root.size;
    const problems = volumeProblems(o, size, n);
    if (problems.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR(problems);
    return {
        DeviceName: root.deviceName,
        Ebs: {
            DeleteOnTermination: true,
            VolumeType: o.type,
            // Given even when unchanged: a mapping without size or snapshot is refused by some endpoints.
            ...(size !== undefined && { VolumeSize: size }),
            ...(o.iops !== undefined && { Iops: o.iops }),
            ...(o.throughput !== undefined && { Throughput: o.throughput }),
            ...(o.encrypt && { Encrypted: true }),
            ...(o.kmsKey && { KmsKeyId: o.kmsKey }),
        },
    };
}
/** The root volume in words, for the plan and the summary. */
function describeRootVolume(m) {
    const ebs = m?.Ebs;
    return (`${m?.DeviceName ?? '?'}: ${ebs?.VolumeType ?? 'default type'}, ` +
        `${ebs?.VolumeSize ? `${ebs.VolumeSize} GiB` : 'size of the base image'}` +
        `${ebs?.Iops ? `, ${ebs.Iops} IOPS` : ''}${ebs?.Throughput ? `, ${ebs.Throughput} MiB/s` : ''}` +
        `${ebs?.Encrypted ? `, encrypted${ebs.KmsKeyId ? ` with ${ebs.KmsKeyId}` : ' (aws/ebs)'}` : ''}`);
}
/** Instances launched from the AMI must use IMDSv2 (irreversible on the image, hence opt-out). */
async function requireImdsV2(ec2, imageId) {
    await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .ModifyImageAttributeCommand */ .FE3({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
}
/** The build instance's metadata options: IMDSv2 only, always. */
const BUILD_INSTANCE_METADATA = { HttpTokens: 'required', HttpEndpoint: 'enabled' };


/***/ })

};
