export const id = 269;
export const ids = [269];
export const modules = {

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jm: () => (/* binding */ createEc2),
/* harmony export */   L_: () => (/* binding */ sdkRetry),
/* harmony export */   Rg: () => (/* binding */ configuredRegion),
/* harmony export */   h$: () => (/* binding */ createS3),
/* harmony export */   ok: () => (/* binding */ clientsByRegion)
/* harmony export */ });
/* unused harmony exports MAX_ATTEMPTS, customS3Endpoint */
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
    return new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .EC2Client */ .gu5({ region, ...sdkRetry(maxAttempts) });
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
        const region = await new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__/* .EC2Client */ .gu5({}).config.region();
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


/***/ }),

/***/ 9378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   V5: () => (/* binding */ refusedByAws),
/* harmony export */   c4: () => (/* binding */ isNotFound),
/* harmony export */   nG: () => (/* binding */ httpStatus)
/* harmony export */ });
/* unused harmony exports isCode, isThrottling */
/**
 * The one place that classifies AWS errors (after Packer's awserrors/utils.go): every module asks
 * here whether an error means "not found", "refused" or "throttled" instead of testing a message
 * or an error name of its own.
 */
/** The AWS error code of an SDK error ('DryRunOperation', 'InvalidAMIID.NotFound', ...). */
function errorCode(err) {
    const e = err;
    return e?.Code ?? e?.name ?? e?.code ?? '';
}
/** The HTTP status of AWS's answer; undefined when no answer came (a lost connection). */
function httpStatus(err) {
    return err?.$metadata?.httpStatusCode;
}
/** Whether `err` carries one of these codes; a code ending in `.` matches a family
 *  (`InvalidAMIID.` is InvalidAMIID.NotFound, .Malformed, .Unavailable). */
function isCode(err, ...codes) {
    const code = errorCode(err);
    return codes.some((c) => (c.endsWith('.') ? code.startsWith(c) : code === c));
}
/** What "does not exist (any more)" looks like for each resource amibake handles. */
const NOT_FOUND = {
    // Malformed and Unavailable ids are as absent as unknown ones for a lookup.
    image: ['InvalidAMIID.'],
    snapshot: ['InvalidSnapshot.NotFound'],
    instance: ['InvalidInstanceID.NotFound'],
    object: ['NoSuchKey'],
};
function isNotFound(err, what) {
    return isCode(err, ...NOT_FOUND[what]);
}
const THROTTLING = [
    'RequestLimitExceeded',
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'SlowDown',
    'TooManyRequestsException',
];
function isThrottling(err) {
    return isCode(err, ...THROTTLING) || httpStatus(err) === 429;
}
/** AWS answered and refused the call (a 4xx that is not throttling): it was not carried out. Any
 *  other failure (5xx, throttling, a lost connection) may have come after AWS did the work. */
function refusedByAws(err) {
    const status = httpStatus(err);
    return status !== undefined && status >= 400 && status < 500 && !isThrottling(err);
}


/***/ }),

/***/ 2725:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ discardImage),
/* harmony export */   a: () => (/* binding */ removeImage)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);
/* harmony import */ var _images_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5687);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2495);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7199);
/**
 * Removing AMIs with their snapshots (a snapshot cannot go while an image uses it): a bake's own
 * unfinished AMI is discarded loudly, every call retried until a deadline; retention and copies
 * remove best-effort, warning. "Already gone" is never a problem (./errors.ts decides what is).
 */






/**
 * Deregisters an AMI that is not a bake result and deletes its snapshots, each call retried until
 * `deadline`. Returns the problems, each naming what is left by id (an empty list: all gone).
 */
