import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  formatMs
} from "./chunk-WWOMECBE.js";
import {
  deadlineIn,
  discardImage,
  ownTags,
  snapshotIds,
  tagSnapshots
} from "./chunk-6ROUF3IT.js";
import {
  TAG2 as TAG,
  errorCode,
  require_dist_cjs4 as require_dist_cjs
} from "./chunk-CA7JAFHB.js";
import {
  errorMessage
} from "./chunk-QCJIZORW.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/golden/janitor.ts
var import_client_ec2 = __toESM(require_dist_cjs(), 1);
var LIVE_STATES = ["pending", "running", "stopping", "stopped"];
async function sweep(i) {
  const now = i.now ?? /* @__PURE__ */ new Date();
  const cutoff = now.getTime() - i.olderThanMs;
  const report = {
    region: i.region,
    olderThan: formatMs(i.olderThanMs),
    swept: [],
    spared: 0,
    failed: [],
    images: [],
    failedImages: [],
    dryRun: !!i.dryRun
  };
  for await (const page of (0, import_client_ec2.paginateDescribeInstances)(
    { client: i.ec2, pageSize: 1e3 },
    {
      Filters: [
        { Name: "tag-key", Values: [TAG.run] },
        { Name: "instance-state-name", Values: LIVE_STATES }
      ]
    }
  ))
    for (const r of page.Reservations ?? [])
      for (const inst of r.Instances ?? []) {
        const id = inst.InstanceId;
        if (i.exclude?.includes(id)) continue;
        const launched = inst.LaunchTime ? new Date(inst.LaunchTime) : void 0;
        if (!launched || launched.getTime() > cutoff) {
          report.spared++;
          continue;
        }
        const tag = (k) => inst.Tags?.find((t) => t.Key === k)?.Value ?? "";
        report.swept.push({
          instanceId: id,
          state: inst.State?.Name ?? "",
          launched: launched.toISOString(),
          run: tag(TAG.run),
          name: tag("Name")
        });
      }
  if (!i.dryRun)
    for (let n = 0; n < report.swept.length; n += 1e3) {
      const ids = report.swept.slice(n, n + 1e3).map((s) => s.instanceId);
      try {
        await i.ec2.send(new import_client_ec2.TerminateInstancesCommand({ InstanceIds: ids }));
      } catch (err) {
        for (const id of ids)
          try {
            await i.ec2.send(new import_client_ec2.TerminateInstancesCommand({ InstanceIds: [id] }));
          } catch (e) {
            if (errorCode(e) !== "InvalidInstanceID.NotFound")
              report.failed.push({ instanceId: id, error: errorMessage(e) });
          }
        i.log.debug(`batch termination failed (${errorMessage(err)}), retried one by one`);
      }
    }
  const failedIds = new Set(report.failed.map((f) => f.instanceId));
  for (const s of report.swept)
    if (!failedIds.has(s.instanceId))
      i.log.info(
        `${i.dryRun ? "would terminate" : "terminated"} ${s.instanceId} (${s.state}, launched ${s.launched}${s.run ? `, run ${s.run}` : ""})`
      );
  for (const f of report.failed) i.log.warn(`could not terminate ${f.instanceId}: ${f.error}`);
  try {
    await sweepImages(i, cutoff, report);
  } catch (err) {
    report.imagesError = errorMessage(err);
    i.log.warn(`could not look for unfinished AMIs: ${report.imagesError}`);
  }
  return report;
}
var DISCARD_SECONDS = 60;
var DEAD_STATES = ["failed", "error", "invalid"];
async function sweepImages(i, cutoff, report) {
  const candidates = [];
  let token;
  do {
    const page = await i.ec2.send(
      new import_client_ec2.DescribeImagesCommand({
        Owners: ["self"],
        Filters: [{ Name: "tag-key", Values: [TAG.run] }],
        MaxResults: 1e3,
        NextToken: token
      })
    );
    for (const image of page.Images ?? []) {
      const created = image.CreationDate ? Date.parse(image.CreationDate) : NaN;
      if (!(created <= cutoff)) continue;
      const state = image.State ?? "";
      if (state === "available" || state === "pending" || DEAD_STATES.includes(state)) candidates.push(image);
    }
    token = page.NextToken;
  } while (token);
  const untagged = await untaggedSnapshots(
    i.ec2,
    candidates.filter((c) => c.State === "available")
  );
  for (const image of candidates) {
    const available = image.State === "available";
    if (available && !snapshotIds(image).some((s) => untagged.has(s))) continue;
    const tag = (k) => image.Tags?.find((t) => t.Key === k)?.Value ?? "";
    report.images.push({
      imageId: image.ImageId,
      action: available ? "record" : "discard",
      state: image.State ?? "",
      created: new Date(Date.parse(image.CreationDate)).toISOString(),
      run: tag(TAG.run),
      name: image.Name ?? "",
      snapshots: snapshotIds(image)
    });
  }
  if (i.dryRun) {
    for (const s of report.images) i.log.info(`would ${s.action} ${describe(s)}`);
    return;
  }
  const byId = new Map(candidates.map((c) => [c.ImageId, c]));
  for (const s of report.images) {
    const image = byId.get(s.imageId);
    if (s.action === "record") {
      try {
        await tagSnapshots(i.ec2, image, ownTags(image));
        i.log.info(`recorded ${describe(s)}: its snapshots are tagged, the AMI is kept`);
      } catch (err) {
        report.failedImages.push({
          imageId: s.imageId,
          error: `its snapshots ${s.snapshots.join(", ")} could not be tagged: ${errorMessage(err)}`
        });
      }
      continue;
    }
    const problems = await discardImage(i.ec2, image, i.log, {
      deadline: deadlineIn(DISCARD_SECONDS)
    });
    if (problems.length) report.failedImages.push({ imageId: s.imageId, error: problems.join("; ") });
    else i.log.info(`discarded ${describe(s)}`);
  }
  for (const f of report.failedImages) i.log.warn(`could not clean up the AMI ${f.imageId}: ${f.error}`);
}
function describe(s) {
  return `the ${s.state} AMI ${s.imageId} (${s.name}, created ${s.created}${s.run ? `, run ${s.run}` : ""})` + (s.snapshots.length ? ` with its snapshots ${s.snapshots.join(", ")}` : "");
}
async function untaggedSnapshots(ec2, images) {
  const wanted = /* @__PURE__ */ new Map();
  for (const image of images) {
    const own = Object.entries(ownTags(image)).filter(([k]) => k.startsWith("amibake:"));
    for (const s of snapshotIds(image)) wanted.set(s, own);
  }
  const untagged = /* @__PURE__ */ new Set();
  const ids = [...wanted.keys()];
  for (let n = 0; n < ids.length; n += 200) {
    let token;
    do {
      const page = await ec2.send(
        new import_client_ec2.DescribeSnapshotsCommand({
          OwnerIds: ["self"],
          Filters: [{ Name: "snapshot-id", Values: ids.slice(n, n + 200) }],
          NextToken: token
        })
      );
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
  const verb = r.dryRun ? "would terminate" : "terminated";
  const failed = new Set(r.failedImages.map((f) => f.imageId));
  const ids = (action) => r.images.filter((s) => s.action === action && !failed.has(s.imageId)).map((s) => s.imageId);
  const discarded = ids("discard");
  const recorded = ids("record");
  const amis = [
    discarded.length ? `${r.dryRun ? "would discard" : "discarded"} ${discarded.join(" ")}` : "",
    recorded.length ? `${r.dryRun ? "would record" : "recorded"} ${recorded.join(" ")}` : "",
    failed.size ? `failed ${[...failed].join(" ")}` : ""
  ].filter(Boolean);
  return `sweep ${r.region}: ${verb} ${r.swept.length - r.failed.length} amibake instance(s) older than ${r.olderThan}${r.failed.length ? `, ${r.failed.length} failed` : ""}, ${r.spared} younger left alone; unfinished AMIs: ${r.imagesError ? `not checked (${r.imagesError})` : amis.length ? amis.join(", ") : "none"}`;
}

export {
  sweep,
  formatSweep
};
