/** action-prepare: compile the image source, then upload the prepared files as a workflow artifact. */
import { rm } from 'node:fs/promises';
import * as core from '@actions/core';
import { interruptible } from '../compile/interrupt.js';
import { prepare, type PrepareResult } from '../compile/prepare.js';
import { actionSource } from '../core/action-inputs.js';
import { errorMessage, renderError, UserError } from '../core/errors.js';
import { createActionLogger } from '../core/log.js';
import { nameFor, readOptions } from '../core/options.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { PREPARE_OUTPUTS as OUT } from '../core/outputs.js';
import { neutraliseLine } from '../core/inert.js';
import { ANSI, prepareDisk } from './disk-prepare.js';

function setOutputs(r: PrepareResult): void {
  core.setOutput(OUT.directory.name, r.target);
  core.setOutput(OUT.userdataPath.name, r.userdataPath);
  core.setOutput(OUT.userdataSize.name, String(r.sizes.userdata));
  core.setOutput(OUT.fsTgzPath.name, r.fsTgzPath ?? '');
  core.setOutput(OUT.fsTgzSize.name, r.sizes.fsTgz === undefined ? '' : String(r.sizes.fsTgz));
  core.setOutput(OUT.fsExternal.name, String(r.external));
  core.setOutput(OUT.varsPath.name, r.varsPath);
  core.setOutput(OUT.testUserdataPath.name, r.testUserdataPath ?? '');
}

async function writeSummary(r: PrepareResult, artifact: string): Promise<void> {
  const fs =
    r.fsMode === 'none'
      ? 'none'
      : `${r.sizes.fsTgz} bytes, ${r.fsMode === 'inline' ? 'inline' : `external (${r.vars.S3URL})`}`;
  await core.summary
    .addHeading(`amibake prepare: ${r.vars.NAME} ${r.vars.VERSION}`, 3)
    .addTable([
      [
        { data: 'userdata.gz', header: true },
        { data: 'fs.tgz', header: true },
        { data: 'artifact', header: true },
        { data: 'PREPARED_DIGEST', header: true },
      ],
      [`${r.sizes.userdata} bytes`, fs, artifact, r.vars.PREPARED_DIGEST],
    ])
    .write();
}

export async function run(): Promise<void> {
  try {
    const opts = readOptions(PREPARE_OPTIONS, 'prepare', actionSource());
    const logger = await createActionLogger();
    // A cancelled job (SIGINT, then SIGTERM) stops compile.sh and removes the temporary folders.
    const result = await interruptible(async (signal) => {
      const prepared = await prepare({
        source: opts.source,
        target: opts.target,
        awsRegion: opts.awsRegion,
        s3Url: opts.s3Url,
        logger,
        env: process.env,
        signal,
      });
      if (!opts.disk) return prepared;
      try {
        // The disk: baked in a VM on the runner (root, qemu), added to the artifact.
        const disk = await prepareDisk({
          prepared,
          env: process.env,
          signal,
          say: (m) => logger.info(m),
          onToken: (t) => logger.mask(t),
          onConsole: (line) => core.info(`  | ${neutraliseLine(line.replace(ANSI, ''))}`),
        });
        return { ...prepared, files: disk.files, vars: disk.vars };
      } catch (err) {
        // No artifact rather than one that would pass for an instance artifact.
        for (const f of prepared.files) await rm(f, { force: true });
        throw err;
      }
    });
    setOutputs(result);
    const { DefaultArtifactClient } = await import('@actions/artifact');
    // userdata.gz, userdata-test.gz, fs.tgz and disk.blocks are compressed already.
    const upload = await new DefaultArtifactClient().uploadArtifact(
      opts.artifactName,
      result.files,
      result.target,
      {
        compressionLevel: 0,
      },
    );
    if (upload.id === undefined) throw new UserError(`artifact '${opts.artifactName}' was not uploaded`);
    core.setOutput(OUT.artifactId.name, String(upload.id));
    core.info(`uploaded artifact '${opts.artifactName}' (id ${upload.id}, ${upload.size ?? '?'} bytes)`);
    await writeSummary(result, opts.artifactName).catch((err) =>
      core.debug(`no step summary: ${errorMessage(err)}`),
    );
  } catch (err) {
    core.setFailed(renderError(err, nameFor(PREPARE_OPTIONS, 'action', 'prepare')));
  }
}
