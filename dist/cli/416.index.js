export const id = 416;
export const ids = [416];
export const modules = {

/***/ 7199:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dk: () => (/* binding */ TAG),
/* harmony export */   EZ: () => (/* binding */ tagValue),
/* harmony export */   LZ: () => (/* binding */ toTags),
/* harmony export */   Wb: () => (/* binding */ ownTags)
/* harmony export */ });
const TAG = {
    /** AWS's display name (the console's Name column): `amibake NAME-VERSION` on the instance,
     *  the AMI name on the AMI. Nothing is found by it. */
    display: 'Name',
    /** The image family, NAME without the version: retention keeps the newest N of a family. */
    family: 'amibake:name',
    version: 'amibake:version',
    /** The reuse digest: an AMI of the same name is reused only when it matches. */
    digest: 'amibake:digest',
    baseAmi: 'amibake:base-ami',
    /** The CI run that launched the instance (the janitor's key). */
    run: 'amibake:run',
    /** The bake attempt (RunInstances' ClientToken): tells this bake's AMI from another one of the same name. */
    clientToken: 'amibake:client-token',
    /** What an instance is for: `test` on the instance launched from the new AMI to test it (the
     *  build instance has no role tag). */
    role: 'amibake:role',
    /** The AMI's test verdict, `passed` or `failed`; absent: never tested. Reuse, copies, sharing
     *  and publishing of an image whose source has a test require `passed`. */
    test: 'amibake:test',
    /** Hex sha256 of the package inventory (CycloneDX JSON) the instance reported, as the build saved it. */
    sbom: 'amibake:sbom-sha256',
};
function toTags(map) {
    return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}
const tagValue = (image, key) => image.Tags?.find((t) => t.Key === key)?.Value;
/** The image's tags that may be copied to other resources (not the reserved `aws:` ones). */
function ownTags(image) {
    return Object.fromEntries((image.Tags ?? []).filter((t) => t.Key && !/^aws:/i.test(t.Key)).map((t) => [t.Key, t.Value ?? '']));
}


/***/ }),

/***/ 8571:
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

/***/ 648:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ baseAmiRef),
/* harmony export */   i: () => (/* binding */ AMI_ID)
/* harmony export */ });
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


/***/ }),

/***/ 8506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ep: () => (/* binding */ renderTags),
/* harmony export */   Tw: () => (/* binding */ tagList),
/* harmony export */   _p: () => (/* binding */ tagContext)
/* harmony export */ });
/* unused harmony exports PLACEHOLDERS, MAX_USER_TAGS, parseTag, isoDate, renderValue */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _aws_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7199);


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
    if (key === _aws_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.display)
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

/***/ 996:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q4: () => (/* binding */ VOLUME_OPTIONS)
/* harmony export */ });
/* unused harmony exports ROOT_VOLUME_TYPES, rootVolumeType */
/* harmony import */ var _core_options_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3457);
/* harmony import */ var _core_parse_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1896);
/** The root volume's options (src/features/volume/volume.ts checks that they fit together). */



/** Types a root (boot) volume can have; st1 and sc1 cannot boot. */
const ROOT_VOLUME_TYPES = ['gp3', 'gp2', 'io2', 'io1', 'standard'];
const rootVolumeType = (raw) => {
    const v = raw.trim().toLowerCase();
    if (!ROOT_VOLUME_TYPES.includes(v))
        throw new Error(`must be one of ${ROOT_VOLUME_TYPES.join(', ')} (got "${raw}"; st1 and sc1 cannot boot)`);
    return v;
};

