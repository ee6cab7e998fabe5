export const id = 501;
export const ids = [501];
export const modules = {

/***/ 8612:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ng: () => (/* binding */ parseManifest),
/* harmony export */   Sp: () => (/* binding */ BLOCKS_FILE),
/* harmony export */   V4: () => (/* binding */ MANIFEST_MAX_BYTES),
/* harmony export */   Wd: () => (/* binding */ blocksBytes),
/* harmony export */   cS: () => (/* binding */ BLOCK_SIZE),
/* harmony export */   dh: () => (/* binding */ DISK_SIZE_UNIT),
/* harmony export */   h1: () => (/* binding */ MANIFEST_FILE),
/* harmony export */   pg: () => (/* binding */ writeDisk)
/* harmony export */ });
/* unused harmony exports MANIFEST_FORMAT, MANIFEST_VERSION, MAX_BLOCK_LENGTH, readBlocks */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4296);
/**
 * The disk of a disk artifact, in the EBS direct APIs' terms: the raw disk cut in 512 KiB blocks,
 * the all-zero ones left out (a new snapshot reads zeros where no block was put), every other one
 * gzip'd on its own into `disk.blocks` and listed in `disk.manifest.json` with its place in the
 * disk, its place in `disk.blocks` and the base64 SHA256 of its uncompressed bytes (what
 * PutSnapshotBlock's checksum wants). The build reads it in-process: no qemu-img, no temporary
 * raw disk.
 *
 * The prepare job writes it, the build job reads it: everything here is attacker-controlled on
 * the reading side, so parseManifest checks every rule and readBlocks re-hashes every block.
 */







/** The EBS direct APIs' block size. */
const BLOCK_SIZE = 524288;
/** A disk's size is a whole number of GiB (an EBS volume's unit). */
const DISK_SIZE_UNIT = 1 << 30;
const MANIFEST_FILE = 'disk.manifest.json';
const BLOCKS_FILE = 'disk.blocks';
const MANIFEST_MAX_BYTES = 64 << 20;
const MANIFEST_FORMAT = 'amibake-disk';
const MANIFEST_VERSION = 1;
/** gzip's worst case for 512 KiB of incompressible bytes is a few hundred bytes over it: anything
 *  longer is not one of our blocks. */
