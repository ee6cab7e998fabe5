import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  formatSweep,
  sweep
} from "./chunk-ZRIACSA4.js";
import {
  cliSource,
  readOptions
} from "./chunk-WWOMECBE.js";
import {
  configuredRegion
} from "./chunk-6ROUF3IT.js";
import {
  createCliLogger,
  regionProblem,
  require_dist_cjs4 as require_dist_cjs
} from "./chunk-CA7JAFHB.js";
import {
  OptionError,
  UserError
} from "./chunk-QCJIZORW.js";
import "./chunk-O5IFNAIA.js";
import "./chunk-AD3J7GL7.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/fronts/cli-sweep.ts
var import_client_ec2 = __toESM(require_dist_cjs(), 1);
var USAGE = `usage: amibake sweep [AGE]

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
  const configured = await configuredRegion(env);
  if (!configured) throw new UserError("no AWS region: set AWS_REGION");
  const problem = regionProblem(configured.region);
  if (problem) throw new OptionError([`${configured.from}: ${problem}`]);
  return configured.region;
}
async function main(args, env = process.env) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (args.length > 1 || args.some((a) => a.startsWith("-"))) {
    process.stderr.write(`amibake sweep: expected at most one argument, AGE
${USAGE}
`);
    return 2;
  }
  let opts;
  try {
    opts = readOptions("sweep", cliSource(env, { sweepAge: args[0] }));
  } catch (err) {
    if (err instanceof OptionError && args[0] !== void 0)
      throw new OptionError(
        err.problems.map((p) => p.replace(/^BUILDAMI_SWEEP_AGE:/, "AGE (instead of BUILDAMI_SWEEP_AGE):"))
      );
    throw err;
  }
  const where = await region(env);
  const log = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === "true");
  const report = await sweep({
    ec2: new import_client_ec2.EC2Client({ region: where, retryMode: "adaptive", maxAttempts: 10 }),
    region: where,
    olderThanMs: opts.sweepAge.ms,
    dryRun: opts.dryRun,
    log
  });
  const failed = new Set(report.failed.map((f) => f.instanceId));
  for (const s of report.swept)
    process.stdout.write(
      `${failed.has(s.instanceId) ? "FAILED" : report.dryRun ? "would-terminate" : "terminated"}	${s.instanceId}	${s.state}	${s.launched}	${s.run}	${s.name}
`
    );
  const failedImages = new Set(report.failedImages.map((f) => f.imageId));
  for (const s of report.images) {
    const verb = s.action === "discard" ? "discarded" : "recorded";
    process.stdout.write(
      `${failedImages.has(s.imageId) ? "FAILED" : report.dryRun ? `would-${s.action}` : verb}	${s.imageId}	${s.state}	${s.created}	${s.run}	${s.name}
`
    );
  }
  process.stdout.write(formatSweep(report) + "\n");
  return report.failed.length || report.failedImages.length || report.imagesError ? 1 : 0;
}
export {
  main
};