async function discardImage(ec2, image, logger, opts) {
    const imageId = image.ImageId;
    const problems = [];
    const retry = (what, gone) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .retryUntil */ .v6)(async () => {
        try {
            await what();
        }
        catch (err) {
            if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, gone))
                return true;
            throw err;
        }
        return true;
    }, { ...opts, onError: (err) => logger.debug(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; retrying`) });
    // The snapshots of an unfinished AMI are untagged (they get their tags once it is available):
    // tag them first, so that a role allowed to delete only amibake's snapshots may delete them,
    // and one that cannot be deleted stays recognisable.
    const tags = (0,_tags_js__WEBPACK_IMPORTED_MODULE_4__/* .ownTags */ .Wb)(image);
    if (Object.keys(tags).length)
        await (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .tagSnapshots */ .sD)(ec2, image, tags).catch((err) => logger.warn(`could not tag the snapshots of ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`));
    try {
        await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .DeregisterImageCommand */ .x2c({ ImageId: imageId })), 'image');
        logger.info(`deregistered the unfinished AMI ${imageId} (${image.State})`);
    }
    catch (err) {
        const snaps = (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotIds */ .Ns)(image);
        problems.push(`the unfinished AMI ${imageId} (${image.Name ?? ''}, ${image.State}) is left` +
            (snaps.length ? ` with its snapshots ${snaps.join(', ')}` : '') +
            `: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        return problems;
    }
    // A pending AMI does not list its snapshots yet: they are found by description too.
    const snaps = new Set((0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotIds */ .Ns)(image));
    try {
        for (const id of await (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotsByDescription */ .pH)(ec2, imageId))
            snaps.add(id);
    }
    catch (err) {
        problems.push(`could not list the snapshots of the discarded AMI ${imageId} (filter description=*${imageId}*): ` +
            `${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; any that exist are left`);
    }
    for (const snap of snaps) {
        try {
            await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .DeleteSnapshotCommand */ .tZN({ SnapshotId: snap })), 'snapshot');
            logger.info(`deleted snapshot ${snap}`);
        }
        catch (err) {
            problems.push(`the snapshot ${snap} of the discarded AMI ${imageId} is left: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    return problems;
}
/**
 * Deregisters the image, then deletes its snapshots (a snapshot cannot go while an image uses
 * it). `extraSnapshots` are snapshots known from elsewhere (a pending copy lists none yet).
 * Idempotent: a missing image or snapshot is not a problem.
 */
async function removeImage(ec2, imageId, log, extraSnapshots = []) {
    const problems = [];
    let image;
    try {
        image = await (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .findImage */ .F1)(ec2, imageId);
    }
    catch (err) {
        problems.push(`describe ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
    }
    const snapshots = [...new Set([...(image ? (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotIds */ .Ns)(image) : []), ...extraSnapshots])];
    if (image) {
        try {
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .DeregisterImageCommand */ .x2c({ ImageId: imageId }));
        }
        catch (err) {
            if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, 'image'))
                problems.push(`deregister ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    if (problems.length === 0) {
        for (const snap of snapshots) {
            try {
                await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__/* .DeleteSnapshotCommand */ .tZN({ SnapshotId: snap }));
            }
            catch (err) {
                if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, 'snapshot'))
                    problems.push(`delete ${snap}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
            }
        }
    }
    for (const p of problems)
        log.warn(p);
    return { imageId, snapshots, problems };
}


/***/ }),

/***/ 5687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dy: () => (/* binding */ ImageWaitError),
/* harmony export */   F1: () => (/* binding */ findImage),
/* harmony export */   Ns: () => (/* binding */ snapshotIds),
/* harmony export */   Xy: () => (/* binding */ waitAvailable),
/* harmony export */   _U: () => (/* binding */ findByName),
/* harmony export */   ci: () => (/* binding */ tagImageAndSnapshots),
/* harmony export */   hu: () => (/* binding */ describeImage),
/* harmony export */   mF: () => (/* binding */ createImage),
/* harmony export */   pH: () => (/* binding */ snapshotsByDescription),
/* harmony export */   ph: () => (/* binding */ isEncrypted),
/* harmony export */   sD: () => (/* binding */ tagSnapshots),
/* harmony export */   vg: () => (/* binding */ requireImdsV2)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7199);
/**
 * AMIs and their snapshots, for every feature: describe, find by name, create, wait until
 * available, tag with the snapshots, discard or remove. Errors are classified by ./errors.ts.
 */