const MAX_BLOCK_LENGTH = BLOCK_SIZE + 4096;
/** The smallest gzip member: a 10-byte header, an empty deflate block, the 8-byte trailer. */
const MIN_BLOCK_LENGTH = 20;
function gzipBlock(data, level) {
    return new Promise((resolve, reject) => node_zlib__WEBPACK_IMPORTED_MODULE_5___default().gzip(data, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}
const ZERO = Buffer.alloc(BLOCK_SIZE);
/**
 * Writes TARGET/disk.blocks and TARGET/disk.manifest.json from the raw disk at RAWPATH (each
 * through a temporary name and a rename, so a failure leaves neither half-written).
 */
async function writeDisk(rawPath, targetDir, opts = {}) {
    const level = opts.level ?? 1;
    if (!Number.isInteger(level) || level < 1 || level > 6)
        throw new Error(`gzip level ${level}: 1-6`);
    const inFlight = opts.inFlight ?? Math.max(2, 2 * (0,node_os__WEBPACK_IMPORTED_MODULE_3__.availableParallelism)());
    const size = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(rawPath)).size;
    if (size === 0 || size % DISK_SIZE_UNIT !== 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`${rawPath}: a disk of ${size} bytes is not a whole number of GiB`);
    }
    const blocksPath = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(targetDir, BLOCKS_FILE);
    const manifestPath = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(targetDir, MANIFEST_FILE);
    const tmpBlocks = `${blocksPath}.${process.pid}.tmp`;
    const tmpManifest = `${manifestPath}.${process.pid}.tmp`;
    const input = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(rawPath, 'r');
    const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(tmpBlocks);
    const outDone = new Promise((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
    });
    const blocksHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const blocks = [];
    let offset = 0;
    /** Blocks being compressed, in disk order. */
    const queue = [];
    const emit = async () => {
        const next = queue.shift();
        const gz = await next.gz;
        blocks.push({ index: next.index, offset, length: gz.length, sha256: next.sha256 });
        offset += gz.length;
        blocksHash.update(gz);
        if (!out.write(gz))
            await new Promise((r) => out.once('drain', () => r()));
    };
    try {
        for (let index = 0; index * BLOCK_SIZE < size; index++) {
            // A fresh buffer per block: the one being compressed must not be overwritten.
            const data = Buffer.allocUnsafe(BLOCK_SIZE);
            let got = 0;
            while (got < BLOCK_SIZE) {
                const { bytesRead } = await input.read(data, got, BLOCK_SIZE - got, index * BLOCK_SIZE + got);
                if (bytesRead === 0)
                    throw new Error(`${rawPath}: shorter than its size while reading`);
                got += bytesRead;
            }
            if (data.equals(ZERO))
                continue;
            const gz = gzipBlock(data, level);
            // Awaited in order by emit; a failure behind one that is thrown first must not go unhandled.
            gz.catch(() => undefined);
            queue.push({ index, sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('base64'), gz });
            while (queue.length >= inFlight)
                await emit();
        }
        while (queue.length)
            await emit();
        out.end();
        await outDone;
        const manifest = {
            format: MANIFEST_FORMAT,
            version: MANIFEST_VERSION,
            blockSize: BLOCK_SIZE,
            size,
            compression: 'gzip',
            blocks,
        };
        const text = JSON.stringify(manifest);
        if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES)
            throw new Error(`${MANIFEST_FILE}: over 64 MiB`);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(tmpManifest, text);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmpBlocks, blocksPath);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmpManifest, manifestPath);
        return {
            manifest,
            manifestPath,
            blocksPath,
            manifestSha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex'),
            blocksSha256: blocksHash.digest('hex'),
            blocksBytes: offset,
        };
    }
    catch (err) {
        out.destroy();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmpBlocks, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmpManifest, { force: true });
        throw err;
    }
    finally {
        await input.close();
    }
}
const SHA256_B64 = /^[A-Za-z0-9+/]{43}=$/;
const MANIFEST_KEYS = ['format', 'version', 'blockSize', 'size', 'compression', 'blocks'];
const BLOCK_KEYS = ['index', 'offset', 'length', 'sha256'];
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
function exactKeys(v, keys, where, fail) {
    for (const k of Object.keys(v))
        if (!keys.includes(k))
            fail(`${where}${k}: unknown field`);
    for (const k of keys)
        if (!(k in v))
            fail(`${where}${k}: missing`);
}
/**
 * The manifest in TEXT (read from SOURCE, named in every error with the field at fault), checked
 * against every rule of the format: the reader trusts nothing it did not check here.
 */
