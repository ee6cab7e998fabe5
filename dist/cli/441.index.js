export const id = 441;
export const ids = [441];
export const modules = {

/***/ 575:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yd: () => (/* binding */ finalUserdata)
/* harmony export */ });
/* unused harmony exports stageEnv, stagePart */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _core_contract_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2013);
/* harmony import */ var _core_envfile_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5934);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_userdata_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4808);
/** The build's part of the user data: what only the build knows (presigned URLs), written to
 *  STAGE_ENV on the instance's tmpfs. */





function stageEnv(urls, facts = {}) {
    const vars = {};
    if (urls.fsUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.fsUrl] = urls.fsUrl;
    if (urls.resultUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.resultUrl] = urls.resultUrl;
    if (urls.logUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.logUrl] = urls.logUrl;
    if (facts.keyPair)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.keyPair] = facts.keyPair;
    return (0,_core_envfile_js__WEBPACK_IMPORTED_MODULE_4__/* .formatEnv */ .R_)(vars);
}
/** The cloud-config of the build's part. */
function stagePart(urls, facts = {}) {
    const doc = {
        write_files: [
            { path: _core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_ENV */ .R4, owner: 'root:root', permissions: '0600', content: stageEnv(urls, facts) },
        ],
    };
    // YAML 1.1, as cloud-init (PyYAML) reads it: scalars special in 1.1 only get quoted.
    return '#cloud-config\n' + (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .stringify */ .As)(doc, { lineWidth: 0, version: '1.1' });
}
/** The user data sent to RunInstances: prepare's message plus the build's part, within EC2's limit. */
function finalUserdata(prepared, urls, facts = {}) {
    const out = (0,_core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .appendPart */ .U$)(prepared, { filename: _core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILD_PART_FILENAME */ .zQ, content: stagePart(urls, facts) });
    if (out.length > _core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .USERDATA_LIMIT */ .SF) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the user data is ${out.length} bytes with the build's part (its presigned URLs), over EC2's ` +
            `limit of ${_core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .USERDATA_LIMIT */ .SF}: prepared ${prepared.length} bytes, the build's part ` +
            `${out.length - prepared.length} (prepare keeps ${_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILD_RESERVE */ .qY} bytes for it). Use a shorter S3 ` +
            'location (bucket and key) for the staged files');
    }
    return out;
}


/***/ }),

/***/ 2013:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ab: () => (/* binding */ STAGE_VARS),
/* harmony export */   E9: () => (/* binding */ PREPARED_ENV),
/* harmony export */   Fl: () => (/* binding */ GUEST_DIR),
/* harmony export */   R4: () => (/* binding */ STAGE_ENV),
/* harmony export */   hl: () => (/* binding */ NO_SANITIZE_FILE),
/* harmony export */   n3: () => (/* binding */ RESULT_LINE_RE),
/* harmony export */   qY: () => (/* binding */ BUILD_RESERVE),
/* harmony export */   vq: () => (/* binding */ PREPARED_VARS),
/* harmony export */   zQ: () => (/* binding */ BUILD_PART_FILENAME)
/* harmony export */ });
/* unused harmony export RESULT_PREFIX */
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
    // The key pair the instance was launched with, only when there is one: sanitising then removes
    // that key (read from the instance metadata) from authorized_keys. Not a URL, not a secret.
    keyPair: 'AMIBAKE_KEYPAIR',
};
/** The one line the instance prints on /dev/console before it powers off. */
const RESULT_PREFIX = 'AMIBAKE-RESULT status=';
const RESULT_LINE_RE = /^AMIBAKE-RESULT status=(\d+)\s*$/m;
/** Bytes of gzip'd user data left for the build's part: three presigned URLs signed with
 *  session credentials, measured in test/build (see README "Stage contract"). */
const BUILD_RESERVE = 4_096;


/***/ }),

/***/ 5543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ar: () => (/* binding */ preparedDigest),
/* harmony export */   Ld: () => (/* binding */ DIGEST_SCHEME),
/* harmony export */   ol: () => (/* binding */ digestOf)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The digests that decide whether an AMI may be reused, computed the same way by prepare and by
 * the build. The build never takes a digest from vars.env: it recomputes PREPARED_DIGEST from the
 * bytes it received and refuses a vars.env that claims another (an artifact claiming the digest of
 * other content would otherwise get its AMI reused by a later bake of that content).
 */

/**
 * Part of everything hashed: a digest made by an amibake that computed it another way (an AMI
 * baked before this scheme, whose tag may have been forged through vars.env) never equals one made
 * now, so such an AMI is never reused.
 */
const DIGEST_SCHEME = 'amibake-digest-2';
/** sha256 of the scheme and the sorted parts, JSON-encoded so no value can pose as another part. */
function digestOf(parts) {
    const entries = Object.keys(parts)
        .sort()
        .map((k) => [k, parts[k]]);
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(JSON.stringify([DIGEST_SCHEME, entries]))
        .digest('hex');
}
/** PREPARED_DIGEST: prepare writes it, the build recomputes it and refuses any other. */
function preparedDigest(c) {
    const parts = { userdata: c.userdataSha256, 'fs-mode': c.fsMode };
    if (c.fsMode === 'external') {
        if (!c.fsSha256)
            throw new Error('an external fs.tgz needs its sha256');
        parts.fs = c.fsSha256;
    }
    return digestOf(parts);
}


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

/***/ 4808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OT: () => (/* binding */ gzipUserdata),
/* harmony export */   SF: () => (/* binding */ USERDATA_LIMIT),
/* harmony export */   U$: () => (/* binding */ appendPart),
/* harmony export */   mV: () => (/* binding */ readUserdata),
/* harmony export */   vQ: () => (/* binding */ renderMultipart),
/* harmony export */   wF: () => (/* binding */ parseMultipart)
/* harmony export */ });
/* unused harmony exports MERGE_TYPE, USERDATA_TEXT_LIMIT */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/**
 * The user data is a gzip'd MIME multipart message of `text/cloud-config` parts, one per
 * cloudinit file, merged by cloud-init itself in message order with MERGE_TYPE. The build stage
 * appends one more part (its presigned URLs) without touching what prepare wrote.
 */



/** Lists append in priority order; mappings merge recursively; for a scalar set twice the
 *  lowest-numbered file wins (cloud-init's no_replace). */
const MERGE_TYPE = 'list(append)+dict(no_replace,recurse_list)+str()';
/** EC2's limit on user data, counted on the bytes sent (here: gzip'd). */
const USERDATA_LIMIT = 16_384;
/** Bytes the user data may have once gunzipped. The build inflates the artifact's userdata.gz no
 *  further than this (a gzip bomb is refused before it is inflated), and prepare never writes more.
 *  16 KB of gzip can inflate to about 16 MB; amibake's messages are tens of KB. */
const USERDATA_TEXT_LIMIT = 1 << 20;
function renderPart(part) {
    if (!/^[\w.-]+$/.test(part.filename))
        throw new Error(`invalid part filename ${part.filename}`);
    return ('Content-Type: text/cloud-config; charset="utf-8"\n' +
        'MIME-Version: 1.0\n' +
        'Content-Transfer-Encoding: 8bit\n' +
        `Content-Disposition: attachment; filename="${part.filename}"\n` +
        `Merge-Type: ${MERGE_TYPE}\n` +
        '\n' +
        (part.content.endsWith('\n') ? part.content : part.content + '\n'));
}
function boundaryFor(parts) {
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    for (const p of parts)
        h.update(p.filename).update('\0').update(p.content).update('\0');
    const boundary = `==amibake-${h.digest('hex').slice(0, 32)}==`;
    if (parts.some((p) => p.content.includes(boundary)))
        throw new Error('MIME boundary collision');
    return boundary;
}
function renderMultipart(parts) {
    const b = boundaryFor(parts);
    return (`Content-Type: multipart/mixed; boundary="${b}"\nMIME-Version: 1.0\n\n` +
        parts.map((p) => `--${b}\n${renderPart(p)}`).join('') +
        `--${b}--\n`);
}
/** gzip at the highest level with a fixed header (no mtime), so the same input gives the same bytes. */
function gzipUserdata(text) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > USERDATA_TEXT_LIMIT)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the user data is ${bytes.length} bytes before gzip, more than the ${USERDATA_TEXT_LIMIT} the build accepts`);
    return (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.gzipSync)(bytes, { level: 9 });
}
/** Gunzips user data, never to more than USERDATA_TEXT_LIMIT bytes: zlib stops there. The
 *  messages complete "<file>: ". */
function readUserdata(gz) {
    let bytes;
    try {
        bytes = (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.gunzipSync)(gz, { maxOutputLength: USERDATA_TEXT_LIMIT });
    }
    catch (err) {
        if (err.code === 'ERR_BUFFER_TOO_LARGE')
            throw new Error(`inflates to more than ${USERDATA_TEXT_LIMIT} bytes: refused without inflating the rest (a gzip bomb?)`, { cause: err });
        throw new Error(`not gzip'd user data (${err.message})`, { cause: err });
    }
    const text = bytes.toString('utf8');
    // Decoding must be lossless: the build re-encodes the text when it appends its part.
    if (!Buffer.from(text, 'utf8').equals(bytes))
        throw new Error('the user data is not UTF-8 text');
    return text;
}
const HEADER_RE = /^Content-Type: multipart\/mixed; boundary="(==amibake-[0-9a-f]{32}==)"\nMIME-Version: 1\.0\n\n/;
const PART_HEADER_RE = /^Content-Type: text\/cloud-config; charset="utf-8"\nMIME-Version: 1\.0\nContent-Transfer-Encoding: 8bit\nContent-Disposition: attachment; filename="([\w.-]+)"\nMerge-Type: ([^\n]*)\n\n/;
/**
 * The parts of a message exactly as renderMultipart writes it, else an error saying what differs.
 * Re-rendering the parts must give back the same text, so nothing else passes: another content
 * type (a shell script, `#include`, a part handler), extra headers, a foreign boundary, text
 * outside the parts.
 */
function parseMultipart(text) {
    const head = HEADER_RE.exec(text);
    if (!head)
        throw new Error(`not the MIME multipart message amibake prepare writes (it starts with ${JSON.stringify(text.slice(0, 40))})`);
    const b = head[1];
    const closing = `--${b}--\n`;
    if (!text.endsWith(closing))
        throw new Error('the multipart message is not terminated by its boundary');
    const chunks = text.slice(head[0].length, -closing.length).split(`--${b}\n`);
    if (chunks.shift() !== '')
        throw new Error('text before the first part');
    if (!chunks.length)
        throw new Error('the multipart message has no part');
    const parts = chunks.map((chunk, i) => {
        const h = PART_HEADER_RE.exec(chunk);
        if (!h)
            throw new Error(`part ${i + 1} does not have the headers of a prepared cloud-config part`);
        if (h[2] !== MERGE_TYPE)
            throw new Error(`part ${h[1]} has another Merge-Type than amibake's (${h[2]})`);
        return { filename: h[1], content: chunk.slice(h[0].length) };
    });
    const names = parts.map((p) => p.filename);
    if ([...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))).join('\n') !== names.join('\n'))
        throw new Error('the parts are not in the name order prepare writes them in');
    if (new Set(names).size !== names.length)
        throw new Error('two parts have the same name');
    if (renderMultipart(parts) !== text)
        throw new Error('the message differs from what prepare writes for the same parts (boundary or layout)');
    return parts;
}
/** Adds a part at the end of a prepared user data message. */
function appendPart(gz, part) {
    const text = readUserdata(gz);
    const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
    if (!m)
        throw new Error('user data is not an amibake multipart message');
    const closing = `--${m[1]}--\n`;
    if (!text.endsWith(closing))
        throw new Error('user data multipart message is not terminated');
    if (part.content.includes(m[1]))
        throw new Error('MIME boundary collision');
    return gzipUserdata(text.slice(0, -closing.length) + `--${m[1]}\n${renderPart(part)}` + closing);
}


/***/ }),

/***/ 8441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/golden/copy.ts
var copy = __webpack_require__(5680);
// EXTERNAL MODULE: ./src/bake/aws.ts
var aws = __webpack_require__(7980);
// EXTERNAL MODULE: ./src/bake/image.ts
var bake_image = __webpack_require__(5484);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./src/golden/aws.ts
var golden_aws = __webpack_require__(9160);
// EXTERNAL MODULE: ./src/bake/retry.ts
var retry = __webpack_require__(8483);
// EXTERNAL MODULE: ./src/bake/tags.ts
var bake_tags = __webpack_require__(5736);
;// CONCATENATED MODULE: ./src/bake/instance.ts
/** The temporary instance: how it is launched, found again and terminated. */





/** States in which an instance still costs money or holds a volume. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
function runInstancesInput(spec) {
    const tags = (0,bake_tags/* toTags */.LZ)(spec.tags);
    return {
        ImageId: spec.baseAmi,
        InstanceType: spec.instanceType,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: spec.subnet,
        SecurityGroupIds: spec.securityGroups,
        IamInstanceProfile: spec.profile
            ? spec.profile.startsWith('arn:')
                ? { Arn: spec.profile }
                : { Name: spec.profile }
            : undefined,
        KeyName: spec.keyPair,
        UserData: spec.userdata.toString('base64'),
        ClientToken: spec.clientToken,
        // The install ends with a poweroff from inside: that must stop, never terminate, the instance.
        InstanceInitiatedShutdownBehavior: 'stop',
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: spec.blockDevices,
        TagSpecifications: [
            { ResourceType: 'instance', Tags: tags },
            { ResourceType: 'volume', Tags: tags },
        ],
    };
}
async function describe(ec2, filters) {
    const out = [];
    let NextToken;
    do {
        const page = await ec2.send(new dist_cjs/* DescribeInstancesCommand */.bNs({ Filters: filters, NextToken }));
        for (const r of page.Reservations ?? [])
            out.push(...(r.Instances ?? []));
        NextToken = page.NextToken;
    } while (NextToken);
    return out;
}
async function describeInstance(ec2, id) {
    const [found] = await describe(ec2, [{ Name: 'instance-id', Values: [id] }]);
    return found;
}
/**
 * Instances launched with `clientToken`: by the `client-token` filter and by the
 * `amibake:client-token` tag (tags at creation are applied with the launch itself). moto does not
 * implement the client-token filter, so a failing query only counts when both fail.
 * `quick` is a client with few retries for the filter moto lacks.
 */