/** The image; undefined only when the (valid) id is unknown. Errors, a malformed id included, throw. */
async function describeImage(ec2, imageId) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .DescribeImagesCommand */ .ji5({ ImageIds: [imageId] }));
    return out.Images?.[0];
}
/** The image, or undefined when it does not exist (any more): "not found" is an answer here. */
async function findImage(ec2, imageId) {
    try {
        const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .DescribeImagesCommand */ .ji5({ ImageIds: [imageId] }));
        return out.Images?.find((i) => i.ImageId === imageId);
    }
    catch (err) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, 'image'))
            return undefined;
        throw err;
    }
}
/** The account's own AMI of that name in the client's region, if any (names are unique per
 *  account and region). */
async function findByName(ec2, name) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .DescribeImagesCommand */ .ji5({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    return out.Images?.find((i) => i.Name === name);
}
function snapshotIds(image) {
    return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}
function isEncrypted(image) {
    return (image.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted === true);
}
/** The snapshots EC2 made for `imageId`, found by their description ("Created by CreateImage(...)
 *  for ami-..."): a pending AMI does not list them yet, but they exist and outlive it. */
async function snapshotsByDescription(ec2, imageId) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .DescribeSnapshotsCommand */ .MmI({
        OwnerIds: ['self'],
        Filters: [{ Name: 'description', Values: [`*${imageId}*`] }],
    }));
    return (out.Snapshots ?? []).map((s) => s.SnapshotId).filter(Boolean);
}
/** Snapshot tags are not given here but with CreateTags once the AMI is available: the
 *  snapshot ids are known then (and moto rejects snapshot TagSpecifications on CreateImage). */
async function createImage(ec2, spec) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .CreateImageCommand */ .T6T({
        InstanceId: spec.instanceId,
        Name: spec.name,
        Description: spec.description,
        BlockDeviceMappings: spec.blockDevices,
        TagSpecifications: [{ ResourceType: 'image', Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .toTags */ .LZ)(spec.tags) }],
    }));
    if (!out.ImageId)
        throw new Error('CreateImage returned no image id');
    return out.ImageId;
}
/** Why an image did not become available (`kind`); the message says it for a user, callers
 *  may word it their own way. */
class ImageWaitError extends Error {
    imageId;
    kind;
    image;
    name = 'ImageWaitError';
    constructor(imageId, 
    /** failed: AWS gave up on it; timeout: still not available; aborted: the wait was cancelled;
     *  other: the wait itself failed (`cause`). */
    kind, 
    /** The image as last seen, if it could be described. */
    image, cause, timeoutSeconds) {
        const r = image?.StateReason;
        const reason = r?.Message || r?.Code || 'no reason given';
        super(kind === 'failed'
            ? `AMI ${imageId} failed: ${reason}`
            : kind === 'timeout'
                ? `AMI ${imageId} is not available after ${timeoutSeconds} s (state ${image?.State ?? 'unknown'})`
                : (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(cause), { cause });
        this.imageId = imageId;
        this.kind = kind;
        this.image = image;
        this.reason = reason;
    }
    reason;
}
/** Waits for `available` and returns the image; any other end is an ImageWaitError. */
async function waitAvailable(ec2, imageId, opts) {
    try {
        await (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilImageAvailable */ .Ex1)({
            client: ec2,
            maxWaitTime: opts.timeoutSeconds,
            minDelay: opts.intervalSeconds,
            maxDelay: opts.intervalSeconds,
            abortSignal: opts.abortSignal,
        }, { ImageIds: [imageId] });
    }
    catch (err) {
        const image = await findImage(ec2, imageId).catch(() => undefined);
        const kind = image?.State === 'failed'
            ? 'failed'
            : opts.abortSignal?.aborted
                ? 'aborted'
                : image?.State === 'pending' || err.name === 'TimeoutError'
                    ? 'timeout'
                    : 'other';
        throw new ImageWaitError(imageId, kind, image, err, opts.timeoutSeconds);
    }
    const image = await findImage(ec2, imageId);
    if (!image)
        throw new Error(`AMI ${imageId} vanished`);
    return image;
}
async function tagSnapshots(ec2, image, tags) {
    const ids = snapshotIds(image);
    if (ids.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .CreateTagsCommand */ .RmG({ Resources: ids, Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .toTags */ .LZ)(tags) }));
}
/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
async function tagImageAndSnapshots(ec2, image, tags) {
    const snaps = snapshotIds(image);
    if (tags.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .CreateTagsCommand */ .RmG({ Resources: [image.ImageId, ...snaps], Tags: tags }));
    return snaps;
}
/** Instances launched from the AMI must use IMDSv2 (irreversible on the image, hence opt-out). */
async function requireImdsV2(ec2, imageId) {
    await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__/* .ModifyImageAttributeCommand */ .FE3({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
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


/***/ }),

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

/***/ 8165:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ formatSweep),
/* harmony export */   X: () => (/* binding */ sweep)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5193);
/* harmony import */ var _aws_image_removal_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2725);
/* harmony import */ var _aws_images_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5687);
/* harmony import */ var _aws_tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7199);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2495);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4296);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9378);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8571);
/**
 * The janitor: the one leak a post step cannot prevent is a runner killed outright (or cut off
 * from its credentials). In one region, past a given age, it terminates build instances (tagged
 * `amibake:run`), and it finishes what a bake stopped in its image phase left of its AMIs (tagged
 * `amibake:run` at CreateImage): an AMI that failed or is still pending is discarded with its
 * snapshots; an available one whose snapshots never got their tags is recorded like a finished
 * bake (a re-run reuses it by digest), never deleted.
 */