function parseManifest(text, source) {
    const fail = (m) => {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`${source}: ${m}`);
    };
    if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES)
        fail('over 64 MiB');
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (err) {
        fail(`not JSON (${err.message})`);
    }
    if (!isObject(doc))
        return fail('not a JSON object');
    exactKeys(doc, MANIFEST_KEYS, '', fail);
    if (doc.format !== MANIFEST_FORMAT)
        fail(`format: expected "${MANIFEST_FORMAT}"`);
    if (doc.version !== MANIFEST_VERSION)
        fail(`version: expected ${MANIFEST_VERSION}`);
    if (doc.blockSize !== BLOCK_SIZE)
        fail(`blockSize: expected ${BLOCK_SIZE}`);
    if (doc.compression !== 'gzip')
        fail('compression: expected "gzip"');
    const size = doc.size;
    if (!isCount(size) || size === 0 || size % DISK_SIZE_UNIT !== 0) {
        return fail('size: expected a positive whole number of GiB in bytes');
    }
    if (!Array.isArray(doc.blocks))
        return fail('blocks: expected an array');
    const count = size / BLOCK_SIZE;
    let offset = 0;
    let previous = -1;
    const blocks = doc.blocks.map((b, i) => {
        const where = `blocks[${i}].`;
        if (!isObject(b))
            return fail(`blocks[${i}]: expected an object`);
        exactKeys(b, BLOCK_KEYS, where, fail);
        const { index, offset: at, length, sha256 } = b;
        if (!isCount(index) || index >= count)
            fail(`${where}index: expected an integer from 0 to ${count - 1}`);
        if (index <= previous) {
            fail(`${where}index: blocks must be sorted by index with no duplicates (${index} after ${previous})`);
        }
        if (!isCount(at) || at !== offset)
            fail(`${where}offset: expected ${offset} (offsets contiguous from 0)`);
        if (!isCount(length) || length < MIN_BLOCK_LENGTH || length > MAX_BLOCK_LENGTH) {
            fail(`${where}length: expected an integer from ${MIN_BLOCK_LENGTH} to ${MAX_BLOCK_LENGTH}`);
        }
        if (typeof sha256 !== 'string' || !SHA256_B64.test(sha256)) {
            fail(`${where}sha256: expected the base64 SHA256 of the block (44 characters)`);
        }
        previous = index;
        offset += length;
        return { index, offset: at, length, sha256 };
    });
    return {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        blockSize: BLOCK_SIZE,
        size,
        compression: 'gzip',
        blocks,
    };
}
/** Bytes of disk.blocks the manifest accounts for. */
function blocksBytes(manifest) {
    const last = manifest.blocks.at(-1);
    return last ? last.offset + last.length : 0;
}
function gunzipBlock(data) {
    return new Promise((resolve, reject) => 
    // One byte over the block is enough to tell a block that inflates too far (a bomb stops there).
    zlib.gunzip(data, { maxOutputLength: BLOCK_SIZE + 1 }, (err, out) => (err ? reject(err) : resolve(out))));
}
/**
 * The blocks of TARGET/disk.blocks in manifest order, each decompressed, checked to be exactly
 * BLOCK_SIZE bytes and to hash to the manifest's sha256. The file must be exactly as long as the
 * manifest says.
 */
async function* readBlocks(targetDir, manifest) {
    const path = join(targetDir, BLOCKS_FILE);
    const fh = await open(path, 'r');
    try {
        const total = (await fh.stat()).size;
        const expected = blocksBytes(manifest);
        if (total !== expected) {
            throw new UserError(`${path}: ${total} bytes, the manifest accounts for ${expected}`);
        }
        for (const block of manifest.blocks) {
            const gz = Buffer.alloc(block.length);
            let got = 0;
            while (got < block.length) {
                const { bytesRead } = await fh.read(gz, got, block.length - got, block.offset + got);
                if (bytesRead === 0)
                    throw new UserError(`${path}: ends inside block ${block.index}`);
                got += bytesRead;
            }
            const data = await gunzipBlock(gz).catch((err) => {
                throw new UserError(`${path}: block ${block.index} does not decompress (${err.message})`);
            });
            if (data.length !== BLOCK_SIZE) {
                throw new UserError(`${path}: block ${block.index} inflates to ${data.length > BLOCK_SIZE ? 'more than that' : data.length} ` +
                    `bytes, not ${BLOCK_SIZE}`);
            }
            const sha256 = createHash('sha256').update(data).digest('base64');
            if (sha256 !== block.sha256) {
                throw new UserError(`${path}: block ${block.index} does not match its sha256 in the manifest`);
            }
            yield { index: block.index, data, sha256 };
        }
    }
    finally {
        await fh.close();
    }
}


/***/ }),

