#!/usr/bin/env node
import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/core/errors.ts
var UserError = class extends Error {
  name = "UserError";
};
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

// src/fronts/cli.ts
var USAGE = `usage:
  amibake prepare SOURCE TARGET                 compile an image source (env: AWSREGION, S3URL)
  amibake build [USERDATA [NAME [VERSION]]]     bake the AMI (env: BUILDAMI_*)
  amibake try SOURCE [--image FILE] [--keep DIR]  bake SOURCE in a local VM, no AWS account needed
  amibake sweep                                 terminate leaked build instances (env: BUILDAMI_*)

Run 'amibake <command> --help' for the command's options.`;
var COMMANDS = {
  prepare: async () => (await import("../chunks/cli-prepare-PAP4FZPW.js")).main,
  build: async () => (await import("../chunks/cli-build-WEME4PO2.js")).main,
  try: async () => (await import("../chunks/cli-try-7E3G4QGG.js")).main,
  sweep: async () => (await import("../chunks/cli-sweep-2IXHRKYC.js")).main
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
