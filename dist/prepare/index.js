import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  interruptible
} from "../chunks/chunk-N7WYBWPH.js";
import {
  prepare
} from "../chunks/chunk-MGSU2E5G.js";
import {
  PREPARE_OUTPUTS,
  actionSource
} from "../chunks/chunk-KOXT42BU.js";
import "../chunks/chunk-G7FRW6BQ.js";
import {
  readOptions
} from "../chunks/chunk-WWOMECBE.js";
import {
  createActionLogger
} from "../chunks/chunk-CA7JAFHB.js";
import {
  UserError,
  errorMessage
} from "../chunks/chunk-QCJIZORW.js";
import "../chunks/chunk-AD3J7GL7.js";
import "../chunks/chunk-FUJ7KVUG.js";
import {
  debug,
  info,
  setFailed,
  setOutput,
  summary
} from "../chunks/chunk-KLVQDTEW.js";
import "../chunks/chunk-TS5WFTQ5.js";

// src/fronts/action-prepare.ts
function setOutputs(r) {
  setOutput(PREPARE_OUTPUTS.directory.name, r.target);
  setOutput(PREPARE_OUTPUTS.userdataPath.name, r.userdataPath);
  setOutput(PREPARE_OUTPUTS.userdataSize.name, String(r.sizes.userdata));
  setOutput(PREPARE_OUTPUTS.fsTgzPath.name, r.fsTgzPath ?? "");
  setOutput(PREPARE_OUTPUTS.fsTgzSize.name, r.sizes.fsTgz === void 0 ? "" : String(r.sizes.fsTgz));
  setOutput(PREPARE_OUTPUTS.fsExternal.name, String(r.external));
  setOutput(PREPARE_OUTPUTS.varsPath.name, r.varsPath);
}
async function writeSummary(r, artifact) {
  const fs = r.fsMode === "none" ? "none" : `${r.sizes.fsTgz} bytes, ${r.fsMode === "inline" ? "inline" : `external (${r.vars.S3URL})`}`;
  await summary.addHeading(`amibake prepare: ${r.vars.NAME} ${r.vars.VERSION}`, 3).addTable([
    [
      { data: "userdata.gz", header: true },
      { data: "fs.tgz", header: true },
      { data: "artifact", header: true },
      { data: "PREPARED_DIGEST", header: true }
    ],
    [`${r.sizes.userdata} bytes`, fs, artifact, r.vars.PREPARED_DIGEST]
  ]).write();
}
async function run() {
  try {
    const opts = readOptions("prepare", actionSource());
    const logger = await createActionLogger();
    const result = await interruptible(
      (signal) => prepare({
        source: opts.source,
        target: opts.target,
        awsRegion: opts.awsRegion,
        s3Url: opts.s3Url,
        logger,
        front: "action",
        env: process.env,
        signal
      })
    );
    setOutputs(result);
    const { DefaultArtifactClient } = await import("../chunks/artifact-LP45RN72.js");
    const upload = await new DefaultArtifactClient().uploadArtifact(
      opts.artifactName,
      result.files,
      result.target,
      {
        compressionLevel: 0
      }
    );
    if (upload.id === void 0) throw new UserError(`artifact '${opts.artifactName}' was not uploaded`);
    setOutput(PREPARE_OUTPUTS.artifactId.name, String(upload.id));
    info(`uploaded artifact '${opts.artifactName}' (id ${upload.id}, ${upload.size ?? "?"} bytes)`);
    await writeSummary(result, opts.artifactName).catch(
      (err) => debug(`no step summary: ${errorMessage(err)}`)
    );
  } catch (err) {
    setFailed(errorMessage(err));
  }
}

// src/prepare/index.ts
run();
