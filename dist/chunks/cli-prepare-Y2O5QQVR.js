import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  InterruptedError,
  interruptible
} from "./chunk-N7WYBWPH.js";
import {
  prepare
} from "./chunk-MGSU2E5G.js";
import "./chunk-G7FRW6BQ.js";
import {
  cliSource,
  readOptions
} from "./chunk-WWOMECBE.js";
import {
  createCliLogger
} from "./chunk-CA7JAFHB.js";
import "./chunk-QCJIZORW.js";
import "./chunk-AD3J7GL7.js";
import "./chunk-FUJ7KVUG.js";
import "./chunk-TS5WFTQ5.js";

// src/fronts/cli-prepare.ts
var USAGE = `usage: amibake prepare SOURCE TARGET

Compiles the image source folder SOURCE into TARGET/userdata.gz, TARGET/vars.env and, when the
files do not fit in the user data, TARGET/fs.tgz.

environment:
  AWSREGION   region the instance uses for 'aws s3 cp' without a presigned URL (default ap-northeast-1)
  S3URL       s3://bucket/path/fs.tgz, where the build stage stages fs.tgz (needed when it goes external)`;
async function main(args, env = process.env) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (args.length !== 2 || args.some((a) => a.startsWith("-"))) {
    process.stderr.write(`amibake prepare: expected SOURCE and TARGET
${USAGE}
`);
    return 2;
  }
  const [source, target] = args;
  const opts = readOptions("prepare", cliSource(env, { source, target }));
  try {
    await interruptible(
      (signal) => prepare({
        source: opts.source,
        target: opts.target,
        awsRegion: opts.awsRegion,
        s3Url: opts.s3Url,
        logger: createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === "true"),
        front: "cli",
        env,
        signal
      })
    );
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    process.stderr.write(`amibake prepare: ${err.message}
`);
    return err.exitCode;
  }
  return 0;
}
export {
  main
};
