export const id = 501;
export const ids = [501];
export const modules = {

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

// EXTERNAL MODULE: ./src/pipeline/options.ts + 7 modules
var pipeline_options = __webpack_require__(1921);
;// CONCATENATED MODULE: ./src/fronts/cli-build.ts
/** `amibake build [USERDATA [NAME [VERSION]]]`, configured by BUILDAMI_* variables. Without a
 *  post step to rely on, it terminates the instance itself on every error and on SIGINT/SIGTERM. */









/** How errors name the options: the CLI's variables (and its arguments). */
const NAMES = (0,pipeline_options/* namesFor */.GT)('cli', 'build');
const USAGE = `usage: amibake build [USERDATA [NAME [VERSION]]]

Bakes an AMI from prepared user data: stages fs.tgz in S3, launches a temporary instance, waits
for it to stop, creates the AMI and terminates the instance. vars.env (and fs.tgz) are read from
beside USERDATA. On success the AMI_ID=, AMI_NAME=, REGION= (..., TIMINGS=) lines go to stdout
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
    const missing = (userdataArg ?? env[pipeline_options/* OPTIONS */.lw.userdata.env] ?? '').trim() ? [] : [required];
    let opts;
    try {
        opts = (0,pipeline_options/* readOptions */.Tt)('build', (0,options/* cliSource */.kJ)(env, { userdata: userdataArg, targetName: nameArg, targetVersion: versionArg }));
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
    const { createBake } = await Promise.all(/* import() */[__webpack_require__.e(193), __webpack_require__.e(815), __webpack_require__.e(711), __webpack_require__.e(889), __webpack_require__.e(165), __webpack_require__.e(923)]).then(__webpack_require__.bind(__webpack_require__, 923));
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
