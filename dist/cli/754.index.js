export const id = 754;
export const ids = [754];
export const modules = {

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jm: () => (/* binding */ createEc2),
/* harmony export */   L_: () => (/* binding */ sdkRetry),
/* harmony export */   configuredRegion: () => (/* binding */ configuredRegion),
/* harmony export */   h$: () => (/* binding */ createS3),
/* harmony export */   lx: () => (/* binding */ createEbs),
/* harmony export */   ok: () => (/* binding */ clientsByRegion)
/* harmony export */ });
/* unused harmony exports MAX_ATTEMPTS, customS3Endpoint */
/* harmony import */ var _aws_sdk_client_ebs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7787);
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5193);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3711);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2495);
/**
 * AWS clients. Credentials, region and endpoints come from the SDK's standard chain, so
 * `aws-actions/configure-aws-credentials` (OIDC) and `AWS_ENDPOINT_URL[_EC2|_S3]` just work.
 */




/** Attempts per call with the SDK's adaptive retry strategy (backs off on throttling too). */
const MAX_ATTEMPTS = 10;
/** The SDK retry settings of a client: `retryTimings()` (a test seam), at most `maxAttempts`. */
function sdkRetry(maxAttempts) {
    const t = (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .retryTimings */ .iq)();
    return { retryMode: t.sdkMode, maxAttempts: Math.min(maxAttempts ?? t.sdkAttempts, t.sdkAttempts) };
}
/** One client per region, created on first use; `home` serves its own region. */
function clientsByRegion(home) {
    const clients = new Map();
    if (home)
        clients.set(home.region, home.ec2);
    return (region) => clients.get(region) ?? clients.set(region, createEc2(region)).get(region);
}
/** True when S3 is reached through a custom endpoint (an emulator, a VPC endpoint, MinIO…):
 *  such endpoints rarely serve virtual-hosted bucket names. */
function customS3Endpoint(env = process.env) {
    return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}
function createEc2(region, maxAttempts) {
    return new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__.EC2Client({ region, ...sdkRetry(maxAttempts) });
}
function createS3(region, env = process.env) {
    return new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.S3Client({
        region,
        ...sdkRetry(),
        forcePathStyle: customS3Endpoint(env),
        // Presigned PUTs must not pin a checksum of the (empty) body the URL was signed with:
        // the instance uploads content the build does not know yet.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
    });
}
/**
 * The build job's own region: AWS_REGION, else the SDK chain's (the profile's region), else
 * AWS_DEFAULT_REGION (set by configure-aws-credentials and the AWS CLI, not read by SDK v3).
 * Never vars.env: see buildRegion.
 */
async function configuredRegion(env = process.env) {
    if (env.AWS_REGION)
        return { region: env.AWS_REGION, from: 'AWS_REGION' };
    try {
        const region = await new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__.EC2Client({}).config.region();
        if (region)
            return {
                region,
                from: process.env.AWS_REGION === region
                    ? 'AWS_REGION'
                    : `the region of the AWS profile ${env.AWS_PROFILE ?? process.env.AWS_PROFILE ?? 'default'}`,
            };
    }
    catch {
        // no region in the chain
    }
    if (env.AWS_DEFAULT_REGION)
        return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
    return undefined;
}
/** The EBS direct APIs' client (StartSnapshot, PutSnapshotBlock, CompleteSnapshot): the same
 *  SDK retries as the others (throttling and 5xx backed off), the same endpoint chain
 *  (`AWS_ENDPOINT_URL[_EBS]`). */
function createEbs(region, maxAttempts) {
    return new _aws_sdk_client_ebs__WEBPACK_IMPORTED_MODULE_3__/* .EBSClient */ .q({ region, ...sdkRetry(maxAttempts) });
}


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
    if (c.testUserdataSha256 !== undefined)
        parts['test-userdata'] = c.testUserdataSha256;
    return digestOf(parts);
}


/***/ }),

/***/ 4808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KO: () => (/* binding */ USERDATA_TEXT_LIMIT),
/* harmony export */   OT: () => (/* binding */ gzipUserdata),
/* harmony export */   SF: () => (/* binding */ USERDATA_LIMIT),
/* harmony export */   U$: () => (/* binding */ appendPart),
/* harmony export */   mV: () => (/* binding */ readUserdata),
/* harmony export */   vQ: () => (/* binding */ renderMultipart),
/* harmony export */   wF: () => (/* binding */ parseMultipart)
/* harmony export */ });
/* unused harmony export MERGE_TYPE */
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

/***/ 1790:
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
    if (urls.sbomUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.sbomUrl] = urls.sbomUrl;
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

/***/ 1754:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createBake: () => (/* binding */ createBake)
});

// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/engine/recovery.ts
/**
 * Recovery: the `recover` of every started phase, from the saved state. The run's error path,
 * the signal handlers and the action's post step all come here; what there is to clean follows
 * from the saved state (the started phases and the keys they saved), not from a list.
 */


/** Adds a phase's part to the report: arrays are concatenated, other values set. */
function merge(into, part) {
    if (!part)
        return;
    const target = into;
    for (const [k, v] of Object.entries(part)) {
        if (v === undefined)
            continue;
        const have = target[k];
        target[k] = Array.isArray(have) && Array.isArray(v) ? [...have, ...v] : v;
    }
}
/**
 * Runs `recover` of the started phases in reverse order of their start, `urgent` ones first,
 * then the `settle` waits they returned, in the same order.
 *
 * Why urgent first: the runner's cancel budget is short (SIGINT, SIGTERM 7.5 s later, SIGKILL
 * 2.5 s after; a second signal ends the CLI at once), and strict reverse order would put the
 * termination of the build instance (launch) behind the AMI's recovery, whose lookup by name
 * waits out EC2's eventual consistency for up to 15 s. The instance depends on nothing a later
 * phase made, so TerminateInstances goes out first and the rest follows in reverse.
 *
 * Only the call is urgent, not its confirmation: seeing the instance terminated can take
 * minutes, and a signal's budget spent on it would leave a pending AMI or copies unhandled and
 * unnamed. So a recover returns such a wait as `settle`, run after every phase's recover.
 *
 * `read` is called before each phase: a call that answered meanwhile (a CreateImage in flight at
 * a cancel) has saved its id by then. A `recover` or `settle` that throws becomes a problem of
 * the report.
 */
async function recoverPhases(started, read, deps, report) {
    const reversed = [...started].reverse();
    const order = [...reversed.filter((p) => p.urgent), ...reversed.filter((p) => !p.urgent)];
    const settles = [];
    const problem = (phase, err) => report.problems.push(`could not recover from ${phase.title.toLowerCase()}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    for (const phase of order) {
        if (!phase.recover)
            continue;
        try {
            const { settle, ...part } = (await phase.recover(read(), deps)) ?? {};
            merge(report, part);
            if (settle)
                settles.push({ phase, settle: settle });
        }
        catch (err) {
            problem(phase, err);
        }
    }
    for (const { phase, settle } of settles) {
        try {
            merge(report, await settle());
        }
        catch (err) {
            problem(phase, err);
        }
    }
    return report;
}
/**
 * The post step's recovery: the started phases (and only those) are looked up in `registry`
 * (supplied by the composition root), the keys they declare read back with `get`, and each one's
 * `recover` run as above. `shared` are keys read for every phase (the region the clients need).
 * Returns undefined when no started phase has anything to recover.
 */
async function recoverSaved(o) {
    const ids = startedPhases({ [STARTED_KEY]: o.get(STARTED_KEY) });
    const phases = ids
        .map((id) => o.registry.get(id))
        .filter((p) => Boolean(p?.recover));
    if (!phases.length)
        return undefined;
    const keys = new Set([STARTED_KEY, ...(o.shared ?? []), ...phases.flatMap((p) => p.state ?? [])]);
    const saved = readState(o.get, keys);
    return { saved, report: await recoverPhases(phases, () => saved, o.deps(saved), o.report()) };
}

// EXTERNAL MODULE: ./src/engine/state.ts
var state = __webpack_require__(1599);
;// CONCATENATED MODULE: ./src/engine/timings.ts
/**
 * Where a run's time went: each phase's start and length, and the spans a phase marks inside
 * itself (an instance's states, an AMI becoming available). The engine keeps the clock; what the
 * phases and spans mean is theirs, so a phase added later is timed with no change here.
 */
class PhaseClock {
    now;
    timings = [];
    open;
    constructor(now) {
        this.now = now;
    }
    begin(phase, title) {
        const timing = { phase, title, start: this.now(), seconds: 0, ok: false, spans: [] };
        this.timings.push(timing);
        this.open = { timing };
    }
    /** Ends the running phase (and its open span); `ok` once it returned. */
    end(ok = true) {
        const open = this.open;
        if (!open)
            throw new Error('no phase is running');
        this.endSpan();
        open.timing.seconds = (this.now() - open.timing.start) / 1000;
        open.timing.ok = ok;
        this.open = undefined;
        return open.timing;
    }
    span(id, title, opts = {}) {
        // Outside a phase (a recovery, a test calling a phase directly) there is nothing to time.
        if (!this.open)
            return;
        this.endSpan();
        const span = { id, title, start: this.now(), seconds: 0, wait: opts.wait ?? false };
        this.open.timing.spans.push(span);
        this.open.span = span;
    }
    endSpan() {
        const span = this.open?.span;
        if (!span)
            return;
        span.seconds = (this.now() - span.start) / 1000;
        this.open.span = undefined;
    }
}
/** Seconds spent waiting on the cloud: the `wait` spans of every phase. */
function waitedSeconds(timings) {
    return timings.reduce((a, t) => a + t.spans.reduce((b, s) => b + (s.wait ? s.seconds : 0), 0), 0);
}

;// CONCATENATED MODULE: ./src/engine/engine.ts
/**
 * The engine: runs an ordered list of phases over one context and recovers what the started ones
 * left. It knows no phase: the composition root (src/pipeline) builds the list from the
 * configuration, each phase saves its state before its risky calls, and recovery
 * (./recovery.ts) runs the started phases' `recover` in reverse.
 */




class CancelledError extends errors/* UserError */.yo {
    name = 'CancelledError';
}
const cancelled = () => new CancelledError('the bake was cancelled');
function abortableSleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted)
            return reject(cancelled());
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(cancelled());
        };
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
class Engine {
    o;
    abort = new AbortController();
    inflight = new Set();
    started = [];
    recovering;
    clock;
    ctx;
    constructor(o) {
        this.o = o;
        const signal = this.abort.signal;
        const sleep = o.sleep ?? abortableSleep;
        const now = o.now ?? Date.now;
        this.clock = new PhaseClock(now);
        this.ctx = o.context({
            signal,
            done: false,
            track: (call) => {
                const settled = call.then(() => undefined, () => undefined);
                this.inflight.add(settled);
                void settled.then(() => this.inflight.delete(settled));
                return call;
            },
            now,
            span: (id, title, opts) => this.clock.span(id, title, opts),
            endSpan: () => this.clock.endSpan(),
            sleep: (ms) => sleep(ms, signal),
        });
    }
    /** The phases that ran, with their spans; a phase that failed or was cancelled too (ended
     *  where it stopped), so that a failed bake shows where its time went. */
    get timings() {
        return this.clock.timings;
    }
    get phases() {
        return this.o.phases;
    }
    get cancelled() {
        return this.abort.signal.aborted;
    }
    /** Runs the phases in order; each is recorded as started (in the saved state) before it runs.
     *  Throws the first phase's error: recovering is the caller's decision (see `recover`). */
    async run() {
        const { ctx } = this;
        for (const phase of this.o.phases) {
            if (ctx.done && !phase.always)
                continue;
            if (this.cancelled)
                throw cancelled();
            this.started.push(phase);
            this.o.state.save(state/* STARTED_KEY */.qT, this.started.map((p) => p.id).join(','));
            this.clock.begin(phase.id, phase.title);
            let ok = false;
            try {
                await phase.run(ctx);
                ok = true;
            }
            finally {
                const timing = this.clock.end(ok);
                if (ok)
                    this.o.onPhaseEnd?.(timing);
            }
        }
    }
    /** Recovers the started phases (./recovery.ts), reading the state afresh for each; every
     *  caller gets the same, single recovery. */
    recover(deps) {
        this.recovering ??= recoverPhases(this.started, () => this.o.state.values(), deps, this.o.report());
        return this.recovering;
    }
    /** Stops the run: loops and waits end, and the calls in flight (`track`) get `graceMs` to
     *  answer, so that the ids they return are saved before recovery looks for them. */
    async cancel(graceMs) {
        this.abort.abort();
        if (!this.inflight.size)
            return;
        let timer;
        await Promise.race([Promise.all(this.inflight), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
    }
}

// EXTERNAL MODULE: ./src/core/digest.ts
var digest = __webpack_require__(5543);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: ./src/core/regions.ts + 1 modules
var regions = __webpack_require__(849);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
// EXTERNAL MODULE: ./src/core/userdata.ts
var core_userdata = __webpack_require__(4808);
;// CONCATENATED MODULE: ./src/features/bake/prepared.ts
/** The prepared files (userdata.gz, vars.env, fs.tgz, userdata-test.gz): attacker-controlled input to the build.
 *  Checked before anything is uploaded or launched: the user data's size and form, the sha256 of
 *  each file, and the digest the build computes itself from them (never taken from vars.env). */









/** Variables of vars.env that the build reads. */
const VARS = {
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
};
/** Control characters and the line breaks the runner or a terminal would honour (C0, DEL, C1 with
 *  U+0085, U+2028/U+2029). A value the build reads from vars.env reaches the log, errors, the plan
 *  and AWS: one of these could start a new line there, and so a workflow command. */
// eslint-disable-next-line no-control-regex -- the point: control characters
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The image test's user data, beside userdata.gz when the source has script/test.sh. */
const TEST_USERDATA_FILE = 'userdata-test.gz';
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
async function readPreparedUserdata(path, what = 'the user data') {
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
        throw new errors/* UserError */.yo(`cannot read ${what} ${path}: ${err.code ?? (0,errors/* errorMessage */.gJ)(err)}`);
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
 * `fsTgzPath` (default: `fs.tgz` beside the user data).
 */
async function loadPrepared(userdataPath, fsTgzPath) {
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
    const test = await readTestUserdata(dir, varsPath, vars);
    const prepared = {
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
            digest: (0,digest/* preparedDigest */.Ar)({ userdataSha256: udSha, fsMode, testUserdataSha256 }),
        });
    const fsPath = fsTgzPath ?? (0,external_node_path_.join)(dir, 'fs.tgz');
    const expected = vars[VARS.fsSha256];
    if (!expected)
        throw new errors/* UserError */.yo(`${varsPath}: ${VARS.fsSha256} is missing although ${VARS.fsMode}=external`);
    let size;
    try {
        size = (await (0,promises_.stat)(fsPath)).size;
    }
    catch {
        throw new errors/* UserError */.yo([
            (0,errors/* opt */.m7)('fsTgz'),
            `: ${fsPath} not found; prepare staged the files externally, so fs.tgz must be uploaded`,
        ]);
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
        digest: (0,digest/* preparedDigest */.Ar)({ userdataSha256: udSha, fsMode, fsSha256: fsSha, testUserdataSha256 }),
    });
}
/**
 * userdata-test.gz beside userdata.gz, checked like it (size, form, sha256 against vars.env's
 * TEST_USERDATA_SHA256). The file and the claim come together or not at all: a claim without the
 * file would bake an image whose test never runs, a file without a claim a test outside the digest.
 */
async function readTestUserdata(dir, varsPath, vars) {
    const path = (0,external_node_path_.join)(dir, TEST_USERDATA_FILE);
    const claimed = vars[VARS.testUserdataSha256];
    const present = await (0,promises_.stat)(path).then(() => true, () => false);
    if (claimed === undefined || claimed === '') {
        if (present)
            throw new errors/* UserError */.yo(`${path}: ${VARS.testUserdataSha256} is missing from ${varsPath}: the files do not come from the same ` +
                'prepare run (prepare records the test it wrote)');
        return undefined;
    }
    if (!present)
        throw new errors/* UserError */.yo(`${path}: not found, although ${varsPath} sets ${VARS.testUserdataSha256} (the source has script/test.sh): ` +
            'the artifact must carry every file prepare wrote');
    const userdata = await readPreparedUserdata(path, 'the test user data');
    const sha256 = (0,external_node_crypto_.createHash)('sha256').update(userdata).digest('hex');
    if (sha256 !== claimed)
        throw new errors/* UserError */.yo(`${path}: sha256 ${sha256} does not match ${VARS.testUserdataSha256} in ${varsPath} (${claimed}): ` +
            'the files do not come from the same prepare run');
    return { path, userdata, sha256 };
}
/** vars.env's PREPARED_DIGEST must be the one the build computed: an artifact that claims the
 *  digest of other content would get that content's AMI reused, or poison it for a later bake. */
function checkDigest(prepared) {
    const claimed = prepared.vars[VARS.digest];
    if (claimed !== prepared.digest) {
        const from = [prepared.userdataPath, prepared.fsTgzPath, prepared.testUserdataPath]
            .filter(Boolean)
            .join(' and ');
        throw new errors/* UserError */.yo(`${prepared.varsPath}: ${VARS.digest} ${claimed} is not the digest of the prepared files ` +
            `(${prepared.digest}, computed by the build from ${from}, ${digest/* DIGEST_SCHEME */.Ld}): refused. ` +
            'Prepare again with this version of amibake, and do not edit its files');
    }
    return prepared;
}

;// CONCATENATED MODULE: ./src/features/bake/location.ts
/**
 * Where the build runs (region) and writes (the S3 location of fs.tgz, the result and the log).
 * vars.env names both (AWSREGION, S3URL), but vars.env is the artifact's: it must never pick the
 * bucket the build role writes to, nor the region it works in. The fronts decide how far the
 * artifact is trusted (`trustArtifactLocation`): the action never takes either from vars.env; the
 * CLI keeps the spec's flow (vars.env's values when the build has none of its own). Either way,
 * vars.env that disagrees with the build's own configuration is refused, naming both.
 */




/** The build region, checked against the SDK's regions and vars.env before any AWS call. */
function buildRegion(configured, prepared, policy) {
    const claimed = prepared.vars[VARS.region];
    const where = `${prepared.varsPath}: ${VARS.region}`;
    if (configured) {
        const problem = (0,regions/* regionProblem */.Og)(configured.region);
        if (problem)
            throw new errors/* OptionError */.eR([`${configured.from}: ${problem}`]);
        if (claimed !== undefined && claimed !== configured.region)
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${where} ${claimed} is not the build's region ${configured.region} (${configured.from}): refused, the artifact does not choose the region. Prepare with ${(0,errors/* opt */.m7)('awsRegion')} ${configured.region}, or configure the build for ${claimed}`);
        return configured.region;
    }
    if (!policy.trustArtifactLocation)
        throw new errors/* UserError */.yo('no AWS region: set AWS_REGION (the aws-region of aws-actions/configure-aws-credentials sets it); ' +
            `the build never takes its region from vars.env${claimed ? ` (${VARS.region} ${claimed})` : ''}`);
    if (!claimed)
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `no AWS region: set AWS_REGION, or ${(0,errors/* opt */.m7)('awsRegion')} when preparing (${VARS.region} in vars.env)`);
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
    const option = (0,errors/* opt */.m7)('buildS3Url');
    const where = `${prepared.varsPath}: ${VARS.s3Url}`;
    const problems = [];
    let staging = own;
    if (own && claimed !== undefined && claimed !== own.url)
        problems.push((0,errors/* msg */.ab) `${where} ${claimed} is not ${option} ${own.url}: refused, the artifact does not choose where the build writes. Prepare with ${(0,errors/* opt */.m7)('s3Url')} ${own.url}, or change ${option}`);
    if (!own && claimed !== undefined && policy.trustArtifactLocation) {
        try {
            staging = (0,parse/* s3Url */.AB)(claimed);
        }
        catch (err) {
            problems.push([`${where}: ${err.message}`]);
        }
    }
    if (prepared.fsMode === 'external' && !staging && !problems.length)
        problems.push(policy.trustArtifactLocation || claimed === undefined
            ? (0,errors/* msg */.ab) `${option}: is required, the prepared files went external (fs.tgz) and ${prepared.varsPath} has no ${VARS.s3Url}`
            : (0,errors/* msg */.ab) `${option}: is required, the prepared files went external (fs.tgz); the bucket the build writes to comes from ${option} only, never from vars.env (${VARS.s3Url} ${claimed})`);
    return { staging, problems };
}

;// CONCATENATED MODULE: ./src/features/bake/config.ts
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
 * is the hardware the install ran on (drivers, what an install script detects): the candidate
 * types as preflight settles them (the one that launches is known only after), the key pair's
 * public key is written into the image by cloud-init, and an AMI trusted without an install result
 * must not stand in for one that proved its install. The base AMI (preflight) and the root volume
 * and IMDS settings (the golden phases) are added later.
 */
