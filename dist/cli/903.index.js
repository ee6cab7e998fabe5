export const id = 903;
export const ids = [903];
export const modules = {

/***/ 7980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jm: () => (/* binding */ createEc2),
/* harmony export */   L_: () => (/* binding */ sdkRetry),
/* harmony export */   Rg: () => (/* binding */ configuredRegion),
/* harmony export */   h$: () => (/* binding */ createS3)
/* harmony export */ });
/* unused harmony exports MAX_ATTEMPTS, customS3Endpoint */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5193);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3711);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8483);
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

/***/ 5484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Iy: () => (/* binding */ discardImage),
/* harmony export */   Ns: () => (/* binding */ snapshotIds),
/* harmony export */   Wb: () => (/* binding */ ownTags),
/* harmony export */   Xy: () => (/* binding */ waitAvailable),
/* harmony export */   _U: () => (/* binding */ findByName),
/* harmony export */   hu: () => (/* binding */ describeImage),
/* harmony export */   mF: () => (/* binding */ createImage),
/* harmony export */   sD: () => (/* binding */ tagSnapshots)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5193);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _golden_aws_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9160);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8483);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5736);
/** The AMI: found by name (reuse), created from the stopped instance, waited for, tagged. */





async function describeImage(ec2, imageId) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DescribeImagesCommand */ .ji5({ ImageIds: [imageId] }));
    return out.Images?.[0];
}
/** The account's own AMI of that name in the region, if any (names are unique per account and region). */
async function findByName(ec2, name) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DescribeImagesCommand */ .ji5({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    return out.Images?.find((i) => i.Name === name);
}
function snapshotIds(image) {
    return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}
/** Snapshot tags are not given here but with CreateTags once the AMI is available: the
 *  snapshot ids are known then (and moto rejects snapshot TagSpecifications on CreateImage). */
async function createImage(ec2, spec) {
    const out = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .CreateImageCommand */ .T6T({
        InstanceId: spec.instanceId,
        Name: spec.name,
        Description: spec.description,
        BlockDeviceMappings: spec.blockDevices,
        TagSpecifications: [{ ResourceType: 'image', Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .toTags */ .LZ)(spec.tags) }],
    }));
    if (!out.ImageId)
        throw new Error('CreateImage returned no image id');
    return out.ImageId;
}
function reasonOf(image) {
    const r = image?.StateReason;
    return r?.Message || r?.Code || 'no reason given';
}
/** Waits for `available`; a `failed` image is an error with its state reason. */
async function waitAvailable(ec2, imageId, opts) {
    try {
        await (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .waitUntilImageAvailable */ .Ex1)({
            client: ec2,
            maxWaitTime: opts.timeoutSeconds,
            minDelay: opts.intervalSeconds,
            maxDelay: opts.intervalSeconds,
            abortSignal: opts.abortSignal,
        }, { ImageIds: [imageId] });
    }
    catch (err) {
        const image = await describeImage(ec2, imageId).catch(() => undefined);
        if (image?.State === 'failed')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`AMI ${imageId} failed: ${reasonOf(image)}`);
        if (opts.abortSignal?.aborted)
            throw err;
        if (image?.State === 'pending' || err.name === 'TimeoutError')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`AMI ${imageId} is not available after ${opts.timeoutSeconds} s (state ${image?.State ?? 'unknown'})`);
        throw err;
    }
    const image = await describeImage(ec2, imageId);
    if (!image)
        throw new Error(`AMI ${imageId} vanished`);
    return image;
}
async function tagSnapshots(ec2, image, tags) {
    const ids = snapshotIds(image);
    if (ids.length)
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .CreateTagsCommand */ .RmG({ Resources: ids, Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .toTags */ .LZ)(tags) }));
}
/** The image's tags that may be copied to other resources (not the reserved `aws:` ones). */
function ownTags(image) {
    return Object.fromEntries((image.Tags ?? []).filter((t) => t.Key && !t.Key.startsWith('aws:')).map((t) => [t.Key, t.Value ?? '']));
}
/**
 * Deregisters an AMI that is not a bake result and deletes its snapshots, each call retried until
 * `deadline`. Returns the problems, each naming what is left by id (an empty list: all gone).
 */
