export const id = 327;
export const ids = [327];
export const modules = {

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