function imageDigestParts(cfg) {
    return {
        prepared: cfg.prepared.digest,
        'instance-type': cfg.instanceTypes.join(','),
        'key-pair': cfg.keyPair ?? '',
        result: cfg.allowNoResult ? 'stop-trusted' : 'required',
    };
}
/** A list in its order, each value once (a repeated type or subnet would only be refused twice). */
const unique = (values) => [...new Set(values)];
function resolveConfig(opts, prepared, ctx) {
    const problems = [];
    const name = opts.targetName ?? prepared.vars[VARS.name];
    const version = opts.targetVersion ?? prepared.vars[VARS.version];
    if (!name)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('targetName', 'NAME')}: is required, ${prepared.varsPath} has no NAME`);
    if (!version)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('targetVersion', 'VERSION')}: is required, ${prepared.varsPath} has no VERSION`);
    // Undefined only on the disk path (no build instance: the options say so, see INSTANCE_ONLY);
    // an instance artifact must name at least one.
    if (opts.subnet?.length === 0)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('subnet')}: is required`);
    const amiName = `${name}-${version}`;
    if (name && version && !AMI_NAME_RE.test(amiName))
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('targetName')}: the AMI name "${amiName}" (name-version) must be 3 to 128 letters, digits, spaces and ()[]./-'@_`);
    const location = stagingLocation(opts.buildS3Url, prepared, {
        trustArtifactLocation: ctx.trustArtifactLocation,
    });
    problems.push(...location.problems);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
    const staging = location.staging;
    return {
        region: ctx.region,
        name: name,
        version: version,
        amiName,
        description: opts.targetDescription ??
            prepared.vars[VARS.description]?.slice(0, 255) ??
            `${name} ${version} (baked by amibake)`,
        baseAmi: opts.baseAmi,
        subnets: unique(opts.subnet ?? []),
        securityGroups: opts.securityGroups,
        profile: opts.profile,
        instanceTypes: unique(opts.instanceType ?? []),
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

// EXTERNAL MODULE: ./src/features/bake/context.ts
var context = __webpack_require__(8806);
;// CONCATENATED MODULE: ./src/features/bake/state.ts
/** The bake's state keys (src/engine/state.ts): saved before each risky call, read back by
 *  recovery. Values are strings; absent means "not started". */
const STATE = {
    /** The build region: the post step's clients are made for it (saved by the pipeline). */
    region: 'amibake_region',
    /** RunInstances ClientToken, also the `amibake:client-token` tag of the instance. */
    clientToken: 'amibake_client_token',
    /** Every RunInstances attempt's client token, comma-separated (the first is clientToken, the
     *  others the capacity fallback's: ./capacity.ts), each saved before its call. */
    clientTokens: 'amibake_client_tokens',
    /** `started` before RunInstances (and after an error that may have come after the launch),
     *  `returned` after its answer, `failed` after AWS refused it (nothing was launched). */
    launch: 'amibake_launch',
    instanceId: 'amibake_instance_id',
    /** Set once the instance is known to be terminated. */
    terminated: 'amibake_terminated',
    /** Saved before CreateImage, so an interrupted creation can be found by name; emptied when AWS
     *  refused the call (no AMI was made). */
    imageName: 'amibake_image_name',
    imageId: 'amibake_image_id',
    /** Set once the AMI is available and fully tagged: it is the bake's result, never cleaned up. */
    imageDone: 'amibake_image_done',
};
/** The instance's keys: the launch phase saves them, terminate and recovery read them. */
const INSTANCE_STATE = [
    STATE.clientToken,
    STATE.clientTokens,
    STATE.launch,
    STATE.instanceId,
    STATE.terminated,
];
/** The AMI's keys; its recovery also reads the client token (an AMI of that name is ours only with it). */
const IMAGE_STATE = [STATE.imageName, STATE.imageId, STATE.imageDone, STATE.clientToken];

// EXTERNAL MODULE: ./src/features/bake/timings.ts
var timings = __webpack_require__(3366);
;// CONCATENATED MODULE: ./src/features/bake/bake.ts
/**
 * A bake: the engine over the bake's context. On an error it recovers the started phases and
 * names what is left in the error; a signal cancels it (`cancel`); the CLI recovers once more
 * when the instance was not seen terminated (`cleanupOnce`).
 */








/** `err` with the recovery's leftovers appended to its message (same class: a UserError stays one). */
function withLeftovers(err, left) {
    if (err instanceof errors/* UserError */.yo)
        return err.append(`\n${left}`);
    if (err instanceof Error) {
        err.message = `${err.message}\n${left}`;
        return err;
    }
    return new Error(`${String(err)}\n${left}`);
}
class Bake {
    cfg;
    deps;
    engine;
    constructor(cfg, deps, phases) {
        this.cfg = cfg;
        this.deps = deps;
        const clientToken = (0,external_node_crypto_.randomBytes)(8).toString('hex');
        const digestParts = imageDigestParts(cfg);
        this.engine = new Engine({
            phases,
            state: deps.state,
            report: context/* emptyReport */._,
            sleep: deps.sleep,
            now: deps.now,
            // One line per phase as it ends: where the time to AMI goes, readable while it runs.
            onPhaseEnd: (t) => deps.logger.info((0,timings/* phaseLine */.Kl)(t)),
            context: (base) => ({
                ...base,
                cfg,
                deps,
                clientToken,
                baseAmi: cfg.baseAmi,
                instanceTypes: cfg.instanceTypes,
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
                clientFor: (0,clients/* clientsByRegion */.ok)({ region: cfg.region, ec2: deps.ec2 }),
                report: { outputs: {}, fileVars: {}, summary: [] },
            }),
        });
    }
    get ctx() {
        return this.engine.ctx;
    }
    get phases() {
        return this.engine.phases;
    }
    get cancelled() {
        return this.engine.cancelled;
    }
    async run() {
        const { ctx } = this;
        try {
            await this.engine.run();
        }
        catch (err) {
            // A cancel recovers itself (and reports to its caller).
            if (!this.cancelled) {
                const report = await this.cleanupOnce({ wait: true });
                // The bake's error names what it could not remove, by id, and an AMI that stays.
                const st = this.deps.state.values();
                const kept = report.keptImage ?? (st[STATE.imageDone] ? st[STATE.imageId] : undefined);
                const notes = [
                    (0,context/* leftoverMessage */.N)(report),
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
            instanceType: ctx.instanceType ?? ctx.instanceTypes.join(', '),
            digest: ctx.digest,
            snapshots: (image?.BlockDeviceMappings ?? []).flatMap((m) => m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []),
            timings: this.engine.timings,
            report: ctx.report,
        };
    }
    /** Recovers what the bake started; every caller gets the same (single) recovery. */
    cleanupOnce(opts) {
        const { deps, cfg } = this;
        return this.engine.recover({
            ec2: deps.ec2,
            quick: deps.quick,
            clientFor: this.ctx.clientFor,
            logger: deps.logger,
            wait: opts.wait,
            images: true,
            delaySeconds: Math.min(cfg.waitInstance, 5),
            lookupSeconds: opts.wait ? 30 : 0,
            terminateSeconds: opts.terminateSeconds,
            // Within a signal handler's time limit: the post step looks again, for longer.
            imageLookupSeconds: opts.terminateSeconds === undefined ? undefined : Math.min(15, opts.terminateSeconds),
            save: (key, value) => deps.state.save(key, value),
        });
    }
    /**
     * Stops the bake (a signal): the loops end, a RunInstances or CreateImage in flight gets
     * `graceMs` to answer so its instance or AMI id is known, then the started phases are
     * recovered: the instance terminated first, the AMI kept or discarded, the copies recovered, and
     * (with `wait`) the instance seen terminated last. The report's problems name what is left.
     */
    async cancel(opts) {
        await this.engine.cancel(opts.graceMs);
        return this.cleanupOnce(opts);
    }
}

// EXTERNAL MODULE: ./src/features/disk-upload/artifact.ts
var artifact = __webpack_require__(963);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
;// CONCATENATED MODULE: ./src/core/outputs.ts
/** Action outputs: names used by the fronts and descriptions for action.yml and docs/*.md. */
const PREPARE_OUTPUTS = {
    directory: { name: 'directory', description: 'Folder holding the prepared files.' },
    userdataPath: { name: 'userdata-path', description: 'Path of `userdata.gz`.' },
    userdataSize: { name: 'userdata-size', description: 'Size of `userdata.gz` in bytes (at most 16,384).' },
    fsTgzPath: {
        name: 'fs-tgz-path',
        description: 'Path of `fs.tgz` when the files went external, else empty.',
    },
    fsTgzSize: {
        name: 'fs-tgz-size',
        description: 'Size of `fs.tgz` in bytes, inline or external; empty when there are no files.',
    },
    fsExternal: { name: 'fs-external', description: '`true` when `fs.tgz` must be staged in S3 by the build.' },
    varsPath: { name: 'vars-path', description: 'Path of `vars.env`.' },
    testUserdataPath: {
        name: 'test-userdata-path',
        description: 'Path of `userdata-test.gz` when the image source has `script/test.sh`, else empty.',
    },
    artifactId: { name: 'artifact-id', description: 'Id of the uploaded artifact.' },
};
const BUILD_OUTPUTS = {
    amiId: { name: 'ami-id', description: 'Id of the AMI (in the build region).' },
    amiName: { name: 'ami-name', description: 'Name of the AMI.' },
    region: { name: 'region', description: 'Region the AMI was built in.' },
    instanceId: { name: 'instance-id', description: 'Id of the temporary instance (terminated).' },
    baseAmi: {
        name: 'base-ami',
        description: 'The base AMI id the bake used (resolved from an SSM parameter or a name filter).',
    },
    amis: {
        name: 'amis',
        description: 'JSON map of region to AMI id: the build region and every copy, e.g. `{"us-east-1":"ami-…","eu-west-1":"ami-…"}`.',
    },
    ssmParameters: {
        name: 'ssm-parameters',
        description: 'JSON map of region to the SSM parameters written with the AMI id (`publish-ssm`), e.g. `{"us-east-1":["/golden/web"],"eu-west-1":["/golden/web"]}`; empty when none is asked for.',
    },
    launchTemplateVersion: {
        name: 'launch-template-version',
        description: 'The version number of the new launch template version (`launch-template`); empty when none is asked for.',
    },
    testStatus: {
        name: 'test-status',
        description: '`passed` (the new AMI passed its test), `failed` (set on a failed build), `skipped` (no test in the artifact, or `test: false`) or `reused` (a reused AMI that had passed its test).',
    },
    sbom: {
        name: 'sbom',
        description: "Path of the package inventory (CycloneDX JSON) the instance reported after its install, as checked and saved by the build; its sha256 is the AMI's `amibake:sbom-sha256` tag. Empty when there is none (no S3 location, a reused AMI, or a missing or malformed inventory).",
    },
    timings: {
        name: 'timings',
        description: 'JSON list of the phases the bake ran, in order, with the spans inside them: `[{"phase":"install","title":"Install (until stopped)","start":"<ISO 8601>","seconds":312.5,"spans":[{"span":"running","title":"Launch to running","start":"<ISO 8601>","seconds":21.2,"wait":true}, …]}, …]`.',
    },
};

// EXTERNAL MODULE: ./src/aws/image-removal.ts
var image_removal = __webpack_require__(2725);
// EXTERNAL MODULE: ./src/aws/images.ts
var aws_images = __webpack_require__(5687);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./src/aws/errors.ts
var aws_errors = __webpack_require__(9378);
// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/aws/tags.ts
var aws_tags = __webpack_require__(7199);
;// CONCATENATED MODULE: ./src/aws/instances.ts
/** The temporary instance: how it is launched, found again and terminated. */





/** States in which an instance still costs money or holds a volume. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
function runInstancesInput(spec) {
    const tags = (0,aws_tags/* toTags */.LZ)(spec.tags);
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
        const page = await ec2.send(new dist_cjs.DescribeInstancesCommand({ Filters: filters, NextToken }));
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
 * Instances launched with any of `clientTokens` (one per RunInstances attempt): by the
 * `client-token` filter and by `tagFilters` (default: the `amibake:client-token` tag equal to one
 * of the tokens; tags at creation are applied with the launch itself). moto does not implement
 * the client-token filter, so a failing query only counts when both fail.
 * `quick` is a client with few retries for the filter moto lacks.
 */
async function findByTokens(ec2, quick, clientTokens, logger, tagFilters = [{ Name: `tag:${aws_tags/* TAG */.Dk.clientToken}`, Values: clientTokens }]) {
    if (!clientTokens.length)
        return [];
    const [byFilter, byTag] = await Promise.allSettled([
        describe(quick, [{ Name: 'client-token', Values: clientTokens }]),
        describe(ec2, tagFilters),
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
 * RunInstances refusals that another instance type or subnet (availability zone) may not meet:
 * no capacity for the type in that zone right now, or the type not offered there. Quotas
 * (InstanceLimitExceeded, VcpuLimitExceeded) are the account's in the whole region, the same for
 * every zone and for most types: trying on would repeat the refusal and bury its message.
 */
const CAPACITY_CODES = ['InsufficientInstanceCapacity', 'Unsupported'];
function isCapacityError(err) {
    return CAPACITY_CODES.includes((0,aws_errors/* errorCode */.CA)(err));
}
/** The architectures each of `types` supports (DescribeInstanceTypes); an unknown type fails
 *  the call with InvalidInstanceType, as RunInstances would. */
async function instanceTypeArchitectures(ec2, types) {
    const out = new Map();
    let NextToken;
    do {
        const page = await ec2.send(new dist_cjs.DescribeInstanceTypesCommand({
            InstanceTypes: types,
            NextToken,
        }));
        for (const t of page.InstanceTypes ?? [])
            if (t.InstanceType)
                out.set(t.InstanceType, t.ProcessorInfo?.SupportedArchitectures ?? []);
        NextToken = page.NextToken;
    } while (NextToken);
    return out;
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
            const out = await ec2.send(new dist_cjs.TerminateInstancesCommand({ InstanceIds: [id] }));
            return (out.TerminatingInstances?.find((t) => t.InstanceId === id)?.CurrentState?.Name ?? 'shutting-down');
        }
        catch (err) {
            if ((0,aws_errors/* isNotFound */.c4)(err, 'instance'))
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
    await (0,dist_cjs.waitUntilInstanceTerminated)({
        client: ec2,
        maxWaitTime: opts.maxWaitSeconds,
        minDelay: opts.delaySeconds,
        maxDelay: Math.max(opts.delaySeconds, 15),
        abortSignal: opts.abortSignal,
    }, { InstanceIds: ids });
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js
var s3_request_presigner_dist_cjs = __webpack_require__(8505);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
;// CONCATENATED MODULE: ./src/aws/staging.ts
/**
 * The S3 side of the stage contract: fs.tgz goes up (multipart, @aws-sdk/lib-storage), the
 * instance gets presigned URLs (GET fs.tgz, PUT result, PUT log, PUT package inventory) so it needs no S3 permission and
 * no AWS CLI, and the build reads the result and the log back. The objects are left for the
 * bucket's lifecycle rules.
 */







/** SigV4 presigned URLs live at most 7 days. */
const MAX_EXPIRY = 7 * 24 * 3600;
/** Result, log and package inventory sit beside fs.tgz, named per bake so a re-run never reads an old result. */
function stagingKeys(loc, token) {
    const slash = loc.key.lastIndexOf('/');
    const prefix = slash >= 0 ? loc.key.slice(0, slash + 1) : '';
    return {
        bucket: loc.bucket,
        fs: loc.key,
        result: `${prefix}amibake-${token}.result`,
        log: `${prefix}amibake-${token}.log`,
        sbom: `${prefix}amibake-${token}.sbom.json`,
    };
}
/** The test instance's result and log: beside the install's, named apart (the same bake token). */
function testStagingKeys(loc, token) {
    const keys = stagingKeys(loc, token);
    return {
        ...keys,
        result: keys.result.replace(/\.result$/, '.test.result'),
        log: keys.log.replace(/\.log$/, '.test.log'),
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
    const sign = (cmd, signableHeaders) => (0,s3_request_presigner_dist_cjs/* getSignedUrl */.A)(s3, cmd, { expiresIn, signableHeaders });
    const [fsUrl, resultUrl, logUrl, sbomUrl] = await Promise.all([
        opts.withFs ? sign(new client_s3_dist_cjs.GetObjectCommand({ Bucket: keys.bucket, Key: keys.fs })) : undefined,
        sign(new client_s3_dist_cjs.PutObjectCommand({ Bucket: keys.bucket, Key: keys.result })),
        sign(new client_s3_dist_cjs.PutObjectCommand({ Bucket: keys.bucket, Key: keys.log })),
        // The content type is signed: S3 (and moto, which would otherwise take a body sent as a form
        // for form fields) stores the JSON as sent, and refuses an upload with another type.
        sign(new client_s3_dist_cjs.PutObjectCommand({ Bucket: keys.bucket, Key: keys.sbom, ContentType: contract/* SBOM_CONTENT_TYPE */.NL }), new Set(['content-type'])),
    ]);
    return { fsUrl, resultUrl, logUrl, sbomUrl };
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
        if ((0,aws_errors/* isNotFound */.c4)(err, 'object'))
            return undefined;
        // A range of an empty object is unsatisfiable (416).
        if (lastBytes && (0,aws_errors/* httpStatus */.nG)(err) === 416)
            return '';
        logger.warn(`cannot read s3://${bucket}/${key}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}
/** The object's bytes, at most `maxBytes` of them (`tooLarge` when it holds more), or undefined
 *  when it does not exist (or cannot be read: warned). The instance decides how big it is. */
async function readObjectCapped(s3, bucket, key, maxBytes, logger) {
    try {
        // One byte more than the cap tells a full object from a larger one.
        const out = await s3.send(new client_s3_dist_cjs.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes}` }));
        const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
        return bytes.length > maxBytes
            ? { bytes: bytes.subarray(0, maxBytes), tooLarge: true }
            : { bytes, tooLarge: false };
    }
    catch (err) {
        if ((0,aws_errors/* isNotFound */.c4)(err, 'object'))
            return undefined;
        // A range of an empty object is unsatisfiable (416).
        if ((0,aws_errors/* httpStatus */.nG)(err) === 416)
            return { bytes: new Uint8Array(), tooLarge: false };
        logger.warn(`cannot read s3://${bucket}/${key}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/features/bake/capacity.ts
/**
 * Capacity fallback: RunInstances over ordered instance types and subnets. On a capacity refusal
 * (InsufficientInstanceCapacity, Unsupported: see CAPACITY_CODES) the next type in the same
 * subnet is tried, then every type in the next subnet; any other error ends the fallback at once
 * (an AccessDenied or a malformed request is not capacity). Each attempt has its own client token
 * (a token is bound to one request's parameters), saved in state before its call: an attempt whose
 * answer was lost may have launched an instance, and recovery looks up every saved token
 * (src/features/bake/instance-recovery.ts). The build's launch and the test phase's launch share it.
 */





/** RunInstances client tokens are at most 64 ASCII characters. */
const TOKEN_MAX = 64;
/** The client token of attempt `n` (1-based): the first keeps `token` itself (the tag and the
 *  staging keys use it), the others get a suffix. */
function attemptToken(token, n) {
    if (n === 1)
        return token.slice(0, TOKEN_MAX);
    const suffix = `-${n}`;
    return `${token.slice(0, TOKEN_MAX - suffix.length)}${suffix}`;
}
/** The client tokens saved under `keys` (every attempt made or about to be made). */
function savedTokens(st, keys) {
    const tokens = (st[keys.tokens] ?? '').split(',').filter(Boolean);
    const first = keys.token ? st[keys.token] : undefined;
    return [...new Set(first ? [first, ...tokens] : tokens)];
}
const where = (a) => `${a.instanceType} in ${a.subnet ?? 'the default subnet'}`;
/**
 * Launches one instance of `request`, trying the plan's types in the first subnet, then in the
 * next subnet, and so on, while AWS answers with a capacity error. Saves `keys.tokens` (all
 * tokens so far) and `keys.launch` before each call, `keys.id` after the answer.
 */
async function launchWithFallback(ctx, request, plan) {
    const { ec2, state, logger } = ctx.deps;
    const { keys } = plan;
    if (!plan.types.length)
        throw new Error(`no instance type to launch ${plan.what} with`);
    const subnets = plan.subnets.length ? plan.subnets : [undefined];
    const order = subnets.flatMap((subnet) => plan.types.map((instanceType) => ({ instanceType, subnet })));
    const attempts = [];
    const tokens = [];
    for (const [i, choice] of order.entries()) {
        if (ctx.signal.aborted)
            throw new CancelledError('the bake was cancelled');
        const attempt = { ...choice, clientToken: attemptToken(plan.token, i + 1) };
        attempts.push(attempt);
        tokens.push(attempt.clientToken);
        // Before the call: whoever recovers must know this token even if the answer never comes.
        state.save(keys.tokens, tokens.join(','));
        state.save(keys.launch, 'started');
        const input = runInstancesInput({ ...request, ...choice, clientToken: attempt.clientToken });
        let id;
        try {
            id = (await ctx.track(ec2.send(new dist_cjs.RunInstancesCommand(input)))).Instances?.[0]?.InstanceId;
        }
        catch (err) {
            const next = order[i + 1];
            if (isCapacityError(err)) {
                // A capacity refusal launched nothing (an SDK retry with the same token would have
                // answered with the instance): until the next call, recovery has nothing to look for.
                attempt.code = (0,aws_errors/* errorCode */.CA)(err);
                state.save(keys.launch, 'failed');
                if (next) {
                    logger.warn(`RunInstances ${where(attempt)}: ${attempt.code} (${(0,errors/* errorMessage */.gJ)(err)}); trying ${where(next)}`);
                    continue;
                }
                // Every choice refused for capacity: nothing was launched by any attempt.
                const names = plan.names ?? { types: (0,errors/* opt */.m7)('instanceType'), subnets: (0,errors/* opt */.m7)('subnet') };
                throw new errors/* UserError */.yo((0,errors/* msg */.ab) `no capacity for ${plan.what}: ${attempts.map((a) => `${where(a)} (${a.code})`).join(', ')}; nothing was launched. List more instance types (${names.types}) or subnets in other availability zones (${names.subnets}), or try again later`);
            }
            // Only a refusal means nothing was launched; after a 5xx, throttling or a lost answer the
            // instance may exist, and recovery looks for it by its token for a while ('started').
            if ((0,aws_errors/* refusedByAws */.V5)(err))
                state.save(keys.launch, 'failed');
            throw new errors/* UserError */.yo(`RunInstances (${where(attempt)}): ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
        if (!id)
            throw new Error('RunInstances returned no instance');
        state.save(keys.id, id);
        state.save(keys.launch, 'returned');
        return { instanceId: id, ...choice, clientToken: attempt.clientToken, attempts };
    }
    throw new Error('unreachable: the fallback plan has no attempt');
}

;// CONCATENATED MODULE: ./src/features/bake/console.ts
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
            const out = await this.ec2.send(new dist_cjs.GetConsoleOutputCommand({ InstanceId: this.instanceId, Latest: this.latest || undefined }));
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

;// CONCATENATED MODULE: ./src/features/bake/instance-types.ts
/**
 * The instance types a bake may launch, settled at preflight once the base image's architecture
 * is known: the default of that architecture, or the listed types that can boot it (the others
 * dropped with a log line; an error naming the option when none is left).
 */



/** The default type per architecture: the smallest current burstable type with 1 GiB of memory
 *  (an install of packages needs more than t3.nano's 0.5 GiB). */
const DEFAULT_INSTANCE_TYPES = {
    x86_64: 't3.micro',
    arm64: 't4g.micro',
};
async function settleInstanceTypes(c) {
    const option = c.option ?? (0,errors/* opt */.m7)('instanceType');
    const arch = c.architecture;
    if (!c.listed.length) {
        const type = arch ? DEFAULT_INSTANCE_TYPES[arch] : undefined;
        if (!type)
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${option}: no default instance type for the base AMI ${c.baseAmi} (architecture ${arch ?? 'unknown'}): set one`);
        c.logger.info(`instance type ${type}: the default for ${arch} (the base AMI ${c.baseAmi})`);
        return [type];
    }
    if (!arch)
        return c.listed;
    let archs;
    try {
        archs = await instanceTypeArchitectures(c.ec2, c.listed);
    }
    catch (err) {
        // Without the permission the list stays as given: RunInstances refuses a type that cannot
        // boot the image itself, only later and less clearly.
        if ((0,aws_errors/* isAccessDenied */.w7)(err)) {
            c.logger.warn(`cannot check the instance types' architectures (ec2:DescribeInstanceTypes: ${(0,errors/* errorMessage */.gJ)(err)}): trying ${c.listed.join(', ')} as listed`);
            return c.listed;
        }
        if ((0,aws_errors/* errorCode */.CA)(err).startsWith('InvalidInstanceType'))
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${option}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${option}: cannot describe ${c.listed.join(', ')} (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    const kept = [];
    for (const type of c.listed) {
        const supported = archs.get(type) ?? [];
        if (supported.includes(arch))
            kept.push(type);
        else
            c.logger.info(`instance type ${type} dropped: it runs ${supported.join(', ') || 'no known architecture'}, the base AMI ${c.baseAmi} is ${arch}`);
    }
    if (!kept.length)
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${option}: none of ${c.listed.join(', ')} can boot the base AMI ${c.baseAmi} (architecture ${arch}): list a type of that architecture, or leave the option out for ${DEFAULT_INSTANCE_TYPES[arch] ?? 'the default'}`);
    return kept;
}

;// CONCATENATED MODULE: ./src/features/bake/tags.ts
/** The tags the bake puts on what it creates. The instance and its volumes carry the run tags (so
 *  a janitor or the post step can find them); the AMI and its snapshots carry the image tags. */

function runTags(t) {
    return {
        ...t.extra,
        [aws_tags/* TAG */.Dk.display]: `amibake ${t.amiName}`,
        [aws_tags/* TAG */.Dk.run]: t.runId,
        [aws_tags/* TAG */.Dk.clientToken]: t.clientToken,
    };
}
function imageTags(t) {
    return {
        ...t.extra,
        [aws_tags/* TAG */.Dk.display]: t.amiName,
        [aws_tags/* TAG */.Dk.family]: t.name,
        [aws_tags/* TAG */.Dk.version]: t.version,
        [aws_tags/* TAG */.Dk.digest]: t.digest,
        [aws_tags/* TAG */.Dk.baseAmi]: t.baseAmi,
        [aws_tags/* TAG */.Dk.run]: t.runId,
        // Lets cleanup tell this bake's AMI from another one that took the same name.
        [aws_tags/* TAG */.Dk.clientToken]: t.clientToken,
        ...(t.sbomSha256 ? { [aws_tags/* TAG */.Dk.sbom]: t.sbomSha256 } : {}),
    };
}

// EXTERNAL MODULE: ./src/aws/poll.ts
var poll = __webpack_require__(5672);
;// CONCATENATED MODULE: ./src/features/bake/until-stopped.ts





/** Bytes of the instance's log read back for its tail: the instance decides how big the log is. */
const TAIL_BYTES = 64 * 1024;
/** The result object is one `status=N` line; the instance could upload anything. */
const RESULT_BYTES = 4096;
/**
 * Polls the instance until `stopped`, streaming its console in a group titled `title`, for at
 * most `timeoutMs`. `onState` sees every state polled (the install's spans). An instance that
 * goes away on its own is an error: `what` names it.
 */
async function untilStopped(ctx, o) {
    const { cfg, deps } = ctx;
    const deadline = ctx.now() + o.timeoutMs;
    const next = (0,poll/* pollBackoff */.c1)(cfg.waitInstance * 1000);
    let lastConsole = '';
    const stopped = await deps.logger.group(o.title, async () => {
        for (;;) {
            const inst = await describeInstance(deps.ec2, o.id);
            const state = inst?.State?.Name ?? 'unknown';
            o.onState?.(state);
            lastConsole = (await o.reader.stream()) ?? lastConsole;
            if (state === 'stopped')
                return true;
            if (state === 'terminated' || state === 'shutting-down')
                throw new errors/* UserError */.yo(`the instance ${o.id} was terminated during ${o.what}: ${inst?.StateReason?.Message ?? 'no reason given'}`);
            const left = deadline - ctx.now();
            if (left <= 0)
                return false;
            await ctx.sleep(Math.min(next(), left));
        }
    });
    return { stopped, lastConsole };
}
/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
async function readStatus(ctx, reader, objects) {
    const { deps, cfg } = ctx;
    if (objects) {
        const status = parseResult(await readObject(objects.s3, objects.bucket, objects.result, deps.logger, RESULT_BYTES));
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
/** Prints the end of instance text as an inert block, before the error that refers to it: an
 *  error message is an `::error::` command, so it never carries instance text. */
function showTail(logger, text, title) {
    if (!text)
        return false;
    logger.untrusted(tail(text), title);
    return true;
}
/**
 * Shows the end of the instance's log (the uploaded one, else its console) and returns what was
 * shown (`log` or `console`), or undefined when there was nothing to show.
 */
async function showLogTail(logger, o) {
    const log = o.objects
        ? await readObject(o.objects.s3, o.objects.bucket, o.objects.log, logger, TAIL_BYTES)
        : undefined;
    const text = log ?? ((await o.reader.read()) || o.lastConsole);
    const what = log ? 'log' : 'console';
    return showTail(logger, text, `Last lines of the ${what === 'log' ? o.log : 'console'}:`)
        ? what
        : undefined;
}

// EXTERNAL MODULE: ./src/features/bake/userdata.ts
var bake_userdata = __webpack_require__(1790);
;// CONCATENATED MODULE: ./src/features/bake/instance-recovery.ts





const DEFAULT_TERMINATE_SECONDS = 120;
/** Live instances launched with any saved client token when a RunInstances answer was lost. */
async function findLaunched(o, st, keys, problems, sleep) {
    const tokens = savedTokens(st, keys);
    if (st[keys.id] || !tokens.length || !st[keys.launch])
        return [];
    // An empty answer is believed after lookupSeconds (the instance shows up late); an error is
    // retried until the termination deadline: only an answer tells that nothing was launched.
    const emptyUntil = (0,retry/* deadlineIn */._5)(st[keys.launch] === 'started' ? (o.lookupSeconds ?? 0) : 0);
    const errorUntil = Math.max(emptyUntil, (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS));
    const list = `client token${tokens.length > 1 ? 's' : ''} ${tokens.join(', ')}`;
    try {
        // undefined = "nothing yet, ask again"; past emptyUntil an empty answer is final.
        const found = await (0,retry/* retryUntil */.v6)(async () => {
            const found = await findByTokens(o.ec2, o.quick, tokens, o.logger, keys.tagFilters?.(tokens, st));
            return found.length || Date.now() >= emptyUntil ? found : undefined;
        }, {
            deadline: errorUntil,
            sleep,
            onError: (err) => o.logger.debug(`looking for the instance of ${list}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
        });
        return (found ?? []).filter((i) => LIVE_STATES.includes(i.State?.Name ?? '')).map((i) => i.InstanceId);
    }
    catch (err) {
        problems.push(`could not look for ${keys.what} launched with ${list} ` +
            `(tag ${aws_tags/* TAG */.Dk.clientToken}): ${(0,errors/* errorMessage */.gJ)(err)}; if RunInstances went through, ` +
            'that instance is left running');
        return [];
    }
}
/** Terminates the instance (known by id, or found by any saved token) and, with `wait`, returns
 *  as `settle` the wait to see it terminated: reporting only (TerminateInstances accepted is what
 *  counts), so recovery runs it after the other phases' recovery (src/engine/recovery.ts). */
async function recoverInstance(st, o, keys) {
    const { logger } = o;
    const sleep = o.sleep ?? retry/* realSleep */.uk;
    const report = { terminated: [], confirmed: [], left: [], problems: [] };
    const ids = new Set();
    const known = st[keys.id];
    if (known && !st[keys.terminated])
        ids.add(known);
    for (const id of await findLaunched(o, st, keys, report.problems, sleep))
        ids.add(id);
    const deadline = (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
    for (const id of ids) {
        logger.info(`terminating ${id}`);
        try {
            const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
            report.terminated.push(id);
            if (state === 'terminated' || state === 'gone')
                report.confirmed.push(id);
        }
        catch (err) {
            report.left.push(id);
            report.problems.push(`${keys.what} ${id} could not be terminated: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    // Seen terminated: the post step (and a second recovery) need not try again.
    const seen = (confirmed) => {
        if (!confirmed.length)
            return;
        logger.info(`terminated ${confirmed.join(', ')}`);
        if (known && confirmed.includes(known))
            o.save?.(keys.terminated, '1');
    };
    seen(report.confirmed);
    const waiting = report.terminated.filter((id) => !report.confirmed.includes(id));
    if (!waiting.length || !o.wait)
        return report;
    const settle = async () => {
        try {
            const until = (0,retry/* deadlineIn */._5)(o.waitSeconds ?? 600);
            await waitTerminated(o.ec2, waiting, {
                maxWaitSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)),
                delaySeconds: o.delaySeconds ?? 5,
            });
        }
        catch (err) {
            logger.warn(`termination of ${waiting.join(', ')} accepted by AWS, not seen completed yet: ${(0,errors/* errorMessage */.gJ)(err)}`);
            return {};
        }
        seen(waiting);
        return { confirmed: waiting };
    };
    return { ...report, settle };
}
/** A phase's `recover` for the instance of `keys`. */
function instanceRecovery(keys) {
    return (st, o) => recoverInstance(st, o, keys);
}

;// CONCATENATED MODULE: ./src/features/test/state.ts
/** The test phase's state keys: saved before each risky call, read back by its recovery. */

const TEST_STATE = {
    /** The first attempt's client token (`<bake token>-test`), also the test instance's
     *  `amibake:client-token` tag. */
    clientToken: 'amibake_test_client_token',
    /** Every launch attempt's client token (capacity fallback), comma-separated, each saved before
     *  its call. */
    clientTokens: 'amibake_test_client_tokens',
    /** `started` before RunInstances, `returned` after its answer, `failed` when AWS refused it. */
    launch: 'amibake_test_launch',
    instanceId: 'amibake_test_instance_id',
    /** Set once the test instance is known to be terminated. */
    terminated: 'amibake_test_terminated',
};
const TEST_INSTANCE = {
    tokens: TEST_STATE.clientTokens,
    launch: TEST_STATE.launch,
    id: TEST_STATE.instanceId,
    terminated: TEST_STATE.terminated,
    token: TEST_STATE.clientToken,
    what: 'the test instance',
    // Only an instance with the test role: whatever its tokens, never the build instance.
    tagFilters: (tokens) => [
        { Name: `tag:${aws_tags/* TAG */.Dk.clientToken}`, Values: tokens },
        { Name: `tag:${aws_tags/* TAG */.Dk.role}`, Values: ['test'] },
    ],
};

;// CONCATENATED MODULE: ./src/features/test/recovery.ts


/** The phase as recovery knows it (no configuration needed). */
const testRecovery = {
    id: 'test',
    title: 'Test',
    state: Object.values(TEST_STATE),
    // The test instance costs money while it runs: terminated first, as the build instance.
    urgent: true,
    recover: instanceRecovery(TEST_INSTANCE),
};

;// CONCATENATED MODULE: ./src/features/bake/test-verdict.ts


const failedTest = (image) => (0,aws_tags/* tagValue */.EZ)(image, aws_tags/* TAG */.Dk.test) === 'failed';
/** Throws when `image` failed its test; `what` says what was refused (reused, copied, ...). */
function refuseFailedTest(image, amiName, what = 'reused') {
    if (!failedTest(image))
        return;
    throw new errors/* UserError */.yo((0,errors/* msg */.ab) `the AMI ${image.ImageId} (${amiName}) of an earlier bake failed its test (${aws_tags/* TAG */.Dk.test}=failed) and is never ${what}: deregister it, or bump the version (${(0,errors/* opt */.m7)('targetVersion')}), to bake it again`);
}

;// CONCATENATED MODULE: ./src/features/test/test.ts




















/** The `test-status` output and TEST_STATUS line (see BUILD_OUTPUTS). */
function reportTestStatus(ctx, status) {
    ctx.report.outputs[BUILD_OUTPUTS.testStatus.name] = status;
    ctx.report.fileVars.TEST_STATUS = status;
}
function testPhase(plan) {
    return {
        ...testRecovery,
        // A reused AMI that has not passed its test is tested before it is copied or published.
        always: true,
        async run(ctx) {
            const image = ctx.reused ?? ctx.image;
            if (!image?.ImageId)
                return;
            if (ctx.reused && !(await mustTest(ctx, ctx.reused)))
                return;
            await runTest(ctx, plan, image);
        },
    };
}
/** A reused AMI: true when it must be tested first, false when it passed already. */
async function mustTest(ctx, image) {
    const verdict = (0,aws_tags/* tagValue */.EZ)(image, aws_tags/* TAG */.Dk.test);
    if (verdict === 'passed') {
        reportTestStatus(ctx, 'reused');
        ctx.report.summary.push(['Test', `passed earlier (${aws_tags/* TAG */.Dk.test}=passed)`]);
        return false;
    }
    refuseFailedTest(image, ctx.cfg.amiName);
    ctx.deps.logger.info(`${image.ImageId} has not passed its test (no ${aws_tags/* TAG */.Dk.test} tag): testing it first`);
    return true;
}
/** Orders `all` with `first` (what the build instance was launched with) in front. */
const firstThen = (first, all) => first ? [first, ...all.filter((v) => v !== first)] : all;
/** The test instance's types: the test's own list (those that can boot the AMI), else the
 *  build's settled list starting with the type that launched the build instance (it has capacity
 *  now, and no other type is known to boot the image). */
async function testInstanceTypes(ctx, plan, image) {
    if (!plan.instanceTypes) {
        const built = firstThen(ctx.instanceType, ctx.instanceTypes.length ? ctx.instanceTypes : ctx.cfg.instanceTypes);
        if (built.length)
            return built;
        // No build instance (a disk artifact) and no type given: the default of the new AMI's
        // architecture, as a build instance would get for a base AMI of that architecture.
    }
    return settleInstanceTypes({
        ec2: ctx.deps.ec2,
        logger: ctx.deps.logger,
        listed: plan.instanceTypes ?? [],
        architecture: image.Architecture ?? ctx.architecture,
        baseAmi: image.ImageId,
        option: (0,errors/* opt */.m7)('testInstanceType'),
    });
}
async function runTest(ctx, plan, image) {
    const { cfg, deps } = ctx;
    const imageId = image.ImageId;
    const testUserdata = cfg.prepared.testUserdata;
    if (!testUserdata)
        throw new Error('the test phase needs the artifact’s test user data');
    // Its own keys beside the install's (the same bake token): never an earlier run's result.
    const keys = cfg.staging ? testStagingKeys(cfg.staging, ctx.clientToken) : undefined;
    const objects = keys && { s3: deps.s3, ...keys };
    const urls = keys ? await presign(deps.s3, keys, { seconds: plan.timeoutMs / 1000, withFs: false }) : {};
    for (const url of Object.values(urls))
        if (url)
            deps.logger.mask(url);
    if (!keys)
        deps.logger.info('no S3 location: the test result is read from the console only');
    const userdata = (0,bake_userdata/* finalUserdata */.Yd)(testUserdata, urls);
    const token = `${ctx.clientToken}-test`;
    const types = await testInstanceTypes(ctx, plan, image);
    if (ctx.signal.aborted)
        throw new CancelledError('the bake was cancelled');
    // Before the launcher's own saves: the first token is the instance's tag, looked up too.
    deps.state.save(TEST_STATE.clientToken, token);
    const launched = await launchWithFallback(ctx, {
        baseAmi: imageId,
        securityGroups: cfg.securityGroups,
        profile: plan.profile ?? cfg.profile,
        userdata,
        tags: {
            ...runTags({ ...ctx.tags, clientToken: token }),
            [aws_tags/* TAG */.Dk.display]: `amibake test ${cfg.amiName}`,
            [aws_tags/* TAG */.Dk.role]: 'test',
        },
    }, {
        types,
        // The build instance's subnet first: the same network, where capacity was just found.
        subnets: firstThen(ctx.subnet, cfg.subnets),
        token,
        keys: TEST_INSTANCE,
        what: TEST_INSTANCE.what,
        names: {
            types: plan.instanceTypes ? (0,errors/* opt */.m7)('testInstanceType') : (0,errors/* opt */.m7)('instanceType'),
            subnets: (0,errors/* opt */.m7)('subnet'),
        },
    });
    const id = launched.instanceId;
    const instanceType = launched.instanceType;
    deps.logger.info(`launched the test instance ${id} (${instanceType} in ${launched.subnet ?? 'the default subnet'}, ${imageId})`);
    let failure;
    let left;
    let status;
    try {
        const reader = new ConsoleReader(deps.ec2, id, deps.logger);
        ctx.span('test', 'Launch until stopped', { wait: true });
        const { stopped, lastConsole } = await untilStopped(ctx, {
            id,
            reader,
            timeoutMs: plan.timeoutMs,
            title: `Test output (console of ${id})`,
            what: 'the test',
        });
        ctx.endSpan();
        if (!stopped) {
            const shown = showTail(deps.logger, (await reader.read()) || lastConsole, `Last console lines of ${id}:`);
            failure =
                `the test instance ${id} did not stop within ${(0,duration/* formatMs */._)(plan.timeoutMs)}` +
                    (shown ? '; its last console lines are printed above' : '');
        }
        else {
            status = await readStatus(ctx, reader, objects);
            if (status === undefined) {
                const shown = showTail(deps.logger, (await reader.read()) || lastConsole, `Last console lines of ${id}:`);
                failure =
                    `the test instance ${id} stopped without reporting a result (no result object, no AMIBAKE-RESULT console line)` +
                        (shown ? '; its last console lines are printed above' : '');
            }
            else if (status !== 0) {
                const shown = await showLogTail(deps.logger, { objects, reader, lastConsole, log: 'test log' });
                failure =
                    `the test failed (status ${status})` +
                        (shown
                            ? `; the last lines of the ${shown === 'log' ? 'test log' : 'console'} are printed above`
                            : '');
            }
        }
    }
    finally {
        // On a cancel the recovery terminates it (and confirms it within the cancel's budget).
        if (!ctx.signal.aborted)
            left = await terminateTestInstance(ctx, id);
    }
    // Still running: the bake fails, and its recovery tries again and names it if it must.
    if (left && !failure)
        throw new errors/* UserError */.yo(left);
    if (!failure) {
        await (0,aws_images/* tagImage */.E$)(deps.ec2, imageId, { [aws_tags/* TAG */.Dk.test]: 'passed' });
        // The copies carry the AMI's own tags: they say the test passed too.
        image.Tags = [
            ...(image.Tags ?? []).filter((t) => t.Key !== aws_tags/* TAG */.Dk.test),
            { Key: aws_tags/* TAG */.Dk.test, Value: 'passed' },
        ];
        reportTestStatus(ctx, 'passed');
        ctx.report.summary.push(['Test', `passed (${id}, ${instanceType})`]);
        deps.logger.info(`the test passed on ${id}: ${imageId} is tagged ${aws_tags/* TAG */.Dk.test}=passed`);
        return;
    }
    reportTestStatus(ctx, 'failed');
    throw new errors/* UserError */.yo(`${failure}. ${await failedImage(ctx, plan, image)}${left ? `. ${left}` : ''}`);
}
/** Terminates the test instance and waits to see it terminated. Returns what went wrong when
 *  AWS never accepted the termination; a wait that does not see it end is only a warning. */
async function terminateTestInstance(ctx, id) {
    const { cfg, deps } = ctx;
    try {
        await terminateKnown(deps.ec2, id, { deadline: (0,retry/* deadlineIn */._5)(120), logger: deps.logger });
    }
    catch (err) {
        return `the test instance ${id} could not be terminated: ${(0,errors/* errorMessage */.gJ)(err)}`;
    }
    try {
        await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
        deps.state.save(TEST_STATE.terminated, '1');
        deps.logger.info(`terminated the test instance ${id}`);
    }
    catch (err) {
        deps.logger.warn(`could not confirm that the test instance ${id} is terminated: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    return undefined;
}
/** What becomes of an AMI that failed its test; returns the sentence saying so. */
async function failedImage(ctx, plan, image) {
    const { deps } = ctx;
    const imageId = image.ImageId;
    let outcome;
    if (plan.keepFailed) {
        try {
            await (0,aws_images/* tagImage */.E$)(deps.ec2, imageId, { [aws_tags/* TAG */.Dk.test]: 'failed' });
            outcome = `The AMI ${imageId} is kept, tagged ${aws_tags/* TAG */.Dk.test}=failed (never reused, copied, shared or published)`;
        }
        catch (err) {
            // Untagged, a later bake tests it again before it goes anywhere.
            outcome = `The AMI ${imageId} is kept, but could not be tagged ${aws_tags/* TAG */.Dk.test}=failed: ${(0,errors/* errorMessage */.gJ)(err)}`;
        }
    }
    else {
        const problems = await (0,image_removal/* discardImage */.I)(deps.ec2, image, deps.logger, {
            deadline: (0,retry/* deadlineIn */._5)(120),
            what: 'AMI that failed its test',
        });
        outcome = problems.length
            ? `The AMI ${imageId} could not be removed: ${problems.join('; ')}`
            : `The AMI ${imageId} was deregistered and its snapshots deleted`;
    }
    // The AMI is no bake result any more: the error path must neither keep nor announce it. A kept
    // AMI stays done, though: what it is made of (the disk path's uploaded snapshot) is not left
    // over from an unfinished image, and no recovery may take it.
    const forget = plan.keepFailed
        ? [STATE.imageName, STATE.imageId]
        : [STATE.imageName, STATE.imageId, STATE.imageDone];
    for (const key of forget)
        deps.state.save(key, '');
    return outcome;
}

// EXTERNAL MODULE: ./src/features/bake/base-ref.ts
var base_ref = __webpack_require__(648);
;// CONCATENATED MODULE: ./src/features/copy/copy.ts
/**
 * Multi-region copies: CopyImage to every region in parallel, the same tags on each copy and its
 * snapshots (tagged explicitly: TagSpecifications are not honoured everywhere), wait for all,
 * and a journal the caller persists so that an interrupted copy is finished or removed later
 * (the action's post step, the CLI's signal handler) instead of being left untagged.
 */






/** The copies to make: distinct regions other than the build's, each with its key. */
function planCopies(i) {
    const regions = [...new Set(i.regions)].filter((r) => r !== i.sourceRegion);
    const stray = Object.keys(i.kmsKeys).filter((r) => !regions.includes(r));
    if (stray.length)
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${i.names.kmsKeys}: ${stray.join(', ')} is not among ${i.names.regions} (${regions.join(', ') || 'none'})`);
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
        const image = await (0,aws_images/* findByName */._U)(i.clientFor(region), i.name);
        if (!image)
            return;
        if ((0,aws_tags/* tagValue */.EZ)(image, aws_tags/* TAG */.Dk.digest) === i.digest && image.State !== 'failed')
            existing[region] = image;
        else
            clashes.push(`${region} already has ${image.ImageId} named "${i.name}" (${image.State}, digest ${(0,aws_tags/* tagValue */.EZ)(image, aws_tags/* TAG */.Dk.digest) ?? 'none'})`);
    }));
    if (clashes.length)
        throw new errors/* UserError */.yo(`cannot copy: ${clashes.sort().join('; ')}. Choose another name or version, or deregister it.`);
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
            failures.push(`${region}: ${(0,errors/* errorMessage */.gJ)(r.reason)}`);
    });
    if (failures.length)
        throw new errors/* UserError */.yo(`copy failed in ${failures.join('; ')}`);
    return out;
}
async function copyOne(i, plan, rec, existing, save) {
    const ec2 = i.clientFor(plan.region);
    const started = Date.now();
    try {
        if (!existing) {
            const out = await ec2.send(new dist_cjs.CopyImageCommand({
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
            await ec2.send(new dist_cjs.CreateTagsCommand({ Resources: [rec.imageId], Tags: i.tags }));
        }
        else
            i.log.info(`${plan.region}: ${rec.imageId} is this bake's copy already, reusing it`);
        const image = await waitAvailable(ec2, rec.imageId, i);
        const snapshots = await (0,aws_images/* tagImageAndSnapshots */.ci)(ec2, image, i.tags);
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
        return await (0,aws_images/* waitAvailable */.Xy)(ec2, imageId, {
            timeoutSeconds: i.timeoutSeconds,
            intervalSeconds: i.pollSeconds,
            abortSignal: i.signal,
        });
    }
    catch (err) {
        if (!(err instanceof aws_images/* ImageWaitError */.Dy))
            throw err;
        const state = err.image?.State ?? 'pending';
        if (err.kind === 'failed')
            throw new Error(`${imageId} failed: ${err.reason}`, { cause: err });
        if (err.kind === 'aborted')
            throw new Error(`${imageId}: interrupted while ${state}`, { cause: err });
        if (err.kind === 'timeout')
            throw new Error(`${imageId} still ${state} after ${i.timeoutSeconds} s`, { cause: err });
        throw err.cause;
    }
}
/** Deregisters a copy and deletes its snapshots, including those a pending copy does not list yet. */
async function removeCopy(ec2, imageId, log) {
    let extra = [];
    try {
        extra = await (0,aws_images/* snapshotsByDescription */.pH)(ec2, imageId);
    }
    catch (err) {
        log.warn(`cannot list the snapshots of ${imageId}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    const removal = await (0,image_removal/* removeImage */.a)(ec2, imageId, log, extra);
    log.info(`removed ${imageId}${removal.snapshots.length ? ` and ${removal.snapshots.join(', ')}` : ''}`);
    return removal;
}

;// CONCATENATED MODULE: ./src/aws/launch-templates.ts
/**
 * EC2 launch templates, for publishing: find one by id or name, add a version with a new image
 * (every other setting from the latest version), make a version the default.
 */


const templateRef = (idOrName) => /^lt-[0-9a-f]{8,17}$/.test(idOrName) ? { id: idOrName } : { name: idOrName };
const refInput = (ref) => 'id' in ref ? { LaunchTemplateId: ref.id } : { LaunchTemplateName: ref.name };
/** The template, or undefined when it does not exist in the client's region. */
async function findLaunchTemplate(ec2, ref) {
    try {
        const out = await ec2.send(new dist_cjs.DescribeLaunchTemplatesCommand('id' in ref ? { LaunchTemplateIds: [ref.id] } : { LaunchTemplateNames: [ref.name] }));
        const t = out.LaunchTemplates?.[0];
        if (!t?.LaunchTemplateId)
            return undefined;
        return {
            id: t.LaunchTemplateId,
            name: t.LaunchTemplateName ?? '',
            defaultVersion: t.DefaultVersionNumber,
            latestVersion: t.LatestVersionNumber,
        };
    }
    catch (err) {
        if ((0,aws_errors/* isNotFound */.c4)(err, 'launchTemplate'))
            return undefined;
        throw err;
    }
}
/** A new version of the template from its latest one, with `imageId`: its version number, and
 *  AWS's warning when it found the resulting data invalid (the version is created all the same). */
async function createImageVersion(ec2, ref, imageId, description, dryRun = false) {
    const out = await ec2.send(new dist_cjs.CreateLaunchTemplateVersionCommand({
        ...refInput(ref),
        SourceVersion: '$Latest',
        VersionDescription: description.slice(0, 255),
        LaunchTemplateData: { ImageId: imageId },
        ...(dryRun && { DryRun: true }),
    }));
    const errors = out.Warning?.Errors ?? [];
    return {
        version: out.LaunchTemplateVersion?.VersionNumber ?? 0,
        ...(errors.length && { warning: errors.map((e) => `${e.Code}: ${e.Message}`).join('; ') }),
    };
}
async function setDefaultVersion(ec2, ref, version, dryRun = false) {
    await ec2.send(new dist_cjs.ModifyLaunchTemplateCommand({
        ...refInput(ref),
        DefaultVersion: String(version),
        ...(dryRun && { DryRun: true }),
    }));
}

;// CONCATENATED MODULE: ./src/features/distribute/config.ts
/** What to publish, from the options: checked together (the default version needs a template). */


function distributeConfig(o) {
    const problems = [];
    if (o.launchTemplateDefault && !o.launchTemplate)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('launchTemplateDefault')}: makes the new version of ${(0,errors/* opt */.m7)('launchTemplate')} the default, but no launch template is given`);
    return {
        config: {
            ssm: o.publishSsm ?? [],
            ...(o.launchTemplate && {
                template: {
                    raw: o.launchTemplate,
                    ref: templateRef(o.launchTemplate),
                    makeDefault: o.launchTemplateDefault,
                },
            }),
        },
        problems,
    };
}
/** Whether the configuration publishes anything (else no phase is added). */
const publishes = (c) => c.ssm.length > 0 || !!c.template;

;// CONCATENATED MODULE: ./src/features/share/settings.ts
/**
 * What happens to each finished AMI (the build's and every copy): IMDSv2 requirement, launch
 * permissions (accounts, organizations, OUs, public only when asked), snapshot permissions for
 * accounts that need them, deprecation time and deregistration protection.
 */



/** Checks that fail before anything is launched (AWS would refuse later, after the bake). */
function sharingProblems(s, encrypt, kmsKey, n) {
    const problems = [];
    const shared = s.accounts.length + s.organizations.length + s.ous.length > 0;
    if (encrypt && s.public)
        problems.push((0,errors/* msg */.ab) `${n.public}: an encrypted AMI cannot be public (${n.encrypt} is true)`);
    if (encrypt && !kmsKey && (shared || s.public))
        problems.push((0,errors/* msg */.ab) `${n.kmsKey}: an AMI encrypted with the AWS-managed key aws/ebs cannot be shared; give a customer managed key and allow the accounts to use it`);
    return problems.map(errors/* compact */.oE);
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
            report.problems.push(`${what} on ${imageId} in ${i.region}: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    };
    // A reused AMI or copy keeps what an earlier run set: nothing is set twice.
    if (s.imdsV2 && image.ImdsSupport === 'v2.0')
        report.imdsV2 = true;
    else if (s.imdsV2)
        await step('requiring IMDSv2', async () => {
            await (0,aws_images/* requireImdsV2 */.vg)(ec2, imageId);
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
            await ec2.send(new dist_cjs.ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: add } }));
            report.sharedWith = [...s.accounts, ...s.organizations, ...s.ous, ...(s.public ? ['public'] : [])];
        });
    const snaps = (0,aws_images/* snapshotIds */.Ns)(image);
    const shareSnaps = s.shareSnapshots === 'true' || (s.shareSnapshots === 'auto' && (0,aws_images/* isEncrypted */.ph)(image));
    if (shareSnaps && s.accounts.length && snaps.length)
        await step('sharing snapshots', async () => {
            // The OperationType/UserIds form (AWS takes it and CreateVolumePermission alike; moto only this one).
            for (const SnapshotId of snaps)
                await ec2.send(new dist_cjs.ModifySnapshotAttributeCommand({
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
            await ec2.send(new dist_cjs.EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at }));
            report.deprecateAt = at.toISOString();
        });
    }
    if (s.protection !== 'false' && image.DeregistrationProtection?.startsWith('enabled'))
        report.protection = s.protection;
    else if (s.protection !== 'false')
        await step('enabling deregistration protection', async () => {
            await ec2.send(new dist_cjs.EnableImageDeregistrationProtectionCommand({
                ImageId: imageId,
                WithCooldown: s.protection === 'cooldown',
            }));
            report.protection = s.protection;
        });
    for (const p of report.problems)
        log.warn(p);
    return report;
}

;// CONCATENATED MODULE: ./src/features/test/config.ts
/** Whether a bake tests its AMI, and with what: from the options and what the artifact holds. */

/** The plan, or undefined when nothing is tested; `problems` gets what is wrong. */
function testPlan(opts, artifact, problems) {
    if (opts.test === true && !artifact.hasTest) {
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('test')}: true, but the artifact has no test (userdata-test.gz, which prepare writes from the image source's script/test.sh)`);
        return undefined;
    }
    if (opts.test === false || !artifact.hasTest)
        return undefined;
    return {
        timeoutMs: opts.timeoutTest.ms,
        instanceTypes: opts.testInstanceType?.length ? [...new Set(opts.testInstanceType)] : undefined,
        profile: opts.testInstanceProfile,
        keepFailed: opts.testKeepFailed,
    };
}

// EXTERNAL MODULE: ./src/features/volume/options.ts
var options = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/features/volume/volume.ts



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
/** Checks that the options fit together (the base image's size is checked at launch). */
function validateRootVolume(o, names) {
    const problems = volumeProblems(o, o.size, names);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
}
function volumeProblems(o, size, n) {
    const lim = LIMITS[o.type];
    const problems = [];
    if (size !== undefined && (size < lim.size[0] || size > lim.size[1]))
        problems.push((0,errors/* msg */.ab) `${n.size}: ${o.type} volumes are ${lim.size[0]} to ${lim.size[1]} GiB (got ${size})`);
    if (o.iops !== undefined) {
        if (!lim.iops)
            problems.push((0,errors/* msg */.ab) `${n.iops}: ${o.type} volumes take no IOPS setting (use gp3, io1 or io2)`);
        else if (o.iops < lim.iops[0] || o.iops > lim.iops[1])
            problems.push((0,errors/* msg */.ab) `${n.iops}: ${o.type} volumes take ${lim.iops[0]} to ${lim.iops[1]} IOPS (got ${o.iops})`);
        else if (size !== undefined && lim.iopsPerGib && o.iops > size * lim.iopsPerGib)
            problems.push((0,errors/* msg */.ab) `${n.iops}: ${o.type} allows at most ${lim.iopsPerGib} IOPS per GiB: ${o.iops} IOPS needs at least ${Math.ceil(o.iops / lim.iopsPerGib)} GiB (size ${size})`);
    }
    else if (lim.iopsRequired)
        problems.push((0,errors/* msg */.ab) `${n.iops}: ${o.type} volumes need an IOPS value`);
    if (o.throughput !== undefined) {
        if (!lim.throughput)
            problems.push((0,errors/* msg */.ab) `${n.throughput}: only gp3 volumes take a throughput (got ${o.type})`);
        else if (o.throughput < lim.throughput[0] || o.throughput > lim.throughput[1])
            problems.push((0,errors/* msg */.ab) `${n.throughput}: gp3 throughput is ${lim.throughput[0]} to ${lim.throughput[1]} MiB/s (got ${o.throughput})`);
        else {
            const iops = o.iops ?? lim.baseIops;
            if (o.throughput > iops * GP3_THROUGHPUT_PER_IOPS)
                problems.push((0,errors/* msg */.ab) `${n.throughput}: gp3 allows at most ${GP3_THROUGHPUT_PER_IOPS} MiB/s per IOPS: ${o.throughput} MiB/s needs at least ${Math.ceil(o.throughput / GP3_THROUGHPUT_PER_IOPS)} IOPS (${n.iops} is ${iops})`);
        }
    }
    if (o.kmsKey && !o.encrypt)
        problems.push((0,errors/* msg */.ab) `${n.kmsKey}: a KMS key needs ${n.encrypt} set to true`);
    return problems;
}
/** The root device and its size in the base image. */
function baseRoot(base) {
    const deviceName = base.RootDeviceName;
    if (!deviceName)
        throw new errors/* UserError */.yo(`base image ${base.ImageId} names no root device`);
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
        throw new errors/* OptionError */.eR([
            (0,errors/* msg */.ab) `${n.size}: ${o.size} GiB is smaller than the base image's root volume (${root.size} GiB in ${base.ImageId})`,
        ]);
    const size = o.size ?? root.size;
    const problems = volumeProblems(o, size, n);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
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
/** The build instance's metadata options: IMDSv2 only, always. */
const BUILD_INSTANCE_METADATA = { HttpTokens: 'required', HttpEndpoint: 'enabled' };

;// CONCATENATED MODULE: ./src/pipeline/config.ts
/**
 * The features' settings, resolved from the parsed options and checked together before any AWS
 * call, every problem at once. The checks that span features (sharing and encryption, the
 * janitor's age and the bake's timeouts) live here, where all of them are known.
 */








const VOLUME_NAMES = {
    size: (0,errors/* opt */.m7)('rootVolumeSize'),
    type: (0,errors/* opt */.m7)('rootVolumeType'),
    iops: (0,errors/* opt */.m7)('rootVolumeIops'),
    throughput: (0,errors/* opt */.m7)('rootVolumeThroughput'),
    encrypt: (0,errors/* opt */.m7)('encrypt'),
    kmsKey: (0,errors/* opt */.m7)('kmsKey'),
};
/** The golden options, checked together before any AWS call; every problem at once. */
function goldenConfig(opts, region, artifact = { hasTest: false }) {
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
                problems.push(...err.items);
            else if (err instanceof errors/* UserError */.yo)
                problems.push(err.messageParts);
            else
                problems.push((0,errors/* errorMessage */.gJ)(err));
        }
    };
    collect(() => validateRootVolume(volume, VOLUME_NAMES));
    problems.push(...sharingProblems(settings, volume.encrypt, opts.kmsKey, {
        public: (0,errors/* opt */.m7)('public'),
        encrypt: (0,errors/* opt */.m7)('encrypt'),
        kmsKey: (0,errors/* opt */.m7)('kmsKey'),
        accounts: (0,errors/* opt */.m7)('shareAccounts'),
        organizations: (0,errors/* opt */.m7)('shareOrgs'),
        ous: (0,errors/* opt */.m7)('shareOus'),
    }));
    let copies = [];
    collect(() => {
        copies = planCopies({
            sourceRegion: region,
            regions: opts.copyRegions ?? [],
            encrypt: volume.encrypt,
            kmsKeys: opts.copyKmsKeys ?? {},
            names: { regions: (0,errors/* opt */.m7)('copyRegions'), kmsKeys: (0,errors/* opt */.m7)('copyKmsKeys') },
        });
    });
    const shared = settings.accounts.length + settings.organizations.length + settings.ous.length > 0;
    for (const c of copies)
        if (shared && c.encrypted && !c.kmsKeyId)
            problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('copyKmsKeys')}: the encrypted copy in ${c.region} would use the AWS-managed key aws/ebs, which cannot be shared; give ${c.region}=KEY`);
    // The janitor must never take a bake still in progress for a leak: the instance lives at most
    // the install and AMI timeouts (it is terminated before the copies start).
    const lifetime = (opts.timeoutInstance + opts.timeoutAmi) * 1000;
    if (opts.sweep && opts.sweepAge.ms <= lifetime)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its instance (${(0,errors/* opt */.m7)('timeoutInstance')} + ${(0,errors/* opt */.m7)('timeoutAmi')} = ${(0,duration/* formatMs */._)(lifetime)}); the janitor would terminate running bakes`);
    const distribute = distributeConfig(opts);
    problems.push(...distribute.problems);
    const test = testPlan(opts, artifact, problems);
    // A disk artifact's test launches the only instance of its bake: where, the build says.
    if (test && artifact.kind === 'disk')
        for (const key of ['subnet', 'securityGroups'])
            if (!opts[key]?.length)
                problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)(key)}: is required: the artifact has a test (userdata-test.gz), whose instance is launched there (or set ${(0,errors/* opt */.m7)('test')} to false)`);
    // The test instance, too, lives while the bake runs: at most the test's timeout.
    if (opts.sweep && test && opts.sweepAge.ms <= test.timeoutMs)
        problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('sweepAge')}: ${opts.sweepAge.text} is not longer than a bake may keep its test instance (${(0,errors/* opt */.m7)('timeoutTest')} ${opts.timeoutTest.text}); the janitor would terminate running tests`);
    if (problems.length)
        throw new errors/* OptionError */.eR(problems);
    return {
        region,
        // Absent only for a disk artifact, which resolves no base AMI.
        baseRef: opts.baseAmi === undefined ? undefined : (0,base_ref/* baseAmiRef */.I)(opts.baseAmi),
        templates: opts.tags ?? [],
        volume,
        volumeNames: VOLUME_NAMES,
        copies,
        settings,
        keepLast: opts.keepLast,
        dryRun: opts.dryRun,
        sweep: opts.sweep,
        sweepAge: opts.sweepAge,
        timeoutCopy: opts.timeoutCopy,
        distribute: distribute.config,
        test,
        disk: {
            bootMode: opts.bootMode,
            architecture: opts.architecture,
            concurrency: opts.uploadConcurrency,
            timeoutSnapshotSeconds: Math.round(opts.timeoutSnapshot.ms / 1000),
            volume,
            imdsV2: opts.amiImdsv2,
        },
    };
}

