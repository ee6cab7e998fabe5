import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  BUILD_PART_FILENAME,
  BUILD_RESERVE,
  STAGE_ENV,
  STAGE_VARS,
  USERDATA_LIMIT,
  appendPart,
  formatEnv,
  require_dist
} from "./chunk-G7FRW6BQ.js";
import {
  UserError
} from "./chunk-QCJIZORW.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/bake/stage.ts
var import_yaml = __toESM(require_dist(), 1);
function stageEnv(urls, facts = {}) {
  const vars = {};
  if (urls.fsUrl) vars[STAGE_VARS.fsUrl] = urls.fsUrl;
  if (urls.resultUrl) vars[STAGE_VARS.resultUrl] = urls.resultUrl;
  if (urls.logUrl) vars[STAGE_VARS.logUrl] = urls.logUrl;
  if (facts.keyPair) vars[STAGE_VARS.keyPair] = facts.keyPair;
  return formatEnv(vars);
}
function stagePart(urls, facts = {}) {
  const doc = {
    write_files: [
      { path: STAGE_ENV, owner: "root:root", permissions: "0600", content: stageEnv(urls, facts) }
    ]
  };
  return "#cloud-config\n" + (0, import_yaml.stringify)(doc, { lineWidth: 0, version: "1.1" });
}
function finalUserdata(prepared, urls, facts = {}) {
  const out = appendPart(prepared, { filename: BUILD_PART_FILENAME, content: stagePart(urls, facts) });
  if (out.length > USERDATA_LIMIT) {
    throw new UserError(
      `the user data is ${out.length} bytes with the build's part (its presigned URLs), over EC2's limit of ${USERDATA_LIMIT}: prepared ${prepared.length} bytes, the build's part ${out.length - prepared.length} (prepare keeps ${BUILD_RESERVE} bytes for it). Use a shorter S3 location (bucket and key) for the staged files`
    );
  }
  return out;
}

export {
  finalUserdata
};