const VOLUME_OPTIONS = {
    rootVolumeSize: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'root-volume-size',
        env: 'BUILDAMI_ROOT_VOLUME_SIZE',
        stages: ['build'],
        description: 'Root volume size in GiB. Default: the base image’s.',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .integer */ .nd(1, 65_536, 'GiB'),
    }),
    rootVolumeType: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'root-volume-type',
        env: 'BUILDAMI_ROOT_VOLUME_TYPE',
        stages: ['build'],
        description: 'Root volume type: gp3, gp2, io2, io1 or standard.',
        default: 'gp3',
        parse: rootVolumeType,
    }),
    rootVolumeIops: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'root-volume-iops',
        env: 'BUILDAMI_ROOT_VOLUME_IOPS',
        stages: ['build'],
        description: 'Provisioned IOPS of the root volume (gp3 3000 to 80000; io1 and io2 require it).',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .integer */ .nd(100, 256_000, 'IOPS'),
    }),
    rootVolumeThroughput: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'root-volume-throughput',
        env: 'BUILDAMI_ROOT_VOLUME_THROUGHPUT',
        stages: ['build'],
        description: 'Throughput of a gp3 root volume in MiB/s (125 to 2000).',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .integer */ .nd(125, 2_000, 'MiB/s'),
    }),
    encrypt: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'encrypt',
        env: 'BUILDAMI_ENCRYPT',
        stages: ['build'],
        description: 'Encrypt the root volume, hence the AMI’s snapshot (and its copies).',
        default: 'false',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .boolean */ .zM,
    }),
    kmsKey: (0,_core_options_js__WEBPACK_IMPORTED_MODULE_0__/* .option */ .uK)({
        input: 'kms-key',
        env: 'BUILDAMI_KMS_KEY',
        stages: ['build'],
        description: 'KMS key (id, alias/NAME or ARN) for the encrypted root volume. Default: the account’s EBS default key. Needed to share an encrypted AMI.',
        parse: _core_parse_js__WEBPACK_IMPORTED_MODULE_1__/* .kmsKey */ .zJ,
    }),
};


/***/ }),

/***/ 416:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lw: () => (/* binding */ OPTIONS),
  GT: () => (/* binding */ namesFor),
  VX: () => (/* binding */ readBuildOptions),
  Tt: () => (/* binding */ readOptions)
});

// UNUSED EXPORTS: INSTANCE_ONLY, requireFor

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/options.ts
var options = __webpack_require__(3457);
// EXTERNAL MODULE: ./src/compile/options.ts
var compile_options = __webpack_require__(9643);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: ./src/features/bake/base-ref.ts
var base_ref = __webpack_require__(648);
;// CONCATENATED MODULE: ./src/features/bake/options.ts
/** The bake's options: what the instance is launched from and with, and how long it may take. */