const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
async function sweep(i) {
    const now = i.now ?? new Date();
    const cutoff = now.getTime() - i.olderThanMs;
    const report = {
        region: i.region,
        olderThan: (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_6__/* .formatMs */ ._)(i.olderThanMs),
        swept: [],
        spared: 0,
        failed: [],
        images: [],
        failedImages: [],
        dryRun: !!i.dryRun,
    };
    for await (const page of (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__/* .paginateDescribeInstances */ .H0T)({ client: i.ec2, pageSize: 1000 }, {
        Filters: [
            { Name: 'tag-key', Values: [_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .TAG */ .Dk.run] },
            { Name: 'instance-state-name', Values: LIVE_STATES },
        ],
    }))
        for (const r of page.Reservations ?? [])
            for (const inst of r.Instances ?? []) {
                const id = inst.InstanceId;
                if (i.exclude?.includes(id))
                    continue;
                const launched = inst.LaunchTime ? new Date(inst.LaunchTime) : undefined;
                if (!launched || launched.getTime() > cutoff) {
                    report.spared++;
                    continue;
                }
                const tag = (k) => inst.Tags?.find((t) => t.Key === k)?.Value ?? '';
                report.swept.push({
                    instanceId: id,
                    state: inst.State?.Name ?? '',
                    launched: launched.toISOString(),
                    run: tag(_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .TAG */ .Dk.run),
                    name: tag('Name'),
                });
            }
    if (!i.dryRun)
        for (let n = 0; n < report.swept.length; n += 1000) {
            const ids = report.swept.slice(n, n + 1000).map((s) => s.instanceId);
            try {
                await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__/* .TerminateInstancesCommand */ .NaF({ InstanceIds: ids }));
            }
            catch (err) {
                // One bad id fails the whole call; retry one by one to terminate the rest.
                for (const id of ids)
                    try {
                        await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__/* .TerminateInstancesCommand */ .NaF({ InstanceIds: [id] }));
                    }
                    catch (e) {
                        if (!(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .isNotFound */ .c4)(e, 'instance'))
                            report.failed.push({ instanceId: id, error: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(e) });
                    }
                i.log.debug(`batch termination failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}), retried one by one`);
            }
        }
    const failedIds = new Set(report.failed.map((f) => f.instanceId));
    for (const s of report.swept)
        if (!failedIds.has(s.instanceId))
            i.log.info(`${i.dryRun ? 'would terminate' : 'terminated'} ${s.instanceId} (${s.state}, launched ${s.launched}${s.run ? `, run ${s.run}` : ''})`);
    for (const f of report.failed)
        i.log.warn(`could not terminate ${f.instanceId}: ${f.error}`);
    try {
        await sweepImages(i, cutoff, report);
    }
    catch (err) {
        // The instances are done and reported; the AMIs stay for the next sweep.
        report.imagesError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err);
        i.log.warn(`could not look for unfinished AMIs: ${report.imagesError}`);
    }
    return report;
}
/** How long each call of an AMI's discard is retried. */
const DISCARD_SECONDS = 60;
/** States of an AMI that will never become available. */
const DEAD_STATES = ['failed', 'error', 'invalid'];
async function sweepImages(i, cutoff, report) {
    const candidates = [];
    let token;
    do {
        const page = await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__/* .DescribeImagesCommand */ .ji5({
            Owners: ['self'],
            Filters: [{ Name: 'tag-key', Values: [_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .TAG */ .Dk.run] }],
            MaxResults: 1000,
            NextToken: token,
        }));
        for (const image of page.Images ?? []) {
            const created = image.CreationDate ? Date.parse(image.CreationDate) : NaN;
            // An AMI of unknown age may belong to a bake still running: left alone like a young one.
            if (!(created <= cutoff))
                continue;
            const state = image.State ?? '';
            if (state === 'available' || state === 'pending' || DEAD_STATES.includes(state))
                candidates.push(image);
        }
        token = page.NextToken;
    } while (token);
    const untagged = await untaggedSnapshots(i.ec2, candidates.filter((c) => c.State === 'available'));
    for (const image of candidates) {
        const available = image.State === 'available';
        // A finished bake: its snapshots carry its tags. Not a leak.
        if (available && !(0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotIds */ .Ns)(image).some((s) => untagged.has(s)))
            continue;
        const tag = (k) => image.Tags?.find((t) => t.Key === k)?.Value ?? '';
        report.images.push({
            imageId: image.ImageId,
            action: available ? 'record' : 'discard',
            state: image.State ?? '',
            created: new Date(Date.parse(image.CreationDate)).toISOString(),
            run: tag(_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .TAG */ .Dk.run),
            name: image.Name ?? '',
            snapshots: (0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotIds */ .Ns)(image),
        });
    }
    if (i.dryRun) {
        for (const s of report.images)
            i.log.info(`would ${s.action} ${describe(s)}`);
        return;
    }
    const byId = new Map(candidates.map((c) => [c.ImageId, c]));
    for (const s of report.images) {
        const image = byId.get(s.imageId);
        if (s.action === 'record') {
            try {
                // The image's own tags (the digest included) on its snapshots: what the bake would have done.
                await (0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .tagSnapshots */ .sD)(i.ec2, image, (0,_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .ownTags */ .Wb)(image));
                i.log.info(`recorded ${describe(s)}: its snapshots are tagged, the AMI is kept`);
            }
            catch (err) {
                report.failedImages.push({
                    imageId: s.imageId,
                    error: `its snapshots ${s.snapshots.join(', ')} could not be tagged: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}`,
                });
            }
            continue;
        }
        const problems = await (0,_aws_image_removal_js__WEBPACK_IMPORTED_MODULE_0__/* .discardImage */ .I)(i.ec2, image, i.log, {
            deadline: (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .deadlineIn */ ._5)(DISCARD_SECONDS),
        });
        if (problems.length)
            report.failedImages.push({ imageId: s.imageId, error: problems.join('; ') });
        else
            i.log.info(`discarded ${describe(s)}`);
    }
    for (const f of report.failedImages)
        i.log.warn(`could not clean up the AMI ${f.imageId}: ${f.error}`);
}
function describe(s) {
    return (`the ${s.state} AMI ${s.imageId} (${s.name}, created ${s.created}${s.run ? `, run ${s.run}` : ''})` +
        (s.snapshots.length ? ` with its snapshots ${s.snapshots.join(', ')}` : ''));
}
/**
 * The snapshots of these AMIs that lack one of their AMI's amibake tags (the bake died between
 * the AMI becoming available and the tagging). Filtered by id rather than asked by id: a
 * snapshot deleted meanwhile is no error, just absent (and so not counted as untagged).
 */
