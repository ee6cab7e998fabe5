import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  formatMs
} from "./chunk-T2TMOBSG.js";
import {
  TAG2 as TAG,
  errorCode,
  require_dist_cjs4 as require_dist_cjs
} from "./chunk-YMZ4LQS6.js";
import {
  errorMessage
} from "./chunk-E4R6QE6L.js";
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
  return report;
}
function formatSweep(r) {
  const verb = r.dryRun ? "would terminate" : "terminated";
  return `sweep ${r.region}: ${verb} ${r.swept.length - r.failed.length} amibake instance(s) older than ${r.olderThan}${r.failed.length ? `, ${r.failed.length} failed` : ""}, ${r.spared} younger left alone`;
}

export {
  sweep,
  formatSweep
};
