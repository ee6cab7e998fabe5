/** action-build main: download the prepared files, bake, report. The post step
 *  (action-build-post.ts) terminates whatever this step leaves behind. */
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { actionSource } from '../core/action-inputs.js';
import { UserError, errorMessage, msg, opt, renderError } from '../core/errors.js';
import { createActionLogger, type Logger } from '../core/log.js';
import { BUILD_OUTPUTS } from '../core/outputs.js';
import { onSignals } from '../engine/signals.js';
import { MemoryState } from '../engine/state.js';
import { leftoverMessage } from '../features/bake/context.js';
import { summaryRows, writeOutputFile } from '../features/bake/report.js';
import { ganttMarkdown, timingRows, timingsJson, timingsText } from '../features/bake/timings.js';
import type { PhaseTiming } from '../engine/timings.js';
import { kindOfFolder } from '../features/disk-upload/artifact.js';
import { namesFor, readBuildOptions, requireFor } from '../pipeline/options.js';
import { createBake } from '../pipeline/session.js';

/** How errors name the options: the action's inputs. */
const NAMES = namesFor('action', 'build');

/** The prepare job's artifact, from this workflow run. */
async function downloadPrepared(name: string, logger: Logger): Promise<string> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  let id: number;
  try {
    id = (await client.getArtifact(name)).artifact.id;
  } catch (err) {
    throw new UserError(
      msg`${opt('artifactName')}: no artifact "${name}" in this workflow run (does the prepare job upload it, and does this job need it?): ${errorMessage(err)}`,
    );
  }
  const path = join(process.env.RUNNER_TEMP || tmpdir(), `amibake-${id}`);
  const out = await client.downloadArtifact(id, { path });
  logger.info(`downloaded the artifact "${name}" to ${out.downloadPath ?? path}`);
  return out.downloadPath ?? path;
}

/** The package inventory as a workflow artifact, `<artifact>-sbom` (the AMI's name for a bake
 *  of a directory). The AMI exists by now: a failed upload is a warning, the path stays an output. */
async function uploadSbom(path: string, base: string, logger: Logger): Promise<void> {
  // Artifact names take no `/ \ : " < > | * ?` (an AMI name may hold `/`).
  const name = `${base.replace(/[/\\:"<>|*?\r\n]/g, '_')}-sbom`;
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const upload = await new DefaultArtifactClient().uploadArtifact(name, [path], dirname(path));
    logger.info(`uploaded the package inventory as the artifact "${name}" (id ${upload.id ?? '?'})`);
  } catch (err) {
    logger.warn(`could not upload the package inventory as the artifact "${name}": ${errorMessage(err)}`);
  }
}

/** A failed bake still reports where its time went: the `timings` output, the table in the log
 *  and the summary (the failed phase marked in the chart), before the step fails. */
async function reportFailure(timings: readonly PhaseTiming[], logger: Logger): Promise<void> {
  if (!timings.length) return;
  core.setOutput(BUILD_OUTPUTS.timings.name, timingsJson(timings));
  logger.info(timingsText(timings));
  const failed = timings.find((t) => !t.ok);
  await core.summary
    .addHeading(`AMI bake failed${failed ? ` in ${failed.title}` : ''}`, 2)
    .addTable([
      [
        { data: 'Phase', header: true },
        { data: 'Time', header: true },
      ],
      ...timingRows(timings),
    ])
    .addRaw(ganttMarkdown(timings))
    .write();
}

export async function run(): Promise<void> {
  const logger = await createActionLogger();
  let timings: readonly PhaseTiming[] = [];
  let outputs: Record<string, string> = {};
  try {
    // The artifact's kind decides which options are required (a disk upload needs no subnet):
    // known at once from a `directory`, after the download otherwise.
    const given = core.getInput('directory');
    const opts = readBuildOptions(actionSource(), given ? await kindOfFolder(resolve(given)) : undefined);
    const dir = opts.directory ? resolve(opts.directory) : await downloadPrepared(opts.artifactName, logger);
    requireFor(await kindOfFolder(dir), opts, 'action');
    const state = new MemoryState((key, value) => core.saveState(key, value));
    const bake = await createBake(
      opts,
      { userdata: join(dir, 'userdata.gz') },
      // The artifact is the prepare job's output: it never picks the region or the bucket.
      {
        trustArtifactLocation: false,
        logger,
        state,
        env: process.env,
        // The package inventory is saved there, then uploaded as an artifact of its own.
        workDir: process.env.RUNNER_TEMP || tmpdir(),
      },
    );
    timings = bake.engine.timings;
    outputs = bake.ctx.report.outputs;
    // Terminate at once and exit; the post step confirms the termination (and fails, naming
    // them, if anything is still left).
    const off = onSignals(
      logger,
      async () => {
        const left = leftoverMessage(await bake.cancel({ wait: false, graceMs: 2000, terminateSeconds: 3 }));
        if (left) throw new UserError(`${left}\nthe post step tries again`);
      },
      6000,
    );
    const result = await bake.run().finally(off);

    core.setOutput(BUILD_OUTPUTS.amiId.name, result.amiId);
    core.setOutput(BUILD_OUTPUTS.amiName.name, result.amiName);
    core.setOutput(BUILD_OUTPUTS.region.name, result.region);
    core.setOutput(BUILD_OUTPUTS.instanceId.name, result.instanceId ?? '');
    for (const [k, v] of Object.entries(result.report.outputs)) core.setOutput(k, v);
    core.setOutput(BUILD_OUTPUTS.timings.name, timingsJson(result.timings));
    const sbom = result.report.outputs[BUILD_OUTPUTS.sbom.name];
    if (sbom) await uploadSbom(sbom, opts.directory ? result.amiName : opts.artifactName, logger);
    const dryRun = Boolean(result.report.dryRun);
    if (opts.outputFile && !dryRun) await writeOutputFile(opts.outputFile, result);
    const heading = dryRun
      ? `Dry run of AMI ${result.amiName}: nothing launched`
      : result.reused
        ? `AMI ${result.amiName} (reused)`
        : `AMI ${result.amiName} baked`;
    logger.info(timingsText(result.timings));
    await core.summary
      .addHeading(heading, 2)
      .addTable(summaryRows(result))
      .addRaw(ganttMarkdown(result.timings))
      .write();
    logger.info(dryRun ? heading : `AMI ${result.amiId} (${result.amiName}) in ${result.region}`);
  } catch (err) {
    // Reported before the failure: a summary that cannot be written must not hide the error.
    await reportFailure(timings, logger).catch((e) => logger.warn(`no timing report: ${errorMessage(e)}`));
    // A failed test says so to the steps that run on failure.
    const testStatus = outputs[BUILD_OUTPUTS.testStatus.name];
    if (testStatus) core.setOutput(BUILD_OUTPUTS.testStatus.name, testStatus);
    core.setFailed(renderError(err, NAMES));
  }
}
