import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  createEc2,
  deadlineIn,
  describeImage,
  discardImage,
  findByName,
  ownTags,
  realSleep,
  retryUntil,
  tagSnapshots
} from "./chunk-6ROUF3IT.js";
import {
  TAG,
  errorCode,
  parseCopyState,
  recoverCopies,
  require_dist_cjs4 as require_dist_cjs,
  toTags
} from "./chunk-CA7JAFHB.js";
import {
  errorMessage
} from "./chunk-QCJIZORW.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/bake/state.ts
var STATE = {
  region: "amibake_region",
  /** RunInstances ClientToken, also the `amibake:client-token` tag of the instance. */
  clientToken: "amibake_client_token",
  /** `started` before RunInstances (and after an error that may have come after the launch),
   *  `returned` after its answer, `failed` after AWS refused it (nothing was launched). */
  launch: "amibake_launch",
  instanceId: "amibake_instance_id",
  /** Saved before CreateImage, so an interrupted creation can be found by name; emptied when AWS
   *  refused the call (no AMI was made). */
  imageName: "amibake_image_name",
  imageId: "amibake_image_id",
  /** Set once the AMI is available and fully tagged: it is the bake's result, never cleaned up. */
  imageDone: "amibake_image_done",
  /** Set once the instance is known to be terminated. */
  terminated: "amibake_terminated",
  /** The multi-region copies in flight (JSON, src/golden/copy.ts): recovery finishes or removes them. */
  copies: "amibake_copies"
};
var MemoryState = class {
  constructor(sink) {
    this.sink = sink;
  }
  sink;
  data = {};
  save(key, value) {
    this.data[key] = value;
    this.sink?.(key, value);
  }
  values() {
    return { ...this.data };
  }
};
function readState(get) {
  const out = {};
  for (const key of Object.values(STATE)) {
    const v = get(key);
    if (v) out[key] = v;
  }
  return out;
}