const BAKE_OPTIONS = {
    directory: (0,options/* option */.uK)({
        input: 'directory',
        stages: ['build'],
        description: 'Use the prepared files in this folder instead of downloading the artifact.',
        parse: parse/* text */.Qq,
    }),
    userdata: (0,options/* option */.uK)({
        env: 'BUILDAMI_USERDATA',
        stages: ['build'],
        description: 'Path to `userdata.gz` (or the first argument). `vars.env` and `fs.tgz` beside it are used too.',
        parse: parse/* text */.Qq,
    }),
    targetName: (0,options/* option */.uK)({
        input: 'target-name',
        env: 'BUILDAMI_TARGETNAME',
        stages: ['build'],
        description: 'Image name (or the second argument); the AMI is named `NAME-VERSION`. Default: `NAME` from `ami.env`.',
        parse: parse/* imageName */.tO,
    }),
    targetVersion: (0,options/* option */.uK)({
        input: 'target-version',
        env: 'BUILDAMI_TARGETVERSION',
        stages: ['build'],
        description: 'Image version (or the third argument). Default: `VERSION` from `ami.env`.',
        parse: parse/* imageVersion */.K9,
    }),
    targetDescription: (0,options/* option */.uK)({
        input: 'target-description',
        env: 'BUILDAMI_TARGETDESCRIPTION',
        stages: ['build'],
        description: 'AMI description. Default: `DESCRIPTION` from `ami.env`, else generated from the name and version.',
        parse: parse/* pattern */.T1(/^.{1,255}$/s, 'at most 255 characters'),
    }),
    baseAmi: (0,options/* option */.uK)({
        input: 'base-ami',
        env: 'BUILDAMI_BASEAMI',
        stages: ['build'],
        description: 'The base AMI the temporary instance boots: an id, `resolve:ssm:/parameter/path`, or `name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]` (newest available, not deprecated). Resolved before anything is launched.',
        required: true,
        // Validated here, resolved by src/features/base-ami/resolve.ts (an SSM or EC2 lookup).
        parse: (raw) => ((0,base_ref/* baseAmiRef */.I)(raw), raw.trim()),
    }),
    securityGroups: (0,options/* option */.uK)({
        input: 'security-groups',
        env: 'BUILDAMI_SECURITYGROUPS',
        stages: ['build'],
        description: 'Security group ids for the temporary instance, separated by commas or newlines.',
        required: true,
        parse: parse/* list */.p_(parse/* pattern */.T1(/^sg-[0-9a-f]{8,17}$/, 'security group ids such as sg-0123456789abcdef0')),
    }),
    subnet: (0,options/* option */.uK)({
        input: 'subnet',
        env: 'BUILDAMI_SUBNET',
        stages: ['build'],
        description: 'Subnet ids for the temporary instance, in order of preference, separated by commas or newlines. When no listed instance type has capacity in one subnet, the next is tried (subnets in other availability zones).',
        required: true,
        parse: parse/* list */.p_(parse/* pattern */.T1(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0123456789abcdef0')),
    }),
    profile: (0,options/* option */.uK)({
        input: 'instance-profile',
        env: 'BUILDAMI_PROFILE',
        stages: ['build'],
        description: 'IAM instance profile (name or ARN). Optional: the instance needs no AWS access of its own.',
        parse: parse/* pattern */.T1(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
    }),
    instanceType: (0,options/* option */.uK)({
        input: 'instance-type',
        env: 'BUILDAMI_TYPE',
        stages: ['build'],
        description: 'Instance types of the temporary instance, in order of preference, separated by commas or newlines: on `InsufficientInstanceCapacity` or `Unsupported` the next type is tried, then every type in the next subnet. Types whose architecture is not the base AMI’s are dropped. Default: by the base AMI’s architecture, `t3.micro` for x86_64 and `t4g.micro` for arm64 (1 GiB each).',
        parse: parse/* list */.p_(parse/* pattern */.T1(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro')),
    }),
    keyPair: (0,options/* option */.uK)({
        input: 'key-pair',
        env: 'BUILDAMI_KEYPAIR',
        stages: ['build'],
        description: 'Key pair for the temporary instance. Default: none (amibake never needs SSH).',
        parse: parse/* pattern */.T1(/^.{1,255}$/, 'a key pair name'),
    }),
    outputFile: (0,options/* option */.uK)({
        input: 'output-file',
        env: 'BUILDAMI_OUTPUT',
        stages: ['build'],
        description: 'File to write `AMI_ID=`, `AMI_NAME=`, `REGION=` lines to (sourceable).',
        parse: parse/* text */.Qq,
    }),
    timeoutInstance: (0,options/* option */.uK)({
        input: 'timeout-instance',
        env: 'BUILDAMI_TIMEOUT_INSTANCE',
        stages: ['build'],
        description: 'Seconds the install may take, from launch until the instance has stopped (at least 120).',
        default: '1800',
        parse: (0,options/* seconds */.YA)(120, 86_400),
    }),
    timeoutAmi: (0,options/* option */.uK)({
        input: 'timeout-ami',
        env: 'BUILDAMI_TIMEOUT_AMI',
        stages: ['build'],
        description: 'Seconds the AMI creation may take until it is available (at least 120).',
        default: '3600',
        parse: (0,options/* seconds */.YA)(120, 86_400),
    }),
    waitInstance: (0,options/* option */.uK)({
        input: 'wait-instance',
        env: 'BUILDAMI_WAIT_INSTANCE',
        stages: ['build'],
        description: 'Seconds between checks of the instance state (at most 60).',
        default: '5',
        parse: (0,options/* seconds */.YA)(1, 60),
    }),
    waitAmi: (0,options/* option */.uK)({
        input: 'wait-ami',
        env: 'BUILDAMI_WAIT_AMI',
        stages: ['build'],
        description: 'Seconds between checks of the AMI state (at most 60).',
        default: '5',
        parse: (0,options/* seconds */.YA)(1, 60),
    }),
    buildS3Url: (0,options/* option */.uK)({
        input: 'build-s3-url',
        env: 'BUILDAMI_S3URL',
        stages: ['build'],
        description: 'S3 URL `fs.tgz` is uploaded to; the install result and log are written beside it. The action takes it from this input only; the CLI defaults to `S3URL` from `vars.env`. A `vars.env` naming another S3URL is refused.',
        parse: parse/* s3Url */.AB,
    }),
    s3Region: (0,options/* option */.uK)({
        input: 's3-region',
        env: 'BUILDAMI_S3REGION',
        stages: ['build'],
        description: 'Region of the S3 bucket. Default: the build region.',
        parse: parse/* region */.Ny,
    }),
    fsTgz: (0,options/* option */.uK)({
        env: 'BUILDAMI_FSTGZ',
        stages: ['build'],
        description: 'Path to `fs.tgz`. Default: `fs.tgz` beside the user data, when prepare produced one.',
        parse: parse/* text */.Qq,
    }),
    allowNoResult: (0,options/* option */.uK)({
        input: 'allow-no-result',
        env: 'BUILDAMI_ALLOW_NO_RESULT',
        stages: ['build'],
        description: 'Create the AMI when the instance stopped without reporting an install result (a base image without amibake’s result reporting).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
};

;// CONCATENATED MODULE: ./src/features/copy/options.ts
/** Copies to other regions, each with its KMS key when encrypted. */



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
        const region = (0,parse/* region */.Ny)(item.slice(0, eq).trim());
        const key = (0,parse/* kmsKey */.zJ)(item.slice(eq + 1).trim());
        if (out[region])
            throw new Error(`region ${region} is given twice`);
        const keyRegion = (0,parse/* kmsKeyRegion */.V2)(key);
        if (keyRegion && keyRegion !== region)
            throw new Error(`the key for ${region} is in ${keyRegion}; a copy needs a key of its own region`);
        out[region] = key;
    }
    return out;
};
const COPY_OPTIONS = {
    copyRegions: (0,options/* option */.uK)({
        input: 'copy-regions',
        env: 'BUILDAMI_COPY_REGIONS',
        stages: ['build'],
        description: 'Regions to copy the AMI to, in parallel, separated by commas or newlines.',
        parse: parse/* list */.p_(parse/* region */.Ny),
    }),
    copyKmsKeys: (0,options/* option */.uK)({
        input: 'copy-kms-keys',
        env: 'BUILDAMI_COPY_KMS_KEYS',
        stages: ['build'],
        description: 'KMS key of each encrypted copy: `region=key` items separated by commas or newlines. A region listed here gets an encrypted copy.',
        parse: regionKeyMap,
    }),
    timeoutCopy: (0,options/* option */.uK)({
        input: 'timeout-copy',
        env: 'BUILDAMI_TIMEOUT_COPY',
        stages: ['build'],
        description: 'Seconds the copies may take until all are available (at least 120).',
        default: '3600',
        parse: (0,options/* seconds */.YA)(120, 86_400),
    }),
};

;// CONCATENATED MODULE: ./src/features/distribute/options.ts
/** Publishing the new AMI to where fleets look for it: SSM parameters and a launch template. */


/** SSM's documented limit counts the ARN prefix (arn:aws:ssm:REGION:ACCOUNT:parameter) too. */
const NAME_MAX = 1011;
const DEPTH_MAX = 15;
/** One SSM parameter name, as PutParameter accepts it (the rules AWS documents for names). */
const ssmParameterName = (raw) => {
    const name = raw.trim();
    const bad = (why) => new Error(`"${name}" is not a valid SSM parameter name: ${why}`);
    if (!/^[/A-Za-z]/.test(name))
        throw bad('it must start with / or a letter');
    const other = name.replace(/[A-Za-z0-9_.\-/]/g, '');
    if (other)
        throw bad(`only letters, digits and _ . - / are allowed (not ${JSON.stringify(other[0])})`);
    if (name.includes('/') && !name.startsWith('/'))
        throw bad('a name with a path must start with / (/team/app/ami)');
    if (name.endsWith('/') || name.includes('//'))
        throw bad('a path cannot have an empty level');
    const levels = name.split('/').filter(Boolean);
    if (levels.length > DEPTH_MAX)
        throw bad(`at most ${DEPTH_MAX} levels (got ${levels.length})`);
    if (/^(aws|ssm)/i.test(levels[0]))
        throw bad('names starting with "aws" or "ssm" are reserved by AWS');
    if (name.length > NAME_MAX)
        throw bad(`at most ${NAME_MAX} characters`);
    return name;
};
/** publish-ssm: names separated by commas or newlines, each once. */
const ssmParameterNames = (raw) => {
    const names = parse/* list */.p_(ssmParameterName)(raw);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
        throw new Error(`${twice} is given twice`);
    return names;
};
/** A launch template id (lt- and 8 or 17 hex digits) or name (3 to 128 of letters, digits and
 *  ( ) . - / _; anything else starting with lt- is taken for a name too, as EC2 would). */
const launchTemplate = (raw) => {
    const v = raw.trim();
    if (!/^[A-Za-z0-9().\-/_]{3,128}$/.test(v))
        throw new Error(`must be a launch template id (lt-…) or name: 3 to 128 letters, digits and ( ) . - / _ (got "${v}")`);
    return v;
};
const DISTRIBUTE_OPTIONS = {
    publishSsm: (0,options/* option */.uK)({
        input: 'publish-ssm',
        env: 'BUILDAMI_PUBLISH_SSM',
        stages: ['build'],
        description: "SSM parameters to write the new AMI id to, separated by commas or newlines (`/golden/web/latest`): in the build region and in every copy region (each gets its own copy's id), data type `aws:ec2:image`, overwritten. After the test passed; a reused AMI is published too.",
        parse: ssmParameterNames,
    }),
    launchTemplate: (0,options/* option */.uK)({
        input: 'launch-template',
        env: 'BUILDAMI_LAUNCH_TEMPLATE',
        stages: ['build'],
        description: 'Launch template (an `lt-…` id or a name) in the build region that gets a new version with the new AMI (every other setting from its latest version).',
        parse: launchTemplate,
    }),
    launchTemplateDefault: (0,options/* option */.uK)({
        input: 'launch-template-default',
        env: 'BUILDAMI_LAUNCH_TEMPLATE_DEFAULT',
        stages: ['build'],
        description: 'Make the new launch template version the default one (only with `launch-template`).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
};

// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
;// CONCATENATED MODULE: ./src/features/disk-upload/options.ts
/** The disk path's options: how the uploaded disk is registered (never the artifact's say) and
 *  how the upload runs. Volume size, type and encryption are the volume feature's. */



const BOOT_MODES = ['legacy-bios', 'uefi', 'uefi-preferred'];
const ARCHITECTURES = ['x86_64', 'arm64'];
const oneOf = (values) => (raw) => {
    const v = raw.trim();
    if (!values.includes(v))
        throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
    return v;
};
const DISK_UPLOAD_OPTIONS = {
    bootMode: (0,options/* option */.uK)({
        input: 'boot-mode',
        env: 'BUILDAMI_BOOT_MODE',
        stages: ['build'],
        description: 'Disk artifacts: the AMI’s boot mode, `legacy-bios`, `uefi` or `uefi-preferred` (the disk prepare makes boots either way).',
        default: 'uefi-preferred',
        parse: oneOf(BOOT_MODES),
    }),
    architecture: (0,options/* option */.uK)({
        input: 'architecture',
        env: 'BUILDAMI_ARCHITECTURE',
        stages: ['build'],
        description: 'Disk artifacts: the AMI’s architecture. Only `x86_64` until an arm64 base exists.',
        default: 'x86_64',
        parse: (raw) => {
            const v = oneOf(ARCHITECTURES)(raw);
            if (v === 'arm64')
                throw new Error('arm64 disks are not supported yet (no arm64 base image): use x86_64');
            return v;
        },
    }),
    uploadConcurrency: (0,options/* option */.uK)({
        input: 'upload-concurrency',
        env: 'BUILDAMI_UPLOAD_CONCURRENCY',
        stages: ['build'],
        description: 'Disk artifacts: blocks written to the snapshot at the same time (1 to 64).',
        default: '16',
        parse: parse/* integer */.nd(1, 64),
    }),
    timeoutSnapshot: (0,options/* option */.uK)({
        input: 'timeout-snapshot',
        env: 'BUILDAMI_TIMEOUT_SNAPSHOT',
        stages: ['build'],
        description: 'Disk artifacts: how long the snapshot may stay idle while uploading (EBS cancels it after that) and may take to complete (10m to 72h).',
        default: '30m',
        parse: (0,duration/* duration */.p)(10 * 60_000, 72 * 3_600_000),
    }),
};

;// CONCATENATED MODULE: ./src/features/dry-run/options.ts
/** The dry run (also of `amibake sweep`). */


const DRY_RUN_OPTIONS = {
    dryRun: (0,options/* option */.uK)({
        input: 'dry-run',
        env: 'BUILDAMI_DRY_RUN',
        stages: ['build', 'sweep'],
        description: 'Resolve and validate everything, prove the permissions with EC2 DryRun calls (read probes where an API has none) and print the plan; launch, copy, share, publish and delete nothing.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
};

;// CONCATENATED MODULE: ./src/features/janitor/options.ts
/** The janitor before a bake (`sweep`) and its age, shared with `amibake sweep`. */



const JANITOR_OPTIONS = {
    sweep: (0,options/* option */.uK)({
        input: 'sweep',
        env: 'BUILDAMI_SWEEP',
        stages: ['build'],
        description: 'Before launching, run the janitor in the region: terminate amibake build instances older than `sweep-age` and finish the AMIs stopped bakes left (discard failed or pending ones, tag the snapshots of available ones).',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    sweepAge: (0,options/* option */.uK)({
        input: 'sweep-age',
        env: 'BUILDAMI_SWEEP_AGE',
        stages: ['build', 'sweep'],
        description: 'Age past which an amibake build instance or unfinished AMI counts as leaked (longer than any bake: the instance and AMI timeouts).',
        default: '6h',
        parse: (0,duration/* duration */.p)(60 * 60_000, 365 * 86_400_000),
    }),
};

;// CONCATENATED MODULE: ./src/features/retention/options.ts
/** Retention: how many AMIs of the family to keep. */


const RETENTION_OPTIONS = {
    keepLast: (0,options/* option */.uK)({
        input: 'keep-last',
        env: 'BUILDAMI_KEEP_LAST',
        stages: ['build'],
        description: 'Keep the newest N AMIs of this name (`amibake:name`) in each region the bake touched; deregister older ones and delete their snapshots. Default: keep all.',
        parse: parse/* integer */.nd(1, 1000, 'AMIs'),
    }),
};

;// CONCATENATED MODULE: ./src/features/share/options.ts
/** Sharing and the settings of every finished AMI (./settings.ts applies them). */



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
/** IMDSv2 on the AMI: its own slice, placed before the copies in the generated tables. */
const IMDS_OPTIONS = {
    amiImdsv2: (0,options/* option */.uK)({
        input: 'ami-imdsv2',
        env: 'BUILDAMI_AMI_IMDSV2',
        stages: ['build'],
        description: 'Mark the AMI (and its copies) IMDSv2-only (`ImdsSupport v2.0`): instances launched from it require session tokens. The build instance always requires IMDSv2.',
        default: 'true',
        parse: parse/* boolean */.zM,
    }),
};
const SHARE_OPTIONS = {
    shareAccounts: (0,options/* option */.uK)({
        input: 'share-accounts',
        env: 'BUILDAMI_SHARE_ACCOUNTS',
        stages: ['build'],
        description: 'AWS account ids allowed to launch the AMI and its copies, separated by commas or newlines.',
        parse: parse/* list */.p_(accountId),
    }),
    shareOrgs: (0,options/* option */.uK)({
        input: 'share-organizations',
        env: 'BUILDAMI_SHARE_ORGS',
        stages: ['build'],
        description: 'Organization ARNs allowed to launch the AMI and its copies.',
        parse: parse/* list */.p_(organizationArn),
    }),
    shareOus: (0,options/* option */.uK)({
        input: 'share-ous',
        env: 'BUILDAMI_SHARE_OUS',
        stages: ['build'],
        description: 'Organizational unit ARNs allowed to launch the AMI and its copies.',
        parse: parse/* list */.p_(ouArn),
    }),
    shareSnapshots: (0,options/* option */.uK)({
        input: 'share-snapshots',
        env: 'BUILDAMI_SHARE_SNAPSHOTS',
        stages: ['build'],
        description: 'Also let the share accounts create volumes from the snapshots (needed to copy the AMI): `auto` does so for encrypted AMIs.',
        default: 'auto',
        parse: snapshotSharing,
    }),
    public: (0,options/* option */.uK)({
        input: 'public',
        env: 'BUILDAMI_PUBLIC',
        stages: ['build'],
        description: 'Make the AMI and its copies public (every AWS account can launch them). Warns.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
    deprecateAfter: (0,options/* option */.uK)({
        input: 'deprecate-after',
        env: 'BUILDAMI_DEPRECATE_AFTER',
        stages: ['build'],
        description: 'Deprecate the AMI and its copies this long after the bake, e.g. `90d`, `12w` (units m, h, d, w).',
        parse: (0,duration/* duration */.p)(60_000, 10 * 365 * 86_400_000),
    }),
    deregistrationProtection: (0,options/* option */.uK)({
        input: 'deregistration-protection',
        env: 'BUILDAMI_DEREGISTRATION_PROTECTION',
        stages: ['build'],
        description: 'Protect the AMI and its copies from deregistration: `true`, or `cooldown` (protection stays 24 h after being disabled).',
        default: 'false',
        parse: protection,
    }),
};

// EXTERNAL MODULE: ./src/features/tags/templates.ts
var templates = __webpack_require__(8506);
;// CONCATENATED MODULE: ./src/features/tags/options.ts
/** The user's tags option (templates rendered by ./templates.ts). */


const TAG_OPTIONS = {
    tags: (0,options/* option */.uK)({
        input: 'tags',
        env: 'BUILDAMI_TAGS',
        stages: ['build'],
        description: 'Tags for the AMI, its snapshots and copies, and the build instance: `key=value` items separated by commas or newlines. Values may use `{name}`, `{version}`, `{base_ami}`, `{run_id}`, `{date}`.',
        parse: templates/* tagList */.Tw,
    }),
};

;// CONCATENATED MODULE: ./src/features/test/options.ts
/** The test phase: an instance launched from the new AMI runs the image source's test. */



const testMode = (raw) => (raw.trim().toLowerCase() === 'auto' ? 'auto' : parse/* boolean */.zM(raw));
const TEST_OPTIONS = {
    test: (0,options/* option */.uK)({
        input: 'test',
        env: 'BUILDAMI_TEST',
        stages: ['build'],
        description: 'Test the new AMI on an instance of its own before anything leaves the build region: `auto` when the artifact has a test (`script/test.sh`), `true` to require one, `false` to skip it.',
        default: 'auto',
        parse: testMode,
    }),
    timeoutTest: (0,options/* option */.uK)({
        input: 'timeout-test',
        env: 'BUILDAMI_TIMEOUT_TEST',
        stages: ['build'],
        description: 'How long the test may take, from the launch of the test instance until it has stopped (`45m`, `1h`; at least 5m). A test that does not finish in time has failed.',
        default: '15m',
        parse: (0,duration/* duration */.p)(5 * 60_000, 86_400_000),
    }),
    testInstanceType: (0,options/* option */.uK)({
        input: 'test-instance-type',
        env: 'BUILDAMI_TEST_INSTANCE_TYPE',
        stages: ['build'],
        description: 'Instance types of the test instance, in order of preference, separated by commas or newlines (a capacity fallback as for `instance-type`; types that cannot boot the AMI are dropped). Default: the build instance’s list, starting with the type the build instance was launched with.',
        parse: parse/* list */.p_(parse/* pattern */.T1(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro')),
    }),
    testInstanceProfile: (0,options/* option */.uK)({
        input: 'test-instance-profile',
        env: 'BUILDAMI_TEST_INSTANCE_PROFILE',
        stages: ['build'],
        description: 'IAM instance profile (name or ARN) of the test instance, for a test that calls AWS. Default: the build instance’s.',
        parse: parse/* pattern */.T1(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
    }),
    testKeepFailed: (0,options/* option */.uK)({
        input: 'test-keep-failed',
        env: 'BUILDAMI_TEST_KEEP_FAILED',
        stages: ['build'],
        description: 'Keep an AMI whose test failed, tagged `amibake:test=failed` (never reused, copied, shared or published), instead of deregistering it and deleting its snapshots.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
};

// EXTERNAL MODULE: ./src/features/volume/options.ts
var volume_options = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/pipeline/options.ts
/**
 * The one options table, assembled from the slices the features declare. Its order is the order
 * of the generated action.yml inputs and README tables.
 */














const OPTIONS = {
    ...compile_options/* PREPARE_OPTIONS */.d,
    ...BAKE_OPTIONS,
    ...TAG_OPTIONS,
    ...volume_options/* VOLUME_OPTIONS */.Q4,
    ...DISK_UPLOAD_OPTIONS,
    ...IMDS_OPTIONS,
    ...TEST_OPTIONS,
    ...COPY_OPTIONS,
    ...SHARE_OPTIONS,
    ...DISTRIBUTE_OPTIONS,
    ...RETENTION_OPTIONS,
    ...DRY_RUN_OPTIONS,
    ...JANITOR_OPTIONS,
};
/** How a front calls the options of a stage, for rendering errors. */
const namesFor = (front, stage) => (0,options/* nameFor */.Fe)(OPTIONS, front, stage);
/** Reads and validates every option of a stage from the whole table. */
const readOptions = (stage, source) => (0,options/* readOptions */.Tt)(OPTIONS, stage, source);
/** Options only an instance bake needs (where the build instance runs): a disk artifact is
 *  uploaded without one, so they are checked once the artifact's kind is known. */
const INSTANCE_ONLY = ['baseAmi', 'securityGroups', 'subnet'];
/**
 * Reads the build's options like `readOptions`, for an artifact of `kind`: a disk artifact does
 * not require the instance's options. `kind` undefined: not known yet (the action finds it in the
 * artifact it downloads): call `requireFor` once it is.
 */
function readBuildOptions(source, kind) {
    if (kind === 'instance')
        return readOptions('build', source);
    const loose = Object.fromEntries(Object.entries(OPTIONS).map(([k, d]) => [
        k,
        INSTANCE_ONLY.includes(k) ? { ...d, required: false } : d,
    ]));
    // Typed as the build's options: the disk path never reads the instance's (INSTANCE_ONLY).
    return (0,options/* readOptions */.Tt)(loose, 'build', source);
}
/** The instance's required options, once the artifact is known to be an instance artifact. */
function requireFor(kind, opts, front) {
    if (kind === 'disk')
        return;
    const missing = INSTANCE_ONLY.filter((k) => opts[k] === undefined);
    if (missing.length)
        throw new OptionError(missing.map((k) => msg `${opt(k)}: is required`)).named(nameFor(OPTIONS, front, 'build'));
}


/***/ })

};