;// CONCATENATED MODULE: ./src/features/bake/launch.ts
/**
 * Launch: RunInstances with the capacity fallback over the instance types and subnets
 * (./capacity.ts), each attempt's client token saved before its call. Its recovery terminates the
 * instance, known by id or (when an answer was lost) found by any saved token, retried until a
 * deadline: DescribeInstances only reports, so a failing or expired Describe cannot abandon it.
 */






/** The build instance's state keys. */
const BUILD_INSTANCE_KEYS = {
    tokens: STATE.clientTokens,
    launch: STATE.launch,
    id: STATE.instanceId,
    terminated: STATE.terminated,
    token: STATE.clientToken,
    what: 'the build instance',
};
/** The launch request of this bake, without the type, subnet and token each attempt chooses. */
function launchRequest(ctx, userdata) {
    const { cfg } = ctx;
    return {
        baseAmi: ctx.baseAmi,
        securityGroups: cfg.securityGroups,
        profile: cfg.profile,
        keyPair: cfg.keyPair,
        userdata,
        tags: runTags(ctx.tags),
        blockDevices: ctx.blockDevices,
    };
}
/** The RunInstances input of this bake's first attempt (the dry run shows it). */
function launchInput(ctx, userdata) {
    return runInstancesInput({
        ...launchRequest(ctx, userdata),
        instanceType: ctx.instanceTypes[0],
        subnet: ctx.cfg.subnets[0],
        clientToken: ctx.clientToken,
    });
}
const launch = {
    id: 'launch',
    title: 'Launch',
    state: INSTANCE_STATE,
    // Recovered first: see src/engine/recovery.ts.
    urgent: true,
    async run(ctx) {
        const { cfg, deps } = ctx;
        deps.state.save(STATE.clientToken, ctx.clientToken);
        const launched = await launchWithFallback(ctx, launchRequest(ctx, ctx.userdata), {
            types: ctx.instanceTypes,
            subnets: cfg.subnets,
            token: ctx.clientToken,
            keys: BUILD_INSTANCE_KEYS,
            what: BUILD_INSTANCE_KEYS.what,
        });
        ctx.instanceId = launched.instanceId;
        ctx.instanceType = launched.instanceType;
        ctx.subnet = launched.subnet;
        deps.logger.info(`launched ${launched.instanceId} (${launched.instanceType} in ${launched.subnet ?? 'the default subnet'}, ${ctx.baseAmi}, run ${cfg.runId})`);
    },
    recover: instanceRecovery(BUILD_INSTANCE_KEYS),
};

