export const id = 201;
export const ids = [201];
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

/***/ 2495:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _5: () => (/* binding */ deadlineIn),
/* harmony export */   iq: () => (/* binding */ retryTimings),
/* harmony export */   uk: () => (/* binding */ realSleep),
/* harmony export */   v6: () => (/* binding */ retryUntil)
/* harmony export */ });
/* unused harmony exports DEFAULT_TIMINGS, setRetryTimings */
/**
 * How hard amibake insists on AWS calls: the SDK's own retries of each call, and amibake's
 * retries around the calls cleanup depends on (TerminateInstances, the lookups that find what to
 * clean up). The values are not user options: they are a test seam, so that a fault injected for
 * good fails a call in a second instead of after the SDK's minutes of backoff.
 */
const DEFAULT_TIMINGS = {
    sdkAttempts: 10,
    sdkMode: 'adaptive',
    backoffMs: 1000,
    maxBackoffMs: 15_000,
};
let current = { ...DEFAULT_TIMINGS };
function retryTimings() {
    return current;
}
/** Test seam: changes the timings of the clients created from now on; returns the undo. */
function setRetryTimings(timings) {
    const saved = current;
    current = { ...current, ...timings };
    return () => {
        current = saved;
    };
}
/** `seconds` as a deadline from now, capped by the test seam. */
function deadlineIn(seconds, now = Date.now()) {
    const ms = seconds * 1000;
    return now + (current.deadlineCapMs !== undefined ? Math.min(ms, current.deadlineCapMs) : ms);
}
const realSleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * Calls `attempt` until it returns a value other than undefined, or the deadline passes (then
 * the last error is thrown, or undefined returned when every attempt answered undefined). Errors
 * for which `fatal` is true end the loop at once.
 */
async function retryUntil(attempt, opts) {
    const sleep = opts.sleep ?? realSleep;
    let pause = current.backoffMs;
    for (;;) {
        let lastError;
        let failed = false;
        try {
            const v = await attempt();
            if (v !== undefined)
                return v;
        }
        catch (err) {
            if (opts.fatal?.(err))
                throw err;
            opts.onError?.(err);
            lastError = err;
            failed = true;
        }
        const left = opts.deadline - Date.now();
        if (left <= 0) {
            if (failed)
                throw lastError;
            return undefined;
        }
        await sleep(Math.min(pause, left));
        pause = Math.min(pause * 2, current.maxBackoffMs);
    }
}


/***/ })

};