// src/bake/instance.ts
var import_client_ec2 = __toESM(require_dist_cjs(), 1);
var LIVE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down"];
function runInstancesInput(spec) {
  const tags = toTags(spec.tags);
  return {
    ImageId: spec.baseAmi,
    InstanceType: spec.instanceType,
    MinCount: 1,
    MaxCount: 1,
    SubnetId: spec.subnet,
    SecurityGroupIds: spec.securityGroups,
    IamInstanceProfile: spec.profile ? spec.profile.startsWith("arn:") ? { Arn: spec.profile } : { Name: spec.profile } : void 0,
    KeyName: spec.keyPair,
    UserData: spec.userdata.toString("base64"),
    ClientToken: spec.clientToken,
    // The install ends with a poweroff from inside: that must stop, never terminate, the instance.
    InstanceInitiatedShutdownBehavior: "stop",
    MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 1 },
    BlockDeviceMappings: spec.blockDevices,
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags }
    ]
  };
}
async function describe(ec2, filters) {
  const out = [];
  let NextToken;
  do {
    const page = await ec2.send(new import_client_ec2.DescribeInstancesCommand({ Filters: filters, NextToken }));
    for (const r of page.Reservations ?? []) out.push(...r.Instances ?? []);
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
async function describeInstance(ec2, id) {
  const [found] = await describe(ec2, [{ Name: "instance-id", Values: [id] }]);
  return found;
}
async function findByToken(ec2, quick, clientToken, logger) {
  const [byFilter, byTag] = await Promise.allSettled([
    describe(quick, [{ Name: "client-token", Values: [clientToken] }]),
    describe(ec2, [{ Name: `tag:${TAG.clientToken}`, Values: [clientToken] }])
  ]);
  if (byFilter.status === "rejected") {
    logger.debug(`client-token filter: ${errorMessage(byFilter.reason)}; using the tag alone`);
  }
  if (byTag.status === "rejected") {
    if (byFilter.status === "rejected") throw byTag.reason;
    logger.debug(`tag filter: ${errorMessage(byTag.reason)}`);
  }
  const all = /* @__PURE__ */ new Map();
  for (const r of [byFilter, byTag]) {
    if (r.status === "fulfilled") {
      for (const i of r.value) if (i.InstanceId) all.set(i.InstanceId, i);
    }
  }
  return [...all.values()];
}
async function terminateKnown(ec2, id, opts) {
  const state = await retryUntil(
    async () => {
      try {
        const out = await ec2.send(new import_client_ec2.TerminateInstancesCommand({ InstanceIds: [id] }));
        return out.TerminatingInstances?.find((t) => t.InstanceId === id)?.CurrentState?.Name ?? "shutting-down";
      } catch (err) {
        if (errorCode(err) === "InvalidInstanceID.NotFound") return "gone";
        throw err;
      }
    },
    {
      deadline: opts.deadline,
      sleep: opts.sleep,
      onError: (err) => opts.logger.debug(`TerminateInstances ${id}: ${errorMessage(err)}; retrying`)
    }
  );
  return state ?? "shutting-down";
}
async function waitTerminated(ec2, ids, opts) {
  if (!ids.length) return;
  await (0, import_client_ec2.waitUntilInstanceTerminated)(
    {
      client: ec2,
      maxWaitTime: opts.maxWaitSeconds,
      minDelay: opts.delaySeconds,
      maxDelay: Math.max(opts.delaySeconds, 15),
      abortSignal: opts.abortSignal
    },
    { InstanceIds: ids }
  );
}

// src/bake/cleanup.ts
function leftoverMessage(report) {
  if (!report.problems.length) return "";
  return `cleanup left resources in AWS:
${report.problems.map((p) => `  - ${p}`).join("\n")}
remove them by hand, or let \`amibake sweep\` terminate the build instances and finish the AMIs`;
}
var DEFAULT_TERMINATE_SECONDS = 120;
var DEFAULT_IMAGE_LOOKUP_SECONDS = 15;
async function findLaunched(o, st, report, sleep) {
  const token = st[STATE.clientToken];
  if (st[STATE.instanceId] || !token || !st[STATE.launch]) return [];
  const emptyUntil = deadlineIn(st[STATE.launch] === "started" ? o.lookupSeconds ?? 0 : 0);
  const errorUntil = Math.max(emptyUntil, deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS));
  try {
    const found = await retryUntil(
      async () => {
        const found2 = await findByToken(o.ec2, o.quick, token, o.logger);
        return found2.length || Date.now() >= emptyUntil ? found2 : void 0;
      },
      {
        deadline: errorUntil,
        sleep,
        onError: (err) => o.logger.debug(`looking for the instance of client token ${token}: ${errorMessage(err)}; retrying`)
      }
    );
    return (found ?? []).filter((i) => LIVE_STATES.includes(i.State?.Name ?? "")).map((i) => i.InstanceId);
  } catch (err) {
    report.problems.push(
      `could not look for the build instance launched with client token ${token} (tag ${TAG.clientToken}=${token}): ${errorMessage(err)}; if RunInstances went through, that instance is left running`
    );
    return [];
  }
}
async function cleanImage(o, st, report, sleep) {
  const { ec2, logger } = o;
  const name = st[STATE.imageName];
  if (!name || st[STATE.imageDone]) return;
  const imageId = st[STATE.imageId];
  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  const what = imageId ?? `the AMI named ${name}`;
  let image;
  try {
    if (imageId) {
      image = (await retryUntil(async () => ({ image: await describeImage(ec2, imageId) }), {
        deadline,
        sleep,
        onError: (err) => logger.debug(`DescribeImages ${imageId}: ${errorMessage(err)}; retrying`)
      }))?.image;
    } else {
      image = await retryUntil(
        async () => {
          const candidate = await findByName(ec2, name);
          const token = candidate?.Tags?.find((t) => t.Key === TAG.clientToken)?.Value;
          return candidate && token === st[STATE.clientToken] ? candidate : void 0;
        },
        {
          deadline: deadlineIn(o.imageLookupSeconds ?? DEFAULT_IMAGE_LOOKUP_SECONDS),
          sleep,
          onError: (err) => logger.debug(`DescribeImages ${name}: ${errorMessage(err)}; retrying`)
        }
      );
    }
  } catch (err) {
    report.problems.push(
      `could not check ${what}, whose creation started (${errorMessage(err)}): if it exists it is left, maybe unfinished and untagged`
    );
    return;
  }
  if (!image && !imageId) {
    report.problems.push(
      `CreateImage of ${name} was sent and not answered, and no AMI of that name with ${TAG.clientToken}=${st[STATE.clientToken] ?? ""} was found: if one appears, it is unfinished and untagged (\`amibake sweep\` finishes or removes it)`
    );
    return;
  }
  if (!image?.ImageId || image.State === "deregistered") return;
  if (image.State === "available") {
    const id = image.ImageId;
    try {
      await retryUntil(
        async () => {
          await tagSnapshots(ec2, image, ownTags(image));
          return true;
        },
        {
          deadline,
          sleep,
          onError: (err) => logger.debug(`tagging the snapshots of ${id}: ${errorMessage(err)}; retrying`)
        }
      );
      logger.info(`the AMI ${id} (${name}) became available before the bake stopped: kept as its result`);
      report.keptImage = id;
      return;
    } catch (err) {
      logger.warn(
        `the snapshots of the AMI ${id} (${name}) cannot be tagged (${errorMessage(err)}): discarding it`
      );
    }
  }
  report.problems.push(...await discardImage(ec2, image, logger, { deadline, sleep }));
  report.discardedImage = image.ImageId;
}
async function cleanup(o) {
  const { logger } = o;
  const sleep = o.sleep ?? realSleep;
  const read = () => typeof o.state === "function" ? o.state() : o.state;
  const report = { terminated: [], confirmed: [], left: [], problems: [] };
  const st = read();
  const ids = /* @__PURE__ */ new Set();
  const known = st[STATE.instanceId];
  if (known && !st[STATE.terminated]) ids.add(known);
  for (const id of await findLaunched(o, st, report, sleep)) ids.add(id);
  const deadline = deadlineIn(o.terminateSeconds ?? DEFAULT_TERMINATE_SECONDS);
  const seen = [];
  for (const id of ids) {
    logger.info(`terminating ${id}`);
    try {
      const state = await terminateKnown(o.ec2, id, { deadline, logger, sleep });
      report.terminated.push(id);
      if (state === "terminated" || state === "gone") seen.push(id);
    } catch (err) {
      report.left.push(id);
      report.problems.push(`the build instance ${id} could not be terminated: ${errorMessage(err)}`);
    }
  }
  if (o.images) {
    try {
      await cleanImage(o, read(), report, sleep);
    } catch (err) {
      report.problems.push(
        `could not check the unfinished AMI ${read()[STATE.imageId] ?? ""}: ${errorMessage(err)}`
      );
    }
  }
  const copies = parseCopyState(read()[STATE.copies]);
  if (copies) {
    const clients = /* @__PURE__ */ new Map();
    try {
      const recovered = await recoverCopies(
        copies,
        (r) => clients.get(r) ?? clients.set(r, createEc2(r)).get(r),
        logger
      );
      for (const r of recovered)
        if (r.action === "kept") report.problems.push(`copy to ${r.region}: ${r.detail}`);
    } catch (err) {
      report.problems.push(
        `could not check the copies (${copies.copies.map((c) => c.imageId ?? c.name).join(", ")}): ${errorMessage(err)}`
      );
    }
  }
  const waiting = report.terminated.filter((id) => !seen.includes(id));
  if (waiting.length && o.wait) {
    try {
      const until = deadlineIn(o.waitSeconds ?? 600);
      await waitTerminated(o.ec2, waiting, {
        maxWaitSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1e3)),
        delaySeconds: o.delaySeconds ?? 5
      });
      seen.push(...waiting);
      logger.info(`terminated ${waiting.join(", ")}`);
    } catch (err) {
      logger.warn(
        `termination of ${waiting.join(", ")} accepted by AWS, not seen completed yet: ${errorMessage(err)}`
      );
    }
  } else if (seen.length) logger.info(`terminated ${seen.join(", ")}`);
  report.confirmed = seen;
  return report;
}

export {
  runInstancesInput,
  describeInstance,
  terminateKnown,
  waitTerminated,
  STATE,
  MemoryState,
  readState,
  leftoverMessage,
  cleanup
};