async function untaggedSnapshots(ec2, images) {
    const wanted = new Map();
    for (const image of images) {
        const own = Object.entries((0,_aws_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .ownTags */ .Wb)(image)).filter(([k]) => k.startsWith('amibake:'));
        for (const s of (0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotIds */ .Ns)(image))
            wanted.set(s, own);
    }
    const untagged = new Set();
    const ids = [...wanted.keys()];
    // EC2 takes at most 200 values per filter.
    for (let n = 0; n < ids.length; n += 200) {
        let token;
        do {
            const page = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_7__/* .DescribeSnapshotsCommand */ .MmI({
                OwnerIds: ['self'],
                Filters: [{ Name: 'snapshot-id', Values: ids.slice(n, n + 200) }],
                NextToken: token,
            }));
            for (const snap of page.Snapshots ?? []) {
                const has = new Map((snap.Tags ?? []).map((t) => [t.Key, t.Value]));
                if (!(wanted.get(snap.SnapshotId) ?? []).every(([k, v]) => has.get(k) === v))
                    untagged.add(snap.SnapshotId);
            }
            token = page.NextToken;
        } while (token);
    }
    return untagged;
}
function formatSweep(r) {
    const verb = r.dryRun ? 'would terminate' : 'terminated';
    const failed = new Set(r.failedImages.map((f) => f.imageId));
    const ids = (action) => r.images.filter((s) => s.action === action && !failed.has(s.imageId)).map((s) => s.imageId);
    const discarded = ids('discard');
    const recorded = ids('record');
    const amis = [
        discarded.length ? `${r.dryRun ? 'would discard' : 'discarded'} ${discarded.join(' ')}` : '',
        recorded.length ? `${r.dryRun ? 'would record' : 'recorded'} ${recorded.join(' ')}` : '',
        failed.size ? `failed ${[...failed].join(' ')}` : '',
    ].filter(Boolean);
    return (`sweep ${r.region}: ${verb} ${r.swept.length - r.failed.length} amibake instance(s) older than ${r.olderThan}` +
        `${r.failed.length ? `, ${r.failed.length} failed` : ''}, ${r.spared} younger left alone; ` +
        `unfinished AMIs: ${r.imagesError ? `not checked (${r.imagesError})` : amis.length ? amis.join(', ') : 'none'}`);
}


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