/***/ 1599:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   qT: () => (/* binding */ STARTED_KEY),
/* harmony export */   tj: () => (/* binding */ MemoryState)
/* harmony export */ });
/* unused harmony exports startedPhases, readState */
/** The ids of the phases that have started, in order, comma-separated (saved before each runs). */
const STARTED_KEY = 'amibake_phases';
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
function startedPhases(saved) {
    return (saved[STARTED_KEY] ?? '').split(',').filter(Boolean);
}
/** Reads the saved values of `keys` back (the post step: `get` is core.getState). */
function readState(get, keys) {
    const out = {};
    for (const key of keys) {
        const v = get(key);
        if (v)
            out[key] = v;
    }
    return out;
}


/***/ }),

/***/ 8806:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ leftoverMessage),
/* harmony export */   _: () => (/* binding */ emptyReport)
/* harmony export */ });
const emptyReport = () => ({ terminated: [], confirmed: [], left: [], problems: [] });
/** The problems of a report as one error message (empty when nothing is left). */
function leftoverMessage(report) {
    if (!report.problems.length)
        return '';
    return (`cleanup left resources in AWS:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'remove them by hand, or let `amibake sweep` terminate the build instances and finish the AMIs');
}


/***/ }),

/***/ 3366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JD: () => (/* binding */ timingsText),
/* harmony export */   Kl: () => (/* binding */ phaseLine),
/* harmony export */   _z: () => (/* binding */ timingsJson),
/* harmony export */   cU: () => (/* binding */ timingRows)
/* harmony export */ });
/* unused harmony exports formatDuration, timingEntries, ganttLabel, ganttMarkdown */
/** Seconds as people read them: tenths under 10 s, whole seconds, then minutes and hours. */
function formatDuration(seconds) {
    if (seconds < 9.95)
        return `${seconds.toFixed(1)} s`;
    const s = Math.round(seconds);
    if (s < 60)
        return `${s} s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
/** The log line of a phase that ended: its time, and its spans' in parentheses. */
function phaseLine(t) {
    const spans = t.spans.map((s) => `${s.title} ${formatDuration(s.seconds)}`).join(', ');
    return `${t.title}: ${formatDuration(t.seconds)}${spans ? ` (${spans})` : ''}`;
}
/** Rows [label, duration]: each phase, its spans below it (marked ↳), the total. */
function timingRows(timings) {
    const rows = [];
    for (const t of timings) {
        rows.push([t.title, formatDuration(t.seconds)]);
        for (const s of t.spans)
            rows.push([`↳ ${s.title}`, formatDuration(s.seconds)]);
    }
    rows.push(['Total', formatDuration(timings.reduce((a, t) => a + t.seconds, 0))]);
    return rows;
}
/** The table the log ends with. */
function timingsText(timings) {
    const rows = timingRows(timings);
    const width = Math.max(...rows.map(([k]) => k.length));
    return ['Time to AMI:', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v.padStart(10)}`)].join('\n');
}
const iso = (ms) => new Date(ms).toISOString();
const round = (s) => Math.round(s * 1000) / 1000;
function timingEntries(timings) {
    return timings.map((t) => ({
        phase: t.phase,
        title: t.title,
        start: iso(t.start),
        seconds: round(t.seconds),
        spans: t.spans.map((s) => ({
            span: s.id,
            title: s.title,
            start: iso(s.start),
            seconds: round(s.seconds),
            wait: s.wait,
        })),
    }));
}
/** The `timings` output and the output file's TIMINGS: one line of JSON. */
function timingsJson(timings) {
    return JSON.stringify(timingEntries(timings));
}
/**
 * A task name Mermaid cannot misread: `:` ends it, `;` ends a statement, `#` starts an entity,
 * `%%` a comment, a backquote could close the code fence, and a line break ends the line.
 */
function ganttLabel(title, fallback) {
    const clean = title
        .replace(/[:;#%`<>\\]/g, ' ')
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return clean || fallback;
}
function bar(label, t, failed = false) {
    // Epoch milliseconds (dateFormat x); a bar of 0 ms is given 1 so that Mermaid draws it.
    const end = Math.max(t.start + Math.round(t.seconds * 1000), t.start + 1);
    // `crit` draws the phase that failed in red.
    return `    ${label} :${failed ? 'crit, ' : ''}${t.start}, ${end}`;
}
/**
 * The timeline as a Mermaid gantt chart in a Markdown code block: a "Phases" section with one bar
 * per phase at its real start and end, then a section per phase that marked spans (the
 * instance's states, the AMI's wait). Starts with a blank line: after an HTML block (the summary's
 * table) Markdown needs one before a code fence.
 */
function ganttMarkdown(timings, title = 'Time to AMI') {
    const lines = [
        '',
        '```mermaid',
        'gantt',
        `    title ${ganttLabel(title, 'Timeline')}`,
        '    dateFormat x',
        '    axisFormat %H:%M:%S',
        '    todayMarker off',
        '    section Phases',
        ...timings.map((t) => bar(ganttLabel(t.title, t.phase), t, !t.ok)),
    ];
    for (const t of timings) {
        if (!t.spans.length)
            continue;
        lines.push(`    section ${ganttLabel(t.title, t.phase)}`);
        lines.push(...t.spans.map((s) => bar(ganttLabel(s.title, s.id), s)));
    }
    lines.push('```', '');
    return lines.join('\n');
}


/***/ }),

/***/ 963:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DS: () => (/* binding */ openBlocks),
/* harmony export */   El: () => (/* binding */ loadDisk),
/* harmony export */   I: () => (/* binding */ kindOf),
/* harmony export */   Kv: () => (/* binding */ kindOfFolder),
/* harmony export */   rC: () => (/* binding */ preparedUserdata)
/* harmony export */ });
/* unused harmony export DISK_FILES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_6___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_6__);
/* harmony import */ var _core_contract_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2013);
/* harmony import */ var _core_envfile_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(5934);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(4296);
/* harmony import */ var _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8612);
/**
 * The disk files of an artifact (attacker-controlled, like the rest of it): which kind of artifact
 * vars.env says it is (that only decides which files must be present and verified), the sha256 of
 * disk.manifest.json and disk.blocks against vars.env, the manifest's rules and its size against
 * DISK_SIZE, and the blocks, read one by one: each gunzipped to exactly 512 KiB, no further.
 */











const gunzipAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_5__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_6__.gunzip);
const DISK_FILES = { manifest: _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .MANIFEST_FILE */ .h1, blocks: _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .BLOCKS_FILE */ .Sp };
/** Variables of a disk prepare's vars.env: the stage contract's names. */

/** The kind vars.env claims: absent is an instance artifact; anything but `disk` is refused. */
function kindOf(vars, varsPath) {
    const kind = vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.kind];
    if (kind === undefined || kind === '')
        return 'instance';
    if (kind === 'disk')
        return 'disk';
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${varsPath}: ${_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.kind} must be disk or absent (an instance artifact)`);
}
/**
 * The kind of the prepared folder, read before the options are checked (an instance bake needs a
 * subnet, a disk upload does not). A folder whose vars.env cannot be read counts as an instance
 * artifact: loading it names the problem.
 */
async function kindOfFolder(dir) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'vars.env'), 'utf8');
    }
    catch {
        return 'instance';
    }
    let vars;
    try {
        vars = (0,_core_envfile_js__WEBPACK_IMPORTED_MODULE_10__/* .parseEnv */ .vc)(text, (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'vars.env'));
    }
    catch {
        return 'instance';
    }
    return kindOf(vars, (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'vars.env'));
}
const HEX64 = /^[0-9a-f]{64}$/;
const RECIPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
async function sha256File(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path), hash);
    return hash.digest('hex');
}
/** Checks the disk files of `dir` against its vars.env (`vars`), before any AWS call. */
async function loadDisk(dir, vars, varsPath) {
    const need = (key, re, what) => {
        const v = vars[key];
        if (v === undefined || v === '')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${varsPath}: ${key} is missing (KIND=disk)`);
        if (!re.test(v))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${varsPath}: ${key} must be ${what}`);
        return v;
    };
    const manifestSha = need(_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.manifestSha256, HEX64, 'a hex sha256');
    const blocksSha = need(_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.blocksSha256, HEX64, 'a hex sha256');
    const size = Number(need(_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.size, /^[1-9][0-9]{0,15}$/, 'a number of bytes'));
    const baseDigest = need(_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.baseDigest, HEX64, 'a hex sha256');
    const recipe = need(_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.recipe, RECIPE, 'a short id (letters, digits, . _ -)');
    const manifestPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, DISK_FILES.manifest);
    const blocksPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, DISK_FILES.blocks);
    const sizeOf = async (path) => {
        try {
            return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(path)).size;
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${path}: ${err.code ?? (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err)} (${varsPath} says KIND=disk: amibake prepare --disk writes it)`);
        }
    };
    if ((await sizeOf(manifestPath)) > _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .MANIFEST_MAX_BYTES */ .V4)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${manifestPath}: more than ${_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .MANIFEST_MAX_BYTES */ .V4} bytes: not what prepare writes`);
    const blocksSize = await sizeOf(blocksPath);
    const manifestBytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(manifestPath);
    const check = (path, actual, key, expected) => {
        if (actual !== expected)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${path}: sha256 ${actual} does not match ${key} in ${varsPath} (${expected}): the files do not come from the same prepare run`);
    };
    check(manifestPath, (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(manifestBytes).digest('hex'), _core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.manifestSha256, manifestSha);
    check(blocksPath, await sha256File(blocksPath), _core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.blocksSha256, blocksSha);
    const manifest = (0,_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .parseManifest */ .Ng)(manifestBytes.toString('utf8'), manifestPath);
    if (manifest.size !== size)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${manifestPath}: size ${manifest.size} is not ${_core_contract_js__WEBPACK_IMPORTED_MODULE_7__/* .DISK_VARS */ .nM.size} ${size} of ${varsPath}`);
    if ((0,_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .blocksBytes */ .Wd)(manifest) !== blocksSize)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${blocksPath}: ${blocksSize} bytes, the manifest accounts for ${(0,_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .blocksBytes */ .Wd)(manifest)}`);
    return { manifestPath, blocksPath, manifest, size, baseDigest, recipe };
}
/** One block of disk.blocks, gunzipped to exactly 512 KiB (more is refused, not inflated). */
async function readBlock(file, disk, n) {
    const b = disk.manifest.blocks[n];
    const gz = Buffer.alloc(b.length);
    const { bytesRead } = await file.read(gz, 0, b.length, b.offset);
    if (bytesRead !== b.length)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${disk.blocksPath}: block ${b.index} is cut short`);
    let data;
    try {
        data = await gunzipAsync(gz, { maxOutputLength: _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .BLOCK_SIZE */ .cS });
    }
    catch (err) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${disk.blocksPath}: block ${b.index} is not one gzip member of ${_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .BLOCK_SIZE */ .cS} bytes: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err)}`);
    }
    if (data.length !== _disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .BLOCK_SIZE */ .cS)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .UserError */ .yo(`${disk.blocksPath}: block ${b.index} holds ${data.length} bytes, not ${_disk_manifest_js__WEBPACK_IMPORTED_MODULE_9__/* .BLOCK_SIZE */ .cS}`);
    return data;
}
/** The disk's blocks for the uploader, each with the manifest's checksum to hold it to; the file
 *  stays open until `close`. */
