#!/usr/bin/env node
import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  UserError,
  errorMessage,
  neutralise
} from "../chunks/chunk-QCJIZORW.js";
import "../chunks/chunk-TS5WFTQ5.js";

// src/fronts/cli.ts
var USAGE = `usage:
  amibake prepare SOURCE TARGET                 compile an image source (env: AWSREGION, S3URL)
  amibake build [USERDATA [NAME [VERSION]]]     bake the AMI (env: BUILDAMI_*)
  amibake try SOURCE [--image FILE] [--keep DIR]  bake SOURCE in a local VM, no AWS account needed
  amibake sweep                                 terminate leaked instances, finish AMIs (env: BUILDAMI_*)

Run 'amibake <command> --help' for the command's options.`;
var COMMANDS = {
  prepare: async () => (await import("../chunks/cli-prepare-Y2O5QQVR.js")).main,
  build: async () => (await import("../chunks/cli-build-NJBDLII2.js")).main,
  try: async () => (await import("../chunks/cli-try-OD6WOAJL.js")).main,
  sweep: async () => (await import("../chunks/cli-sweep-F2XPDDNQ.js")).main
};
async function run(argv = process.argv.slice(2)) {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    process.exitCode = name ? 0 : 2;
    return;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`amibake: unknown command '${name}'
${USAGE}
`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await (await load())(args);
  } catch (err) {
    process.stderr.write(`${neutralise(`amibake ${name}: ${errorMessage(err)}`).join("\n")}
`);
    if (!(err instanceof UserError) && process.env.AMIBAKE_DEBUG)
      process.stderr.write(`${err.stack}
`);
    process.exitCode = 1;
  }
}

// src/cli/index.ts
run();
