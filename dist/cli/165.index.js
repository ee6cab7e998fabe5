export const id = 165;
export const ids = [165];
export const modules = {

/***/ 9378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   V5: () => (/* binding */ refusedByAws),
/* harmony export */   c4: () => (/* binding */ isNotFound),
/* harmony export */   dW: () => (/* binding */ isDryRunAllowed),
/* harmony export */   nG: () => (/* binding */ httpStatus),
/* harmony export */   w7: () => (/* binding */ isAccessDenied)
/* harmony export */ });
/* unused harmony export isThrottling */
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
    subnet: ['InvalidSubnetID.NotFound'],
    // A malformed group id is refused like an unknown one: the dry run names it as missing.
    securityGroup: ['InvalidGroup.NotFound', 'InvalidGroupId.NotFound', 'InvalidGroupId.Malformed'],
    keyPair: ['InvalidKeyPair.NotFound'],
    parameter: ['ParameterNotFound', 'ParameterVersionNotFound'],
    // AWS spells the two families differently (.NotFound vs .NotFoundException).
    launchTemplate: [
        'InvalidLaunchTemplateId.NotFound',
        'InvalidLaunchTemplateId.Malformed',
        'InvalidLaunchTemplateName.NotFoundException',
        'InvalidLaunchTemplateName.MalformedException',
    ],
};
function isNotFound(err, what) {
    return isCode(err, ...NOT_FOUND[what]);
}
/** The caller's role may not make the call (EC2, IAM-style and JSON-protocol services' codes). */
function isAccessDenied(err) {
    return isCode(err, 'UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException');
}
/** A `DryRun` call that would have succeeded: EC2 answers it with this error. */
function isDryRunAllowed(err) {
    return isCode(err, 'DryRunOperation');
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
    // How the log and the problems call it (an AMI that failed its test is not unfinished).
    const what = opts.what ?? 'unfinished AMI';
    const problems = [];
    const retry = (call, gone) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .retryUntil */ .v6)(async () => {
        try {
            await call();
        }
        catch (err) {
            if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, gone))
                return true;
            throw err;
        }
        return true;
    }, {
        deadline: opts.deadline,
        sleep: opts.sleep,
        onError: (err) => logger.debug(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; retrying`),
    });
    // The snapshots of an unfinished AMI are untagged (they get their tags once it is available):
    // tag them first, so that a role allowed to delete only amibake's snapshots may delete them,
    // and one that cannot be deleted stays recognisable.
    const tags = (0,_tags_js__WEBPACK_IMPORTED_MODULE_4__/* .ownTags */ .Wb)(image);
    if (Object.keys(tags).length)
        await (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .tagSnapshots */ .sD)(ec2, image, tags).catch((err) => logger.warn(`could not tag the snapshots of ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`));
    try {
        await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__.DeregisterImageCommand({ ImageId: imageId })), 'image');
        logger.info(`deregistered the ${what} ${imageId} (${image.State})`);
    }
    catch (err) {
        const snaps = (0,_images_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotIds */ .Ns)(image);
        problems.push(`the ${what} ${imageId} (${image.Name ?? ''}, ${image.State}) is left` +
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
        problems.push(`could not list the snapshots of the discarded ${what} ${imageId} (filter description=*${imageId}*): ` +
            `${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; any that exist are left`);
    }
    for (const snap of snaps) {
        try {
            await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__.DeleteSnapshotCommand({ SnapshotId: snap })), 'snapshot');
            logger.info(`deleted snapshot ${snap}`);
        }
        catch (err) {
            problems.push(`the snapshot ${snap} of the discarded ${what} ${imageId} is left: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
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
            await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__.DeregisterImageCommand({ ImageId: imageId }));
        }
        catch (err) {
            if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isNotFound */ .c4)(err, 'image'))
                problems.push(`deregister ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    if (problems.length === 0) {
        for (const snap of snapshots) {
            try {
                await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_5__.DeleteSnapshotCommand({ SnapshotId: snap }));
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
/* harmony export */   E$: () => (/* binding */ tagImage),
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
/* harmony import */ var _poll_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5672);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7199);
/**
 * AMIs and their snapshots, for every feature: describe, find by name, create, wait until
 * available, tag with the snapshots, discard or remove. Errors are classified by ./errors.ts.
 */





/** The image; undefined only when the (valid) id is unknown. Errors, a malformed id included, throw. */
async function describeImage(ec2, imageId) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.DescribeImagesCommand({ ImageIds: [imageId] }));
    return out.Images?.[0];
}
/** The image, or undefined when it does not exist (any more): "not found" is an answer here. */
async function findImage(ec2, imageId) {
    try {
        const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.DescribeImagesCommand({ ImageIds: [imageId] }));
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
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
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
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: 'description', Values: [`*${imageId}*`] }],
    }));
    return (out.Snapshots ?? []).map((s) => s.SnapshotId).filter(Boolean);
}
/** Snapshot tags are not given here but with CreateTags once the AMI is available: the
 *  snapshot ids are known then (and moto rejects snapshot TagSpecifications on CreateImage). */
async function createImage(ec2, spec) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.CreateImageCommand({
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
/**
 * Waits for `available` and returns the image; any other end is an ImageWaitError. Polls with
 * a short first pause growing to `intervalSeconds` (./poll.ts); an error of DescribeImages (the
 * new id not known yet, a throttle) is retried until the timeout, as the SDK's waiter does.
 */
async function waitAvailable(ec2, imageId, opts) {
    const signal = opts.abortSignal;
    const deadline = Date.now() + opts.timeoutSeconds * 1000;
    const next = (0,_poll_js__WEBPACK_IMPORTED_MODULE_4__/* .pollBackoff */ .c1)(opts.intervalSeconds * 1000);
    const fail = (kind, image, cause) => new ImageWaitError(imageId, kind, image, cause, opts.timeoutSeconds);
    let image;
    for (;;) {
        let error;
        try {
            const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.DescribeImagesCommand({ ImageIds: [imageId] }), { abortSignal: signal });
            image = out.Images?.find((i) => i.ImageId === imageId) ?? image;
            if (image?.State === 'available')
                return image;
            if (image?.State === 'failed')
                throw fail('failed', image, undefined);
        }
        catch (err) {
            if (err instanceof ImageWaitError)
                throw err;
            error = err;
        }
        if (signal?.aborted)
            throw fail('aborted', image, error ?? new Error('the wait was cancelled'));
        const left = deadline - Date.now();
        // Out of time with the last DescribeImages failing is that failure, not a timeout of a
        // pending image.
        if (left <= 0)
            throw fail(error ? 'other' : 'timeout', image, error);
        if (!(await (0,_poll_js__WEBPACK_IMPORTED_MODULE_4__/* .pause */ .v7)(Math.min(next(), left), signal)))
            throw fail('aborted', image, new Error('the wait was cancelled'));
    }
}
async function tagSnapshots(ec2, image, tags) {
    const ids = snapshotIds(image);
    if (ids.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.CreateTagsCommand({ Resources: ids, Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .toTags */ .LZ)(tags) }));
}
/** Tags the image alone (a verdict on it: its snapshots keep the tags they were made with). */
async function tagImage(ec2, imageId, tags) {
    await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.CreateTagsCommand({ Resources: [imageId], Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .toTags */ .LZ)(tags) }));
}
/** Tags the image and every snapshot it references; returns the snapshot ids tagged. */
async function tagImageAndSnapshots(ec2, image, tags) {
    const snaps = snapshotIds(image);
    if (tags.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.CreateTagsCommand({ Resources: [image.ImageId, ...snaps], Tags: tags }));
    return snaps;
}
/** Instances launched from the AMI must use IMDSv2 (irreversible on the image, hence opt-out). */
async function requireImdsV2(ec2, imageId) {
    await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_3__.ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
}


/***/ }),

/***/ 5672:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c1: () => (/* binding */ pollBackoff),
/* harmony export */   v7: () => (/* binding */ pause)
/* harmony export */ });
/* unused harmony exports FIRST_POLL_MS, POLL_GROWTH */
/**
 * How the waits on EC2 poll (an instance to stop, an AMI to become available): a short first
 * pause, then longer ones up to the configured interval. A state reached early is noticed early,
 * and a long wait costs no more calls than a fixed interval would.
 */
/** The first pause, unless the configured interval is shorter. */
const FIRST_POLL_MS = 2000;
/** Each pause is this much longer than the one before, up to the interval. */
const POLL_GROWTH = 1.5;
/** A source of pauses: each call returns the next one, in milliseconds. */
function pollBackoff(intervalMs, o = { firstMs: FIRST_POLL_MS, growth: POLL_GROWTH }) {
    let next = Math.min(o.firstMs, intervalMs);
    return () => {
        const pause = next;
        next = Math.min(Math.round(next * o.growth), intervalMs);
        return pause;
    };
}
/** Sleeps `ms`; resolves false at once when `signal` is (or becomes) aborted. */
function pause(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve(false);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
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

/***/ 1960:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cj: () => (/* binding */ deleteSnapshot),
/* harmony export */   Ud: () => (/* binding */ snapshotsByToken),
/* harmony export */   YK: () => (/* binding */ SnapshotWaitError),
/* harmony export */   gj: () => (/* binding */ snapshotsInUse),
/* harmony export */   lZ: () => (/* binding */ runSnapshots),
/* harmony export */   n1: () => (/* binding */ waitCompleted)
/* harmony export */ });
/* unused harmony export findSnapshot */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/* harmony import */ var _poll_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5672);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7199);
/**
 * EBS snapshots on their own (not through an AMI): found by amibake's client-token tag (a
 * StartSnapshot whose answer was lost), waited on until completed, deleted, and listed for the
 * janitor. "Not found" is an answer here, classified by ./errors.ts.
 */




/** The snapshot, or undefined when it does not exist (any more). */
async function findSnapshot(ec2, snapshotId) {
    try {
        const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
        return out.Snapshots?.find((s) => s.SnapshotId === snapshotId);
    }
    catch (err) {
        if (isNotFound(err, 'snapshot'))
            return undefined;
        throw err;
    }
}
/** The account's snapshots carrying `amibake:client-token=token` (one bake's upload). */
async function snapshotsByToken(ec2, token) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__.DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: `tag:${_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.clientToken}`, Values: [token] }],
    }));
    return out.Snapshots ?? [];
}
/** The account's snapshots tagged by a bake (`amibake:run`) in these states. */
async function runSnapshots(ec2, states) {
    const found = [];
    let token;
    do {
        const page = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__.DescribeSnapshotsCommand({
            OwnerIds: ['self'],
            // The state is checked here rather than filtered: one listing serves every state asked.
            Filters: [{ Name: 'tag-key', Values: [_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .TAG */ .Dk.run] }],
            NextToken: token,
        }));
        found.push(...(page.Snapshots ?? []).filter((s) => states.includes(s.State ?? '')));
        token = page.NextToken;
    } while (token);
    return found;
}
/** Deletes the snapshot; true when it is gone (already gone included). Other errors throw. */
async function deleteSnapshot(ec2, snapshotId) {
    try {
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__.DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    }
    catch (err) {
        if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isNotFound */ .c4)(err, 'snapshot'))
            throw err;
    }
    return true;
}
class SnapshotWaitError extends Error {
    snapshotId;
    kind;
    name = 'SnapshotWaitError';
    constructor(snapshotId, kind, message) {
        super(message);
        this.snapshotId = snapshotId;
        this.kind = kind;
    }
}
/**
 * Waits until EC2 reports the snapshot `completed` (the EBS direct APIs' CompleteSnapshot only
 * starts that); `error` and the timeout are SnapshotWaitErrors. A failing DescribeSnapshots (the
 * id not known yet, a throttle) is retried until the timeout.
 */
async function waitCompleted(ec2, snapshotId, opts) {
    const deadline = Date.now() + opts.timeoutSeconds * 1000;
    const next = (0,_poll_js__WEBPACK_IMPORTED_MODULE_3__/* .pollBackoff */ .c1)(opts.intervalSeconds * 1000);
    let seen;
    let error;
    for (;;) {
        try {
            const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__.DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), {
                abortSignal: opts.abortSignal,
            });
            seen = out.Snapshots?.find((s) => s.SnapshotId === snapshotId) ?? seen;
            error = undefined;
            if (seen?.State === 'completed')
                return seen;
            if (seen?.State === 'error')
                throw new SnapshotWaitError(snapshotId, 'error', `snapshot ${snapshotId} failed: ${seen.StateMessage || 'no reason given'}`);
        }
        catch (err) {
            if (err instanceof SnapshotWaitError)
                throw err;
            error = err;
        }
        const aborted = () => new SnapshotWaitError(snapshotId, 'aborted', `the wait for snapshot ${snapshotId} was cancelled`);
        if (opts.abortSignal?.aborted)
            throw aborted();
        const left = deadline - Date.now();
        if (left <= 0) {
            if (error)
                throw error;
            throw new SnapshotWaitError(snapshotId, 'timeout', `snapshot ${snapshotId} is not completed after ${opts.timeoutSeconds} s (state ${seen?.State ?? 'unknown'}, ${seen?.Progress ?? '?'})`);
        }
        if (!(await (0,_poll_js__WEBPACK_IMPORTED_MODULE_3__/* .pause */ .v7)(Math.min(next(), left), opts.abortSignal)))
            throw aborted();
    }
}
/**
 * The snapshots that the account's AMIs in this region use (every state, disabled ones included).
 * Listed rather than filtered by `block-device-mapping.snapshot-id`: one listing answers for every
 * snapshot, and an emulator without that filter answers the same.
 */
async function snapshotsInUse(ec2) {
    const used = new Set();
    let token;
    do {
        const page = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__.DescribeImagesCommand({
            Owners: ['self'],
            IncludeDisabled: true,
            MaxResults: 1000,
            NextToken: token,
        }));
        for (const image of page.Images ?? [])
            for (const b of image.BlockDeviceMappings ?? [])
                if (b.Ebs?.SnapshotId)
                    used.add(b.Ebs.SnapshotId);
        token = page.NextToken;
    } while (token);
    return used;
}


/***/ }),

/***/ 8165:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   formatSweep: () => (/* binding */ formatSweep),
/* harmony export */   sweep: () => (/* binding */ sweep)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(5193);
/* harmony import */ var _aws_image_removal_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2725);
/* harmony import */ var _aws_images_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5687);
/* harmony import */ var _aws_snapshots_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1960);
/* harmony import */ var _aws_tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7199);
/* harmony import */ var _aws_retry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2495);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4296);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9378);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8571);
/**
 * The janitor: the one leak a post step cannot prevent is a runner killed outright (or cut off
 * from its credentials). In one region, past a given age, it terminates build and test instances
 * (both tagged `amibake:run`; a test instance also `amibake:role=test`), and it finishes what a bake stopped in its image phase left of its AMIs (tagged
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
        olderThan: (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_7__/* .formatMs */ ._)(i.olderThanMs),
        swept: [],
        spared: 0,
        failed: [],
        images: [],
        failedImages: [],
        dryRun: !!i.dryRun,
    };
    for await (const page of (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__.paginateDescribeInstances)({ client: i.ec2, pageSize: 1000 }, {
        Filters: [
            { Name: 'tag-key', Values: [_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.run] },
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
                    run: tag(_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.run),
                    name: tag('Name'),
                    role: tag(_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.role) || 'build',
                });
            }
    if (!i.dryRun)
        for (let n = 0; n < report.swept.length; n += 1000) {
            const ids = report.swept.slice(n, n + 1000).map((s) => s.instanceId);
            try {
                await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__.TerminateInstancesCommand({ InstanceIds: ids }));
            }
            catch (err) {
                // One bad id fails the whole call; retry one by one to terminate the rest.
                for (const id of ids)
                    try {
                        await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__.TerminateInstancesCommand({ InstanceIds: [id] }));
                    }
                    catch (e) {
                        if (!(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .isNotFound */ .c4)(e, 'instance'))
                            report.failed.push({ instanceId: id, error: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(e) });
                    }
                i.log.debug(`batch termination failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}), retried one by one`);
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
        report.imagesError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err);
        i.log.warn(`could not look for unfinished AMIs: ${report.imagesError}`);
    }
    try {
        await sweepSnapshots(i, cutoff, report);
    }
    catch (err) {
        report.snapshotsError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err);
        i.log.warn(`could not look for leftover snapshots: ${report.snapshotsError}`);
    }
    return report;
}
/**
 * Snapshots of disk uploads left behind, tagged by a bake and older than the age, deleted: those
 * that never completed (the runner died between StartSnapshot and CompleteSnapshot: `pending`,
 * `error`), and completed ones no AMI of the region uses (it died between CompleteSnapshot and
 * RegisterImage, and its post step could not delete it). A snapshot an AMI uses is never touched
 * (after the AMI sweep above, which removes its discarded AMIs' snapshots itself).
 */
async function sweepSnapshots(i, cutoff, report) {
    report.snapshots = [];
    report.failedSnapshots = [];
    const found = await (0,_aws_snapshots_js__WEBPACK_IMPORTED_MODULE_2__/* .runSnapshots */ .lZ)(i.ec2, ['pending', 'error', 'completed']);
    const used = found.some((s) => s.State === 'completed') ? await (0,_aws_snapshots_js__WEBPACK_IMPORTED_MODULE_2__/* .snapshotsInUse */ .gj)(i.ec2) : new Set();
    for (const snap of found) {
        const started = snap.StartTime ? new Date(snap.StartTime).getTime() : NaN;
        if (!(started <= cutoff))
            continue;
        if (snap.State === 'completed' && used.has(snap.SnapshotId))
            continue;
        const run = snap.Tags?.find((t) => t.Key === _aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.run)?.Value ?? '';
        const entry = { snapshotId: snap.SnapshotId, started: new Date(started).toISOString(), run };
        report.snapshots.push(entry);
        const what = `the ${snap.State === 'completed' ? 'completed (no AMI uses it)' : snap.State} snapshot ${entry.snapshotId} (started ${entry.started}${run ? `, run ${run}` : ''})`;
        if (i.dryRun) {
            i.log.info(`would delete ${what}`);
            continue;
        }
        try {
            await (0,_aws_snapshots_js__WEBPACK_IMPORTED_MODULE_2__/* .deleteSnapshot */ .Cj)(i.ec2, entry.snapshotId);
            i.log.info(`deleted ${what}`);
        }
        catch (err) {
            report.failedSnapshots.push({ snapshotId: entry.snapshotId, error: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err) });
            i.log.warn(`could not delete ${what}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`);
        }
    }
}
/** How long each call of an AMI's discard is retried. */
const DISCARD_SECONDS = 60;
/** States of an AMI that will never become available. */
const DEAD_STATES = ['failed', 'error', 'invalid'];
async function sweepImages(i, cutoff, report) {
    const candidates = [];
    let token;
    do {
        const page = await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__.DescribeImagesCommand({
            Owners: ['self'],
            Filters: [{ Name: 'tag-key', Values: [_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.run] }],
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
            run: tag(_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG */ .Dk.run),
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
                await (0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .tagSnapshots */ .sD)(i.ec2, image, (0,_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .ownTags */ .Wb)(image));
                i.log.info(`recorded ${describe(s)}: its snapshots are tagged, the AMI is kept`);
            }
            catch (err) {
                report.failedImages.push({
                    imageId: s.imageId,
                    error: `its snapshots ${s.snapshots.join(', ')} could not be tagged: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`,
                });
            }
            continue;
        }
        const problems = await (0,_aws_image_removal_js__WEBPACK_IMPORTED_MODULE_0__/* .discardImage */ .I)(i.ec2, image, i.log, {
            deadline: (0,_aws_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .deadlineIn */ ._5)(DISCARD_SECONDS),
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
        const own = Object.entries((0,_aws_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .ownTags */ .Wb)(image)).filter(([k]) => k.startsWith('amibake:'));
        for (const s of (0,_aws_images_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotIds */ .Ns)(image))
            wanted.set(s, own);
    }
    const untagged = new Set();
    const ids = [...wanted.keys()];
    // EC2 takes at most 200 values per filter.
    for (let n = 0; n < ids.length; n += 200) {
        let token;
        do {
            const page = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_8__.DescribeSnapshotsCommand({
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
        `unfinished AMIs: ${r.imagesError ? `not checked (${r.imagesError})` : amis.length ? amis.join(', ') : 'none'}` +
        snapshotsText(r));
}
function snapshotsText(r) {
    if (r.snapshotsError)
        return `; unfinished snapshots: not checked (${r.snapshotsError})`;
    const failed = new Set((r.failedSnapshots ?? []).map((f) => f.snapshotId));
    const done = (r.snapshots ?? []).filter((s) => !failed.has(s.snapshotId)).map((s) => s.snapshotId);
    if (!done.length && !failed.size)
        return '';
    return (`; unfinished snapshots: ${done.length ? `${r.dryRun ? 'would delete' : 'deleted'} ${done.join(' ')}` : ''}` +
        (failed.size ? `${done.length ? ', ' : ''}failed ${[...failed].join(' ')}` : ''));
}


/***/ })

};
