export const id = 713;
export const ids = [713];
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


/***/ }),

/***/ 4327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4325);
/* harmony import */ var _core_options_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3457);
/* harmony import */ var _core_regions_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(849);
/* harmony import */ var _pipeline_options_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(416);
/** `amibake sweep [AGE]`: terminate leaked build instances and finish the unfinished AMIs of
 *  stopped bakes in the region (environment: BUILDAMI_*). */





const NAMES = (0,_pipeline_options_js__WEBPACK_IMPORTED_MODULE_4__/* .namesFor */ .GT)('cli', 'sweep');
const USAGE = `usage: amibake sweep [AGE]

Terminates the instances amibake launched (tag amibake:run) that are older than AGE in the
region and are not terminated yet: the leak a killed runner leaves, which no post step can
clean up. Also finishes amibake's own AMIs older than AGE that a bake left unfinished: one that
failed or is still pending is deregistered and its snapshots deleted; an available one whose
snapshots lack its tags gets them (recorded like a finished bake, kept). Run it on a schedule
with the build's credentials (the build policy covers it).

arguments:
  AGE                 instead of BUILDAMI_SWEEP_AGE

environment:
  BUILDAMI_SWEEP_AGE  age past which an instance counts as leaked, e.g. 6h, 2d (default 6h);
                      make it longer than any bake (the instance and AMI timeouts together)
  BUILDAMI_DRY_RUN    true: only list what would be terminated, discarded or recorded
  AWS_REGION          the region (or the profile's, or AWS_DEFAULT_REGION)`;
async function region(env) {
    const { configuredRegion } = await Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(169), __webpack_require__.e(201)]).then(__webpack_require__.bind(__webpack_require__, 201));
    const configured = await configuredRegion(env);
    if (!configured)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('no AWS region: set AWS_REGION');
    const problem = (0,_core_regions_js__WEBPACK_IMPORTED_MODULE_3__/* .regionProblem */ .Og)(configured.region);
    if (problem)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR([`${configured.from}: ${problem}`]);
    return configured.region;
}
async function main(args, env = process.env) {
    if (args.includes('--help') || args.includes('-h')) {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
        process.stderr.write(`amibake sweep: expected at most one argument, AGE\n${USAGE}\n`);
        return 2;
    }
    let opts;
    try {
        opts = (0,_pipeline_options_js__WEBPACK_IMPORTED_MODULE_4__/* .readOptions */ .Tt)('sweep', (0,_core_options_js__WEBPACK_IMPORTED_MODULE_2__/* .cliSource */ .kJ)(env, { sweepAge: args[0] }));
    }
    catch (err) {
        // The AGE argument takes the variable's place: say which one was wrong.
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OptionError */ .eR && args[0] !== undefined)
            err.named((key, ref) => key === 'sweepAge' ? `AGE (instead of ${_pipeline_options_js__WEBPACK_IMPORTED_MODULE_4__/* .OPTIONS */ .lw.sweepAge.env})` : NAMES(key, ref));
        throw err;
    }
    // The AWS SDK is loaded only past --help and the options: `sweep --help` answers at once.
    const [{ EC2Client }, { formatSweep, sweep }] = await Promise.all([
        __webpack_require__.e(/* import() */ 193).then(__webpack_require__.t.bind(__webpack_require__, 5193, 19)),
        Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(165)]).then(__webpack_require__.bind(__webpack_require__, 8165)),
    ]);
    const where = await region(env);
    const log = (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .createCliLogger */ .x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    const report = await sweep({
        ec2: new EC2Client({ region: where, retryMode: 'adaptive', maxAttempts: 10 }),
        region: where,
        olderThanMs: opts.sweepAge.ms,
        dryRun: opts.dryRun,
        log,
    });
    const failed = new Set(report.failed.map((f) => f.instanceId));
    for (const s of report.swept)
        process.stdout.write(`${failed.has(s.instanceId) ? 'FAILED' : report.dryRun ? 'would-terminate' : 'terminated'}\t${s.instanceId}\t${s.state}\t${s.launched}\t${s.run}\t${s.name}\n`);
    const failedImages = new Set(report.failedImages.map((f) => f.imageId));
    for (const s of report.images) {
        const verb = s.action === 'discard' ? 'discarded' : 'recorded';
        process.stdout.write(`${failedImages.has(s.imageId) ? 'FAILED' : report.dryRun ? `would-${s.action}` : verb}\t${s.imageId}\t${s.state}\t${s.created}\t${s.run}\t${s.name}\n`);
    }
    const failedSnaps = new Set((report.failedSnapshots ?? []).map((f) => f.snapshotId));
    for (const s of report.snapshots ?? [])
        process.stdout.write(`${failedSnaps.has(s.snapshotId) ? 'FAILED' : report.dryRun ? 'would-delete' : 'deleted'}\t${s.snapshotId}\tpending\t${s.started}\t${s.run}\t\n`);
    process.stdout.write(formatSweep(report) + '\n');
    return report.failed.length ||
        report.failedImages.length ||
        report.imagesError ||
        failedSnaps.size ||
        report.snapshotsError
        ? 1
        : 0;
}


/***/ })

};