async function openBlocks(disk) {
    const file = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(disk.blocksPath, 'r');
    return {
        blocks: disk.manifest.blocks.map((b, n) => ({
            index: b.index,
            expectedSha256: b.sha256,
            read: () => readBlock(file, disk, n),
        })),
        close: () => file.close(),
    };
}
/** `amibake build TARGET`: the prepared folder (either kind), or its userdata.gz as before. */
async function preparedUserdata(target) {
    try {
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(target)).isDirectory())
            return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(target, 'userdata.gz');
    }
    catch {
        // not there: loading it names the problem
    }
    return target;
}


/***/ }),

/***/ 7501:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/log.ts
var log = __webpack_require__(4325);
// EXTERNAL MODULE: ./src/core/options.ts
var options = __webpack_require__(3457);
;// CONCATENATED MODULE: ./src/engine/signals.ts
/** Cancelling on SIGINT/SIGTERM within the runner's budget. */

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

// EXTERNAL MODULE: ./src/engine/state.ts
var engine_state = __webpack_require__(1599);
// EXTERNAL MODULE: ./src/features/bake/context.ts
var context = __webpack_require__(8806);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
// EXTERNAL MODULE: ./src/features/bake/timings.ts
var timings = __webpack_require__(3366);
;// CONCATENATED MODULE: ./src/features/bake/report.ts
/** What a bake hands on: action outputs, the sourceable output file, the summary table. */




