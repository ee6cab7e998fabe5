export const id = 327;
export const ids = [327];
export const modules = {

/***/ 4327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5193);
/* harmony import */ var _bake_aws_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7980);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4325);
/* harmony import */ var _core_options_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(101);
/* harmony import */ var _core_regions_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(849);
/* harmony import */ var _golden_janitor_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3676);
/** `amibake sweep [AGE]`: terminate leaked build instances and finish the unfinished AMIs of
 *  stopped bakes in the region (environment: BUILDAMI_*). */







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
    const configured = await (0,_bake_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .configuredRegion */ .Rg)(env);
    if (!configured)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo('no AWS region: set AWS_REGION');
    const problem = (0,_core_regions_js__WEBPACK_IMPORTED_MODULE_4__/* .regionProblem */ .Og)(configured.region);
    if (problem)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OptionError */ .eR([`${configured.from}: ${problem}`]);
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
        opts = (0,_core_options_js__WEBPACK_IMPORTED_MODULE_3__/* .readOptions */ .Tt)('sweep', (0,_core_options_js__WEBPACK_IMPORTED_MODULE_3__/* .cliSource */ .kJ)(env, { sweepAge: args[0] }));
    }
    catch (err) {
        // The AGE argument takes the variable's place: say which one was wrong.
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OptionError */ .eR && args[0] !== undefined)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OptionError */ .eR(err.problems.map((p) => p.replace(/^BUILDAMI_SWEEP_AGE:/, 'AGE (instead of BUILDAMI_SWEEP_AGE):')));
        throw err;
    }
    const where = await region(env);
    const log = (0,_core_log_js__WEBPACK_IMPORTED_MODULE_2__/* .createCliLogger */ .x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    const report = await (0,_golden_janitor_js__WEBPACK_IMPORTED_MODULE_5__/* .sweep */ .X)({
        ec2: new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .EC2Client */ .gu5({ region: where, retryMode: 'adaptive', maxAttempts: 10 }),
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
    process.stdout.write((0,_golden_janitor_js__WEBPACK_IMPORTED_MODULE_5__/* .formatSweep */ .G)(report) + '\n');
    return report.failed.length || report.failedImages.length || report.imagesError ? 1 : 0;
}


/***/ })

};