async function findByToken(ec2, quick, clientToken, logger) {
    const [byFilter, byTag] = await Promise.allSettled([
        describe(quick, [{ Name: 'client-token', Values: [clientToken] }]),
        describe(ec2, [{ Name: `tag:${bake_tags/* TAG */.Dk.clientToken}`, Values: [clientToken] }]),
    ]);
    if (byFilter.status === 'rejected') {
        logger.debug(`client-token filter: ${(0,errors/* errorMessage */.gJ)(byFilter.reason)}; using the tag alone`);
    }
    if (byTag.status === 'rejected') {
        if (byFilter.status === 'rejected')
            throw byTag.reason;
        logger.debug(`tag filter: ${(0,errors/* errorMessage */.gJ)(byTag.reason)}`);
    }
    const all = new Map();
    for (const r of [byFilter, byTag]) {
        if (r.status === 'fulfilled')
            for (const i of r.value)
                if (i.InstanceId)
                    all.set(i.InstanceId, i);
    }
    return [...all.values()];
}
/**
 * TerminateInstances for one known instance, retried with backoff until `deadline` whatever the
 * error (a throttled, failing or expired call must not abandon it; DescribeInstances is not
 * needed first). Resolves with the state AWS answered (`shutting-down`, `terminated`), or
 * `gone` when AWS does not know the id any more; throws the last error when the deadline passes.
 */