async function discardImage(ec2, image, logger, opts) {
    const imageId = image.ImageId;
    const problems = [];
    const retry = (what, gone) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .retryUntil */ .v6)(async () => {
        try {
            await what();
        }
        catch (err) {
            if (gone.test((0,_golden_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .errorCode */ .CA)(err)))
                return true;
            throw err;
        }
        return true;
    }, { ...opts, onError: (err) => logger.debug(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; retrying`) });
    // The snapshots of an unfinished AMI are untagged (they get their tags once it is available):
    // tag them first, so that a role allowed to delete only amibake's snapshots may delete them,
    // and one that cannot be deleted stays recognisable.
    const tags = ownTags(image);
    if (Object.keys(tags).length)
        await tagSnapshots(ec2, image, tags).catch((err) => logger.warn(`could not tag the snapshots of ${imageId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`));
    try {
        await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DeregisterImageCommand */ .x2c({ ImageId: imageId })), /^InvalidAMIID\./);
        logger.info(`deregistered the unfinished AMI ${imageId} (${image.State})`);
    }
    catch (err) {
        const snaps = snapshotIds(image);
        problems.push(`the unfinished AMI ${imageId} (${image.Name ?? ''}, ${image.State}) is left` +
            (snaps.length ? ` with its snapshots ${snaps.join(', ')}` : '') +
            `: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        return problems;
    }
    // A pending AMI does not list its snapshots yet: they are found by description too.
    const snaps = new Set(snapshotIds(image));
    try {
        for (const id of await (0,_golden_aws_js__WEBPACK_IMPORTED_MODULE_1__/* .snapshotsByDescription */ .pH)(ec2, imageId))
            snaps.add(id);
    }
    catch (err) {
        problems.push(`could not list the snapshots of the discarded AMI ${imageId} (filter description=*${imageId}*): ` +
            `${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}; any that exist are left`);
    }
    for (const snap of snaps) {
        try {
            await retry(() => ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DeleteSnapshotCommand */ .tZN({ SnapshotId: snap })), /^InvalidSnapshot\.NotFound/);
            logger.info(`deleted snapshot ${snap}`);
        }
        catch (err) {
            problems.push(`the snapshot ${snap} of the discarded AMI ${imageId} is left: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    return problems;
}


/***/ }),

/***/ 8483:
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

/***/ 3676:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ formatSweep),
/* harmony export */   X: () => (/* binding */ sweep)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5193);
/* harmony import */ var _bake_image_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5484);
/* harmony import */ var _bake_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8483);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9160);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1661);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4276);
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
        olderThan: (0,_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatMs */ ._)(i.olderThanMs),
        swept: [],
        spared: 0,
        failed: [],
        images: [],
        failedImages: [],
        dryRun: !!i.dryRun,
    };
    for await (const page of (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .paginateDescribeInstances */ .H0T)({ client: i.ec2, pageSize: 1000 }, {
        Filters: [
            { Name: 'tag-key', Values: [_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG */ .Dk.run] },
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
                    run: tag(_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG */ .Dk.run),
                    name: tag('Name'),
                });
            }
    if (!i.dryRun)
        for (let n = 0; n < report.swept.length; n += 1000) {
            const ids = report.swept.slice(n, n + 1000).map((s) => s.instanceId);
            try {
                await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .TerminateInstancesCommand */ .NaF({ InstanceIds: ids }));
            }
            catch (err) {
                // One bad id fails the whole call; retry one by one to terminate the rest.
                for (const id of ids)
                    try {
                        await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .TerminateInstancesCommand */ .NaF({ InstanceIds: [id] }));
                    }
                    catch (e) {
                        if ((0,_aws_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCode */ .CA)(e) !== 'InvalidInstanceID.NotFound')
                            report.failed.push({ instanceId: id, error: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(e) });
                    }
                i.log.debug(`batch termination failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}), retried one by one`);
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
        report.imagesError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err);
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
        const page = await i.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .DescribeImagesCommand */ .ji5({
            Owners: ['self'],
            Filters: [{ Name: 'tag-key', Values: [_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG */ .Dk.run] }],
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
        if (available && !(0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .snapshotIds */ .Ns)(image).some((s) => untagged.has(s)))
            continue;
        const tag = (k) => image.Tags?.find((t) => t.Key === k)?.Value ?? '';
        report.images.push({
            imageId: image.ImageId,
            action: available ? 'record' : 'discard',
            state: image.State ?? '',
            created: new Date(Date.parse(image.CreationDate)).toISOString(),
            run: tag(_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG */ .Dk.run),
            name: image.Name ?? '',
            snapshots: (0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .snapshotIds */ .Ns)(image),
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
                await (0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .tagSnapshots */ .sD)(i.ec2, image, (0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .ownTags */ .Wb)(image));
                i.log.info(`recorded ${describe(s)}: its snapshots are tagged, the AMI is kept`);
            }
            catch (err) {
                report.failedImages.push({
                    imageId: s.imageId,
                    error: `its snapshots ${s.snapshots.join(', ')} could not be tagged: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`,
                });
            }
            continue;
        }
        const problems = await (0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .discardImage */ .Iy)(i.ec2, image, i.log, {
            deadline: (0,_bake_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .deadlineIn */ ._5)(DISCARD_SECONDS),
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
        const own = Object.entries((0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .ownTags */ .Wb)(image)).filter(([k]) => k.startsWith('amibake:'));
        for (const s of (0,_bake_image_js__WEBPACK_IMPORTED_MODULE_0__/* .snapshotIds */ .Ns)(image))
            wanted.set(s, own);
    }
    const untagged = new Set();
    const ids = [...wanted.keys()];
    // EC2 takes at most 200 values per filter.
    for (let n = 0; n < ids.length; n += 200) {
        let token;
        do {
            const page = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_6__/* .DescribeSnapshotsCommand */ .MmI({
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


/***/ })

};
