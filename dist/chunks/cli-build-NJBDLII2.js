import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  createBake,
  onSignals,
  outputFileText,
  summaryText,
  writeOutputFile
} from "./chunk-MWP7A4KR.js";
import "./chunk-BIW5YY4C.js";
import "./chunk-ZRIACSA4.js";
import "./chunk-G7FRW6BQ.js";
import {
  OPTIONS,
  cliSource,
  nameOf,
  readOptions
} from "./chunk-WWOMECBE.js";
import {
  MemoryState,
  leftoverMessage
} from "./chunk-XDRLR6GE.js";
import "./chunk-6ROUF3IT.js";
import {
  createCliLogger
} from "./chunk-CA7JAFHB.js";
import {
  OptionError,
  UserError
} from "./chunk-QCJIZORW.js";
import "./chunk-O5IFNAIA.js";
import "./chunk-AD3J7GL7.js";
import "./chunk-TS5WFTQ5.js";

// src/fronts/cli-build.ts
var USAGE = `usage: amibake build [USERDATA [NAME [VERSION]]]

Bakes an AMI from prepared user data: stages fs.tgz in S3, launches a temporary instance, waits
for it to stop, creates the AMI and terminates the instance. vars.env (and fs.tgz) are read from
beside USERDATA. On success the AMI_ID=, AMI_NAME=, REGION= lines go to stdout (and to
BUILDAMI_OUTPUT); progress goes to stderr.

Credentials come from the standard AWS chain (AWS_PROFILE, ...). The region is AWS_REGION (or the
profile's, or AWS_DEFAULT_REGION), else AWSREGION from vars.env; fs.tgz goes to BUILDAMI_S3URL,
else S3URL from vars.env. A vars.env that names another region or S3 URL than these is refused.

Variables:
${Object.values(OPTIONS).filter((d) => d.env && d.stages.includes("build")).map(
  (d) => `  ${d.env.padEnd(30)} ${d.required ? "(required) " : ""}${d.default ? `[${d.default}] ` : ""}`
).join("\n")}

See the README for what each one does.`;
async function main(args, env = process.env) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (args.length > 3 || args.some((a) => a.startsWith("-")))
    throw new OptionError([`unexpected argument(s): ${args.join(" ")}
${USAGE}`]);
  const [userdataArg, nameArg, versionArg] = args;
  const required = `${nameOf("userdata", "cli")} (or the USERDATA argument): is required`;
  const missing = (userdataArg ?? env[nameOf("userdata", "cli")] ?? "").trim() ? [] : [required];
  let opts;
  try {
    opts = readOptions(
      "build",
      cliSource(env, { userdata: userdataArg, targetName: nameArg, targetVersion: versionArg })
    );
  } catch (err) {
    if (err instanceof OptionError) throw new OptionError([...missing, ...err.problems]);
    throw err;
  }
  if (!opts.userdata) throw new OptionError([required]);
  const logger = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === "true");
  const state = new MemoryState();
  const bake = await createBake(
    opts,
    { userdata: opts.userdata, fsTgz: opts.fsTgz },
    // The spec's flow: vars.env's AWSREGION and S3URL unless AWS_REGION / BUILDAMI_S3URL are set.
    { front: "cli", trustArtifactLocation: true, logger, state, env }
  );
  const off = onSignals(
    logger,
    async () => {
      const left = leftoverMessage(await bake.cancel({ wait: true, graceMs: 5e3, terminateSeconds: 60 }));
      if (left) throw new UserError(left);
    },
    12e4
  );
  try {
    const result = await bake.run();
    logger.info(summaryText(result));
    const left = result.instanceId && !result.terminated ? leftoverMessage(await bake.cleanupOnce({ wait: true })) : "";
    if (!result.report.dryRun) {
      if (opts.outputFile) await writeOutputFile(opts.outputFile, result, nameOf("outputFile", "cli"));
      process.stdout.write(outputFileText(result));
    }
    if (left) throw new UserError(left);
    return 0;
  } finally {
    off();
  }
}
export {
  main
};