;// CONCATENATED MODULE: ./src/features/bake/image-recovery.ts







const DEFAULT_IMAGE_LOOKUP_SECONDS = 15;
async function recoverImage(st, o) {
    const report = { terminated: [], confirmed: [], left: [], problems: [] };
    if (o.images === false)
        return report;
    try {
        await cleanImage(o, st, report, o.sleep ?? retry/* realSleep */.uk);
    }
    catch (err) {
        report.problems.push(`could not check the unfinished AMI ${st[STATE.imageId] ?? ''}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    return report;
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
            image = (await (0,retry/* retryUntil */.v6)(async () => ({ image: await (0,aws_images/* describeImage */.hu)(ec2, imageId) }), {
                deadline,
                sleep,
                onError: (err) => logger.debug(`DescribeImages ${imageId}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
            }))?.image;
        }
        else {
            // CreateImage's answer was lost (or is still coming): the AMI shows up by name, eventually.
            // It is ours only if it carries our token.
            image = await (0,retry/* retryUntil */.v6)(async () => {
                const candidate = await (0,aws_images/* findByName */._U)(ec2, name);
                const token = candidate?.Tags?.find((t) => t.Key === aws_tags/* TAG */.Dk.clientToken)?.Value;
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
            `${aws_tags/* TAG */.Dk.clientToken}=${st[STATE.clientToken] ?? ''} was found: if one appears, it is unfinished ` +
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
                await (0,aws_images/* tagSnapshots */.sD)(ec2, image, (0,aws_tags/* ownTags */.Wb)(image));
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
    report.problems.push(...(await (0,image_removal/* discardImage */.I)(ec2, image, logger, { deadline, sleep })));
    report.discardedImage = image.ImageId;
}

;// CONCATENATED MODULE: ./src/features/bake/image.ts







/** Waits for the bake's AMI (or a reused one) to become available, within the AMI timeout. */
async function waitForImage(ctx, imageId) {
    const { cfg, deps } = ctx;
    try {
        return await (0,aws_images/* waitAvailable */.Xy)(deps.ec2, imageId, {
            timeoutSeconds: cfg.timeoutAmi,
            intervalSeconds: cfg.waitAmi,
            abortSignal: ctx.signal,
        });
    }
    catch (err) {
        if (!(err instanceof aws_images/* ImageWaitError */.Dy))
            throw err;
        // Failed or too slow: the user's to act on. A cancel or a failing wait stays what it was.
        if (err.kind === 'failed' || err.kind === 'timeout')
            throw new errors/* UserError */.yo(err.message);
        throw err.cause;
    }
}
const image_image = {
    id: 'image',
    title: 'Create AMI',
    state: IMAGE_STATE,
    async run(ctx) {
        const { cfg, deps } = ctx;
        const tags = imageTags(ctx.tags);
        if (ctx.signal.aborted)
            throw new CancelledError('the bake was cancelled');
        deps.state.save(STATE.imageName, cfg.amiName);
        const call = ctx.track((0,aws_images/* createImage */.mF)(deps.ec2, {
            instanceId: ctx.instanceId,
            name: cfg.amiName,
            description: cfg.description,
            tags,
        }));
        let imageId;
        try {
            imageId = await call;
        }
        catch (err) {
            // Refused: no AMI was made, and recovery has none to look for. Any other failure may have
            // come after AWS made it: the name stays saved, and recovery looks for it.
            if ((0,aws_errors/* refusedByAws */.V5)(err))
                deps.state.save(STATE.imageName, '');
            throw err;
        }
        deps.state.save(STATE.imageId, imageId);
        deps.logger.info(`creating ${imageId} (${cfg.amiName})`);
        ctx.span('available', 'Until available', { wait: true });
        const available = await waitForImage(ctx, imageId);
        ctx.endSpan();
        await (0,aws_images/* tagSnapshots */.sD)(deps.ec2, available, tags);
        deps.state.save(STATE.imageDone, '1');
        ctx.image = available;
        deps.logger.info(`${imageId} is available`);
    },
    recover: recoverImage,
};

;// CONCATENATED MODULE: ./src/features/bake/install.ts
/** Install: waits for the instance to stop by itself, streaming its console, then reads the
 *  install result (the uploaded result object, else the console line). */



/** Waits for the instance to stop by itself, streaming its console, then reads the install result. */
const install = {
    id: 'install',
    title: 'Install (until stopped)',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const id = ctx.instanceId;
        const reader = new ConsoleReader(deps.ec2, id, deps.logger);
        // The instance's states as seen: each one reached starts the span it begins.
        const spans = new InstanceSpans(ctx);
        const { stopped, lastConsole } = await untilStopped(ctx, {
            id,
            reader,
            timeoutMs: cfg.timeoutInstance * 1000,
            title: `Install output (console of ${id})`,
            what: 'the install',
            onState: (state) => spans.saw(state),
        });
        if (!stopped) {
            const text = (await reader.read()) || lastConsole;
            const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
            throw new errors/* UserError */.yo(`the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
                (shown ? '; its last console lines are printed above' : ''));
        }
        const objects = ctx.staging && { s3: deps.s3, ...ctx.staging };
        ctx.installStatus = await readStatus(ctx, reader, objects);
        if (ctx.installStatus === undefined) {
            if (!cfg.allowNoResult) {
                const text = (await reader.read()) || lastConsole;
                const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
                throw new errors/* UserError */.yo([
                    `the instance ${id} stopped without reporting an install result (no result object, no ` +
                        `AMIBAKE-RESULT console line). If the base image cannot report one, set `,
                    (0,errors/* opt */.m7)('allowNoResult'),
                    ' to trust the stop' + (shown ? '; its last console lines are printed above' : ''),
                ]);
            }
            // A log line names no option: only errors carry option keys for a front to render.
            deps.logger.warn(`no install result from ${id}: trusting the stop, as configured`);
            return;
        }
        if (ctx.installStatus !== 0) {
            const shown = await showLogTail(deps.logger, { objects, reader, lastConsole, log: 'install log' });
            const what = shown === 'log' ? 'install log' : 'console';
            throw new errors/* UserError */.yo(`the install failed (status ${ctx.installStatus}); no AMI was created` +
                (shown ? `. The last lines of the ${what} are printed above` : ''));
        }
        deps.logger.info(`install succeeded (status 0)`);
    },
};
/**
 * The spans of the install wait, from the states the polls see: until running ("launch to
 * running": the wait starts as RunInstances answers), running until stopping (the install), and
 * stopping until stopped. A poll that misses a state (a short stop between two polls) folds its
 * span into the one before; the time is not lost, only not told apart.
 */
class InstanceSpans {
    ctx;
    current = '';
    constructor(ctx) {
        this.ctx = ctx;
        this.begin('running');
    }
    saw(state) {
        if (state === 'running' && this.current === 'running')
            this.begin('install');
        else if ((state === 'stopping' || state === 'shutting-down') && this.current !== 'stop')
            this.begin('stop');
        else if (state === 'stopped' || state === 'terminated')
            this.ctx.endSpan();
    }
    begin(span) {
        this.current = span;
        this.ctx.span(span, SPAN_TITLES[span], { wait: true });
    }
}
const SPAN_TITLES = { running: 'Launch to running', install: 'Install', stop: 'Stop' };

;// CONCATENATED MODULE: ./src/features/bake/reuse.ts





/** Reuses `existing` (ends the bake: `done`) or throws why it cannot; `from` says what the digest
 *  covers in the log line ("content", "disk"). */
async function reuseExisting(ctx, existing, from) {
    const { cfg, deps } = ctx;
    const theirs = (0,aws_tags/* tagValue */.EZ)(existing, aws_tags/* TAG */.Dk.digest);
    // Only this bake's own digest counts: the tag of an AMI baked from other content, with other
    // image options, or by an amibake before DIGEST_SCHEME (whose digest vars.env could forge).
    if (theirs !== ctx.digest) {
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options (${aws_tags/* TAG */.Dk.digest} ${theirs ?? 'absent'}, this bake ${ctx.digest}; AMIs baked before ${digest/* DIGEST_SCHEME */.Ld} are never reused): bump the version (${(0,errors/* opt */.m7)('targetVersion')}), or deregister ${existing.ImageId} to bake ${cfg.amiName} again`);
    }
    if (existing.State === 'failed' || existing.State === 'invalid' || existing.State === 'error')
        throw new errors/* UserError */.yo(`the AMI ${existing.ImageId} (${cfg.amiName}) of an earlier bake is ${existing.State}: deregister it`);
    refuseFailedTest(existing, cfg.amiName);
    deps.logger.info(`${cfg.amiName} was already baked from the same ${from}: reusing ${existing.ImageId}`);
    ctx.reused = existing.State === 'available' ? existing : await waitForImage(ctx, existing.ImageId);
    ctx.done = true;
}

;// CONCATENATED MODULE: ./src/features/bake/preflight.ts
/** Preflight: the base AMI exists and is available; the instance types that can boot it are
 *  settled; the digest is final; an AMI of the same name and digest is reused (the bake is done),
 *  one of the same name and another digest refused. */







const preflight = {
    id: 'preflight',
    title: 'Preflight',
    async run(ctx) {
        const { cfg, deps } = ctx;
        const base = await deps.ec2
            .send(new dist_cjs.DescribeImagesCommand({ ImageIds: [ctx.baseAmi] }))
            .then((o) => o.Images?.[0])
            .catch((err) => {
            if ((0,aws_errors/* isNotFound */.c4)(err, 'image'))
                return undefined;
            throw err;
        });
        if (!base)
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('baseAmi')}: ${ctx.baseAmi} not found in ${cfg.region}`);
        if (base.State !== 'available')
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('baseAmi')}: ${ctx.baseAmi} is ${base.State}, not available`);
        ctx.architecture ??= base.Architecture;
        ctx.instanceTypes = await settleInstanceTypes({
            ec2: deps.ec2,
            logger: deps.logger,
            listed: cfg.instanceTypes,
            architecture: ctx.architecture,
            baseAmi: ctx.baseAmi,
        });
        ctx.digestParts['instance-type'] = ctx.instanceTypes.join(',');
        ctx.digestParts['base-ami'] = ctx.baseAmi;
        ctx.digest = bakeDigest(ctx.digestParts);
        ctx.tags.digest = ctx.digest;
        ctx.tags.baseAmi = ctx.baseAmi;
        const existing = await (0,aws_images/* findByName */._U)(deps.ec2, cfg.amiName);
        if (!existing)
            return;
        await reuseExisting(ctx, existing, 'content');
    },
};