async function terminateKnown(ec2, id, opts) {
    const state = await (0,retry/* retryUntil */.v6)(async () => {
        try {
            const out = await ec2.send(new dist_cjs/* TerminateInstancesCommand */.NaF({ InstanceIds: [id] }));
            return (out.TerminatingInstances?.find((t) => t.InstanceId === id)?.CurrentState?.Name ?? 'shutting-down');
        }
        catch (err) {
            if ((0,golden_aws/* errorCode */.CA)(err) === 'InvalidInstanceID.NotFound')
                return 'gone';
            throw err;
        }
    }, {
        deadline: opts.deadline,
        sleep: opts.sleep,
        onError: (err) => opts.logger.debug(`TerminateInstances ${id}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
    });
    return state ?? 'shutting-down';
}
async function waitTerminated(ec2, ids, opts) {
    if (!ids.length)
        return;
    await (0,dist_cjs/* waitUntilInstanceTerminated */.GJr)({
        client: ec2,
        maxWaitTime: opts.maxWaitSeconds,
        minDelay: opts.delaySeconds,
        maxDelay: Math.max(opts.delaySeconds, 15),
        abortSignal: opts.abortSignal,
    }, { InstanceIds: ids });
}

;// CONCATENATED MODULE: ./src/bake/state.ts
/**
 * Cleanup state: what the lifecycle has started, saved before each risky call so that whoever
 * cleans up (the bake itself, a signal handler, the action's post step) can find it. The action
 * persists it with core.saveState (the post step reads STATE_*), the CLI keeps it in memory.
 */
/** State keys. Values are strings; absent means "not started". */
const STATE = {
    region: 'amibake_region',
    /** RunInstances ClientToken, also the `amibake:client-token` tag of the instance. */
    clientToken: 'amibake_client_token',
    /** `started` before RunInstances (and after an error that may have come after the launch),
     *  `returned` after its answer, `failed` after AWS refused it (nothing was launched). */
    launch: 'amibake_launch',
    instanceId: 'amibake_instance_id',
    /** Saved before CreateImage, so an interrupted creation can be found by name; emptied when AWS
     *  refused the call (no AMI was made). */
    imageName: 'amibake_image_name',
    imageId: 'amibake_image_id',
    /** Set once the AMI is available and fully tagged: it is the bake's result, never cleaned up. */
    imageDone: 'amibake_image_done',
    /** Set once the instance is known to be terminated. */
    terminated: 'amibake_terminated',
    /** The multi-region copies in flight (JSON, src/golden/copy.ts): recovery finishes or removes them. */
    copies: 'amibake_copies',
};
/** Keeps the values in memory and hands each one to `sink` (core.saveState in the action). */
class MemoryState {
    sink;
    data = {};
    constructor(sink) {
        this.sink = sink;
    }
    save(key, value) {
        this.data[key] = value;
        this.sink?.(key, value);
    }
    values() {
        return { ...this.data };
    }
}
/** Reads the saved values back (the post step: `get` is core.getState). */
function readState(get) {
    const out = {};
    for (const key of Object.values(STATE)) {
        const v = get(key);
        if (v)
            out[key] = v;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/bake/cleanup.ts








/** The problems of a report as one error message (empty when nothing is left). */
function leftoverMessage(report) {
    if (!report.problems.length)
        return '';
    return (`cleanup left resources in AWS:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'remove them by hand, or let `amibake sweep` terminate the build instances and finish the AMIs');
}
const DEFAULT_TERMINATE_SECONDS = 120;
const DEFAULT_IMAGE_LOOKUP_SECONDS = 15;
/** Live instances launched with the saved client token when RunInstances' answer was lost. */
async function findLaunched(o, st, report, sleep) {
    const token = st[STATE.clientToken];
    if (st[STATE.instanceId] || !token || !st[STATE.launch])
        return [];
    // An empty answer is believed after lookupSeconds (the instance shows up late); an error is
    // retried until the termination deadline: only an answer tells that nothing was launched.
    const emptyUntil = (0,retry/* deadlineIn */._5)(st[STATE.launch] === 'started' ? (o.lookupSeconds ?? 0) : 0);
    const errorUntil = Math.max(emptyUntil, (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS));
    try {
        // undefined = "nothing yet, ask again"; past emptyUntil an empty answer is final.
        const found = await (0,retry/* retryUntil */.v6)(async () => {
            const found = await findByToken(o.ec2, o.quick, token, o.logger);
            return found.length || Date.now() >= emptyUntil ? found : undefined;
        }, {
            deadline: errorUntil,
            sleep,
            onError: (err) => o.logger.debug(`looking for the instance of client token ${token}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
        });
        return (found ?? []).filter((i) => LIVE_STATES.includes(i.State?.Name ?? '')).map((i) => i.InstanceId);
    }
    catch (err) {
        report.problems.push(`could not look for the build instance launched with client token ${token} ` +
            `(tag ${bake_tags/* TAG */.Dk.clientToken}=${token}): ${(0,errors/* errorMessage */.gJ)(err)}; if RunInstances went through, ` +
            'that instance is left running');
        return [];
    }
}
async function cleanImage(o, st, report, sleep) {
    const { ec2, logger } = o;
    const name = st[STATE.imageName];
    if (!name || st[STATE.imageDone])
        return;
    const imageId = st[STATE.imageId];
    const deadline = (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
    const what = imageId ?? `the AMI named ${name}`;
    let image;
    try {
        if (imageId) {
            image = (await (0,retry/* retryUntil */.v6)(async () => ({ image: await (0,bake_image/* describeImage */.hu)(ec2, imageId) }), {
                deadline,
                sleep,
                onError: (err) => logger.debug(`DescribeImages ${imageId}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
            }))?.image;
        }
        else {
            // CreateImage's answer was lost (or is still coming): the AMI shows up by name, eventually.
            // It is ours only if it carries our token.
            image = await (0,retry/* retryUntil */.v6)(async () => {
                const candidate = await (0,bake_image/* findByName */._U)(ec2, name);
                const token = candidate?.Tags?.find((t) => t.Key === bake_tags/* TAG */.Dk.clientToken)?.Value;
                return candidate && token === st[STATE.clientToken] ? candidate : undefined;
            }, {
                deadline: (0,retry/* deadlineIn */._5)(o.imageLookupSeconds ?? DEFAULT_IMAGE_LOOKUP_SECONDS),
                sleep,
                onError: (err) => logger.debug(`DescribeImages ${name}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
            });
        }
    }
    catch (err) {
        report.problems.push(`could not check ${what}, whose creation started (${(0,errors/* errorMessage */.gJ)(err)}): if it exists it is ` +
            'left, maybe unfinished and untagged');
        return;
    }
    if (!image && !imageId) {
        // CreateImage was sent and its answer never came, and no AMI of that name carries our token:
        // most likely none was made, but that is not known, so it is reported rather than assumed.
        report.problems.push(`CreateImage of ${name} was sent and not answered, and no AMI of that name with ` +
            `${bake_tags/* TAG */.Dk.clientToken}=${st[STATE.clientToken] ?? ''} was found: if one appears, it is unfinished ` +
            'and untagged (`amibake sweep` finishes or removes it)');
        return;
    }
    if (!image?.ImageId || image.State === 'deregistered')
        return;
    if (image.State === 'available') {
        // The install succeeded and the AMI is complete: recorded like a finished bake (its own tags,
        // the digest included, are on it since CreateImage; the snapshots get them now). A re-run
        // reuses it. If the snapshots cannot be tagged it is discarded instead: never left untagged.
        const id = image.ImageId;
        try {
            await (0,retry/* retryUntil */.v6)(async () => {
                await (0,bake_image/* tagSnapshots */.sD)(ec2, image, (0,bake_image/* ownTags */.Wb)(image));
                return true;
            }, {
                deadline,
                sleep,
                onError: (err) => logger.debug(`tagging the snapshots of ${id}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
            });
            logger.info(`the AMI ${id} (${name}) became available before the bake stopped: kept as its result`);
            report.keptImage = id;
            return;
        }
        catch (err) {
            logger.warn(`the snapshots of the AMI ${id} (${name}) cannot be tagged (${(0,errors/* errorMessage */.gJ)(err)}): discarding it`);
        }
    }
    report.problems.push(...(await (0,bake_image/* discardImage */.Iy)(ec2, image, logger, { deadline, sleep })));
    report.discardedImage = image.ImageId;
}
async function cleanup(o) {
    const { logger } = o;
    const sleep = o.sleep ?? retry/* realSleep */.uk;
    const read = () => (typeof o.state === 'function' ? o.state() : o.state);
    const report = { terminated: [], confirmed: [], left: [], problems: [] };
    const st = read();
    const ids = new Set();
    const known = st[STATE.instanceId];
    if (known && !st[STATE.terminated])
        ids.add(known);
    for (const id of await findLaunched(o, st, report, sleep))
        ids.add(id);
    const deadline = (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
    const seen = [];
    for (const id of ids) {
        logger.info(`terminating ${id}`);
        try {
            const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
            report.terminated.push(id);
            if (state === 'terminated' || state === 'gone')
                seen.push(id);
        }
        catch (err) {
            report.left.push(id);
            report.problems.push(`the build instance ${id} could not be terminated: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    if (o.images) {
        try {
            await cleanImage(o, read(), report, sleep);
        }
        catch (err) {
            report.problems.push(`could not check the unfinished AMI ${read()[STATE.imageId] ?? ''}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    // Copies to other regions that did not finish: tagged if available, else removed.
    const copies = (0,copy/* parseCopyState */.Kl)(read()[STATE.copies]);
    if (copies) {
        const clients = new Map();
        try {
            const recovered = await (0,copy/* recoverCopies */.gG)(copies, (r) => clients.get(r) ?? clients.set(r, (0,aws/* createEc2 */.Jm)(r)).get(r), logger);
            for (const r of recovered)
                if (r.action === 'kept')
                    report.problems.push(`copy to ${r.region}: ${r.detail}`);
        }
        catch (err) {
            report.problems.push(`could not check the copies (${copies.copies.map((c) => c.imageId ?? c.name).join(', ')}): ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    // Reporting only: AWS accepted the termination; seeing `terminated` is a courtesy.
    const waiting = report.terminated.filter((id) => !seen.includes(id));
    if (waiting.length && o.wait) {
        try {
            const until = (0,retry/* deadlineIn */._5)(o.waitSeconds ?? 600);
            await waitTerminated(o.ec2, waiting, {
                maxWaitSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)),
                delaySeconds: o.delaySeconds ?? 5,
            });
            seen.push(...waiting);
            logger.info(`terminated ${waiting.join(', ')}`);
        }
        catch (err) {
            logger.warn(`termination of ${waiting.join(', ')} accepted by AWS, not seen completed yet: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    else if (seen.length)
        logger.info(`terminated ${seen.join(', ')}`);
    report.confirmed = seen;
    return report;
}

// EXTERNAL MODULE: ./src/core/log.ts
var log = __webpack_require__(4325);
// EXTERNAL MODULE: ./src/core/options.ts + 1 modules
var options = __webpack_require__(101);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
;// CONCATENATED MODULE: ./src/bake/report.ts
/** What a bake hands on: action outputs, the sourceable output file, the summary table. */



function outputFileText(r) {
    return (0,envfile/* formatEnv */.R_)({ AMI_ID: r.amiId, AMI_NAME: r.amiName, REGION: r.region, ...r.report.fileVars });
}
async function writeOutputFile(path, r, option) {
    try {
        await (0,promises_.writeFile)(path, outputFileText(r));
    }
    catch (err) {
        throw new errors/* UserError */.yo(`${option}: cannot write ${path}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
}
function formatDuration(seconds) {
    const s = Math.round(seconds);
    if (s < 60)
        return `${s} s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
/** Rows of the bake's summary: [label, value]. */
function summaryRows(r) {
    const rows = [
        [
            'AMI',
            r.report.dryRun
                ? 'none (dry run)'
                : r.reused
                    ? `${r.amiId} (reused: already baked from the same content)`
                    : r.amiId,
        ],
        ['Name', r.amiName],
        ['Region', r.region],
        ['Base AMI', r.baseAmi],
        ['Instance type', r.instanceType],
    ];
    if (r.instanceId)
        rows.push([
            'Build instance',
            `${r.instanceId} (${r.terminated ? 'terminated' : 'termination not confirmed: see the warnings'})`,
        ]);
    if (r.snapshots.length)
        rows.push(['Snapshots', r.snapshots.join(', ')]);
    rows.push(...r.report.summary);
    for (const t of r.timings)
        rows.push([t.title, formatDuration(t.seconds)]);
    const total = r.timings.reduce((a, t) => a + t.seconds, 0);
    rows.push(['Total', formatDuration(total)]);
    return rows;
}
function summaryText(r) {
    const rows = summaryRows(r);
    const width = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/core/digest.ts
var digest = __webpack_require__(5543);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: ./src/core/regions.ts + 1 modules
var regions = __webpack_require__(849);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/core/userdata.ts
var core_userdata = __webpack_require__(4808);
;// CONCATENATED MODULE: ./src/bake/prepared.ts
/** The prepared files (userdata.gz, vars.env, fs.tgz): attacker-controlled input to the build.
 *  Checked before anything is uploaded or launched: the user data's size and form, the sha256 of
 *  each file, and the digest the build computes itself from them (never taken from vars.env). */









/** Variables of vars.env that the build reads. */
const VARS = {
    region: 'AWSREGION',
    s3Url: 'S3URL',
    name: 'NAME',
    version: 'VERSION',
    userdataSha256: 'USERDATA_SHA256',
    fsSha256: 'FS_SHA256',
    fsMode: 'FS_MODE',
    digest: 'PREPARED_DIGEST',
    description: 'DESCRIPTION',
};
/** Control characters and the line breaks the runner or a terminal would honour (C0, DEL, C1 with
 *  U+0085, U+2028/U+2029). A value the build reads from vars.env reaches the log, errors, the plan
 *  and AWS: one of these could start a new line there, and so a workflow command. */
// eslint-disable-next-line no-control-regex -- the point: control characters
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path), hash);
    return hash.digest('hex');
}
async function readOrExplain(path, what) {
    try {
        return await (0,promises_.readFile)(path);
    }
    catch (err) {
        throw new errors/* UserError */.yo(`${what} ${path}: ${err.code ?? (0,errors/* errorMessage */.gJ)(err)}`);
    }
}
/**
 * userdata.gz, checked before any AWS call: at most EC2's 16,384 bytes before it is gunzipped,
 * inflated no further than USERDATA_TEXT_LIMIT, and the MIME multipart prepare writes.
 */
async function readPreparedUserdata(path) {
    let userdata;
    try {
        const file = await (0,promises_.open)(path, 'r');
        try {
            const { size } = await file.stat();
            if (size > core_userdata/* USERDATA_LIMIT */.SF)
                throw new errors/* UserError */.yo(`${path}: ${size} bytes, more than EC2's limit of ${core_userdata/* USERDATA_LIMIT */.SF} for user data: not what prepare writes`);
            userdata = await file.readFile();
        }
        finally {
            await file.close();
        }
    }
    catch (err) {
        if (err instanceof errors/* UserError */.yo)
            throw err;
        throw new errors/* UserError */.yo(`cannot read the user data ${path}: ${err.code ?? (0,errors/* errorMessage */.gJ)(err)}`);
    }
    // Read as one: a file grown since the size check is still held to the limit.
    if (userdata.length > core_userdata/* USERDATA_LIMIT */.SF)
        throw new errors/* UserError */.yo(`${path}: more than EC2's limit of ${core_userdata/* USERDATA_LIMIT */.SF} bytes for user data`);
    try {
        (0,core_userdata/* parseMultipart */.wF)((0,core_userdata/* readUserdata */.mV)(userdata));
    }
    catch (err) {
        throw new errors/* UserError */.yo(`${path}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    return userdata;
}
/**
 * Reads `userdataPath`, the `vars.env` beside it and, when prepare staged the files externally,
 * `fsTgzPath` (default: `fs.tgz` beside the user data). `fsTgzOption` names the option that set
 * fsTgzPath, for errors.
 */
async function loadPrepared(userdataPath, fsTgzPath, fsTgzOption = 'fs.tgz') {
    const dir = (0,external_node_path_.dirname)(userdataPath);
    const varsPath = (0,external_node_path_.join)(dir, 'vars.env');
    const userdata = await readPreparedUserdata(userdataPath);
    const varsText = await readOrExplain(varsPath, 'cannot read vars.env (prepare writes it beside userdata.gz):');
    let vars;
    try {
        vars = (0,envfile/* parseEnv */.vc)(varsText.toString('utf8'), varsPath);
    }
    catch (err) {
        throw new errors/* UserError */.yo((0,errors/* errorMessage */.gJ)(err));
    }
    // vars.env is the artifact's: its values are never quoted with a line break in them. The value
    // itself is not printed, only its key.
    for (const key of Object.values(VARS)) {
        if (vars[key] !== undefined && LINE_BREAKING.test(vars[key]))
            throw new errors/* UserError */.yo(`${varsPath}: ${key} holds a line break or control character; amibake prepare never writes one`);
    }
    for (const key of [VARS.userdataSha256, VARS.fsMode, VARS.digest]) {
        if (!vars[key])
            throw new errors/* UserError */.yo(`${varsPath}: ${key} is missing (was it written by amibake prepare?)`);
    }
    const udSha = (0,external_node_crypto_.createHash)('sha256').update(userdata).digest('hex');
    if (udSha !== vars[VARS.userdataSha256]) {
        throw new errors/* UserError */.yo(`${userdataPath}: sha256 ${udSha} does not match ${VARS.userdataSha256} in ${varsPath} ` +
            `(${vars[VARS.userdataSha256]}): the files do not come from the same prepare run`);
    }
    const fsMode = vars[VARS.fsMode];
    if (fsMode !== 'inline' && fsMode !== 'external' && fsMode !== 'none') {
        throw new errors/* UserError */.yo(`${varsPath}: ${VARS.fsMode} must be inline, external or none (got "${fsMode}")`);
    }
    const prepared = { userdataPath, userdata, varsPath, vars, fsMode, digest: '' };
    if (fsMode !== 'external')
        return checkDigest({ ...prepared, digest: (0,digest/* preparedDigest */.Ar)({ userdataSha256: udSha, fsMode }) });
    const fsPath = fsTgzPath ?? (0,external_node_path_.join)(dir, 'fs.tgz');
    const expected = vars[VARS.fsSha256];
    if (!expected)
        throw new errors/* UserError */.yo(`${varsPath}: ${VARS.fsSha256} is missing although ${VARS.fsMode}=external`);
    let size;
    try {
        size = (await (0,promises_.stat)(fsPath)).size;
    }
    catch {
        throw new errors/* UserError */.yo(`${fsTgzOption}: ${fsPath} not found; prepare staged the files externally, so fs.tgz must be uploaded`);
    }
    const fsSha = await sha256File(fsPath);
    if (fsSha !== expected) {
        throw new errors/* UserError */.yo(`${fsPath}: sha256 ${fsSha} does not match ${VARS.fsSha256} in ${varsPath} (${expected}): ` +
            'the files do not come from the same prepare run');
    }
    return checkDigest({
        ...prepared,
        fsTgzPath: fsPath,
        fsSize: size,
        digest: (0,digest/* preparedDigest */.Ar)({ userdataSha256: udSha, fsMode, fsSha256: fsSha }),
    });
}
/** vars.env's PREPARED_DIGEST must be the one the build computed: an artifact that claims the
 *  digest of other content would get that content's AMI reused, or poison it for a later bake. */
function checkDigest(prepared) {
    const claimed = prepared.vars[VARS.digest];
    if (claimed !== prepared.digest) {
        const from = [prepared.userdataPath, prepared.fsTgzPath].filter(Boolean).join(' and ');
        throw new errors/* UserError */.yo(`${prepared.varsPath}: ${VARS.digest} ${claimed} is not the digest of the prepared files ` +
            `(${prepared.digest}, computed by the build from ${from}, ${digest/* DIGEST_SCHEME */.Ld}): refused. ` +
            'Prepare again with this version of amibake, and do not edit its files');
    }
    return prepared;
}

;// CONCATENATED MODULE: ./src/bake/location.ts
/**
 * Where the build runs (region) and writes (the S3 location of fs.tgz, the result and the log).
 * vars.env names both (AWSREGION, S3URL), but vars.env is the artifact's: it must never pick the
 * bucket the build role writes to, nor the region it works in. The fronts decide how far the
 * artifact is trusted (`trustArtifactLocation`): the action never takes either from vars.env; the
 * CLI keeps the spec's flow (vars.env's values when the build has none of its own). Either way,
 * vars.env that disagrees with the build's own configuration is refused, naming both.
 */





/** How the prepare stage calls the option vars.env's value came from. */
const preparedName = (key, front) => front === 'action' ? `action-prepare's ${(0,options/* nameOf */.Vb)(key, front)}` : (0,options/* nameOf */.Vb)(key, front);
/** The build region, checked against the SDK's regions and vars.env before any AWS call. */
function buildRegion(configured, prepared, policy) {
    const claimed = prepared.vars[VARS.region];
    const where = `${prepared.varsPath}: ${VARS.region}`;
    if (configured) {
        const problem = (0,regions/* regionProblem */.Og)(configured.region);
        if (problem)
            throw new errors/* OptionError */.eR([`${configured.from}: ${problem}`]);
        if (claimed !== undefined && claimed !== configured.region)
            throw new errors/* UserError */.yo(`${where} ${claimed} is not the build's region ${configured.region} (${configured.from}): ` +
                `refused, the artifact does not choose the region. Prepare with ${preparedName('awsRegion', policy.front)} ` +
                `${configured.region}, or configure the build for ${claimed}`);
        return configured.region;
    }
    if (!policy.trustArtifactLocation)
        throw new errors/* UserError */.yo('no AWS region: set AWS_REGION (the aws-region of aws-actions/configure-aws-credentials sets it); ' +
            `the build never takes its region from vars.env${claimed ? ` (${VARS.region} ${claimed})` : ''}`);
    if (!claimed)
        throw new errors/* UserError */.yo(`no AWS region: set AWS_REGION, or ${preparedName('awsRegion', policy.front)} when preparing (${VARS.region} in vars.env)`);
    const problem = (0,regions/* regionProblem */.Og)(claimed);
    if (problem)
        throw new errors/* OptionError */.eR([`${where}: ${problem}`]);
    return claimed;
}
/**
 * The S3 location of fs.tgz (the result and the log go beside it): the build's own option, else,
 * only when the artifact is trusted, vars.env's S3URL. Returns the problems found.
 */
function stagingLocation(own, prepared, policy) {
    const claimed = prepared.vars[VARS.s3Url];
    const option = (0,options/* nameOf */.Vb)('buildS3Url', policy.front);
    const where = `${prepared.varsPath}: ${VARS.s3Url}`;
    const problems = [];
    let staging = own;
    if (own && claimed !== undefined && claimed !== own.url)
        problems.push(`${where} ${claimed} is not ${option} ${own.url}: refused, the artifact does not choose where the ` +
            `build writes. Prepare with ${preparedName('s3Url', policy.front)} ${own.url}, or change ${option}`);
    if (!own && claimed !== undefined && policy.trustArtifactLocation) {
        try {
            staging = (0,parse/* s3Url */.AB)(claimed);
        }
        catch (err) {
            problems.push(`${where}: ${err.message}`);
        }
    }
    if (prepared.fsMode === 'external' && !staging && !problems.length)
        problems.push(policy.trustArtifactLocation || claimed === undefined
            ? `${option}: is required, the prepared files went external (fs.tgz) and ${prepared.varsPath} has no ${VARS.s3Url}`
            : `${option}: is required, the prepared files went external (fs.tgz); the bucket the build writes to ` +
                `comes from ${option} only, never from vars.env (${VARS.s3Url} ${claimed})`);
    return { staging, problems };
}

;// CONCATENATED MODULE: ./src/bake/config.ts
/** Everything a bake needs, resolved from the options, the prepared files and the environment,
 *  and checked before any AWS call. */






/** AWS's rule for AMI names. */
const AMI_NAME_RE = /^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/;
/** GitHub's run id and attempt; elsewhere a generated id (Jenkins: BUILD_TAG). */
function runIdFrom(env) {
    if (env.GITHUB_RUN_ID)
        return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    if (env.BUILD_TAG)
        return env.BUILD_TAG.slice(0, 200);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    return `cli-${stamp}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
}
/** The reuse digest (tag `amibake:digest`): what makes two bakes of the same name the same AMI.
 *  Hashed with the digest scheme, so tags written by an earlier amibake never match. */
function bakeDigest(parts) {
    return (0,digest/* digestOf */.ol)(parts);
}
/**
 * The inputs of the reuse digest known before any AWS call: the prepared files as the build
 * digested them itself, and the options that change what ends up on the image. The instance type
 * is the hardware the install ran on (drivers, what an install script detects), the key pair's
 * public key is written into the image by cloud-init, and an AMI trusted without an install result
 * must not stand in for one that proved its install. The base AMI (preflight) and the root volume
 * and IMDS settings (the golden phases) are added later.
 */
function imageDigestParts(cfg) {
    return {
        prepared: cfg.prepared.digest,
        'instance-type': cfg.instanceType,
        'key-pair': cfg.keyPair ?? '',
        result: cfg.allowNoResult ? 'stop-trusted' : 'required',
    };
}
function resolveConfig(opts, prepared, ctx) {
    const { front } = ctx;
    const problems = [];
    const name = opts.targetName ?? prepared.vars[VARS.name];
    const version = opts.targetVersion ?? prepared.vars[VARS.version];
    const arg = (what) => (front === 'cli' ? ` (or the ${what} argument)` : '');
    if (!name)
        problems.push(`${(0,options/* nameOf */.Vb)('targetName', front)}${arg('NAME')}: is required, ${prepared.varsPath} has no NAME`);
    if (!version)
        problems.push(`${(0,options/* nameOf */.Vb)('targetVersion', front)}${arg('VERSION')}: is required, ${prepared.varsPath} has no VERSION`);
    const amiName = `${name}-${version}`;
    if (name && version && !AMI_NAME_RE.test(amiName))
        problems.push(`${(0,options/* nameOf */.Vb)('targetName', front)}: the AMI name "${amiName}" (name-version) must be 3 to 128 letters, ` +
            "digits, spaces and ()[]./-'@_");
    const location = stagingLocation(opts.buildS3Url, prepared, {
        front,
        trustArtifactLocation: ctx.trustArtifactLocation,
    });
    problems.push(...location.problems);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
    const staging = location.staging;
    return {
        front,
        region: ctx.region,
        name: name,
        version: version,
        amiName,
        description: opts.targetDescription ??
            prepared.vars[VARS.description]?.slice(0, 255) ??
            `${name} ${version} (baked by amibake)`,
        baseAmi: opts.baseAmi,
        subnet: opts.subnet,
        securityGroups: opts.securityGroups,
        profile: opts.profile,
        instanceType: opts.instanceType,
        keyPair: opts.keyPair,
        timeoutInstance: opts.timeoutInstance,
        timeoutAmi: opts.timeoutAmi,
        waitInstance: opts.waitInstance,
        waitAmi: opts.waitAmi,
        allowNoResult: opts.allowNoResult,
        staging,
        s3Region: opts.s3Region ?? ctx.region,
        prepared,
        runId: runIdFrom(ctx.env),
        extraTags: {},
        outputFile: opts.outputFile,
    };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
;// CONCATENATED MODULE: ./src/bake/console.ts
/** The instance's serial console: streamed into the log while waiting, and the fallback channel
 *  for the install result (the `AMIBAKE-RESULT status=<n>` line). */



/** What `next` adds to `prev`. GetConsoleOutput returns a window (the latest 64 KB) that moves
 *  as the console grows, so the new text is found after the longest overlap with the end of
 *  what was already shown. */
function consoleDelta(prev, next) {
    if (!prev)
        return next;
    if (next.startsWith(prev))
        return next.slice(prev.length);
    if (prev.endsWith(next) || prev.includes(next))
        return '';
    // The end of prev, as long a piece as possible, found in next: the text after it is new.
    for (let len = Math.min(prev.length, next.length, 4096); len >= 64; len = Math.floor(len / 2)) {
        const at = next.lastIndexOf(prev.slice(-len));
        if (at >= 0)
            return next.slice(at + len);
    }
    return next;
}
function parseResult(text) {
    if (!text)
        return undefined;
    const m = /^status=(\d+)\s*$/m.exec(text) ?? contract/* RESULT_LINE_RE */.n3.exec(text);
    return m ? Number(m[1]) : undefined;
}
/** The last result line wins: a console holds every boot of the instance. */
function consoleResult(text) {
    const re = new RegExp(contract/* RESULT_LINE_RE */.n3.source, 'gm');
    let status;
    for (const m of text.matchAll(re))
        status = Number(m[1]);
    return status;
}
/** The last `lines` lines of `text` (instance text: print it with Logger.untrusted). */
function tail(text, lines = 40) {
    const all = text.replace(/\s+$/, '').split('\n');
    return all.slice(-lines).join('\n');
}
/** Reads the console. `Latest` is asked for first (Nitro types); types that do not support it
 *  answer with an error, and the plain call is used from then on. */
class ConsoleReader {
    ec2;
    instanceId;
    logger;
    latest = true;
    shown = '';
    constructor(ec2, instanceId, logger) {
        this.ec2 = ec2;
        this.instanceId = instanceId;
        this.logger = logger;
    }
    async read() {
        try {
            const out = await this.ec2.send(new dist_cjs/* GetConsoleOutputCommand */.Olx({ InstanceId: this.instanceId, Latest: this.latest || undefined }));
            return out.Output ? Buffer.from(out.Output, 'base64').toString('utf8') : '';
        }
        catch (err) {
            if (this.latest) {
                this.latest = false;
                this.logger.debug(`GetConsoleOutput Latest=true: ${(0,errors/* errorMessage */.gJ)(err)}; reading without it`);
                return this.read();
            }
            this.logger.debug(`GetConsoleOutput: ${(0,errors/* errorMessage */.gJ)(err)}`);
            return undefined;
        }
    }
    /** Prints what the console added since the last call (as instance text: inert). */
    async stream() {
        const text = await this.read();
        if (text === undefined)
            return undefined;
        const delta = consoleDelta(this.shown, text);
        // Whole lines only: a line still being written is shown on the next call.
        const cut = delta.lastIndexOf('\n');
        if (cut >= 0) {
            // The instance's text: one inert block per read, its stop-commands token drawn after the
            // text was read.
            this.logger.untrusted(delta.slice(0, cut).replace(/\r/g, ''));
            this.shown = text.slice(0, text.length - (delta.length - cut - 1));
        }
        return text;
    }
}

// EXTERNAL MODULE: ./src/bake/stage.ts
var stage = __webpack_require__(575);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js
var s3_request_presigner_dist_cjs = __webpack_require__(8505);
;// CONCATENATED MODULE: ./src/bake/staging.ts
/**
 * The S3 side of the stage contract: fs.tgz goes up (multipart, @aws-sdk/lib-storage), the
 * instance gets presigned URLs (GET fs.tgz, PUT result, PUT log) so it needs no S3 permission and
 * no AWS CLI, and the build reads the result and the log back. The objects are left for the
 * bucket's lifecycle rules.
 */





/** SigV4 presigned URLs live at most 7 days. */
const MAX_EXPIRY = 7 * 24 * 3600;
/** Result and log sit beside fs.tgz, named per bake so a re-run never reads an old result. */
function stagingKeys(loc, token) {
    const slash = loc.key.lastIndexOf('/');
    const prefix = slash >= 0 ? loc.key.slice(0, slash + 1) : '';
    return {
        bucket: loc.bucket,
        fs: loc.key,
        result: `${prefix}amibake-${token}.result`,
        log: `${prefix}amibake-${token}.log`,
    };
}
async function uploadFs(s3, keys, path, logger) {
    const upload = new lib_storage_dist_cjs/* Upload */._({
        client: s3,
        params: { Bucket: keys.bucket, Key: keys.fs, Body: (0,external_node_fs_.createReadStream)(path) },
        partSize: 16 * 1024 * 1024,
        queueSize: 4,
        leavePartsOnError: false,
    });
    await upload.done();
    logger.info(`uploaded ${path} to s3://${keys.bucket}/${keys.fs}`);
}
/**
 * URLs valid for the whole install (`seconds`) plus a margin. URLs signed with session
 * credentials stop working when the session ends, whatever their expiry.
 */
async function presign(s3, keys, opts) {
    const expiresIn = Math.min(MAX_EXPIRY, Math.ceil(opts.seconds) + 900);
    const sign = (cmd) => (0,s3_request_presigner_dist_cjs/* getSignedUrl */.A)(s3, cmd, { expiresIn });
    const [fsUrl, resultUrl, logUrl] = await Promise.all([
        opts.withFs ? sign(new client_s3_dist_cjs.GetObjectCommand({ Bucket: keys.bucket, Key: keys.fs })) : undefined,
        sign(new client_s3_dist_cjs.PutObjectCommand({ Bucket: keys.bucket, Key: keys.result })),
        sign(new client_s3_dist_cjs.PutObjectCommand({ Bucket: keys.bucket, Key: keys.log })),
    ]);
    return { fsUrl, resultUrl, logUrl };
}
/** The object's text, or undefined when it does not exist (or cannot be read: warned). */
async function readObject(s3, bucket, key, logger, 
/** Read only the object's last bytes (a log written by the instance can be any size). */
lastBytes) {
    try {
        const range = lastBytes ? `bytes=-${lastBytes}` : undefined;
        const out = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
        return await out.Body?.transformToString('utf8');
    }
    catch (err) {
        if (err instanceof client_s3_dist_cjs.NoSuchKey || err.name === 'NoSuchKey')
            return undefined;
        // A range of an empty object is unsatisfiable (416).
        if (lastBytes && err.$metadata?.httpStatusCode === 416)
            return '';
        logger.warn(`cannot read s3://${bucket}/${key}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/bake/lifecycle.ts
/**
 * The bake: an ordered list of phases over one context. Each phase saves the cleanup state
 * before its risky call; whatever happens, the instance is terminated at the end (here, by a
 * signal handler, or by the action's post step). Later features plug in as phases (base-image
 * resolution before preflight; copies, shares and retention after the image) or through the
 * context's hooks (tags, block devices).
 */
















class CancelledError extends errors/* UserError */.yo {
    name = 'CancelledError';
}
/** `err` with the cleanup's leftovers appended to its message (same class: a UserError stays one). */
function withLeftovers(err, left) {
    if (err instanceof Error) {
        err.message = `${err.message}\n${left}`;
        return err;
    }
    return new Error(`${String(err)}\n${left}`);
}
function abortableSleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted)
            return reject(new CancelledError('the bake was cancelled'));
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(new CancelledError('the bake was cancelled'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
// ---- phases ----
const preflight = {
    id: 'preflight',
    title: 'Preflight',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const base = await deps.ec2
            .send(new dist_cjs/* DescribeImagesCommand */.ji5({ ImageIds: [ctx.baseAmi] }))
            .then((o) => o.Images?.[0])
            .catch((err) => {
            if (/InvalidAMIID/.test(err.name))
                return undefined;
            throw err;
        });
        if (!base)
            throw new errors/* UserError */.yo(`${(0,options/* nameOf */.Vb)('baseAmi', cfg.front)}: ${ctx.baseAmi} not found in ${cfg.region}`);
        if (base.State !== 'available')
            throw new errors/* UserError */.yo(`${(0,options/* nameOf */.Vb)('baseAmi', cfg.front)}: ${ctx.baseAmi} is ${base.State}, not available`);
        ctx.digestParts['base-ami'] = ctx.baseAmi;
        ctx.digest = bakeDigest(ctx.digestParts);
        ctx.tags.digest = ctx.digest;
        ctx.tags.baseAmi = ctx.baseAmi;
        const existing = await (0,bake_image/* findByName */._U)(deps.ec2, cfg.amiName);
        if (!existing)
            return;
        const theirs = existing.Tags?.find((t) => t.Key === bake_tags/* TAG */.Dk.digest)?.Value;
        // Only this bake's own digest counts: the tag of an AMI baked from other content, with other
        // image options, or by an amibake before DIGEST_SCHEME (whose digest vars.env could forge).
        if (theirs !== ctx.digest) {
            throw new errors/* UserError */.yo(`the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options ` +
                `(${bake_tags/* TAG */.Dk.digest} ${theirs ?? 'absent'}, this bake ${ctx.digest}; AMIs baked before ` +
                `${digest/* DIGEST_SCHEME */.Ld} are never reused): bump the version (${(0,options/* nameOf */.Vb)('targetVersion', cfg.front)}), ` +
                `or deregister ${existing.ImageId} to bake ${cfg.amiName} again`);
        }
        if (existing.State === 'failed' || existing.State === 'invalid' || existing.State === 'error')
            throw new errors/* UserError */.yo(`the AMI ${existing.ImageId} (${cfg.amiName}) of an earlier bake is ${existing.State}: deregister it`);
        deps.logger.info(`${cfg.amiName} was already baked from the same content: reusing ${existing.ImageId}`);
        ctx.reused =
            existing.State === 'available'
                ? existing
                : await (0,bake_image/* waitAvailable */.Xy)(deps.ec2, existing.ImageId, {
                    timeoutSeconds: cfg.timeoutAmi,
                    intervalSeconds: cfg.waitAmi,
                    abortSignal: ctx.signal,
                });
        ctx.done = true;
    },
};
const lifecycle_stage = {
    id: 'stage',
    title: 'Stage files',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const prepared = cfg.prepared;
        if (cfg.staging) {
            ctx.staging = stagingKeys(cfg.staging, ctx.clientToken);
            // Signing is local: the size check below comes before anything is uploaded.
            ctx.urls = await presign(deps.s3, ctx.staging, {
                seconds: cfg.timeoutInstance,
                withFs: prepared.fsMode === 'external',
            });
            for (const url of Object.values(ctx.urls))
                if (url)
                    deps.logger.mask(url);
        }
        else {
            deps.logger.info('no S3 location: the install result is read from the console only');
        }
        ctx.userdata = (0,stage/* finalUserdata */.Yd)(prepared.userdata, ctx.urls, { keyPair: cfg.keyPair });
        deps.logger.info(`user data: ${ctx.userdata.length} bytes of 16384`);
        if (prepared.fsMode === 'external' && ctx.staging) {
            await uploadFs(deps.s3, ctx.staging, prepared.fsTgzPath, deps.logger);
        }
    },
};
class Launcher {
    /** The RunInstances call in flight, so a cancel can wait for its answer. */
    inflight;
    /** The CreateImage call in flight: a cancel waits for it too, so its AMI id is known. */
    imaging;
}
function launch(launcher) {
    return {
        id: 'launch',
        title: 'Launch',
        async run(ctx) {
            const { cfg, deps } = ctx;
            const input = runInstancesInput({
                baseAmi: ctx.baseAmi,
                instanceType: cfg.instanceType,
                subnet: cfg.subnet,
                securityGroups: cfg.securityGroups,
                profile: cfg.profile,
                keyPair: cfg.keyPair,
                userdata: ctx.userdata,
                clientToken: ctx.clientToken,
                tags: (0,bake_tags/* runTags */.He)(ctx.tags),
                blockDevices: ctx.blockDevices,
            });
            if (ctx.signal.aborted)
                throw new CancelledError('the bake was cancelled');
            deps.state.save(STATE.clientToken, ctx.clientToken);
            deps.state.save(STATE.launch, 'started');
            const call = deps.ec2.send(new dist_cjs/* RunInstancesCommand */.zq7(input));
            launcher.inflight = call.catch(() => undefined);
            let id;
            try {
                id = (await call).Instances?.[0]?.InstanceId;
            }
            catch (err) {
                // Only a refusal means nothing was launched; after a 5xx, throttling or a lost answer the
                // instance may exist, and cleanup looks for it by token for a while ('started').
                if ((0,golden_aws/* refusedByAws */.V5)(err))
                    deps.state.save(STATE.launch, 'failed');
                throw new errors/* UserError */.yo(`RunInstances: ${(0,errors/* errorMessage */.gJ)(err)}`);
            }
            if (!id)
                throw new Error('RunInstances returned no instance');
            deps.state.save(STATE.instanceId, id);
            deps.state.save(STATE.launch, 'returned');
            ctx.instanceId = id;
            deps.logger.info(`launched ${id} (${cfg.instanceType}, ${ctx.baseAmi}, run ${cfg.runId})`);
        },
    };
}
/** Waits for the instance to stop by itself, streaming its console, then reads the install result. */
const install = {
    id: 'install',
    title: 'Install (until stopped)',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const id = ctx.instanceId;
        const reader = new ConsoleReader(deps.ec2, id, deps.logger);
        const deadline = ctx.now() + cfg.timeoutInstance * 1000;
        const interval = cfg.waitInstance * 1000;
        let lastConsole = '';
        const stopped = await deps.logger.group(`Install output (console of ${id})`, async () => {
            for (;;) {
                const inst = await describeInstance(deps.ec2, id);
                const state = inst?.State?.Name ?? 'unknown';
                lastConsole = (await reader.stream()) ?? lastConsole;
                if (state === 'stopped')
                    return true;
                if (state === 'terminated' || state === 'shutting-down')
                    throw new errors/* UserError */.yo(`the instance ${id} was terminated during the install: ${inst?.StateReason?.Message ?? 'no reason given'}`);
                const left = deadline - ctx.now();
                if (left <= 0)
                    return false;
                await ctx.sleep(Math.min(interval, left));
            }
        });
        if (!stopped) {
            const text = (await reader.read()) || lastConsole;
            const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
            throw new errors/* UserError */.yo(`the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
                (shown ? '; its last console lines are printed above' : ''));
        }
        ctx.installStatus = await readStatus(ctx, reader);
        if (ctx.installStatus === undefined) {
            if (!cfg.allowNoResult) {
                const text = (await reader.read()) || lastConsole;
                const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
                throw new errors/* UserError */.yo(`the instance ${id} stopped without reporting an install result (no result object, no ` +
                    `AMIBAKE-RESULT console line). If the base image cannot report one, set ` +
                    `${(0,options/* nameOf */.Vb)('allowNoResult', cfg.front)} to trust the stop` +
                    (shown ? '; its last console lines are printed above' : ''));
            }
            deps.logger.warn(`no install result from ${id}: trusting the stop (${(0,options/* nameOf */.Vb)('allowNoResult', cfg.front)})`);
            return;
        }
        if (ctx.installStatus !== 0) {
            const log = ctx.staging
                ? await readObject(deps.s3, ctx.staging.bucket, ctx.staging.log, deps.logger, TAIL_BYTES)
                : undefined;
            const text = log ?? ((await reader.read()) || lastConsole);
            const what = log ? 'install log' : 'console';
            const shown = showTail(deps.logger, text, `Last lines of the ${what}:`);
            throw new errors/* UserError */.yo(`the install failed (status ${ctx.installStatus}); no AMI was created` +
                (shown ? `. The last lines of the ${what} are printed above` : ''));
        }
        deps.logger.info(`install succeeded (status 0)`);
    },
};
/** Bytes of the install log read back for its tail: the instance decides how big the log is. */
const TAIL_BYTES = 64 * 1024;
/** The result object is one `status=N` line; the instance could upload anything. */
const RESULT_BYTES = 4096;
/** Prints the end of instance text as an inert block, before the error that refers to it: an
 *  error message is an `::error::` command, so it never carries instance text. */
function showTail(logger, text, title) {
    if (!text)
        return false;
    logger.untrusted(tail(text), title);
    return true;
}
/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
async function readStatus(ctx, reader) {
    const { deps, cfg } = ctx;
    if (ctx.staging) {
        const status = parseResult(await readObject(deps.s3, ctx.staging.bucket, ctx.staging.result, deps.logger, RESULT_BYTES));
        if (status !== undefined)
            return status;
    }
    for (let i = 0; i < 3; i++) {
        const text = await reader.read();
        const status = text ? consoleResult(text) : undefined;
        if (status !== undefined)
            return status;
        if (i < 2)
            await ctx.sleep(cfg.waitInstance * 1000);
    }
    return undefined;
}
function lifecycle_image(launcher) {
    return {
        id: 'image',
        title: 'Create AMI',
        run: (ctx) => createAmi(ctx, launcher),
    };
}
async function createAmi(ctx, launcher) {
    const { cfg, deps } = ctx;
    const tags = (0,bake_tags/* imageTags */.rK)(ctx.tags);
    if (ctx.signal.aborted)
        throw new CancelledError('the bake was cancelled');
    deps.state.save(STATE.imageName, cfg.amiName);
    const call = (0,bake_image/* createImage */.mF)(deps.ec2, {
        instanceId: ctx.instanceId,
        name: cfg.amiName,
        description: cfg.description,
        tags,
    });
    launcher.imaging = call.catch(() => undefined);
    let imageId;
    try {
        imageId = await call;
    }
    catch (err) {
        // Refused: no AMI was made, and cleanup has none to look for. Any other failure may have come
        // after AWS made it: the name stays saved, and cleanup looks for it.
        if ((0,golden_aws/* refusedByAws */.V5)(err))
            deps.state.save(STATE.imageName, '');
        throw err;
    }
    deps.state.save(STATE.imageId, imageId);
    deps.logger.info(`creating ${imageId} (${cfg.amiName})`);
    const available = await (0,bake_image/* waitAvailable */.Xy)(deps.ec2, imageId, {
        timeoutSeconds: cfg.timeoutAmi,
        intervalSeconds: cfg.waitAmi,
        abortSignal: ctx.signal,
    });
    await (0,bake_image/* tagSnapshots */.sD)(deps.ec2, available, tags);
    deps.state.save(STATE.imageDone, '1');
    ctx.image = available;
    deps.logger.info(`${imageId} is available`);
}
const terminateInstance = {
    id: 'terminate',
    title: 'Terminate',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const id = ctx.instanceId;
        try {
            // Retried until the deadline: a throttled or failing call must not leave the instance.
            await terminateKnown(deps.ec2, id, { deadline: (0,retry/* deadlineIn */._5)(120), logger: deps.logger });
            await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
            deps.state.save(STATE.terminated, '1');
            deps.logger.info(`terminated ${id}`);
        }
        catch (err) {
            // The AMI is done: the front decides (the post step tries again; the CLI cleans up and
            // fails if the instance is still not terminated).
            deps.logger.warn(`could not confirm that ${id} is terminated: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    },
};
function defaultPhases(launcher) {
    return [preflight, lifecycle_stage, launch(launcher), install, lifecycle_image(launcher), terminateInstance];
}
class Bake {
    cfg;
    deps;
    abort = new AbortController();
    launcher = new Launcher();
    cleaning;
    phases;
    ctx;
    timings = [];
    constructor(cfg, deps, phases) {
        this.cfg = cfg;
        this.deps = deps;
        this.phases = (phases ?? defaultPhases)(this.launcher);
        const signal = this.abort.signal;
        const sleep = deps.sleep ?? abortableSleep;
        const clientToken = (0,external_node_crypto_.randomBytes)(8).toString('hex');
        const digestParts = imageDigestParts(cfg);
        this.ctx = {
            cfg,
            deps,
            signal,
            clientToken,
            baseAmi: cfg.baseAmi,
            digestParts,
            digest: bakeDigest(digestParts),
            tags: {
                name: cfg.name,
                version: cfg.version,
                amiName: cfg.amiName,
                runId: cfg.runId,
                clientToken,
                digest: '',
                baseAmi: cfg.baseAmi,
                extra: cfg.extraTags,
            },
            urls: {},
            done: false,
            report: { outputs: {}, fileVars: {}, summary: [] },
            sleep: (ms) => sleep(ms, signal),
            now: deps.now ?? Date.now,
        };
    }
    get cancelled() {
        return this.abort.signal.aborted;
    }
    async run() {
        const { ctx } = this;
        try {
            for (const phase of this.phases) {
                if (ctx.done && !phase.always)
                    continue;
                if (this.cancelled)
                    throw new CancelledError('the bake was cancelled');
                const t0 = ctx.now();
                await phase.run(ctx);
                this.timings.push({ phase: phase.id, title: phase.title, seconds: (ctx.now() - t0) / 1000 });
            }
        }
        catch (err) {
            // A cancel cleans up itself (and reports to its caller).
            if (!this.cancelled) {
                const report = await this.cleanupOnce({ wait: true });
                // The bake's error names what it could not remove, by id, and an AMI that stays.
                const st = this.deps.state.values();
                const kept = report.keptImage ?? (st[STATE.imageDone] ? st[STATE.imageId] : undefined);
                const notes = [
                    leftoverMessage(report),
                    kept ? `the AMI ${kept} (${this.cfg.amiName}) is complete and kept: a new bake reuses it` : '',
                ].filter(Boolean);
                if (notes.length)
                    throw withLeftovers(err, notes.join('\n'));
            }
            throw err;
        }
        const image = ctx.reused ?? ctx.image;
        return {
            amiId: image?.ImageId ?? '',
            amiName: this.cfg.amiName,
            region: this.cfg.region,
            instanceId: ctx.instanceId,
            terminated: Boolean(this.deps.state.values()[STATE.terminated]),
            reused: Boolean(ctx.reused),
            baseAmi: ctx.baseAmi,
            instanceType: this.cfg.instanceType,
            digest: ctx.digest,
            snapshots: (image?.BlockDeviceMappings ?? []).flatMap((m) => m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []),
            timings: this.timings,
            report: ctx.report,
        };
    }
    /** Terminates what the bake launched; every caller gets the same (single) cleanup. */
    cleanupOnce(opts) {
        this.cleaning ??= cleanup({
            ec2: this.deps.ec2,
            quick: this.deps.quick,
            logger: this.deps.logger,
            // Read afresh: a CreateImage that returned after the cancel has saved its id meanwhile.
            state: () => this.deps.state.values(),
            wait: opts.wait,
            images: true,
            delaySeconds: Math.min(this.cfg.waitInstance, 5),
            lookupSeconds: opts.wait ? 30 : 0,
            terminateSeconds: opts.terminateSeconds,
            // Within a signal handler's time limit: the post step looks again, for longer.
            imageLookupSeconds: opts.terminateSeconds === undefined ? undefined : Math.min(15, opts.terminateSeconds),
        }).then((report) => {
            // Seen terminated: the post step (and a second cleanup) need not try again.
            const id = this.deps.state.values()[STATE.instanceId];
            if (id && report.confirmed.includes(id))
                this.deps.state.save(STATE.terminated, '1');
            return report;
        });
        return this.cleaning;
    }
    /**
     * Stops the bake (a signal): the loops end, a RunInstances or CreateImage in flight gets
     * `graceMs` to answer so its instance or AMI id is known, then the instance is terminated
     * (and, with `wait`, seen terminated) and the AMI kept or discarded. The report's problems
     * name what is left.
     */
    async cancel(opts) {
        this.abort.abort();
        const inflight = [this.launcher.inflight, this.launcher.imaging].filter(Boolean);
        if (inflight.length) {
            let timer;
            await Promise.race([Promise.all(inflight), new Promise((r) => (timer = setTimeout(r, opts.graceMs)))]);
            clearTimeout(timer);
        }
        return this.cleanupOnce(opts);
    }
}

// EXTERNAL MODULE: ./src/golden/base-ami.ts
var base_ami = __webpack_require__(9060);
// EXTERNAL MODULE: ./src/golden/duration.ts
var duration = __webpack_require__(1661);
// EXTERNAL MODULE: ./src/golden/tags.ts
var tags = __webpack_require__(4276);
;// CONCATENATED MODULE: ./src/golden/retention.ts
/**
 * Retention: keep the newest N AMIs of a family (same `amibake:name`, owned by this account) in a
 * region, deregister the older ones and delete their snapshots. Never the AMI just built, never
 * one an instance in the region still uses, never one that is pending or protected.
 * The plan is computed and printed first; acting on it is a separate step (dry run stops there).
 */



const IN_USE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
const summarise = (i) => ({
    imageId: i.ImageId,
    name: i.Name ?? '',
    created: i.CreationDate ?? '',
    snapshots: (0,golden_aws/* snapshotIds */.Ns)(i),
});
async function planRetention(i) {
    const images = [];
    for await (const page of (0,dist_cjs/* paginateDescribeImages */.XiR)({ client: i.ec2, pageSize: 1000 }, { Owners: ['self'], IncludeDeprecated: true, Filters: [{ Name: `tag:${tags/* TAG */.Dk.name}`, Values: [i.family] }] }))
        images.push(...(page.Images ?? []));
    // Tag filters match wildcards; the family is the exact value.
    const family = images.filter((img) => img.Tags?.some((t) => t.Key === tags/* TAG */.Dk.name && t.Value === i.family));
    family.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
        (b.ImageId ?? '').localeCompare(a.ImageId ?? ''));
    const plan = {
        region: i.region,
        family: i.family,
        keepLast: i.keepLast,
        keep: [],
        remove: [],
        skip: [],
    };
    const candidates = [];
    // Only usable images count towards N: a failed one never takes a good one's place.
    let kept = 0;
    for (const img of family) {
        const usable = img.State === 'available';
        if (i.protect.includes(img.ImageId) || (usable && kept < i.keepLast)) {
            plan.keep.push(summarise(img));
            if (usable)
                kept++;
        }
        else
            candidates.push(img);
    }
    const users = await instancesUsing(i.ec2, candidates.map((c) => c.ImageId));
    for (const img of candidates) {
        const s = summarise(img);
        const protection = img.DeregistrationProtection ?? 'disabled';
        if (img.State !== 'available' && img.State !== 'failed')
            plan.skip.push({ ...s, reason: `it is ${img.State}` });
        else if (protection !== 'disabled' && protection !== '')
            plan.skip.push({ ...s, reason: 'deregistration protection is on' });
        else if (users.get(img.ImageId)?.length)
            plan.skip.push({ ...s, reason: `in use by ${users.get(img.ImageId).join(', ')}` });
        else
            plan.remove.push(s);
    }
    return plan;
}
/** Image id -> instances (not terminated) launched from it, in the client's region. */
async function instancesUsing(ec2, imageIds) {
    const users = new Map();
    // A filter takes at most 200 values.
    for (let n = 0; n < imageIds.length; n += 200) {
        let NextToken;
        do {
            const out = await ec2.send(new dist_cjs/* DescribeInstancesCommand */.bNs({
                Filters: [
                    { Name: 'image-id', Values: imageIds.slice(n, n + 200) },
                    { Name: 'instance-state-name', Values: IN_USE_STATES },
                ],
                NextToken,
            }));
            for (const r of out.Reservations ?? [])
                for (const inst of r.Instances ?? [])
                    if (inst.ImageId && inst.InstanceId)
                        users.set(inst.ImageId, [...(users.get(inst.ImageId) ?? []), inst.InstanceId]);
            NextToken = out.NextToken;
        } while (NextToken);
    }
    return users;
}
function formatPlan(plan) {
    const lines = [
        `retention in ${plan.region} for "${plan.family}" (keep last ${plan.keepLast}): ` +
            `${plan.keep.length} kept, ${plan.remove.length} to remove, ${plan.skip.length} skipped`,
    ];
    for (const k of plan.keep)
        lines.push(`  keep    ${k.imageId}  ${k.created}  ${k.name}`);
    for (const r of plan.remove)
        lines.push(`  remove  ${r.imageId}  ${r.created}  ${r.name}${r.snapshots.length ? `  (+ ${r.snapshots.join(', ')})` : ''}`);
    for (const s of plan.skip)
        lines.push(`  skip    ${s.imageId}  ${s.created}  ${s.name}: ${s.reason}`);
    return lines;
}
/** Carries out a plan. Failures are warned and reported, never thrown: the new AMI is already made. */
async function applyRetention(ec2, plan, log) {
    const result = { region: plan.region, removed: [], failed: [] };
    for (const r of plan.remove) {
        const removal = await (0,golden_aws/* removeImage */.aH)(ec2, r.imageId, log, r.snapshots);
        if (removal.problems.length)
            result.failed.push({ imageId: r.imageId, problems: removal.problems });
        else {
            result.removed.push({ imageId: r.imageId, snapshots: removal.snapshots });
            log.info(`retention: deregistered ${r.imageId} in ${plan.region}${removal.snapshots.length ? `, deleted ${removal.snapshots.join(', ')}` : ''}`);
        }
    }
    return result;
}

// EXTERNAL MODULE: ./src/golden/volume.ts
var golden_volume = __webpack_require__(3503);
;// CONCATENATED MODULE: ./src/golden/dryrun.ts
/**
 * Preflight for BUILDAMI_DRY_RUN: EC2 calls made with DryRun=true prove the role may make each
 * call the bake will make (DryRunOperation = allowed, UnauthorizedOperation = denied), and the
 * plan of the bake is printed. Nothing is launched, copied, shared or deleted.
 */






const DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
// Stand-ins for resources that exist only once the bake runs.
const PLACEHOLDER_INSTANCE = 'i-0000000000000000a';
/** Runs one DryRun call; `send` receives the flag so no probe can forget it. */
async function probe(action, region, send) {
    try {
        await send(true);
        return { action, region, outcome: 'unproven', detail: 'the endpoint ignored DryRun' };
    }
    catch (err) {
        const code = (0,golden_aws/* errorCode */.CA)(err);
        if (code === 'DryRunOperation')
            return { action, region, outcome: 'allowed', detail: '' };
        if (DENIED.has(code)) {
            const msg = (0,errors/* errorMessage */.gJ)(err);
            const encoded = /Encoded authorization failure message/i.test(msg)
                ? ' (decode it with `aws sts decode-authorization-message`)'
                : '';
            return {
                action,
                region,
                outcome: 'denied',
                detail: `${code}: ${msg.split('Encoded')[0].trim()}${encoded}`,
            };
        }
        return { action, region, outcome: 'unproven', detail: `${code || 'error'}: ${(0,errors/* errorMessage */.gJ)(err)}` };
    }
}
/** One probe per call the bake will make, in the order it makes them. */
async function runProbes(i) {
    const { ec2, region } = i;
    const baseId = i.base.ImageId;
    const baseSnap = (0,golden_aws/* snapshotIds */.Ns)(i.base)[0];
    const results = [];
    const run = async (action, r, send) => results.push(await probe(action, r, send));
    await run('RunInstances', region, (DryRun) => ec2.send(new dist_cjs/* RunInstancesCommand */.zq7({ ...i.launch, ClientToken: undefined, DryRun })));
    await run('CreateTags', region, (DryRun) => ec2.send(new dist_cjs/* CreateTagsCommand */.RmG({ Resources: [baseId], Tags: i.tags, DryRun })));
    await run('CreateImage', region, (DryRun) => ec2.send(new dist_cjs/* CreateImageCommand */.T6T({ InstanceId: PLACEHOLDER_INSTANCE, Name: i.amiName, DryRun })));
    await run('TerminateInstances', region, (DryRun) => ec2.send(new dist_cjs/* TerminateInstancesCommand */.NaF({ InstanceIds: [PLACEHOLDER_INSTANCE], DryRun })));
    const regions = [region, ...i.copies.map((c) => c.region)];
    for (const c of i.copies)
        await run('CopyImage', c.region, (DryRun) => i.clientFor(c.region).send(new dist_cjs/* CopyImageCommand */.SDF({
            SourceImageId: baseId,
            SourceRegion: region,
            Name: i.amiName,
            ...(c.encrypted && { Encrypted: true }),
            ...(c.kmsKeyId && { KmsKeyId: c.kmsKeyId }),
            DryRun,
        })));
    const s = i.settings;
    const shares = [
        ...s.accounts.map((UserId) => ({ UserId })),
        ...s.organizations.map((OrganizationArn) => ({ OrganizationArn })),
        ...s.ous.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
        ...(s.public ? [{ Group: 'all' }] : []),
    ];
    for (const r of regions) {
        const c = r === region ? ec2 : i.clientFor(r);
        if (s.imdsV2 || shares.length)
            await run('ModifyImageAttribute', r, (DryRun) => c.send(new dist_cjs/* ModifyImageAttributeCommand */.FE3({
                ImageId: baseId,
                ...(shares.length ? { LaunchPermission: { Add: shares } } : { ImdsSupport: { Value: 'v2.0' } }),
                DryRun,
            })));
        if (s.shareSnapshots !== 'false' && s.accounts.length && baseSnap && r === region)
            await run('ModifySnapshotAttribute', r, (DryRun) => c.send(new dist_cjs/* ModifySnapshotAttributeCommand */.KD0({
                SnapshotId: baseSnap,
                Attribute: 'createVolumePermission',
                OperationType: 'add',
                UserIds: s.accounts,
                DryRun,
            })));
        if (s.deprecateAfter)
            await run('EnableImageDeprecation', r, (DryRun) => c.send(new dist_cjs/* EnableImageDeprecationCommand */.cJk({
                ImageId: baseId,
                DeprecateAt: new Date(Date.now() + s.deprecateAfter.ms),
                DryRun,
            })));
        if (s.protection !== 'false')
            await run('EnableImageDeregistrationProtection', r, (DryRun) => c.send(new dist_cjs/* EnableImageDeregistrationProtectionCommand */.BxO({ ImageId: baseId, DryRun })));
        if (i.retention) {
            await run('DeregisterImage', r, (DryRun) => c.send(new dist_cjs/* DeregisterImageCommand */.x2c({ ImageId: baseId, DryRun })));
            if (baseSnap && r === region)
                await run('DeleteSnapshot', r, (DryRun) => c.send(new dist_cjs/* DeleteSnapshotCommand */.tZN({ SnapshotId: baseSnap, DryRun })));
        }
    }
    return results;
}
/**
 * What RunInstances would refuse, found before it is called: a subnet, security group or key pair
 * that does not exist, security groups of another VPC than the subnet's. (A DryRun RunInstances
 * checks the permission, not always the parameters.)
 */
async function checkLaunchTargets(ec2, t) {
    const problems = [];
    const lines = [];
    const missing = (err) => /\.NotFound$|^InvalidGroupId\.Malformed$/.test((0,golden_aws/* errorCode */.CA)(err));
    let vpc;
    try {
        const out = await ec2.send(new dist_cjs/* DescribeSubnetsCommand */.jSW({ SubnetIds: [t.subnet] }));
        const subnet = out.Subnets?.[0];
        vpc = subnet?.VpcId;
        if (!subnet)
            problems.push(`${t.names.subnet}: ${t.subnet} does not exist in this region`);
        else
            lines.push(`subnet            ${t.subnet} in ${subnet.VpcId}, ${subnet.AvailabilityZone}`);
    }
    catch (err) {
        if (missing(err))
            problems.push(`${t.names.subnet}: ${t.subnet} does not exist in this region`);
        else
            lines.push(`subnet            ${t.subnet}: not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    // One missing id fails the whole call: then each is looked up alone to name the missing ones.
    const groups = async (ids) => (await ec2.send(new dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({ GroupIds: ids }))).SecurityGroups ?? [];
    try {
        let found = [];
        const absent = [];
        try {
            found = await groups(t.securityGroups);
        }
        catch (err) {
            if (!missing(err))
                throw err;
            for (const id of t.securityGroups)
                found.push(...(await groups([id]).catch((e) => {
                    if (!missing(e))
                        throw e;
                    absent.push(id);
                    return [];
                })));
        }
        absent.push(...t.securityGroups.filter((id) => !absent.includes(id) && !found.some((g) => g.GroupId === id)));
        if (absent.length)
            problems.push(`${t.names.securityGroups}: ${absent.join(', ')} does not exist in this region`);
        const elsewhere = found.filter((g) => vpc && g.VpcId !== vpc);
        if (elsewhere.length)
            problems.push(`${t.names.securityGroups}: ${elsewhere.map((g) => `${g.GroupId} is in ${g.VpcId}`).join(', ')}, not in the subnet's ${vpc}`);
    }
    catch (err) {
        lines.push(`security groups   not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    if (t.keyPair)
        try {
            await ec2.send(new dist_cjs/* DescribeKeyPairsCommand */.DRu({ KeyNames: [t.keyPair] }));
        }
        catch (err) {
            if (missing(err))
                problems.push(`${t.names.keyPair}: no key pair named ${t.keyPair} in this region`);
            else
                lines.push(`key pair          not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
        }
    return { lines, problems };
}
function formatProbes(results) {
    const mark = { allowed: 'allowed ', denied: 'DENIED  ', unproven: 'unproven' };
    return results.map((r) => `  ${mark[r.outcome]}  ${r.action} in ${r.region}${r.detail ? `: ${r.detail}` : ''}`);
}
/** Fails the dry run when a call the bake needs is denied. */
function assertAllowed(results) {
    const denied = results.filter((r) => r.outcome === 'denied');
    if (denied.length)
        throw new errors/* UserError */.yo(`dry run: the role may not make ${denied.length} call(s) the bake needs: ` +
            denied.map((d) => `ec2:${d.action} in ${d.region}`).join(', '));
}
/** What the bake would do, as printed by the dry run. */
function formatBakePlan(p) {
    const l = p.launch;
    const s = p.settings;
    const lines = [
        `region            ${p.region}`,
        `base image        ${p.baseImageId} (${p.baseHow})`,
        `instance          ${l.InstanceType} in ${l.SubnetId}, security groups ${(l.SecurityGroupIds ?? []).join(', ')}` +
            `${l.IamInstanceProfile ? `, profile ${l.IamInstanceProfile.Arn ?? l.IamInstanceProfile.Name}` : ', no instance profile'}` +
            `${l.KeyName ? `, key pair ${l.KeyName}` : ', no key pair'}`,
        `metadata          IMDSv2 ${l.MetadataOptions?.HttpTokens === 'required' ? 'required' : 'optional'}; ` +
            `shutdown behaviour ${l.InstanceInitiatedShutdownBehavior ?? 'stop'}`,
        `root volume       ${(0,golden_volume/* describeRootVolume */.cg)(l.BlockDeviceMappings?.[0])}`,
        `user data         ${p.userDataBytes} of ${p.userDataLimit} bytes`,
        `AMI               "${p.amiName}"${p.description ? ` - ${p.description}` : ''}; IMDSv2 ${s.imdsV2 ? 'required' : 'not required'}`,
        `tags              ${p.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`,
        `copies            ${p.copies.length ? p.copies.map((c) => `${c.region}${c.encrypted ? ` (encrypted${c.kmsKeyId ? ` with ${c.kmsKeyId}` : ''})` : ''}`).join(', ') : 'none'}`,
        `shared with       ${[...s.accounts, ...s.organizations, ...s.ous, ...(s.public ? ['PUBLIC'] : [])].join(', ') || 'nobody'}`,
        `deprecation       ${s.deprecateAfter ? `after ${(0,duration/* formatMs */._)(s.deprecateAfter.ms)}` : 'none'}`,
        `protection        ${s.protection === 'false' ? 'none' : `deregistration protection${s.protection === 'cooldown' ? ' with cooldown' : ''}`}`,
    ];
    if (p.sweepAge)
        lines.push(`janitor           terminate amibake instances, finish unfinished AMIs older than ${p.sweepAge}`);
    for (const r of p.retention)
        lines.push(...formatPlan(r));
    return lines;
}

// EXTERNAL MODULE: ./src/golden/janitor.ts
var janitor = __webpack_require__(3676);
// EXTERNAL MODULE: ./src/golden/share.ts
var share = __webpack_require__(4390);
;// CONCATENATED MODULE: ./src/golden/phases.ts





















/** Action outputs the golden features add (see BUILD_OUTPUTS). */
const OUTPUT = { baseAmi: 'base-ami', amis: 'amis' };
/** The golden options, checked together before any AWS call; every problem at once. */
function goldenConfig(opts, front, region) {
    const n = (k) => (0,options/* nameOf */.Vb)(k, front);
    const volumeNames = {
        size: n('rootVolumeSize'),
        type: n('rootVolumeType'),
        iops: n('rootVolumeIops'),
        throughput: n('rootVolumeThroughput'),
        encrypt: n('encrypt'),
        kmsKey: n('kmsKey'),
    };
    const volume = {
        size: opts.rootVolumeSize,
        type: opts.rootVolumeType,
        iops: opts.rootVolumeIops,
        throughput: opts.rootVolumeThroughput,
        encrypt: opts.encrypt || !!opts.kmsKey,
        kmsKey: opts.kmsKey,
    };
    const settings = {
        imdsV2: opts.amiImdsv2,
        accounts: [...new Set(opts.shareAccounts ?? [])],
        organizations: [...new Set(opts.shareOrgs ?? [])],
        ous: [...new Set(opts.shareOus ?? [])],
        public: opts.public,
        shareSnapshots: opts.shareSnapshots,
        deprecateAfter: opts.deprecateAfter,
        protection: opts.deregistrationProtection,
    };
    const problems = [];
    const collect = (fn) => {
        try {
            fn();
        }
        catch (err) {
            if (err instanceof errors/* OptionError */.eR)
                problems.push(...err.problems);
            else
                problems.push((0,errors/* errorMessage */.gJ)(err));
        }
    };
    collect(() => (0,golden_volume/* validateRootVolume */.ZG)(volume, volumeNames));
    problems.push(...(0,share/* sharingProblems */.b0)(settings, volume.encrypt, opts.kmsKey, {
        public: n('public'),
        encrypt: n('encrypt'),
        kmsKey: n('kmsKey'),
        accounts: n('shareAccounts'),
        organizations: n('shareOrgs'),
        ous: n('shareOus'),
    }));
    let copies = [];
    collect(() => {
        copies = (0,copy/* planCopies */.FP)({
            sourceRegion: region,
            regions: opts.copyRegions ?? [],
            encrypt: volume.encrypt,
            kmsKeys: opts.copyKmsKeys ?? {},
            names: { regions: n('copyRegions'), kmsKeys: n('copyKmsKeys') },
        });
    });
    const shared = settings.accounts.length + settings.organizations.length + settings.ous.length > 0;
    for (const c of copies)
        if (shared && c.encrypted && !c.kmsKeyId)
            problems.push(`${n('copyKmsKeys')}: the encrypted copy in ${c.region} would use the AWS-managed key aws/ebs, which cannot be shared; give ${c.region}=KEY`);
    // The janitor must never take a bake still in progress for a leak: the instance lives at most
    // the install and AMI timeouts (it is terminated before the copies start).
    const lifetime = (opts.timeoutInstance + opts.timeoutAmi) * 1000;
    if (opts.sweep && opts.sweepAge.ms <= lifetime)
        problems.push(`${n('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its instance ` +
            `(${n('timeoutInstance')} + ${n('timeoutAmi')} = ${(0,duration/* formatMs */._)(lifetime)}); the janitor would terminate running bakes`);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
    return {
        front,
        region,
        baseRef: (0,base_ami/* baseAmiRef */.Ii)(opts.baseAmi),
        templates: opts.tags ?? [],
        volume,
        volumeNames,
        copies,
        settings,
        keepLast: opts.keepLast,
        dryRun: opts.dryRun,
        sweep: opts.sweep,
        sweepAge: opts.sweepAge,
        timeoutCopy: opts.timeoutCopy,
    };
}
const tagsOf = (image) => (image.Tags ?? []).filter((t) => t.Key && !/^aws:/i.test(t.Key));
const envName = (region) => `AMI_ID_${region.toUpperCase().replace(/-/g, '_')}`;
/** The bake's phases with the golden ones in place. */
function goldenPhases(g) {
    return (launcher) => {
        const run = { clients: new Map() };
        const clientFor = (ctx) => (region) => {
            if (region === ctx.cfg.region)
                return ctx.deps.ec2;
            if (!run.clients.has(region))
                run.clients.set(region, (0,aws/* createEc2 */.Jm)(region));
            return run.clients.get(region);
        };
        const phases = defaultPhases(launcher);
        const before = phases.findIndex((p) => p.id === 'preflight');
        const list = [
            ...phases.slice(0, before),
            resolvePhase(g, run),
            ...(g.sweep ? [sweepPhase(g)] : []),
            phases[before],
            // The dry run checks the copy targets itself (and prints the plan even when they clash).
            ...(g.copies.length && !g.dryRun ? [copyTargetsPhase(g, clientFor)] : []),
            ...(g.dryRun ? [dryRunPhase(g, run, clientFor)] : []),
            ...phases.slice(before + 1),
            // A dry run ends after its plan: nothing to publish.
            ...(g.dryRun ? [] : [publishPhase(g, clientFor)]),
            ...(g.keepLast && !g.dryRun ? [retentionPhase(g, clientFor)] : []),
        ];
        return list;
    };
}
function resolvePhase(g, run) {
    return {
        id: 'golden-base',
        title: 'Resolve base image',
        async run(ctx) {
            const { cfg, deps } = ctx;
            const ssm = new client_ssm_dist_cjs/* SSMClient */.jBj({ region: cfg.region, ...(0,aws/* sdkRetry */.L_)() });
            const resolved = await (0,base_ami/* resolveBaseAmi */.JL)({
                ec2: deps.ec2,
                ssm,
                ref: g.baseRef,
                option: (0,options/* nameOf */.Vb)('baseAmi', g.front),
            });
            run.resolved = resolved;
            for (const w of resolved.warnings)
                deps.logger.warn(w);
            if (resolved.via !== 'id') {
                deps.logger.info(`base image ${resolved.imageId}: ${resolved.how}`);
                ctx.report.summary.push(['Base AMI from', resolved.how]);
            }
            ctx.baseAmi = resolved.imageId;
            ctx.tags.baseAmi = resolved.imageId;
            ctx.blockDevices = [(0,golden_volume/* rootBlockDeviceMapping */.KB)(g.volume, resolved.image, g.volumeNames)];
            ctx.report.summary.push(['Root volume', (0,golden_volume/* describeRootVolume */.cg)(ctx.blockDevices[0])]);
            // What the AMI is made of besides the prepared files: a change is a new bake, not a reuse.
            const v = g.volume;
            ctx.digestParts['root-volume'] = [
                v.type,
                v.size,
                v.iops,
                v.throughput,
                v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
            ]
                .map((x) => x ?? '')
                .join(',');
            ctx.digestParts['imds'] = g.settings.imdsV2 ? 'v2.0' : 'any';
            const rendered = (0,tags/* renderTags */.Ep)(g.templates, (0,tags/* tagContext */._p)({
                name: cfg.name,
                version: cfg.version,
                baseAmi: resolved.imageId,
                runId: cfg.runId,
                date: new Date(ctx.now()),
            }));
            ctx.tags.extra = { ...ctx.tags.extra, ...Object.fromEntries(rendered.map((t) => [t.Key, t.Value])) };
            if (rendered.length)
                ctx.report.summary.push(['Tags', rendered.map((t) => `${t.Key}=${t.Value}`).join(', ')]);
            ctx.report.outputs[OUTPUT.baseAmi] = resolved.imageId;
            ctx.report.fileVars.BASE_AMI = resolved.imageId;
        },
    };
}
/**
 * After the preflight (the digest is known), before anything is launched: an AMI of the same name
 * from another bake in a copy region would fail the copy only after the whole bake. A reused
 * bake skips this (nothing is launched; the copy step checks again).
 */
function copyTargetsPhase(g, clientFor) {
    return {
        id: 'golden-copy-targets',
        title: 'Check copy regions',
        async run(ctx) {
            await (0,copy/* checkCopyTargets */.qo)({
                clientFor: clientFor(ctx),
                copies: g.copies,
                name: ctx.cfg.amiName,
                digest: ctx.digest,
            });
        },
    };
}
function sweepPhase(g) {
    return {
        id: 'golden-sweep',
        title: 'Sweep leaked instances',
        async run(ctx) {
            const { cfg, deps } = ctx;
            try {
                const report = await (0,janitor/* sweep */.X)({
                    ec2: deps.ec2,
                    region: cfg.region,
                    olderThanMs: g.sweepAge.ms,
                    dryRun: g.dryRun,
                    log: deps.logger,
                    now: new Date(ctx.now()),
                });
                ctx.report.summary.push(['Janitor', (0,janitor/* formatSweep */.G)(report)]);
            }
            catch (err) {
                // The janitor serves other bakes; its failure must not stop this one.
                deps.logger.warn(`sweep: ${(0,errors/* errorMessage */.gJ)(err)}`);
                ctx.report.summary.push(['Janitor', `failed: ${(0,errors/* errorMessage */.gJ)(err)}`]);
            }
        },
    };
}
/** Retention plans for a dry run: the AMI the bake would add takes one of the N places. */
async function dryRetention(g, ctx, clientFor) {
    if (!g.keepLast)
        return [];
    const plans = [];
    for (const region of [ctx.cfg.region, ...g.copies.map((c) => c.region)]) {
        const ec2 = clientFor(region);
        const existing = await (0,golden_aws/* findOwnImageByName */.jB)(ec2, ctx.cfg.amiName);
        const keepLast = existing ? g.keepLast : g.keepLast - 1;
        const plan = await planRetention({
            ec2,
            region,
            family: ctx.cfg.name,
            keepLast,
            protect: existing ? [existing.ImageId] : [],
        });
        plans.push({ ...plan, keepLast: g.keepLast });
    }
    return plans;
}
function dryRunPhase(g, run, clientFor) {
    return {
        id: 'golden-dry-run',
        title: 'Dry run',
        always: true,
        async run(ctx) {
            const { cfg, deps } = ctx;
            const n = (k) => (0,options/* nameOf */.Vb)(k, g.front);
            const forRegion = clientFor(ctx);
            // The user data exactly as the launch would send it (presigning is local; nothing is uploaded).
            let urls = {};
            if (cfg.staging) {
                urls = await presign(deps.s3, stagingKeys(cfg.staging, ctx.clientToken), {
                    seconds: cfg.timeoutInstance,
                    withFs: cfg.prepared.fsMode === 'external',
                });
                for (const url of Object.values(urls))
                    if (url)
                        deps.logger.mask(url);
            }
            const userdata = (0,stage/* finalUserdata */.Yd)(cfg.prepared.userdata, urls, { keyPair: cfg.keyPair });
            const launch = runInstancesInput({
                baseAmi: ctx.baseAmi,
                instanceType: cfg.instanceType,
                subnet: cfg.subnet,
                securityGroups: cfg.securityGroups,
                profile: cfg.profile,
                keyPair: cfg.keyPair,
                userdata,
                clientToken: ctx.clientToken,
                tags: (0,bake_tags/* runTags */.He)(ctx.tags),
                blockDevices: ctx.blockDevices,
            });
            const tags = (0,bake_tags/* toTags */.LZ)((0,bake_tags/* imageTags */.rK)(ctx.tags));
            if (g.copies.length)
                await (0,copy/* checkCopyTargets */.qo)({
                    clientFor: forRegion,
                    copies: g.copies,
                    name: cfg.amiName,
                    digest: ctx.digest,
                });
            const retention = await dryRetention(g, ctx, forRegion);
            const targets = await checkLaunchTargets(deps.ec2, {
                subnet: cfg.subnet,
                securityGroups: cfg.securityGroups,
                keyPair: cfg.keyPair,
                names: { subnet: n('subnet'), securityGroups: n('securityGroups'), keyPair: n('keyPair') },
            });
            const lines = formatBakePlan({
                region: cfg.region,
                baseHow: run.resolved?.how ?? ctx.baseAmi,
                baseImageId: ctx.baseAmi,
                launch,
                userDataBytes: userdata.length,
                userDataLimit: core_userdata/* USERDATA_LIMIT */.SF,
                amiName: cfg.amiName,
                description: cfg.description,
                tags,
                copies: g.copies,
                settings: g.settings,
                retention,
                sweepAge: g.sweep ? (0,duration/* formatMs */._)(g.sweepAge.ms) : undefined,
            });
            lines.splice(3, 0, ...targets.lines);
            if (ctx.reused)
                lines.unshift(`reuse             ${ctx.reused.ImageId}: already baked from the same content, nothing would be launched`);
            await deps.logger.group('Dry run: the plan', async () => lines.forEach((l) => deps.logger.info(l)));
            const probes = await runProbes({
                ec2: deps.ec2,
                region: cfg.region,
                clientFor: forRegion,
                launch,
                base: run.resolved.image,
                amiName: cfg.amiName,
                tags,
                copies: g.copies,
                settings: g.settings,
                retention: !!g.keepLast,
            });
            await deps.logger.group('Dry run: permissions (EC2 DryRun calls)', async () => formatProbes(probes).forEach((l) => deps.logger.info(l)));
            const count = (o) => probes.filter((p) => p.outcome === o).length;
            ctx.report.dryRun = true;
            ctx.report.summary.push(['Dry run', 'nothing was uploaded, launched, copied, shared or deleted'], ['User data', `${userdata.length} of ${core_userdata/* USERDATA_LIMIT */.SF} bytes`], ['Copies (planned)', g.copies.map((c) => c.region).join(', ') || 'none'], ['Shared with (planned)', sharedWith(g.settings).join(', ') || 'nobody'], [
                'Permissions',
                `${count('allowed')} allowed, ${count('denied')} denied, ${count('unproven')} unproven`,
            ], ...retention.map((p) => [`Retention ${p.region} (planned)`, retentionText(p)]));
            // Printed with everything else first: one dry run shows every problem.
            if (targets.problems.length)
                throw new errors/* OptionError */.eR(targets.problems);
            assertAllowed(probes);
            ctx.done = true;
        },
    };
}
function retentionText(p) {
    const parts = [`keep ${p.keep.map((k) => k.imageId).join(', ') || 'none'}`];
    if (p.remove.length)
        parts.push(`remove ${p.remove.map((r) => r.imageId).join(', ')}`);
    if (p.skip.length)
        parts.push(`skip ${p.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
    return parts.join('; ');
}
const sharedWith = (s) => [
    ...s.accounts,
    ...s.organizations,
    ...s.ous,
    ...(s.public ? ['PUBLIC'] : []),
];
function settingsText(reports, s) {
    const rows = [];
    const shared = sharedWith(s);
    if (shared.length)
        rows.push([
            'Shared with',
            `${shared.join(', ')} (${reports.filter((r) => r.sharedWith.length).length} of ${reports.length} AMIs)`,
        ]);
    const snaps = reports.filter((r) => r.snapshotsSharedWith.length);
    if (snaps.length)
        rows.push([
            'Snapshots shared',
            `with ${s.accounts.join(', ')} in ${snaps.map((r) => r.region).join(', ')}`,
        ]);
    rows.push([
        'IMDSv2 required',
        s.imdsV2 ? `yes (${reports.filter((r) => r.imdsV2).length} of ${reports.length} AMIs)` : 'no (opted out)',
    ]);
    const dep = reports.find((r) => r.deprecateAt);
    if (dep)
        rows.push(['Deprecation', dep.deprecateAt]);
    if (s.protection !== 'false')
        rows.push([
            'Deregistration protection',
            `${s.protection === 'cooldown' ? 'on, with cooldown' : 'on'} (${reports.filter((r) => r.protection).length} of ${reports.length} AMIs)`,
        ]);
    return rows;
}
function publishPhase(g, clientFor) {
    return {
        id: 'golden-publish',
        title: 'Copy and share',
        always: true,
        async run(ctx) {
            if (g.dryRun)
                return;
            const { cfg, deps } = ctx;
            const image = ctx.reused ?? ctx.image;
            if (!image?.ImageId)
                return;
            const forRegion = clientFor(ctx);
            const amis = { [cfg.region]: image.ImageId };
            const reports = [
                await (0,share/* applyImageSettings */.rX)({
                    ec2: deps.ec2,
                    region: cfg.region,
                    image,
                    settings: g.settings,
                    log: deps.logger,
                }),
            ];
            let outcomes = {};
            let copyError;
            if (g.copies.length) {
                try {
                    outcomes = await deps.logger.group(`Copies to ${g.copies.map((c) => c.region).join(', ')}`, () => (0,copy/* copyToRegions */.On)({
                        clientFor: forRegion,
                        sourceRegion: cfg.region,
                        sourceImageId: image.ImageId,
                        name: cfg.amiName,
                        description: cfg.description,
                        digest: ctx.digest,
                        copies: g.copies,
                        // The copies carry the AMI's own tags (the run and token of the bake that made it).
                        tags: tagsOf(image),
                        token: ctx.clientToken,
                        timeoutSeconds: g.timeoutCopy,
                        pollSeconds: cfg.waitAmi,
                        log: deps.logger,
                        journal: (s) => deps.state.save(STATE.copies, (0,copy/* serializeCopyState */.nh)(s)),
                        signal: ctx.signal,
                    }));
                }
                catch (err) {
                    copyError = err;
                }
                const done = Object.values(outcomes);
                for (const o of done)
                    amis[o.region] = o.imageId;
                reports.push(...(await Promise.all(done.map(async (o) => {
                    const ec2 = forRegion(o.region);
                    const copy = (await (0,golden_aws/* findImage */.F1)(ec2, o.imageId)) ?? { ImageId: o.imageId };
                    return (0,share/* applyImageSettings */.rX)({
                        ec2,
                        region: o.region,
                        image: copy,
                        settings: g.settings,
                        log: deps.logger,
                    });
                }))));
                ctx.report.summary.push([
                    'Copies',
                    g.copies
                        .map((c) => {
                        const o = outcomes[c.region];
                        if (!o)
                            return `${c.region}: failed`;
                        return `${c.region}: ${o.imageId}${o.reused ? ' (reused)' : ` (${Math.round(o.seconds)} s)`}${c.encrypted ? ', encrypted' : ''}`;
                    })
                        .join('; '),
                ]);
            }
            ctx.report.summary.push(...settingsText(reports, g.settings));
            ctx.report.outputs[OUTPUT.amis] = JSON.stringify(amis);
            ctx.report.fileVars.AMIS = JSON.stringify(amis);
            for (const [region, id] of Object.entries(amis))
                ctx.report.fileVars[envName(region)] = id;
            const problems = reports.flatMap((r) => r.problems);
            if (copyError)
                problems.unshift((0,errors/* errorMessage */.gJ)(copyError));
            if (problems.length)
                throw new errors/* UserError */.yo(`${image.ImageId} is available, but not everything asked for was done: ${problems.join('; ')}`);
        },
    };
}
function retentionPhase(g, clientFor) {
    return {
        id: 'golden-retention',
        title: 'Retention',
        always: true,
        async run(ctx) {
            if (g.dryRun || !g.keepLast)
                return;
            const { cfg, deps } = ctx;
            const amis = JSON.parse(ctx.report.outputs[OUTPUT.amis] ?? '{}');
            const forRegion = clientFor(ctx);
            for (const [region, imageId] of Object.entries(amis)) {
                const ec2 = forRegion(region);
                try {
                    const plan = await planRetention({
                        ec2,
                        region,
                        family: cfg.name,
                        keepLast: g.keepLast,
                        protect: [imageId],
                    });
                    formatPlan(plan).forEach((l) => deps.logger.info(l));
                    const result = await applyRetention(ec2, plan, deps.logger);
                    const parts = [`kept ${plan.keep.length}`];
                    if (result.removed.length)
                        parts.push(`removed ${result.removed.map((r) => r.imageId).join(', ')}`);
                    if (result.failed.length)
                        parts.push(`could not remove ${result.failed.map((f) => f.imageId).join(', ')}`);
                    if (plan.skip.length)
                        parts.push(`skipped ${plan.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
                    ctx.report.summary.push([`Retention ${region}`, parts.join('; ')]);
                }
                catch (err) {
                    // The new AMI is made; an old one left over is a warning, not a failed bake.
                    deps.logger.warn(`retention in ${region}: ${(0,errors/* errorMessage */.gJ)(err)}`);
                    ctx.report.summary.push([`Retention ${region}`, `failed: ${(0,errors/* errorMessage */.gJ)(err)}`]);
                }
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/bake/session.ts
/** What both fronts do around the lifecycle: load and check everything before any AWS call
 *  that changes something, then cancel cleanly on SIGINT/SIGTERM. */









async function createBake(opts, files, io) {
    const prepared = await loadPrepared(files.userdata, files.fsTgz, (0,options/* nameOf */.Vb)('fsTgz', io.front));
    const policy = { front: io.front, trustArtifactLocation: io.trustArtifactLocation };
    const region = buildRegion(await (0,aws/* configuredRegion */.Rg)(io.env), prepared, policy);
    const cfg = resolveConfig(opts, prepared, { ...policy, region, env: io.env });
    // Checked here too, before any AWS call: the golden options that only make sense together.
    const golden = goldenConfig(opts, io.front, region);
    io.state.save(STATE.region, region);
    const deps = {
        ec2: (0,aws/* createEc2 */.Jm)(region),
        quick: (0,aws/* createEc2 */.Jm)(region, 2),
        s3: (0,aws/* createS3 */.h$)(cfg.s3Region, io.env),
        logger: io.logger,
        state: io.state,
        ...io.deps,
    };
    return new Bake(cfg, deps, io.phases ?? goldenPhases(golden));
}
/**
 * Runs `onSignal` on the first SIGINT or SIGTERM, then exits with 128 + the signal number; a
 * second signal exits at once. GitHub cancels with SIGINT, then SIGTERM 7.5 s later, then
 * SIGKILL 2.5 s after that. Returns a function that removes the handlers.
 */
function onSignals(logger, onSignal, limitMs) {
    let handling = false;
    const codes = { SIGINT: 130, SIGTERM: 143 };
    const handler = (signal) => {
        if (handling) {
            logger.warn(`${signal} again: exiting without waiting for the cleanup`);
            process.exit(codes[signal]);
        }
        handling = true;
        logger.warn(`${signal}: cancelling the bake`);
        // A referenced timer: until the cleanup is done (or the limit is up) the process cannot end by
        // itself. The bake's own failure (the cancel) settles first and must not end the process
        // with its exit code before TerminateInstances has gone out.
        const limit = new Promise((r) => setTimeout(r, limitMs));
        Promise.race([onSignal(signal).catch((err) => logger.warn((0,errors/* errorMessage */.gJ)(err))), limit]).finally(() => process.exit(codes[signal]));
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
    };
}

;// CONCATENATED MODULE: ./src/fronts/cli-build.ts
/** `amibake build [USERDATA [NAME [VERSION]]]`, configured by BUILDAMI_* variables. Without a
 *  post step to rely on, it terminates the instance itself on every error and on SIGINT/SIGTERM. */







const USAGE = `usage: amibake build [USERDATA [NAME [VERSION]]]

Bakes an AMI from prepared user data: stages fs.tgz in S3, launches a temporary instance, waits
for it to stop, creates the AMI and terminates the instance. vars.env (and fs.tgz) are read from
beside USERDATA. On success the AMI_ID=, AMI_NAME=, REGION= lines go to stdout (and to
BUILDAMI_OUTPUT); progress goes to stderr.

Credentials come from the standard AWS chain (AWS_PROFILE, ...). The region is AWS_REGION (or the
profile's, or AWS_DEFAULT_REGION), else AWSREGION from vars.env; fs.tgz goes to BUILDAMI_S3URL,
else S3URL from vars.env. A vars.env that names another region or S3 URL than these is refused.

Variables:
${Object.values(options/* OPTIONS */.lw)
    .filter((d) => d.env && d.stages.includes('build'))
    .map((d) => `  ${d.env.padEnd(30)} ${d.required ? '(required) ' : ''}${d.default ? `[${d.default}] ` : ''}`)
    .join('\n')}

See the README for what each one does.`;
async function main(args, env = process.env) {
    if (args.includes('--help') || args.includes('-h')) {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    if (args.length > 3 || args.some((a) => a.startsWith('-')))
        throw new errors/* OptionError */.eR([`unexpected argument(s): ${args.join(' ')}\n${USAGE}`]);
    const [userdataArg, nameArg, versionArg] = args;
    // Every problem at once: a missing user data is reported with the other options'.
    const required = `${(0,options/* nameOf */.Vb)('userdata', 'cli')} (or the USERDATA argument): is required`;
    const missing = (userdataArg ?? env[(0,options/* nameOf */.Vb)('userdata', 'cli')] ?? '').trim() ? [] : [required];
    let opts;
    try {
        opts = (0,options/* readOptions */.Tt)('build', (0,options/* cliSource */.kJ)(env, { userdata: userdataArg, targetName: nameArg, targetVersion: versionArg }));
    }
    catch (err) {
        if (err instanceof errors/* OptionError */.eR)
            throw new errors/* OptionError */.eR([...missing, ...err.problems]);
        throw err;
    }
    if (!opts.userdata)
        throw new errors/* OptionError */.eR([required]);
    const logger = (0,log/* createCliLogger */.x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    const state = new MemoryState();
    const bake = await createBake(opts, { userdata: opts.userdata, fsTgz: opts.fsTgz }, 
    // The spec's flow: vars.env's AWSREGION and S3URL unless AWS_REGION / BUILDAMI_S3URL are set.
    { front: 'cli', trustArtifactLocation: true, logger, state, env });
    // No post step here: wait until the instance is really terminated. A RunInstances in flight
    // gets a few seconds to answer; after that the instance is found by its client-token tag.
    // Whatever could not be removed is an error naming it by id (the exit code is the signal's).
    const off = onSignals(logger, async () => {
        const left = leftoverMessage(await bake.cancel({ wait: true, graceMs: 5000, terminateSeconds: 60 }));
        if (left)
            throw new errors/* UserError */.yo(left);
    }, 120_000);
    try {
        // On an error the bake has cleaned up, and its error names what is left.
        const result = await bake.run();
        logger.info(summaryText(result));
        // The AMI is made but the instance was not seen terminated: no post step will try again.
        const left = result.instanceId && !result.terminated ? leftoverMessage(await bake.cleanupOnce({ wait: true })) : '';
        // A dry run makes no AMI: no AMI_ID= lines.
        if (!result.report.dryRun) {
            if (opts.outputFile)
                await writeOutputFile(opts.outputFile, result, (0,options/* nameOf */.Vb)('outputFile', 'cli'));
            process.stdout.write(outputFileText(result));
        }
        if (left)
            throw new errors/* UserError */.yo(left);
        return 0;
    }
    finally {
        off();
    }
}


/***/ })

};