function outputFileText(r) {
    return (0,envfile/* formatEnv */.R_)({
        AMI_ID: r.amiId,
        AMI_NAME: r.amiName,
        REGION: r.region,
        ...r.report.fileVars,
        TIMINGS: (0,timings/* timingsJson */._z)(r.timings),
    });
}
async function writeOutputFile(path, r) {
    try {
        await (0,promises_.writeFile)(path, outputFileText(r));
    }
    catch (err) {
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('outputFile')}: cannot write ${path}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
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
    rows.push(...(0,timings/* timingRows */.cU)(r.timings));
    return rows;
}
function summaryText(r) {
    const rows = summaryRows(r);
    const width = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/features/disk-upload/artifact.ts
var artifact = __webpack_require__(963);
// EXTERNAL MODULE: ./src/pipeline/options.ts + 10 modules
var pipeline_options = __webpack_require__(416);
;// CONCATENATED MODULE: ./src/fronts/cli-build.ts
/** `amibake build [USERDATA [NAME [VERSION]]]`, configured by BUILDAMI_* variables. Without a
 *  post step to rely on, it terminates the instance itself on every error and on SIGINT/SIGTERM. */











/** How errors name the options: the CLI's variables (and its arguments). */
const NAMES = (0,pipeline_options/* namesFor */.GT)('cli', 'build');
const USAGE = `usage: amibake build [TARGET|USERDATA [NAME [VERSION]]]

Bakes an AMI from what prepare wrote to TARGET (or from its USERDATA, userdata.gz: vars.env and
fs.tgz are read from beside it). An instance artifact: stages fs.tgz in S3, launches a temporary
instance, waits for it to stop, creates the AMI and terminates the instance. A disk artifact
(prepare --disk): uploads the disk into a snapshot with the EBS direct APIs and registers it;
nothing is launched. On success the AMI_ID=, AMI_NAME=, REGION= (..., TIMINGS=) lines go to stdout
(and to BUILDAMI_OUTPUT); progress goes to stderr.

Credentials come from the standard AWS chain (AWS_PROFILE, ...). The region is AWS_REGION (or the
profile's, or AWS_DEFAULT_REGION), else AWSREGION from vars.env; fs.tgz goes to BUILDAMI_S3URL,
else S3URL from vars.env. A vars.env that names another region or S3 URL than these is refused.

Variables:
${Object.values(pipeline_options/* OPTIONS */.lw)
    .filter((d) => d.env && d.stages.includes('build'))
    .map((d) => `  ${d.env.padEnd(30)} ${d.required ? '(required) ' : ''}${d.default ? `[${d.default}] ` : ''}`)
    .join('\n')}

What each one does: docs/build.md.`;
async function main(args, env = process.env) {
    try {
        return await build(args, env);
    }
    catch (err) {
        // Errors name the options by key: the CLI says what the user set.
        throw (0,errors/* named */.KT)(err, NAMES);
    }
}
async function build(args, env) {
    if (args.includes('--help') || args.includes('-h')) {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    if (args.length > 3 || args.some((a) => a.startsWith('-')))
        throw new errors/* OptionError */.eR([`unexpected argument(s): ${args.join(' ')}\n${USAGE}`]);
    const [userdataArg, nameArg, versionArg] = args;
    // Every problem at once: a missing user data is reported with the other options'.
    const required = `${pipeline_options/* OPTIONS */.lw.userdata.env} (or the USERDATA argument): is required`;
    const target = (userdataArg ?? env[pipeline_options/* OPTIONS */.lw.userdata.env] ?? '').trim();
    const missing = target ? [] : [required];
    // The artifact's kind decides which options are required (a disk upload needs no subnet).
    const userdataPath = target ? await (0,artifact/* preparedUserdata */.rC)(target) : undefined;
    const kind = userdataPath ? await (0,artifact/* kindOfFolder */.Kv)((0,external_node_path_.dirname)(userdataPath)) : 'instance';
    let opts;
    try {
        opts = (0,pipeline_options/* readBuildOptions */.VX)((0,options/* cliSource */.kJ)(env, { userdata: userdataPath, targetName: nameArg, targetVersion: versionArg }), kind);
    }
    catch (err) {
        if (err instanceof errors/* OptionError */.eR)
            throw new errors/* OptionError */.eR([...missing, ...err.items]);
        throw err;
    }
    if (!opts.userdata)
        throw new errors/* OptionError */.eR([required]);
    const logger = (0,log/* createCliLogger */.x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    const state = new engine_state/* MemoryState */.tj();
    // The composition root (and with it the AWS SDK) is loaded only past --help and the options:
    // `build --help` answers at once.
    const { createBake } = await Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(815), __webpack_require__.e(169), __webpack_require__.e(889), __webpack_require__.e(165), __webpack_require__.e(754)]).then(__webpack_require__.bind(__webpack_require__, 1754));
    const bake = await createBake(opts, { userdata: opts.userdata, fsTgz: opts.fsTgz }, 
    // The spec's flow: vars.env's AWSREGION and S3URL unless AWS_REGION / BUILDAMI_S3URL are set.
    { trustArtifactLocation: true, logger, state, env });
    // No post step here: wait until the instance is really terminated. A RunInstances in flight
    // gets a few seconds to answer; after that the instance is found by its client-token tag.
    // Whatever could not be removed is an error naming it by id (the exit code is the signal's).
    const off = onSignals(logger, async () => {
        const left = (0,context/* leftoverMessage */.N)(await bake.cancel({ wait: true, graceMs: 5000, terminateSeconds: 60 }));
        if (left)
            throw new errors/* UserError */.yo(left);
    }, 120_000);
    try {
        // On an error the bake has cleaned up, and its error names what is left.
        const result = await bake.run();
        logger.info(summaryText(result));
        // The AMI is made but the instance was not seen terminated: no post step will try again.
        const left = result.instanceId && !result.terminated ? (0,context/* leftoverMessage */.N)(await bake.cleanupOnce({ wait: true })) : '';
        // A dry run makes no AMI: no AMI_ID= lines.
        if (!result.report.dryRun) {
            if (opts.outputFile)
                await writeOutputFile(opts.outputFile, result);
            process.stdout.write(outputFileText(result));
        }
        if (left)
            throw new errors/* UserError */.yo(left);
        return 0;
    }
    catch (err) {
        // A failed bake still says where its time went (the phase that failed is the last row).
        if (bake.engine.timings.length)
            logger.info((0,timings/* timingsText */.JD)(bake.engine.timings));
        throw err;
    }
    finally {
        off();
    }
}


/***/ })

};