;// CONCATENATED MODULE: ./src/features/bake/stage.ts
/** Stage files: presigned URLs for the instance, the final user data, fs.tgz uploaded to S3. */


const stage = {
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
        ctx.userdata = (0,bake_userdata/* finalUserdata */.Yd)(prepared.userdata, ctx.urls, { keyPair: cfg.keyPair });
        deps.logger.info(`user data: ${ctx.userdata.length} bytes of 16384`);
        if (prepared.fsMode === 'external' && ctx.staging) {
            ctx.span('upload', 'Upload fs.tgz');
            await uploadFs(deps.s3, ctx.staging, prepared.fsTgzPath, deps.logger);
        }
    },
};

;// CONCATENATED MODULE: ./src/features/bake/terminate.ts
/** Terminate: the AMI is made, the instance goes. A failure to confirm is only a warning: the
 *  front decides (the post step tries again; the CLI recovers and fails if it is still there). */




const terminate = {
    id: 'terminate',
    title: 'Terminate',
    state: [STATE.terminated],
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
            deps.logger.warn(`could not confirm that ${id} is terminated: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    },
};

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
;// CONCATENATED MODULE: ./src/features/base-ami/resolve.ts
/**
 * The base image by reference: an id, an SSM parameter (`resolve:ssm:/path`, the syntax
 * RunInstances itself accepts) or a name filter with owners (newest available, not deprecated).
 * The resolved id is what the bake uses, tags (`amibake:base-ami`) and folds into its digest.
 */





/** Errors name the option the reference came from. */
const BASE_AMI = (0,errors/* opt */.m7)('baseAmi');
function isDeprecated(image, now) {
    return !!image.DeprecationTime && Date.parse(image.DeprecationTime) <= now.getTime();
}
async function resolveBaseAmi(input) {
    const { ref } = input;
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
                for await (const page of (0,dist_cjs.paginateDescribeImages)({ client: input.ec2, pageSize: 1000 }, { Owners: ref.owners, Filters: filters, IncludeDeprecated: false }))
                    found.push(...(page.Images ?? []));
            }
            catch (err) {
                throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: cannot search images (${(0,errors/* errorMessage */.gJ)(err)})`);
            }
            // An owner sees its own deprecated images whatever IncludeDeprecated says.
            const usable = found.filter((i) => i.State === 'available' && !isDeprecated(i, now));
            usable.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
                (b.ImageId ?? '').localeCompare(a.ImageId ?? ''));
            const best = usable[0];
            if (!best)
                throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: no available, non-deprecated image matches name "${ref.name}" owned by ${ref.owners.join(', ')}${ref.architecture ? ` (architecture ${ref.architecture})` : ''}${found.length ? ` (${found.length} matched but are deprecated or not available)` : ''}`);
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
        const out = await input.ssm.send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: parameter }));
        value = out.Parameter?.Value;
    }
    catch (err) {
        if ((0,aws_errors/* isNotFound */.c4)(err, 'parameter'))
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: SSM parameter ${parameter} does not exist in this region`);
        if ((0,aws_errors/* isAccessDenied */.w7)(err))
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: not allowed to read SSM parameter ${parameter} (ssm:GetParameter)`);
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: cannot read SSM parameter ${parameter} (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    value = value?.trim();
    if (!value || !base_ref/* AMI_ID */.i.test(value))
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: SSM parameter ${parameter} holds "${value ?? ''}", not an AMI id`);
    return value;
}
async function describeBase(input, id) {
    let image;
    try {
        const out = await input.ec2.send(new dist_cjs.DescribeImagesCommand({ ImageIds: [id], IncludeDeprecated: true }));
        image = out.Images?.find((i) => i.ImageId === id);
    }
    catch (err) {
        if (!(0,aws_errors/* isNotFound */.c4)(err, 'image'))
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: cannot describe ${id} (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    if (!image)
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: image ${id} does not exist or is not visible to this account`);
    if (image.State !== 'available')
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: image ${id} is ${image.State}, not available`);
    if (image.RootDeviceType === 'instance-store')
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${input.option ?? BASE_AMI}: image ${id} is instance-store-backed; amibake bakes EBS-backed images`);
    return image;
}

;// CONCATENATED MODULE: ./src/features/base-ami/phase.ts



/** Action output of the resolved id (see BUILD_OUTPUTS). */
const BASE_AMI_OUTPUT = 'base-ami';
function baseAmiPhase(ref, then) {
    return {
        id: 'golden-base',
        title: 'Resolve base image',
        async run(ctx) {
            const { cfg, deps } = ctx;
            const ssm = new client_ssm_dist_cjs/* SSMClient */.jBj({ region: cfg.region, ...(0,clients/* sdkRetry */.L_)() });
            const resolved = await resolveBaseAmi({ ec2: deps.ec2, ssm, ref });
            for (const w of resolved.warnings)
                deps.logger.warn(w);
            if (resolved.via !== 'id') {
                deps.logger.info(`base image ${resolved.imageId}: ${resolved.how}`);
                ctx.report.summary.push(['Base AMI from', resolved.how]);
            }
            ctx.base = { image: resolved.image, how: resolved.how };
            ctx.baseAmi = resolved.imageId;
            // The launch's default instance type and the types it keeps follow it (bake/preflight).
            ctx.architecture = resolved.image.Architecture;
            ctx.tags.baseAmi = resolved.imageId;
            for (const step of then)
                step(ctx, resolved.image);
            ctx.report.outputs[BASE_AMI_OUTPUT] = resolved.imageId;
            ctx.report.fileVars.BASE_AMI = resolved.imageId;
        },
    };
}

;// CONCATENATED MODULE: ./src/features/copy/check-targets.ts

function copyTargetsPhase(copies) {
    return {
        id: 'golden-copy-targets',
        title: 'Check copy regions',
        async run(ctx) {
            await checkCopyTargets({ clientFor: ctx.clientFor, copies, name: ctx.cfg.amiName, digest: ctx.digest });
        },
    };
}

;// CONCATENATED MODULE: ./src/features/share/summary.ts
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

;// CONCATENATED MODULE: ./src/features/copy/recovery.ts
/**
 * Recovery of the copies from their journal (the saved state): each copy the journal shows
 * unfinished is finished (tagged) when available, else removed with its snapshots.
 */



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
            const image = rec.imageId ? await (0,aws_images/* findImage */.F1)(ec2, rec.imageId) : await (0,aws_images/* findByName */._U)(ec2, rec.name);
            if (!image || image.State === 'deregistered') {
                report.detail = 'no copy was made';
            }
            else if (image.State === 'available') {
                report.imageId = image.ImageId;
                const snaps = await (0,aws_images/* tagImageAndSnapshots */.ci)(ec2, image, state.tags);
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
                `recovery failed: ${(0,errors/* errorMessage */.gJ)(err)}; ` +
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

;// CONCATENATED MODULE: ./src/features/copy/publish.ts
/**
 * Copy and share: the image settings (IMDSv2, launch permissions, deprecation, protection) on the
 * finished AMI, the copies to other regions (journaled in the saved state before each risky
 * call), the same settings on each copy. Runs for a reused AMI too: a re-run finishes what an
 * earlier run could not. Its recovery finishes or removes the copies the journal shows unfinished.
 */








/** The copies in flight (JSON, ./copy.ts): recovery finishes or removes them. */
const COPY_STATE = { copies: 'amibake_copies' };
/** Action output of the AMIs by region (see BUILD_OUTPUTS). */
const AMIS_OUTPUT = 'amis';
const envName = (region) => `AMI_ID_${region.toUpperCase().replace(/-/g, '_')}`;
/** The phase as recovery knows it (no configuration needed). */
const publishRecovery = {
    id: 'golden-publish',
    title: 'Copy and share',
    state: [COPY_STATE.copies],
    recover: recoverPublished,
};
function publishPhase(o) {
    return {
        ...publishRecovery,
        always: true,
        async run(ctx) {
            const { cfg, deps } = ctx;
            const image = ctx.reused ?? ctx.image;
            if (!image?.ImageId)
                return;
            // Reuse refuses it already; this phase never trusts that alone.
            refuseFailedTest(image, cfg.amiName, 'copied or shared');
            const amis = { [cfg.region]: image.ImageId };
            const reports = [
                await applyImageSettings({
                    ec2: deps.ec2,
                    region: cfg.region,
                    image,
                    settings: o.settings,
                    log: deps.logger,
                }),
            ];
            let outcomes = {};
            let copyError;
            if (o.copies.length) {
                ctx.span('copies', 'Copies until available', { wait: true });
                try {
                    outcomes = await deps.logger.group(`Copies to ${o.copies.map((c) => c.region).join(', ')}`, () => copyToRegions({
                        clientFor: ctx.clientFor,
                        sourceRegion: cfg.region,
                        sourceImageId: image.ImageId,
                        name: cfg.amiName,
                        description: cfg.description,
                        digest: ctx.digest,
                        copies: o.copies,
                        // The copies carry the AMI's own tags (the run and token of the bake that made it).
                        tags: (0,aws_tags/* toTags */.LZ)((0,aws_tags/* ownTags */.Wb)(image)),
                        token: ctx.clientToken,
                        timeoutSeconds: o.timeoutCopy,
                        pollSeconds: cfg.waitAmi,
                        log: deps.logger,
                        journal: (s) => deps.state.save(COPY_STATE.copies, serializeCopyState(s)),
                        signal: ctx.signal,
                    }));
                }
                catch (err) {
                    copyError = err;
                }
                ctx.endSpan();
                const done = Object.values(outcomes);
                for (const c of done)
                    amis[c.region] = c.imageId;
                reports.push(...(await Promise.all(done.map(async (c) => {
                    const ec2 = ctx.clientFor(c.region);
                    const copy = (await (0,aws_images/* findImage */.F1)(ec2, c.imageId)) ?? { ImageId: c.imageId };
                    return applyImageSettings({
                        ec2,
                        region: c.region,
                        image: copy,
                        settings: o.settings,
                        log: deps.logger,
                    });
                }))));
                ctx.report.summary.push([
                    'Copies',
                    o.copies
                        .map((c) => {
                        const r = outcomes[c.region];
                        if (!r)
                            return `${c.region}: failed`;
                        return `${c.region}: ${r.imageId}${r.reused ? ' (reused)' : ` (${Math.round(r.seconds)} s)`}${c.encrypted ? ', encrypted' : ''}`;
                    })
                        .join('; '),
                ]);
            }
            ctx.report.summary.push(...settingsText(reports, o.settings));
            ctx.amis = amis;
            ctx.report.outputs[AMIS_OUTPUT] = JSON.stringify(amis);
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
/** Copies to other regions that did not finish: tagged if available, else removed. */
async function recoverPublished(st, o) {
    const copies = parseCopyState(st[COPY_STATE.copies]);
    if (!copies)
        return {};
    try {
        const recovered = await recoverCopies(copies, o.clientFor, o.logger);
        return {
            problems: recovered.filter((r) => r.action === 'kept').map((r) => `copy to ${r.region}: ${r.detail}`),
        };
    }
    catch (err) {
        return {
            problems: [
                `could not check the copies (${copies.copies.map((c) => c.imageId ?? c.name).join(', ')}): ${(0,errors/* errorMessage */.gJ)(err)}`,
            ],
        };
    }
}

;// CONCATENATED MODULE: ./src/features/distribute/launch-template.ts


/** The template, looked up before anything is published: a missing one fails with nothing done.
 *  `after` ends the error: what the failure leaves (nothing published, nothing launched). */
async function resolveTemplate(ec2, t, region, after = 'nothing was published') {
    let seen;
    try {
        seen = await findLaunchTemplate(ec2, t.ref);
    }
    catch (err) {
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('launchTemplate')}: cannot look up ${t.raw} in ${region} (${(0,errors/* errorMessage */.gJ)(err)}); ${after}`);
    }
    if (!seen)
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('launchTemplate')}: no launch template ${t.raw} in ${region}; ${after}`);
    return seen;
}
function templatePublications(o) {
    const { seen, template } = o;
    // By id from here on: the name found is only for the messages.
    const ref = { id: seen.id };
    const label = `launch template ${seen.id} (${seen.name})`;
    const items = [
        {
            what: `a new version of ${label}`,
            async run() {
                const { version, warning } = await createImageVersion(o.ec2, ref, o.imageId, o.description);
                if (warning)
                    o.log.warn(`${label} version ${version}: AWS warns: ${warning}`);
                o.outcome.version = version;
                return `${label}: version ${version} with ${o.imageId}`;
            },
        },
    ];
    if (template.makeDefault)
        items.push({
            what: `the default version of ${label}`,
            async run() {
                await setDefaultVersion(o.ec2, ref, o.outcome.version);
                o.outcome.madeDefault = true;
                return `${label}: version ${o.outcome.version} is the default`;
            },
        });
    return items;
}

;// CONCATENATED MODULE: ./src/features/distribute/check-template.ts

function checkTemplatePhase(template) {
    return {
        id: 'distribute-template',
        title: 'Check launch template',
        async run(ctx) {
            const seen = await resolveTemplate(ctx.deps.ec2, template, ctx.cfg.region, 'nothing was launched');
            ctx.deps.logger.info(`launch template ${seen.id} (${seen.name}): latest version ${seen.latestVersion ?? '?'}, default ${seen.defaultVersion ?? '?'}`);
        },
    };
}

;// CONCATENATED MODULE: ./src/aws/ssm-parameters.ts
/**
 * SSM Parameter Store, for publishing: an AMI id written to a parameter of data type
 * `aws:ec2:image`, one SSM client per region, and the read a dry run can make (SSM has no DryRun).
 *
 * `aws:ec2:image` parameters are validated by AWS after PutParameter returns: the call succeeds,
 * then SSM checks that the value is an AMI the account can see and, if it is not, drops the new
 * version (an EventBridge "Parameter Store Change" event with a failure reason is the only sign).
 * amibake writes ids it has just made available in that region, so the check passes; it cannot
 * be proven before the call.
 */



/** The data type that makes SSM check the value is an AMI id (and lets EC2 resolve it). */
const IMAGE_DATA_TYPE = 'aws:ec2:image';
function createSsm(region) {
    return new client_ssm_dist_cjs/* SSMClient */.jBj({ region, ...(0,clients/* sdkRetry */.L_)() });
}
/** One SSM client per region, created on first use. */
function ssmByRegion() {
    const clients = new Map();
    return (region) => clients.get(region) ?? clients.set(region, createSsm(region)).get(region);
}
/** Writes `imageId` to `name` (created or overwritten); returns the parameter's new version. */
async function putImageParameter(ssm, name, imageId) {
    const out = await ssm.send(new client_ssm_dist_cjs/* PutParameterCommand */.ihh({
        Name: name,
        Value: imageId,
        Type: 'String',
        DataType: IMAGE_DATA_TYPE,
        Overwrite: true,
    }));
    return out.Version ?? 0;
}
/** What a parameter holds now, or that it does not exist yet (either answer proves read access
 *  only). Other errors (access denied) are thrown. */
async function ssm_parameters_readParameter(ssm, name) {
    try {
        const out = await ssm.send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name }));
        const p = out.Parameter;
        return { exists: true, version: p?.Version, type: p?.Type, dataType: p?.DataType, value: p?.Value };
    }
    catch (err) {
        if ((0,aws_errors/* isNotFound */.c4)(err, 'parameter'))
            return { exists: false };
        throw err;
    }
}

;// CONCATENATED MODULE: ./src/features/distribute/ledger.ts
/**
 * Publications run one after the other; none is undone (a parameter or a template version that
 * points at a good AMI is what was asked for). When one fails, the error says which were made and
 * which were not, so that the user can finish by hand or re-run (a re-run reuses the AMI and
 * publishes again: every publication is safe to repeat).
 */

async function publishAll(items, log, amis) {
    const done = [];
    for (const [i, item] of items.entries()) {
        let line;
        try {
            line = await item.run();
        }
        catch (err) {
            const rest = items.slice(i + 1).map((p) => p.what);
            throw new errors/* UserError */.yo(`publishing ${amis} failed at ${item.what}: ${(0,errors/* errorMessage */.gJ)(err)}\n` +
                `  published: ${done.join('; ') || 'nothing'}\n` +
                `  not published: ${[item.what, ...rest].join('; ')}\n` +
                'publishing is not undone; a re-run reuses the AMI and publishes again');
        }
        done.push(item.what);
        log.info(line);
    }
}

;// CONCATENATED MODULE: ./src/features/distribute/ssm.ts
/** Publishing to SSM Parameter Store: each name in each region that has the AMI, that region's id. */

/** One publication per region and name: the build region first, then the copies, as `amis` lists them. */
function parameterPublications(ssmFor, amis, names, published) {
    return Object.entries(amis).flatMap(([region, imageId]) => names.map((name) => ({
        what: `SSM parameter ${name} in ${region}`,
        async run() {
            const version = await putImageParameter(ssmFor(region), name, imageId);
            (published[region] ??= []).push({ name, version });
            return `SSM parameter ${name} in ${region} = ${imageId} (version ${version}, data type aws:ec2:image)`;
        },
    })));
}

;// CONCATENATED MODULE: ./src/features/distribute/phase.ts
/**
 * Publish: the finished AMI to where fleets look for it, after the copy/share phase (which sets
 * `ctx.amis`, the AMI by region) and so after the test passed: SSM parameters in every region
 * that has the AMI, a new launch template version in the build region. A reused AMI is published
 * too (a re-run finishes what an earlier one could not). Nothing is undone: see ./ledger.ts.
 */





/** Action outputs (see BUILD_OUTPUTS). */
const SSM_OUTPUT = 'ssm-parameters';
const TEMPLATE_VERSION_OUTPUT = 'launch-template-version';
function distributePhase(d) {
    return {
        id: 'distribute',
        title: 'Publish to SSM and launch template',
        // A reused AMI is published too: a re-run publishes what is asked now.
        always: true,
        async run(ctx) {
            const { cfg, deps } = ctx;
            const amis = ctx.amis;
            if (!amis?.[cfg.region])
                return;
            const imageId = amis[cfg.region];
            const image = ctx.reused ?? ctx.image;
            if (image)
                refuseFailedTest(image, cfg.amiName, 'published');
            const outcome = {};
            const items = [];
            if (d.template)
                outcome.template = await resolveTemplate(deps.ec2, d.template, cfg.region);
            const published = {};
            if (d.ssm.length)
                items.push(...parameterPublications(ssmByRegion(), amis, d.ssm, published));
            if (d.template && outcome.template)
                items.push(...templatePublications({
                    ec2: deps.ec2,
                    template: d.template,
                    seen: outcome.template,
                    imageId,
                    description: `${cfg.amiName} (amibake)`,
                    log: deps.logger,
                    outcome,
                }));
            const which = Object.entries(amis)
                .map(([r, id]) => `${id} (${r})`)
                .join(', ');
            await deps.logger.group('Publish', () => publishAll(items, deps.logger, which));
            if (d.ssm.length) {
                const names = Object.fromEntries(Object.entries(published).map(([r, ps]) => [r, ps.map((p) => p.name)]));
                ctx.report.outputs[SSM_OUTPUT] = JSON.stringify(names);
                ctx.report.fileVars.SSM_PARAMETERS = JSON.stringify(names);
                ctx.report.summary.push([
                    'SSM parameters',
                    Object.entries(published)
                        .map(([r, ps]) => `${r}: ${ps.map((p) => `${p.name} (version ${p.version})`).join(', ')}`)
                        .join('; '),
                ]);
            }
            if (outcome.template && outcome.version !== undefined) {
                const t = outcome.template;
                ctx.report.outputs[TEMPLATE_VERSION_OUTPUT] = String(outcome.version);
                ctx.report.fileVars.LAUNCH_TEMPLATE_ID = t.id;
                ctx.report.fileVars.LAUNCH_TEMPLATE_VERSION = String(outcome.version);
                ctx.report.summary.push([
                    'Launch template',
                    `${t.id} (${t.name}): version ${outcome.version} with ${imageId}` +
                        (outcome.madeDefault
                            ? ', now the default'
                            : `, default version stays ${t.defaultVersion ?? '?'}`),
                ]);
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/aws/register-image.ts
/** RegisterImage from a snapshot (the disk path: no instance, no CreateImage). */


async function registerImage(ec2, spec) {
    const v = spec.volume;
    const out = await ec2.send(new dist_cjs.RegisterImageCommand({
        Name: spec.name,
        Description: spec.description,
        Architecture: spec.architecture,
        VirtualizationType: 'hvm',
        EnaSupport: true,
        BootMode: spec.bootMode,
        RootDeviceName: spec.rootDevice,
        BlockDeviceMappings: [
            {
                DeviceName: spec.rootDevice,
                Ebs: {
                    SnapshotId: spec.snapshotId,
                    VolumeSize: v.sizeGiB,
                    VolumeType: v.type,
                    DeleteOnTermination: true,
                    ...(v.iops !== undefined && { Iops: v.iops }),
                    ...(v.throughput !== undefined && { Throughput: v.throughput }),
                    ...(v.encrypted && { Encrypted: true }),
                },
            },
        ],
        ...(spec.imdsV2 && { ImdsSupport: 'v2.0' }),
        TagSpecifications: [{ ResourceType: 'image', Tags: (0,aws_tags/* toTags */.LZ)(spec.tags) }],
    }));
    if (!out.ImageId)
        throw new Error('RegisterImage answered without an image id');
    return out.ImageId;
}

;// CONCATENATED MODULE: ./src/features/disk-upload/config.ts
/** The AMI's root device: what EC2's own Linux AMIs use, and what the GRUB of the disk ignores
 *  (it boots by UUID/PARTUUID, so xvda, nvme0n1 and vda all work). */
const ROOT_DEVICE = '/dev/xvda';

;// CONCATENATED MODULE: ./src/features/disk-upload/state.ts
/** The disk path's own state keys (the AMI's are the bake's: src/features/bake/state.ts). */
const DISK_STATE = {
    /** StartSnapshot's ClientToken, saved before the call: also the snapshot's
     *  `amibake:client-token` tag, by which a snapshot whose id never came back is found. */
    snapshotToken: 'amibake_snapshot_token',
    snapshotId: 'amibake_snapshot_id',
    /** The AMI's `amibake:client-token` tag, saved before RegisterImage: an AMI of the saved name
     *  is this bake's only with it (the launch's token is never saved on the disk path). */
    registerToken: 'amibake_register_token',
};

;// CONCATENATED MODULE: ./src/features/disk-upload/register.ts













const DEFAULT_SECONDS = 60;
const DEFAULT_LOOKUP_SECONDS = 15;
const diskRegisterRecovery = {
    id: 'disk-register',
    title: 'Register AMI',
    state: [...IMAGE_STATE, DISK_STATE.registerToken],
    recover: recoverRegistered,
};
function diskRegisterPhase(s, run) {
    return {
        ...diskRegisterRecovery,
        async run(ctx) {
            const { cfg, deps } = ctx;
            const tags = imageTags(ctx.tags);
            if (ctx.signal.aborted)
                throw new CancelledError('the bake was cancelled');
            deps.state.save(DISK_STATE.registerToken, ctx.tags.clientToken);
            deps.state.save(STATE.imageName, cfg.amiName);
            let imageId;
            try {
                imageId = await ctx.track(registerImage(deps.ec2, {
                    name: cfg.amiName,
                    description: cfg.description,
                    architecture: s.architecture,
                    bootMode: s.bootMode,
                    rootDevice: ROOT_DEVICE,
                    snapshotId: run.snapshotId,
                    volume: {
                        sizeGiB: run.volumeGiB,
                        type: s.volume.type,
                        iops: s.volume.iops,
                        throughput: s.volume.throughput,
                        encrypted: s.volume.encrypt,
                    },
                    imdsV2: s.imdsV2,
                    tags,
                }));
            }
            catch (err) {
                if ((0,aws_errors/* refusedByAws */.V5)(err))
                    deps.state.save(STATE.imageName, '');
                throw err;
            }
            deps.state.save(STATE.imageId, imageId);
            deps.logger.info(`registered ${imageId} (${cfg.amiName}) from ${run.snapshotId}`);
            ctx.span('available', 'Until available', { wait: true });
            const available = await waitForImage(ctx, imageId);
            ctx.endSpan();
            await (0,aws_images/* tagSnapshots */.sD)(deps.ec2, available, tags);
            deps.state.save(STATE.imageDone, '1');
            ctx.image = available;
            deps.logger.info(`${imageId} is available`);
        },
    };
}
/** Deregisters the bake's AMI unless it finished (found by id, or by name and client token when
 *  RegisterImage's answer was lost), with its snapshots. The upload's recovery deletes the
 *  snapshot too, should this leave it. */
async function recoverRegistered(st, o) {
    const report = { problems: [] };
    const name = st[STATE.imageName];
    if (!name || st[STATE.imageDone])
        return report;
    const sleep = o.sleep ?? retry/* realSleep */.uk;
    const imageId = st[STATE.imageId];
    const token = st[DISK_STATE.registerToken];
    if (!imageId && !token) {
        report.problems.push(`the AMI named ${name}, whose registration started, cannot be told from another (no client token saved): if it exists it is left`);
        return report;
    }
    let image;
    try {
        image = imageId
            ? await (0,retry/* retryUntil */.v6)(async () => ({ i: await (0,aws_images/* findImage */.F1)(o.ec2, imageId) }), {
                deadline: (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_SECONDS),
                sleep,
            }).then((r) => r?.i)
            : await (0,retry/* retryUntil */.v6)(async () => {
                const c = await (0,aws_images/* findByName */._U)(o.ec2, name);
                return c && (0,aws_tags/* tagValue */.EZ)(c, aws_tags/* TAG */.Dk.clientToken) === token ? c : undefined;
            }, { deadline: (0,retry/* deadlineIn */._5)(o.imageLookupSeconds ?? DEFAULT_LOOKUP_SECONDS), sleep });
    }
    catch (err) {
        report.problems.push(`could not check ${imageId ?? `the AMI named ${name}`}, whose registration started (${(0,errors/* errorMessage */.gJ)(err)}): if it exists it is left`);
        return report;
    }
    if (!image?.ImageId && !imageId) {
        // RegisterImage's answer was lost and no AMI of this bake showed up in time: it may yet.
        report.problems.push(`the AMI named ${name} (${aws_tags/* TAG */.Dk.clientToken} ${token}), whose registration started, was not found: if it appears, deregister it`);
        return report;
    }
    if (!image?.ImageId || image.State === 'deregistered')
        return report;
    report.problems.push(...(await (0,image_removal/* discardImage */.I)(o.ec2, image, o.logger, {
        deadline: (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_SECONDS),
        sleep,
    })));
    report.discardedImage = image.ImageId;
    return report;
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ebs/dist-cjs/index.js
var client_ebs_dist_cjs = __webpack_require__(7787);
;// CONCATENATED MODULE: ./src/aws/ebs-direct.ts
/**
 * Uploading a disk with the EBS direct APIs (no instance, no S3, no ImportSnapshot): StartSnapshot,
 * PutSnapshotBlock in parallel with bounded concurrency, CompleteSnapshot. The API's contract,
 * which moto does not check: every block is 512 KiB, carries the base64 SHA256 of the bytes
 * sent, and CompleteSnapshot names how many blocks were written, with the LINEAR aggregate of
 * their checksums (SHA256 over the per-block digests in block order). Zero blocks are never sent:
 * a snapshot reads them as zeros. Throttling and 5xx answers are retried by the client's own
 * backoff (./clients.ts: createEbs).
 */



/** The only block size the EBS direct APIs write. */
const EBS_BLOCK_SIZE = 524_288;
/** StartSnapshot's idle timeout, in minutes (the API's bounds). */
const SNAPSHOT_TIMEOUT_MINUTES = { min: 10, max: 4_320 };
async function startSnapshot(ebs, spec, abortSignal) {
    const out = await ebs.send(new client_ebs_dist_cjs/* StartSnapshotCommand */.C4({
        VolumeSize: spec.volumeSizeGiB,
        Tags: (0,aws_tags/* toTags */.LZ)(spec.tags),
        Description: spec.description,
        ClientToken: spec.clientToken,
        Timeout: Math.min(Math.max(Math.round(spec.timeoutMinutes), SNAPSHOT_TIMEOUT_MINUTES.min), SNAPSHOT_TIMEOUT_MINUTES.max),
        ...(spec.encrypted && { Encrypted: true }),
        ...(spec.encrypted && spec.kmsKeyArn && { KmsKeyArn: spec.kmsKeyArn }),
    }), { abortSignal });
    if (!out.SnapshotId)
        throw new Error('StartSnapshot answered without a snapshot id');
    return out.SnapshotId;
}
/** A block whose bytes do not hash to what was expected: the data was altered. */
class BlockChecksumError extends Error {
    index;
    expected;
    actual;
    name = 'BlockChecksumError';
    constructor(index, expected, actual) {
        super(`block ${index}: SHA256 ${actual} of its bytes is not the expected ${expected}`);
        this.index = index;
        this.expected = expected;
        this.actual = actual;
    }
}
/** memcmp against zeros costs far less than hashing the block. */
const ZERO_BLOCK = Buffer.alloc(EBS_BLOCK_SIZE);
const isZero = (b) => b.equals(ZERO_BLOCK);
/**
 * Writes the blocks to the pending snapshot, at most `concurrency` at a time. The first failure
 * stops the others from starting and is thrown once those in flight have ended (a block
 * half-sent is the snapshot's, which the caller deletes).
 */
async function putBlocks(ebs, snapshotId, blocks, opts) {
    const it = Symbol.asyncIterator in blocks
        ? blocks[Symbol.asyncIterator]()
        : blocks[Symbol.iterator]();
    const digests = new Map();
    const result = { sent: 0, zero: 0, bytes: 0 };
    let failure;
    const worker = async () => {
        while (!failure && !opts.abortSignal?.aborted) {
            const next = await it.next();
            if (next.done)
                return;
            const block = next.value;
            try {
                const data = await block.read();
                if (data.length !== EBS_BLOCK_SIZE)
                    throw new Error(`block ${block.index}: ${data.length} bytes, not ${EBS_BLOCK_SIZE}`);
                // The checksum sent is the one of the bytes sent, computed here: never a claim.
                const digest = (0,external_node_crypto_.createHash)('sha256').update(data).digest();
                const checksum = digest.toString('base64');
                if (block.expectedSha256 !== undefined && block.expectedSha256 !== checksum)
                    throw new BlockChecksumError(block.index, block.expectedSha256, checksum);
                if (isZero(data)) {
                    result.zero++;
                    continue;
                }
                if (digests.has(block.index))
                    throw new Error(`block ${block.index} given twice`);
                digests.set(block.index, digest);
                await ebs.send(new client_ebs_dist_cjs/* PutSnapshotBlockCommand */.O_({
                    SnapshotId: snapshotId,
                    BlockIndex: block.index,
                    BlockData: data,
                    DataLength: EBS_BLOCK_SIZE,
                    Checksum: checksum,
                    ChecksumAlgorithm: 'SHA256',
                }), { abortSignal: opts.abortSignal });
                result.sent++;
                result.bytes += data.length;
                opts.onBlock?.(block.index, result.sent);
            }
            catch (err) {
                failure ??= { err };
                return;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
    if (failure)
        throw failure.err;
    if (opts.abortSignal?.aborted)
        throw opts.abortSignal.reason ?? new Error('the upload was cancelled');
    return { ...result, aggregate: linearChecksum(digests) };
}
/** The LINEAR aggregate: SHA256 of the blocks' raw SHA256 digests concatenated in index order. */
function linearChecksum(digests) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for (const index of [...digests.keys()].sort((a, b) => a - b))
        hash.update(digests.get(index));
    return hash.digest('base64');
}
/** Seals the snapshot: EBS checks the count and the aggregate, then makes it `completed`. */
async function completeSnapshot(ebs, snapshotId, upload, abortSignal) {
    await ebs.send(new client_ebs_dist_cjs/* CompleteSnapshotCommand */.$8({
        SnapshotId: snapshotId,
        ChangedBlocksCount: upload.sent,
        Checksum: upload.aggregate,
        ChecksumAlgorithm: 'SHA256',
        ChecksumAggregationMethod: 'LINEAR',
    }), { abortSignal });
}

// EXTERNAL MODULE: ./src/aws/snapshots.ts
var snapshots = __webpack_require__(1960);
;// CONCATENATED MODULE: ./src/features/disk-upload/upload.ts
/**
 * Upload snapshot: StartSnapshot (its client token saved before the call, its id as soon as it
 * answers), the disk's blocks written with PutSnapshotBlock, CompleteSnapshot, then the wait until
 * EC2 reports the snapshot completed. Every block is checked against the manifest's checksum as
 * it is sent: a mismatch is an altered artifact and stops the upload before anything is
 * registered. Its recovery deletes the snapshot unless a finished AMI owns it.
 */












const DEFAULT_DELETE_SECONDS = 60;
/** A StartSnapshot whose answer was lost shows in DescribeSnapshots eventually. */
const upload_DEFAULT_LOOKUP_SECONDS = 15;
/** The phase as recovery knows it (no configuration needed). */
const diskUploadRecovery = {
    id: 'disk-upload',
    title: 'Upload snapshot',
    // The AMI's done flag too: a snapshot a finished AMI owns is the result, never removed.
    state: [DISK_STATE.snapshotToken, DISK_STATE.snapshotId, STATE.imageDone],
    recover: recoverSnapshot,
};
function diskUploadPhase(s, run) {
    return {
        ...diskUploadRecovery,
        async run(ctx) {
            const { cfg, deps } = ctx;
            const disk = run.disk;
            const ebs = s.ebs ?? (0,clients/* createEbs */.lx)(cfg.region);
            if (ctx.signal.aborted)
                throw new CancelledError('the bake was cancelled');
            // Saved before the call: a lost answer is found by this tag.
            deps.state.save(DISK_STATE.snapshotToken, ctx.clientToken);
            let snapshotId;
            try {
                snapshotId = await ctx.track(startSnapshot(ebs, {
                    volumeSizeGiB: run.volumeGiB,
                    tags: imageTags(ctx.tags),
                    description: `amibake ${cfg.amiName} (disk ${disk.recipe})`,
                    encrypted: s.volume.encrypt,
                    kmsKeyArn: s.volume.kmsKey,
                    timeoutMinutes: Math.ceil(s.timeoutSnapshotSeconds / 60),
                    clientToken: ctx.clientToken,
                }, ctx.signal));
            }
            catch (err) {
                // Refused: no snapshot was made, recovery has none to look for.
                if ((0,aws_errors/* refusedByAws */.V5)(err))
                    deps.state.save(DISK_STATE.snapshotToken, '');
                throw err;
            }
            deps.state.save(DISK_STATE.snapshotId, snapshotId);
            run.snapshotId = snapshotId;
            deps.logger.info(`uploading ${disk.manifest.blocks.length} blocks to ${snapshotId}`);
            // Every block in flight listens to the cancel: not a leak.
            (0,external_node_events_.setMaxListeners)(Math.max(s.concurrency * 2, 10) + 10, ctx.signal);
            const { blocks, close } = await (0,artifact/* openBlocks */.DS)(disk);
            const started = ctx.now();
            let upload;
            try {
                upload = await putBlocks(ebs, snapshotId, blocks, {
                    concurrency: s.concurrency,
                    abortSignal: ctx.signal,
                    onBlock: (_, sent) => {
                        if (sent % 512 === 0)
                            deps.logger.info(`${sent} of ${blocks.length} blocks written`);
                    },
                });
            }
            catch (err) {
                if (err instanceof BlockChecksumError)
                    throw new errors/* UserError */.yo(`${disk.blocksPath}: block ${err.index} does not hash to the manifest's checksum (${err.actual}, manifest ${err.expected}): the disk was altered after prepare; refused`);
                if (ctx.signal.aborted)
                    throw new CancelledError('the bake was cancelled');
                throw err;
            }
            finally {
                await close();
            }
            const seconds = Math.max((ctx.now() - started) / 1000, 0.001);
            deps.logger.info(`${upload.sent} blocks (${(upload.bytes / 2 ** 20).toFixed(0)} MiB) written in ${seconds.toFixed(1)} s, ${upload.zero} zero blocks skipped`);
            run.sent = upload.sent;
            run.zero = upload.zero;
            await completeSnapshot(ebs, snapshotId, upload, ctx.signal);
            ctx.span('completed', 'Until completed', { wait: true });
            try {
                await (0,snapshots/* waitCompleted */.n1)(deps.ec2, snapshotId, {
                    timeoutSeconds: s.timeoutSnapshotSeconds,
                    intervalSeconds: Math.min(cfg.waitAmi, 15),
                    abortSignal: ctx.signal,
                });
            }
            catch (err) {
                if (err instanceof snapshots/* SnapshotWaitError */.YK) {
                    if (err.kind === 'aborted')
                        throw new CancelledError('the bake was cancelled');
                    throw new errors/* UserError */.yo(err.kind === 'timeout' ? (0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('timeoutSnapshot')}: ${err.message}` : err.message);
                }
                throw err;
            }
            ctx.endSpan();
            ctx.report.summary.push([
                'Snapshot',
                `${snapshotId}: ${upload.sent} blocks written, ${upload.zero} zero`,
            ]);
            deps.logger.info(`${snapshotId} is completed`);
        },
    };
}
/** Deletes the bake's snapshot (found by id, or by its client-token tag when StartSnapshot's
 *  answer was lost), unless a finished AMI owns it. Idempotent; reports what is left by id. */
async function recoverSnapshot(st, o) {
    const problems = [];
    const token = st[DISK_STATE.snapshotToken];
    if (!token || st[STATE.imageDone])
        return { problems };
    const sleep = o.sleep ?? retry/* realSleep */.uk;
    let ids;
    const known = st[DISK_STATE.snapshotId];
    if (known)
        ids = [known];
    else {
        try {
            ids =
                (await (0,retry/* retryUntil */.v6)(async () => {
                    const found = await (0,snapshots/* snapshotsByToken */.Ud)(o.ec2, token);
                    return found.length ? found.map((f) => f.SnapshotId) : undefined;
                }, {
                    deadline: (0,retry/* deadlineIn */._5)(o.lookupSeconds ?? upload_DEFAULT_LOOKUP_SECONDS),
                    sleep,
                    onError: (err) => o.logger.debug(`DescribeSnapshots: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
                })) ?? [];
        }
        catch (err) {
            problems.push(`StartSnapshot was sent and not answered, and the snapshots tagged amibake:client-token=${token} could not be listed (${(0,errors/* errorMessage */.gJ)(err)}): any is left`);
            return { problems };
        }
    }
    for (const id of ids) {
        try {
            await (0,retry/* retryUntil */.v6)(() => (0,snapshots/* deleteSnapshot */.Cj)(o.ec2, id), {
                deadline: (0,retry/* deadlineIn */._5)(o.terminateSeconds ?? DEFAULT_DELETE_SECONDS),
                sleep,
                fatal: aws_errors/* refusedByAws */.V5,
                onError: (err) => o.logger.debug(`DeleteSnapshot ${id}: ${(0,errors/* errorMessage */.gJ)(err)}; retrying`),
            });
            o.logger.info(`deleted the unfinished snapshot ${id}`);
        }
        catch (err) {
            problems.push(`the snapshot ${id} of the interrupted upload is left: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    return { problems };
}

;// CONCATENATED MODULE: ./src/features/disk-upload/verify.ts
/**
 * Verify disk: the disk files against vars.env and the manifest's rules (before any AWS call that
 * changes something), the volume size against the disk's, the reuse digest of a disk AMI, and the
 * reuse of an AMI of the same name and digest (then nothing is uploaded).
 */








const GIB = 1024 ** 3;
/** The largest disk registered at its own size: past it `root-volume-size` must say so, so the
 *  artifact's claimed size never picks the volume (and its cost) alone. */
const UNSET_VOLUME_MAX_GIB = 8;
/**
 * The reuse digest of a disk AMI: the prepared files as the build digested them, the base image
 * and recipe the prepare job says it used (its claims: it built the disk), and what the build
 * registers the disk as (boot mode, architecture, root volume, IMDS): a change of any is a new AMI.
 */
function diskDigestParts(ctx, run, s) {
    const v = s.volume;
    return {
        prepared: ctx.cfg.prepared.digest,
        base: run.disk.baseDigest,
        recipe: run.disk.recipe,
        kind: 'disk',
        'boot-mode': s.bootMode,
        architecture: s.architecture,
        'root-volume': [
            v.type,
            run.volumeGiB,
            v.iops,
            v.throughput,
            v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
        ]
            .map((x) => x ?? '')
            .join(','),
        imds: s.imdsV2 ? 'v2.0' : 'any',
    };
}
function diskVerifyPhase(s, run, names, then = [], opts = {}) {
    return {
        id: 'disk-verify',
        title: 'Verify disk',
        async run(ctx) {
            const { cfg, deps } = ctx;
            const { prepared } = cfg;
            const dir = (0,external_node_path_.dirname)(prepared.varsPath);
            const disk = await (0,artifact/* loadDisk */.El)(dir, prepared.vars, prepared.varsPath);
            const needed = Math.ceil(disk.size / GIB);
            if (s.volume.size === undefined && needed > UNSET_VOLUME_MAX_GIB)
                throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('rootVolumeSize')}: not set, and the disk is ${needed} GiB (${disk.manifestPath}): a disk over ${UNSET_VOLUME_MAX_GIB} GiB is registered only when ${(0,errors/* opt */.m7)('rootVolumeSize')} is set to at least its size`);
            const volumeGiB = s.volume.size ?? needed;
            if (volumeGiB < needed)
                throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('rootVolumeSize')}: ${volumeGiB} GiB is smaller than the disk (${needed} GiB in ${disk.manifestPath})`);
            validateRootVolume({ ...s.volume, size: volumeGiB }, names);
            run.disk = disk;
            run.volumeGiB = volumeGiB;
            deps.logger.info(`disk ${disk.size / GIB} GiB, ${disk.manifest.blocks.length} non-zero blocks of 512 KiB (recipe ${disk.recipe})`);
            ctx.baseAmi = `disk:${disk.recipe}`;
            ctx.tags.baseAmi = ctx.baseAmi;
            // What the AMI is registered as (or was, when reused): the test instance's default type.
            ctx.architecture = s.architecture;
            for (const step of then)
                step(ctx);
            ctx.digestParts = diskDigestParts(ctx, { disk, volumeGiB }, s);
            ctx.digest = bakeDigest(ctx.digestParts);
            ctx.tags.digest = ctx.digest;
            ctx.report.summary.push(['Disk', `${disk.size / GIB} GiB, ${disk.manifest.blocks.length} blocks, recipe ${disk.recipe}`], ['Registered as', `${s.architecture}, ${s.bootMode}, ${volumeGiB} GiB ${s.volume.type}`]);
            const existing = await (0,aws_images/* findByName */._U)(deps.ec2, cfg.amiName);
            if (opts.dryRun) {
                // The plan: what a real run would do; nothing is uploaded or registered.
                ctx.report.dryRun = true;
                const mib = (disk.manifest.blocks.length * 524_288) / 2 ** 20;
                deps.logger.info(existing && (0,aws_tags/* tagValue */.EZ)(existing, aws_tags/* TAG */.Dk.digest) === ctx.digest
                    ? `dry run: ${cfg.amiName} would be reused (${existing.ImageId})`
                    : existing
                        ? `dry run: the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options`
                        : `dry run: would upload ${disk.manifest.blocks.length} blocks (${mib.toFixed(0)} MiB) into a ${volumeGiB} GiB snapshot and register ${cfg.amiName}`);
                for (const line of opts.after ?? [])
                    deps.logger.info(`dry run: ${line}`);
                ctx.done = true;
                return;
            }
            if (!existing)
                return;
            await reuseExisting(ctx, existing, 'disk');
        },
    };
}

;// CONCATENATED MODULE: ./src/features/dry-run/probes.ts
/**
 * Preflight for BUILDAMI_DRY_RUN: EC2 calls made with DryRun=true prove the role may make each
 * call the bake will make (DryRunOperation = allowed, UnauthorizedOperation = denied), and the
 * plan of the bake is printed. Nothing is launched, copied, shared or deleted.
 */




// Stand-ins for resources that exist only once the bake runs.
const PLACEHOLDER_INSTANCE = 'i-0000000000000000a';
/** Runs one DryRun call; `send` receives the flag so no probe can forget it. */
async function probe(action, region, send) {
    try {
        await send(true);
        return { action, region, outcome: 'unproven', detail: 'the endpoint ignored DryRun' };
    }
    catch (err) {
        const code = (0,aws_errors/* errorCode */.CA)(err);
        if ((0,aws_errors/* isDryRunAllowed */.dW)(err))
            return { action, region, outcome: 'allowed', detail: '' };
        if ((0,aws_errors/* isAccessDenied */.w7)(err)) {
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
    const baseSnap = (0,aws_images/* snapshotIds */.Ns)(i.base)[0];
    const results = [];
    const run = async (action, r, send) => results.push(await probe(action, r, send));
    await run('RunInstances', region, (DryRun) => ec2.send(new dist_cjs.RunInstancesCommand({ ...i.launch, ClientToken: undefined, DryRun })));
    await run('CreateTags', region, (DryRun) => ec2.send(new dist_cjs.CreateTagsCommand({ Resources: [baseId], Tags: i.tags, DryRun })));
    await run('CreateImage', region, (DryRun) => ec2.send(new dist_cjs.CreateImageCommand({ InstanceId: PLACEHOLDER_INSTANCE, Name: i.amiName, DryRun })));
    await run('TerminateInstances', region, (DryRun) => ec2.send(new dist_cjs.TerminateInstancesCommand({ InstanceIds: [PLACEHOLDER_INSTANCE], DryRun })));
    const regions = [region, ...i.copies.map((c) => c.region)];
    for (const c of i.copies)
        await run('CopyImage', c.region, (DryRun) => i.clientFor(c.region).send(new dist_cjs.CopyImageCommand({
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
            await run('ModifyImageAttribute', r, (DryRun) => c.send(new dist_cjs.ModifyImageAttributeCommand({
                ImageId: baseId,
                ...(shares.length ? { LaunchPermission: { Add: shares } } : { ImdsSupport: { Value: 'v2.0' } }),
                DryRun,
            })));
        if (s.shareSnapshots !== 'false' && s.accounts.length && baseSnap && r === region)
            await run('ModifySnapshotAttribute', r, (DryRun) => c.send(new dist_cjs.ModifySnapshotAttributeCommand({
                SnapshotId: baseSnap,
                Attribute: 'createVolumePermission',
                OperationType: 'add',
                UserIds: s.accounts,
                DryRun,
            })));
        if (s.deprecateAfter)
            await run('EnableImageDeprecation', r, (DryRun) => c.send(new dist_cjs.EnableImageDeprecationCommand({
                ImageId: baseId,
                DeprecateAt: new Date(Date.now() + s.deprecateAfter.ms),
                DryRun,
            })));
        if (s.protection !== 'false')
            await run('EnableImageDeregistrationProtection', r, (DryRun) => c.send(new dist_cjs.EnableImageDeregistrationProtectionCommand({ ImageId: baseId, DryRun })));
        if (i.retention) {
            await run('DeregisterImage', r, (DryRun) => c.send(new dist_cjs.DeregisterImageCommand({ ImageId: baseId, DryRun })));
            if (baseSnap && r === region)
                await run('DeleteSnapshot', r, (DryRun) => c.send(new dist_cjs.DeleteSnapshotCommand({ SnapshotId: baseSnap, DryRun })));
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
    let vpc;
    try {
        const out = await ec2.send(new dist_cjs.DescribeSubnetsCommand({ SubnetIds: [t.subnet] }));
        const subnet = out.Subnets?.[0];
        vpc = subnet?.VpcId;
        if (!subnet)
            problems.push((0,errors/* msg */.ab) `${t.names.subnet}: ${t.subnet} does not exist in this region`);
        else
            lines.push(`subnet            ${t.subnet} in ${subnet.VpcId}, ${subnet.AvailabilityZone}`);
    }
    catch (err) {
        if ((0,aws_errors/* isNotFound */.c4)(err, 'subnet'))
            problems.push((0,errors/* msg */.ab) `${t.names.subnet}: ${t.subnet} does not exist in this region`);
        else
            lines.push(`subnet            ${t.subnet}: not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    // One missing id fails the whole call: then each is looked up alone to name the missing ones.
    const groups = async (ids) => (await ec2.send(new dist_cjs.DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups ?? [];
    try {
        let found = [];
        const absent = [];
        try {
            found = await groups(t.securityGroups);
        }
        catch (err) {
            if (!(0,aws_errors/* isNotFound */.c4)(err, 'securityGroup'))
                throw err;
            for (const id of t.securityGroups)
                found.push(...(await groups([id]).catch((e) => {
                    if (!(0,aws_errors/* isNotFound */.c4)(e, 'securityGroup'))
                        throw e;
                    absent.push(id);
                    return [];
                })));
        }
        absent.push(...t.securityGroups.filter((id) => !absent.includes(id) && !found.some((g) => g.GroupId === id)));
        if (absent.length)
            problems.push((0,errors/* msg */.ab) `${t.names.securityGroups}: ${absent.join(', ')} does not exist in this region`);
        const elsewhere = found.filter((g) => vpc && g.VpcId !== vpc);
        if (elsewhere.length)
            problems.push((0,errors/* msg */.ab) `${t.names.securityGroups}: ${elsewhere.map((g) => `${g.GroupId} is in ${g.VpcId}`).join(', ')}, not in the subnet's ${vpc}`);
    }
    catch (err) {
        lines.push(`security groups   not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
    }
    if (t.keyPair)
        try {
            await ec2.send(new dist_cjs.DescribeKeyPairsCommand({ KeyNames: [t.keyPair] }));
        }
        catch (err) {
            if ((0,aws_errors/* isNotFound */.c4)(err, 'keyPair'))
                problems.push((0,errors/* msg */.ab) `${t.names.keyPair}: no key pair named ${t.keyPair} in this region`);
            else
                lines.push(`key pair          not checked (${(0,errors/* errorMessage */.gJ)(err)})`);
        }
    return { lines, problems: problems.map(errors/* compact */.oE) };
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
            denied.map((d) => `${d.action.includes(':') ? '' : 'ec2:'}${d.action} in ${d.region}`).join(', '));
}

;// CONCATENATED MODULE: ./src/features/dry-run/distribute-plan.ts





const pad = (label) => label.padEnd(18);
async function planDistribute(i) {
    const { d } = i;
    const region = i.regions[0];
    const lines = [];
    const probes = [];
    const problems = [];
    if (d.ssm.length) {
        lines.push(`${pad('ssm parameters')}${d.ssm.join(', ')} in ${i.regions.join(', ')}: PutParameter, type String, data type ${IMAGE_DATA_TYPE}, overwrite (each region its own AMI id)`);
        for (const r of i.regions)
            for (const name of d.ssm) {
                try {
                    const seen = await ssm_parameters_readParameter(i.ssmFor(r), name);
                    lines.push(seen.exists
                        ? `  ${name} in ${r}: exists (version ${seen.version}, ${seen.type}${seen.dataType ? `, ${seen.dataType}` : ''}): a new version would overwrite it`
                        : `  ${name} in ${r}: does not exist yet: it would be created`);
                    probes.push({
                        action: 'ssm:GetParameter',
                        region: r,
                        outcome: 'allowed',
                        detail: `${name} readable`,
                    });
                }
                catch (err) {
                    // The bake itself only writes: a denied read proves nothing about the write.
                    lines.push(`  ${name} in ${r}: not readable (${(0,aws_errors/* errorCode */.CA)(err) || (0,errors/* errorMessage */.gJ)(err)})`);
                    probes.push({
                        action: 'ssm:GetParameter',
                        region: r,
                        outcome: 'unproven',
                        detail: `${name}: ${(0,aws_errors/* isAccessDenied */.w7)(err) ? 'denied (the bake needs only ssm:PutParameter)' : (0,errors/* errorMessage */.gJ)(err)}`,
                    });
                }
            }
    }
    const t = d.template;
    if (t) {
        let seen;
        try {
            seen = await findLaunchTemplate(i.ec2, t.ref);
            if (!seen)
                problems.push((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('launchTemplate')}: no launch template ${t.raw} in ${region}`);
            probes.push({ action: 'DescribeLaunchTemplates', region, outcome: 'allowed', detail: '' });
        }
        catch (err) {
            probes.push({
                action: 'DescribeLaunchTemplates',
                region,
                outcome: (0,aws_errors/* isAccessDenied */.w7)(err) ? 'denied' : 'unproven',
                detail: `${(0,aws_errors/* errorCode */.CA)(err) || 'error'}: ${(0,errors/* errorMessage */.gJ)(err)}`,
            });
        }
        const label = seen ? `${seen.id} (${seen.name})` : t.raw;
        lines.push(`${pad('launch template')}${label} in ${region}: a new version from $Latest${seen?.latestVersion ? ` (version ${seen.latestVersion})` : ''} with the new AMI; ` +
            (t.makeDefault
                ? 'made the default version'
                : `default version stays ${seen?.defaultVersion ?? 'as it is'}`));
        // By id when found (as the bake does), else as given: the DryRun answer then names the problem.
        const ref = seen ? { id: seen.id } : t.ref;
        probes.push(await probe('CreateLaunchTemplateVersion', region, (dryRun) => createImageVersion(i.ec2, ref, i.standInImage, 'amibake dry run', dryRun)));
        if (t.makeDefault)
            probes.push(await probe('ModifyLaunchTemplate', region, (dryRun) => setDefaultVersion(i.ec2, ref, seen?.defaultVersion ?? 1, dryRun)));
    }
    if (d.ssm.length)
        lines.push(`${pad('not proven')}ssm:PutParameter (SSM has no DryRun; the reads above prove ssm:GetParameter only) and ` +
            `the ${IMAGE_DATA_TYPE} check (AWS validates the AMI id after PutParameter returns)`);
    return { lines, probes, problems };
}

;// CONCATENATED MODULE: ./src/features/retention/retention.ts
/**
 * Retention: keep the newest N AMIs of a family (same `amibake:name`, owned by this account) in a
 * region, deregister the older ones and delete their snapshots. Never the AMI just built, never
 * one an instance in the region still uses, never one that is pending or protected, never one kept
 * after failing its test (which does not count towards N either).
 * The plan is computed and printed first; acting on it is a separate step (dry run stops there).
 */





const IN_USE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
const summarise = (i) => ({
    imageId: i.ImageId,
    name: i.Name ?? '',
    created: i.CreationDate ?? '',
    snapshots: (0,aws_images/* snapshotIds */.Ns)(i),
});
async function planRetention(i) {
    const images = [];
    for await (const page of (0,dist_cjs.paginateDescribeImages)({ client: i.ec2, pageSize: 1000 }, {
        Owners: ['self'],
        IncludeDeprecated: true,
        Filters: [{ Name: `tag:${aws_tags/* TAG */.Dk.family}`, Values: [i.family] }],
    }))
        images.push(...(page.Images ?? []));
    // Tag filters match wildcards; the family is the exact value.
    const family = images.filter((img) => img.Tags?.some((t) => t.Key === aws_tags/* TAG */.Dk.family && t.Value === i.family));
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
    // Only usable images count towards N: a failed one never takes a good one's place. An AMI
    // that failed its test (kept tagged for inspection) neither counts nor is removed: whoever kept
    // it deregisters it when done.
    let kept = 0;
    for (const img of family) {
        if (failedTest(img) && !i.protect.includes(img.ImageId)) {
            plan.skip.push({
                ...summarise(img),
                reason: `it failed its test (${aws_tags/* TAG */.Dk.test}=failed), kept for inspection`,
            });
            continue;
        }
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
            const out = await ec2.send(new dist_cjs.DescribeInstancesCommand({
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
        const removal = await (0,image_removal/* removeImage */.a)(ec2, r.imageId, log, r.snapshots);
        if (removal.problems.length)
            result.failed.push({ imageId: r.imageId, problems: removal.problems });
        else {
            result.removed.push({ imageId: r.imageId, snapshots: removal.snapshots });
            log.info(`retention: deregistered ${r.imageId} in ${plan.region}${removal.snapshots.length ? `, deleted ${removal.snapshots.join(', ')}` : ''}`);
        }
    }
    return result;
}

;// CONCATENATED MODULE: ./src/features/dry-run/plan.ts



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
        `root volume       ${describeRootVolume(l.BlockDeviceMappings?.[0])}`,
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

;// CONCATENATED MODULE: ./src/features/dry-run/retention-plan.ts
/** Retention as a dry run plans it: the AMI the bake would add takes one of the N places. */


async function dryRetention(ctx, copies, keepLast) {
    if (!keepLast)
        return [];
    const plans = [];
    for (const region of [ctx.cfg.region, ...copies.map((c) => c.region)]) {
        const ec2 = ctx.clientFor(region);
        const existing = await (0,aws_images/* findByName */._U)(ec2, ctx.cfg.amiName);
        const plan = await planRetention({
            ec2,
            region,
            family: ctx.cfg.name,
            keepLast: existing ? keepLast : keepLast - 1,
            protect: existing ? [existing.ImageId] : [],
        });
        plans.push({ ...plan, keepLast });
    }
    return plans;
}
function retentionText(p) {
    const parts = [`keep ${p.keep.map((k) => k.imageId).join(', ') || 'none'}`];
    if (p.remove.length)
        parts.push(`remove ${p.remove.map((r) => r.imageId).join(', ')}`);
    if (p.skip.length)
        parts.push(`skip ${p.skip.map((s) => `${s.imageId} (${s.reason})`).join(', ')}`);
    return parts.join('; ');
}

;// CONCATENATED MODULE: ./src/features/dry-run/phase.ts
/**
 * Dry run: after the preflight, the plan of the whole bake (the exact RunInstances input and user
 * data, the AMI's tags, copies, sharing, retention) and EC2 DryRun calls that prove the role's
 * permissions; nothing is uploaded, launched, copied, shared, published or deleted. It previews the other
 * features, so it reads their plans (handed in by the composition root).
 */















function dryRunPhase(g) {
    return {
        id: 'golden-dry-run',
        title: 'Dry run',
        always: true,
        async run(ctx) {
            const { cfg, deps } = ctx;
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
            const userdata = (0,bake_userdata/* finalUserdata */.Yd)(cfg.prepared.userdata, urls, { keyPair: cfg.keyPair });
            const launch = launchInput(ctx, userdata);
            const tags = (0,aws_tags/* toTags */.LZ)(imageTags(ctx.tags));
            if (g.copies.length)
                await checkCopyTargets({
                    clientFor: ctx.clientFor,
                    copies: g.copies,
                    name: cfg.amiName,
                    digest: ctx.digest,
                });
            const retention = await dryRetention(ctx, g.copies, g.keepLast);
            const targets = await checkLaunchTargets(deps.ec2, {
                // The first choice; the capacity fallback's other subnets are tried only when it is full.
                subnet: cfg.subnets[0],
                securityGroups: cfg.securityGroups,
                keyPair: cfg.keyPair,
                names: { subnet: (0,errors/* opt */.m7)('subnet'), securityGroups: (0,errors/* opt */.m7)('securityGroups'), keyPair: (0,errors/* opt */.m7)('keyPair') },
            });
            const lines = formatBakePlan({
                region: cfg.region,
                baseHow: ctx.base?.how ?? ctx.baseAmi,
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
                sweepAge: g.sweepAge ? (0,duration/* formatMs */._)(g.sweepAge.ms) : undefined,
            });
            lines.splice(3, 0, ...targets.lines);
            let publishing;
            if (g.distribute && (g.distribute.ssm.length || g.distribute.template)) {
                publishing = await planDistribute({
                    ec2: deps.ec2,
                    ssmFor: ssmByRegion(),
                    regions: [cfg.region, ...g.copies.map((c) => c.region)],
                    d: g.distribute,
                    standInImage: ctx.baseAmi,
                });
                lines.push(...publishing.lines);
            }
            // The capacity fallback: what RunInstances would try after the first choice, in order.
            if (ctx.instanceTypes.length > 1 || cfg.subnets.length > 1)
                lines.splice(3, 0, `fallback          ${ctx.instanceTypes.join(', ')} in ${cfg.subnets.join(', ')}: every type per subnet, on InsufficientInstanceCapacity or Unsupported`);
            if (ctx.reused)
                lines.unshift(`reuse             ${ctx.reused.ImageId}: already baked from the same content, nothing would be launched`);
            await deps.logger.group('Dry run: the plan', async () => lines.forEach((l) => deps.logger.info(l)));
            const probes = await runProbes({
                ec2: deps.ec2,
                region: cfg.region,
                clientFor: ctx.clientFor,
                launch,
                base: ctx.base.image,
                amiName: cfg.amiName,
                tags,
                copies: g.copies,
                settings: g.settings,
                retention: !!g.keepLast,
            });
            probes.push(...(publishing?.probes ?? []));
            await deps.logger.group('Dry run: permissions (EC2 DryRun calls, read probes)', async () => formatProbes(probes).forEach((l) => deps.logger.info(l)));
            const count = (o) => probes.filter((p) => p.outcome === o).length;
            ctx.report.dryRun = true;
            ctx.report.summary.push(['Dry run', 'nothing was uploaded, launched, copied, shared, published or deleted'], ['User data', `${userdata.length} of ${core_userdata/* USERDATA_LIMIT */.SF} bytes`], ['Copies (planned)', g.copies.map((c) => c.region).join(', ') || 'none'], ['Shared with (planned)', sharedWith(g.settings).join(', ') || 'nobody'], ...(g.distribute?.ssm.length
                ? [['SSM parameters (planned)', g.distribute.ssm.join(', ')]]
                : []), ...(g.distribute?.template
                ? [
                    [
                        'Launch template (planned)',
                        `${g.distribute.template.raw}: a new version${g.distribute.template.makeDefault ? ', made the default' : ''}`,
                    ],
                ]
                : []), [
                'Permissions',
                `${count('allowed')} allowed, ${count('denied')} denied, ${count('unproven')} unproven`,
            ], ...retention.map((p) => [`Retention ${p.region} (planned)`, retentionText(p)]));
            // Printed with everything else first: one dry run shows every problem.
            const problems = [...targets.problems, ...(publishing?.problems ?? [])];
            if (problems.length)
                throw new errors/* OptionError */.eR(problems);
            assertAllowed(probes);
            ctx.done = true;
        },
    };
}

// EXTERNAL MODULE: ./src/features/janitor/sweep.ts
var sweep = __webpack_require__(8165);
;// CONCATENATED MODULE: ./src/features/janitor/phase.ts
/** Sweep leaked instances before the bake: the janitor serves other bakes, so its failure is a
 *  warning and a summary row, never this bake's error. */


function sweepPhase(o) {
    return {
        id: 'golden-sweep',
        title: 'Sweep leaked instances',
        async run(ctx) {
            const { cfg, deps } = ctx;
            try {
                const report = await (0,sweep.sweep)({
                    ec2: deps.ec2,
                    region: cfg.region,
                    olderThanMs: o.age.ms,
                    dryRun: o.dryRun,
                    log: deps.logger,
                    now: new Date(ctx.now()),
                });
                ctx.report.summary.push(['Janitor', (0,sweep.formatSweep)(report)]);
            }
            catch (err) {
                deps.logger.warn(`sweep: ${(0,errors/* errorMessage */.gJ)(err)}`);
                ctx.report.summary.push(['Janitor', `failed: ${(0,errors/* errorMessage */.gJ)(err)}`]);
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/features/retention/phase.ts
/** Retention: keep the newest N AMIs of the family in each region the bake touched. The new AMI
 *  is made: an old one left over is a warning, not a failed bake. */


function retentionPhase(keepLast) {
    return {
        id: 'golden-retention',
        title: 'Retention',
        always: true,
        async run(ctx) {
            const { cfg, deps } = ctx;
            for (const [region, imageId] of Object.entries(ctx.amis ?? {})) {
                const ec2 = ctx.clientFor(region);
                try {
                    const plan = await planRetention({ ec2, region, family: cfg.name, keepLast, protect: [imageId] });
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
                    deps.logger.warn(`retention in ${region}: ${(0,errors/* errorMessage */.gJ)(err)}`);
                    ctx.report.summary.push([`Retention ${region}`, `failed: ${(0,errors/* errorMessage */.gJ)(err)}`]);
                }
            }
        },
    };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/features/sbom/validate.ts
/** The shape the build accepts of the package inventory an instance uploaded: the CycloneDX JSON
 *  the guest script writes, checked field by field (the instance could upload anything). */
/** Bytes read back at most: the instance decides the object's size. A Debian or RHEL server lists
 *  a few hundred to a few thousand packages, about 150 bytes each. */
const MAX_SBOM_BYTES = 8 * 1024 * 1024;
/** Components accepted at most (a full desktop install lists about 5,000). */
const MAX_COMPONENTS = 50_000;
/** Longest name or version accepted (dpkg, rpm and apk keep theirs far shorter). */
const MAX_FIELD = 1024;
/** The inventory's summary, or the reason it is refused (a sentence, no instance text in it). */
function checkSbom(bytes) {
    let doc;
    try {
        doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    }
    catch {
        return { ok: false, reason: 'it is not UTF-8 JSON' };
    }
    if (!isObject(doc))
        return { ok: false, reason: 'it is not a JSON object' };
    if (doc.bomFormat !== 'CycloneDX')
        return { ok: false, reason: 'its bomFormat is not "CycloneDX"' };
    if (typeof doc.specVersion !== 'string' || !/^1\.\d{1,2}$/.test(doc.specVersion))
        return { ok: false, reason: 'its specVersion is not 1.x' };
    const components = doc.components;
    if (!Array.isArray(components))
        return { ok: false, reason: 'its components are not a list' };
    if (components.length > MAX_COMPONENTS)
        return { ok: false, reason: `it lists ${components.length} components, more than ${MAX_COMPONENTS}` };
    for (const [i, c] of components.entries()) {
        if (!isObject(c))
            return { ok: false, reason: `component ${i} is not an object` };
        for (const field of ['name', 'version']) {
            const v = c[field];
            if (typeof v !== 'string' || !v || v.length > MAX_FIELD)
                return {
                    ok: false,
                    reason: `component ${i} has no string ${field} (of 1 to ${MAX_FIELD} characters)`,
                };
        }
    }
    return { ok: true, summary: { specVersion: doc.specVersion, components: components.length } };
}
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

;// CONCATENATED MODULE: ./src/features/sbom/phase.ts
/**
 * Package inventory: reads back the CycloneDX SBOM the instance uploaded after its install,
 * checks its shape and size, saves it for the fronts (output `sbom`) and has the AMI tagged with
 * its sha256 (`amibake:sbom-sha256`, set before the image phase creates the AMI). It creates
 * nothing in AWS: no recover.
 *
 * A missing or malformed inventory is a warning and no `sbom` output, never a failed bake: the
 * inventory is the image's own report, made inside the untrusted image, and says nothing about
 * whether the AMI is good (the install status decided that). Failing here would make it one more
 * way for the image to fail a bake its install did not fail, and would buy no safety: an image
 * that wants to lie writes a well-formed inventory. What the check protects is the consumer (the
 * workflow artifact, an attestation step): it gets a document of the promised shape, or none.
 */







const sbomPhase = {
    id: 'sbom',
    title: 'Package inventory',
    async run(ctx) {
        const { cfg, deps } = ctx;
        if (!ctx.staging) {
            deps.logger.info('no S3 location: no presigned URL for the package inventory, SBOM skipped');
            return;
        }
        const { bucket, sbom: key } = ctx.staging;
        const got = await readObjectCapped(deps.s3, bucket, key, MAX_SBOM_BYTES, deps.logger);
        if (!got) {
            deps.logger.warn(`the instance uploaded no package inventory (s3://${bucket}/${key}): no SBOM (does the image have ` +
                'dpkg-query, rpm or apk, and curl or python3? the install log says why)');
            return;
        }
        if (got.tooLarge) {
            deps.logger.warn(`the package inventory is larger than ${MAX_SBOM_BYTES} bytes: refused, no SBOM`);
            return;
        }
        const checked = checkSbom(got.bytes);
        if (!checked.ok) {
            deps.logger.warn(`the package inventory is not a CycloneDX SBOM of the expected shape (${checked.reason}): refused, no SBOM`);
            return;
        }
        const sha256 = (0,external_node_crypto_.createHash)('sha256').update(got.bytes).digest('hex');
        // A folder of its own: two bakes on one runner never share a file.
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(deps.workDir ?? (0,external_node_os_.tmpdir)(), 'amibake-sbom-'));
        const path = (0,external_node_path_.join)(dir, `${cfg.amiName.replace(/[^A-Za-z0-9._-]/g, '_')}.sbom.json`);
        await (0,promises_.writeFile)(path, got.bytes);
        ctx.tags.sbomSha256 = sha256;
        ctx.report.outputs[BUILD_OUTPUTS.sbom.name] = path;
        ctx.report.fileVars.SBOM = path;
        const { components, specVersion } = checked.summary;
        ctx.report.summary.push([
            'Package inventory',
            `${components} components (CycloneDX ${specVersion}), sha256 ${sha256}`,
        ]);
        deps.logger.info(`package inventory: ${components} components, saved to ${path} (sha256 ${sha256})`);
    },
};

;// CONCATENATED MODULE: ./src/features/share/apply.ts
function applyImdsDigest(imdsV2) {
    return (ctx) => {
        ctx.digestParts['imds'] = imdsV2 ? 'v2.0' : 'any';
    };
}

// EXTERNAL MODULE: ./src/features/tags/templates.ts
var tags_templates = __webpack_require__(8506);
;// CONCATENATED MODULE: ./src/features/tags/apply.ts

function applyTags(templates) {
    return (ctx) => {
        const { cfg } = ctx;
        const rendered = (0,tags_templates/* renderTags */.Ep)(templates, (0,tags_templates/* tagContext */._p)({
            name: cfg.name,
            version: cfg.version,
            baseAmi: ctx.baseAmi,
            runId: cfg.runId,
            date: new Date(ctx.now()),
        }));
        ctx.tags.extra = { ...ctx.tags.extra, ...Object.fromEntries(rendered.map((t) => [t.Key, t.Value])) };
        if (rendered.length)
            ctx.report.summary.push(['Tags', rendered.map((t) => `${t.Key}=${t.Value}`).join(', ')]);
    };
}

;// CONCATENATED MODULE: ./src/features/volume/apply.ts

function applyRootVolume(v, names) {
    return (ctx, base) => {
        ctx.blockDevices = [rootBlockDeviceMapping(v, base, names)];
        ctx.report.summary.push(['Root volume', describeRootVolume(ctx.blockDevices[0])]);
        ctx.digestParts['root-volume'] = [
            v.type,
            v.size,
            v.iops,
            v.throughput,
            v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
        ]
            .map((x) => x ?? '')
            .join(',');
    };
}

;// CONCATENATED MODULE: ./src/pipeline/phases.ts
























function bakePhases(g, kind = 'instance') {
    if (kind === 'disk')
        return diskPhases(g);
    // A dry run ends after its plan: nothing is launched, nothing published.
    // The package inventory is read back before the image phase: its sha256 is one of the AMI's tags.
    const launching = g.dryRun ? [] : [stage, launch, install, sbomPhase, image_image, terminate];
    return [
        baseAmiPhase(g.baseRef, [
            applyRootVolume(g.volume, g.volumeNames),
            applyImdsDigest(g.settings.imdsV2),
            applyTags(g.templates),
        ]),
        ...(g.sweep ? [sweepPhase({ age: g.sweepAge, dryRun: g.dryRun })] : []),
        preflight,
        // The dry run checks the copy targets itself (and prints the plan even when they clash).
        ...(g.copies.length && !g.dryRun ? [copyTargetsPhase(g.copies)] : []),
        ...(g.distribute.template && !g.dryRun ? [checkTemplatePhase(g.distribute.template)] : []),
        ...(g.dryRun
            ? [
                dryRunPhase({
                    copies: g.copies,
                    settings: g.settings,
                    keepLast: g.keepLast,
                    sweepAge: g.sweep ? g.sweepAge : undefined,
                    distribute: g.distribute,
                }),
            ]
            : []),
        ...launching,
        // Before anything leaves the build region: a failed test ends the bake here.
        ...(g.test && !g.dryRun ? [testPhase(g.test)] : []),
        // Added to every bake that launches, even with no copies, shares or IMDSv2 setting: it sets
        // the `amis` output (the AMI by region), which the outputs promise. The base image phase, too,
        // is always added: it describes the image (a plain ami-… id as well) for the volume hook.
        ...(g.dryRun
            ? []
            : [publishPhase({ copies: g.copies, settings: g.settings, timeoutCopy: g.timeoutCopy })]),
        // After the copies (it needs every region's AMI id), so only for an AMI that passed its test.
        ...(publishes(g.distribute) && !g.dryRun ? [distributePhase(g.distribute)] : []),
        ...(g.keepLast && !g.dryRun ? [retentionPhase(g.keepLast)] : []),
    ];
}
/**
 * The phases of a disk artifact: the disk prepare made and tested the root disk, the build only
 * verifies it, uploads its blocks into a snapshot and registers it; nothing is launched for the
 * bake (no stage, launch, install, image, terminate). The golden steps after are the same.
 */
function diskPhases(g) {
    const run = {};
    const verify = diskVerifyPhase(g.disk, run, g.volumeNames, [applyImdsDigest(g.settings.imdsV2), applyTags(g.templates)], { dryRun: g.dryRun, after: g.dryRun ? diskPlanAfter(g) : undefined });
    // A dry run checks the disk and the reuse, and ends there: nothing is uploaded.
    if (g.dryRun)
        return [verify];
    return [
        ...(g.sweep ? [sweepPhase({ age: g.sweepAge, dryRun: false })] : []),
        verify,
        ...(g.copies.length ? [copyTargetsPhase(g.copies)] : []),
        ...(g.distribute.template ? [checkTemplatePhase(g.distribute.template)] : []),
        diskUploadPhase(g.disk, run),
        diskRegisterPhase(g.disk, run),
        // As after the instance bake's terminate: nothing leaves the build region before a pass.
        ...(g.test ? [testPhase(g.test)] : []),
        publishPhase({ copies: g.copies, settings: g.settings, timeoutCopy: g.timeoutCopy }),
        ...(publishes(g.distribute) ? [distributePhase(g.distribute)] : []),
        ...(g.keepLast ? [retentionPhase(g.keepLast)] : []),
    ];
}
/**
 * What a disk artifact's dry run says of the steps after the registration. Said only: the disk
 * dry run ends after its verification and probes none of them (no test launch, copy or
 * publishing permission is checked).
 */
function diskPlanAfter(g) {
    const t = g.test;
    const d = g.distribute;
    const published = [
        ...(d.ssm.length ? [`SSM parameters ${d.ssm.join(', ')} (each region's AMI id)`] : []),
        ...(d.template
            ? [
                `a new version of the launch template ${d.template.raw}${d.template.makeDefault ? ' (made the default)' : ''}`,
            ]
            : []),
    ];
    return [
        t
            ? `then test the AMI on one instance (${t.instanceTypes?.join(', ') ?? 'the default type of its architecture'}, within ${(0,duration/* formatMs */._)(t.timeoutMs)}); a failed test ${t.keepFailed ? 'keeps it tagged failed' : 'deregisters it'} and nothing below happens`
            : 'no test (the artifact has no userdata-test.gz, or test is false)',
        g.copies.length ? `then copy to ${g.copies.map((c) => c.region).join(', ')}` : 'no copies',
        published.length ? `then publish ${published.join(' and ')}` : 'nothing published',
        'the test, copies and publishing are not probed by a disk dry run',
    ];
}

;// CONCATENATED MODULE: ./src/pipeline/session.ts










async function createBake(opts, files, io) {
    const prepared = await loadPrepared(files.userdata, files.fsTgz);
    // vars.env's claim only decides which files must be there and be verified (the disk's phases).
    const kind = (0,artifact/* kindOf */.I)(prepared.vars, prepared.varsPath);
    const policy = { trustArtifactLocation: io.trustArtifactLocation };
    const region = buildRegion(await (0,clients.configuredRegion)(io.env), prepared, policy);
    const cfg = resolveConfig(opts, prepared, { ...policy, region, env: io.env });
    // Checked here too, before any AWS call: the golden options that only make sense together.
    const golden = goldenConfig(opts, region, { hasTest: Boolean(prepared.testUserdata), kind });
    io.state.save(STATE.region, region);
    const deps = {
        ec2: (0,clients/* createEc2 */.Jm)(region),
        quick: (0,clients/* createEc2 */.Jm)(region, 2),
        s3: (0,clients/* createS3 */.h$)(cfg.s3Region, io.env),
        logger: io.logger,
        state: io.state,
        workDir: io.workDir,
        ...io.deps,
    };
    const bake = new Bake(cfg, deps, io.phases ?? bakePhases(golden, kind));
    // No test phase: the outputs say so (the phase sets them when it runs).
    if (!golden.test)
        reportTestStatus(bake.ctx, 'skipped');
    return bake;
}


/***/ })

};
