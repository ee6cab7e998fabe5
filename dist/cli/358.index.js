export const id = 358;
export const ids = [358];
export const modules = {

/***/ 4358:
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
// EXTERNAL MODULE: ./src/compile/options.ts
var compile_options = __webpack_require__(9643);
;// CONCATENATED MODULE: ./src/compile/interrupt.ts
/** SIGINT and SIGTERM (Ctrl-C, a cancelled CI job) while prepare runs: compile.sh and what it
 *  started are stopped and the temporary folders removed before the process ends. */

const SIGNALS = { SIGINT: 130, SIGTERM: 143 };
class InterruptedError extends errors/* UserError */.yo {
    signalName;
    name = 'InterruptedError';
    constructor(signalName) {
        super(`interrupted by ${signalName}: compile.sh stopped, temporary files removed, TARGET left as it was`);
        this.signalName = signalName;
    }
    /** The exit status of a process ended by the signal (128 + its number). */
    get exitCode() {
        return SIGNALS[this.signalName];
    }
}
/** Runs `fn` with a signal that aborts on the first SIGINT or SIGTERM. The handlers are `once`: a
 *  second signal ends the process at once, as it would without them. */
async function interruptible(fn) {
    const controller = new AbortController();
    const handlers = Object.keys(SIGNALS).map((sig) => {
        const handler = () => controller.abort(new InterruptedError(sig));
        process.once(sig, handler);
        return [sig, handler];
    });
    try {
        return await fn(controller.signal);
    }
    finally {
        for (const [sig, handler] of handlers)
            process.off(sig, handler);
    }
}

// EXTERNAL MODULE: ./src/compile/prepare.ts + 7 modules
var prepare = __webpack_require__(7197);
;// CONCATENATED MODULE: ./src/fronts/cli-prepare.ts
/** `amibake prepare SOURCE TARGET` (environment: AWSREGION, S3URL). */






const USAGE = `usage: amibake prepare SOURCE TARGET

Compiles the image source folder SOURCE into TARGET/userdata.gz, TARGET/vars.env and, when the
files do not fit in the user data, TARGET/fs.tgz.

environment:
  AWSREGION   region the instance uses for 'aws s3 cp' without a presigned URL (default ap-northeast-1)
  S3URL       s3://bucket/path/fs.tgz, where the build stage stages fs.tgz (needed when it goes external)`;
async function main(args, env = process.env) {
    if (args.includes('--help') || args.includes('-h')) {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    if (args.length !== 2 || args.some((a) => a.startsWith('-'))) {
        process.stderr.write(`amibake prepare: expected SOURCE and TARGET\n${USAGE}\n`);
        return 2;
    }
    const [source, target] = args;
    const opts = (0,options/* readOptions */.Tt)(compile_options/* PREPARE_OPTIONS */.d, 'prepare', (0,options/* cliSource */.kJ)(env, { source, target }));
    try {
        await interruptible((signal) => (0,prepare/* prepare */.iA)({
            source: opts.source,
            target: opts.target,
            awsRegion: opts.awsRegion,
            s3Url: opts.s3Url,
            logger: (0,log/* createCliLogger */.x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true'),
            env,
            signal,
        }));
    }
    catch (err) {
        // Errors name the options by key: the CLI says what the user set (TARGET, S3URL).
        if (!(err instanceof InterruptedError))
            throw (0,errors/* named */.KT)(err, (0,options/* nameFor */.Fe)(compile_options/* PREPARE_OPTIONS */.d, 'cli', 'prepare'));
        process.stderr.write(`amibake prepare: ${err.message}\n`);
        return err.exitCode;
    }
    return 0;
}


/***/ })

};
