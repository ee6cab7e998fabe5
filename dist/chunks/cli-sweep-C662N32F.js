import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  formatSweep,
  sweep
} from "./chunk-7DPHX4QT.js";
import {
  cliSource,
  readOptions
} from "./chunk-T2TMOBSG.js";
import {
  createCliLogger,
  require_dist_cjs4 as require_dist_cjs
} from "./chunk-YMZ4LQS6.js";
import {
  OptionError,
  UserError
} from "./chunk-E4R6QE6L.js";
import "./chunk-AD3J7GL7.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/fronts/cli-sweep.ts
var import_client_ec2 = __toESM(require_dist_cjs(), 1);
var USAGE = `usage: amibake sweep [AGE]

Terminates the instances amibake launched (tag amibake:run) that are older than AGE in the
region and are not terminated yet: the leak a killed runner leaves, which no post step can
clean up. Run it on a schedule with the build's credentials (it needs ec2:DescribeInstances and
ec2:TerminateInstances).

arguments:
  AGE                 instead of BUILDAMI_SWEEP_AGE

environment:
  BUILDAMI_SWEEP_AGE  age past which an instance counts as leaked, e.g. 6h, 2d (default 6h);
                      make it longer than any bake (the instance and AMI timeouts together)
  BUILDAMI_DRY_RUN    true: only list what would be terminated
  AWS_REGION          the region (or the profile's, or AWS_DEFAULT_REGION)`;
async function region(env) {
  try {
    const r = await new import_client_ec2.EC2Client({}).config.region();
    if (r) return r;
  } catch {
  }
  if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
  throw new UserError("no AWS region: set AWS_REGION");
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
  const log = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG));
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
  process.stdout.write(formatSweep(report) + "\n");
  return report.failed.length ? 1 : 0;
}
export {
  main
};
