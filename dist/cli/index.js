#!/usr/bin/env node
import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  UserError,
  errorMessage
} from "../chunks/chunk-E4R6QE6L.js";
import "../chunks/chunk-TS5WFTQ5.js";

// src/fronts/cli.ts
var USAGE = `usage:
  amibake prepare SOURCE TARGET                 compile an image source (env: AWSREGION, S3URL)
  amibake build [USERDATA [NAME [VERSION]]]     bake the AMI (env: BUILDAMI_*)
  amibake try SOURCE [--image FILE] [--keep DIR]  bake SOURCE in a local VM, no AWS account needed
  amibake sweep                                 terminate leaked build instances (env: BUILDAMI_*)

Run 'amibake <command> --help' for the command's options.`;
var COMMANDS = {
  prepare: async () => (await import("../chunks/cli-prepare-ID67AKTO.js")).main,
  build: async () => (await import("../chunks/cli-build-F2435MXR.js")).main,
  try: async () => (await import("../chunks/cli-try-OO5MZ6E3.js")).main,
  sweep: async () => (await import("../chunks/cli-sweep-C662N32F.js")).main
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
    process.stderr.write(`amibake ${name}: ${errorMessage(err)}
`);
    if (!(err instanceof UserError) && process.env.AMIBAKE_DEBUG)
      process.stderr.write(`${err.stack}
`);
    process.exitCode = 1;
  }
}

// src/cli/index.ts
run();
