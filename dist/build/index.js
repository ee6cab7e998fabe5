import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  createBake,
  onSignals,
  summaryRows,
  writeOutputFile
} from "../chunks/chunk-MWP7A4KR.js";
import "../chunks/chunk-BIW5YY4C.js";
import "../chunks/chunk-ZRIACSA4.js";
import {
  BUILD_OUTPUTS,
  actionSource
} from "../chunks/chunk-KOXT42BU.js";
import "../chunks/chunk-G7FRW6BQ.js";
import {
  nameOf,
  readOptions
} from "../chunks/chunk-WWOMECBE.js";
import {
  MemoryState,
  leftoverMessage
} from "../chunks/chunk-XDRLR6GE.js";
import "../chunks/chunk-6ROUF3IT.js";
import {
  createActionLogger
} from "../chunks/chunk-CA7JAFHB.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-QCJIZORW.js";
import "../chunks/chunk-O5IFNAIA.js";
import "../chunks/chunk-AD3J7GL7.js";
import {
  saveState,
  setFailed,
  setOutput,
  summary
} from "../chunks/chunk-KLVQDTEW.js";
import "../chunks/chunk-TS5WFTQ5.js";

// src/fronts/action-build.ts
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
async function downloadPrepared(name, logger) {
  const { DefaultArtifactClient } = await import("../chunks/artifact-LP45RN72.js");
  const client = new DefaultArtifactClient();
  let id;
  try {
    id = (await client.getArtifact(name)).artifact.id;
  } catch (err) {
    throw new UserError(
      `${nameOf("artifactName", "action")}: no artifact "${name}" in this workflow run (does the prepare job upload it, and does this job need it?): ${errorMessage(err)}`
    );
  }
  const path = join(process.env.RUNNER_TEMP || tmpdir(), `amibake-${id}`);
  const out = await client.downloadArtifact(id, { path });
  logger.info(`downloaded the artifact "${name}" to ${out.downloadPath ?? path}`);
  return out.downloadPath ?? path;
}
async function run() {
  const logger = await createActionLogger();
  try {
    const opts = readOptions("build", actionSource());
    const dir = opts.directory ? resolve(opts.directory) : await downloadPrepared(opts.artifactName, logger);
    const state = new MemoryState((key, value) => saveState(key, value));
    const bake = await createBake(
      opts,
      { userdata: join(dir, "userdata.gz") },
      // The artifact is the prepare job's output: it never picks the region or the bucket.
      { front: "action", trustArtifactLocation: false, logger, state, env: process.env }
    );
    const off = onSignals(
      logger,
      async () => {
        const left = leftoverMessage(await bake.cancel({ wait: false, graceMs: 2e3, terminateSeconds: 3 }));
        if (left) throw new UserError(`${left}
the post step tries again`);
      },
      6e3
    );
    const result = await bake.run().finally(off);
    setOutput(BUILD_OUTPUTS.amiId.name, result.amiId);
    setOutput(BUILD_OUTPUTS.amiName.name, result.amiName);
    setOutput(BUILD_OUTPUTS.region.name, result.region);
    setOutput(BUILD_OUTPUTS.instanceId.name, result.instanceId ?? "");
    for (const [k, v] of Object.entries(result.report.outputs)) setOutput(k, v);
    const dryRun = Boolean(result.report.dryRun);
    if (opts.outputFile && !dryRun)
      await writeOutputFile(opts.outputFile, result, nameOf("outputFile", "action"));
    const heading = dryRun ? `Dry run of AMI ${result.amiName}: nothing launched` : result.reused ? `AMI ${result.amiName} (reused)` : `AMI ${result.amiName} baked`;
    await summary.addHeading(heading, 2).addTable(summaryRows(result)).write();
    logger.info(dryRun ? heading : `AMI ${result.amiId} (${result.amiName}) in ${result.region}`);
  } catch (err) {
    setFailed(errorMessage(err));
  }
}

// src/build/index.ts
run();