/***/ 1921:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lw: () => (/* binding */ OPTIONS),
  GT: () => (/* binding */ namesFor),
  Tt: () => (/* binding */ readOptions)
});

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
        // Validated here, resolved by src/golden/base-ami.ts (an SSM or EC2 lookup).
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
        description: 'Subnet id for the temporary instance.',
        required: true,
        parse: parse/* pattern */.T1(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0123456789abcdef0'),
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
        description: 'Instance type of the temporary instance.',
        default: 't3.nano',
        parse: parse/* pattern */.T1(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro'),
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

;// CONCATENATED MODULE: ./src/features/dry-run/options.ts
/** The dry run (also of `amibake sweep`). */


const DRY_RUN_OPTIONS = {
    dryRun: (0,options/* option */.uK)({
        input: 'dry-run',
        env: 'BUILDAMI_DRY_RUN',
        stages: ['build', 'sweep'],
        description: 'Resolve and validate everything, prove the permissions with EC2 DryRun calls and print the plan; launch, copy, share and delete nothing.',
        default: 'false',
        parse: parse/* boolean */.zM,
    }),
};

// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
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

// EXTERNAL MODULE: ./src/features/volume/options.ts
var volume_options = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/pipeline/options.ts










const OPTIONS = {
    ...compile_options/* PREPARE_OPTIONS */.d,
    ...BAKE_OPTIONS,
    ...TAG_OPTIONS,
    ...volume_options/* VOLUME_OPTIONS */.Q4,
    ...IMDS_OPTIONS,
    ...COPY_OPTIONS,
    ...SHARE_OPTIONS,
    ...RETENTION_OPTIONS,
    ...DRY_RUN_OPTIONS,
    ...JANITOR_OPTIONS,
};
/** How a front calls the options of a stage, for rendering errors. */
const namesFor = (front, stage) => (0,options/* nameFor */.Fe)(OPTIONS, front, stage);
/** Reads and validates every option of a stage from the whole table. */
const readOptions = (stage, source) => (0,options/* readOptions */.Tt)(OPTIONS, stage, source);


/***/ })

};
