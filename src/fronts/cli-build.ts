/** `amibake build [USERDATA [NAME [VERSION]]]`, configured by BUILDAMI_* variables. Without a
 *  post step to rely on, it terminates the instance itself on every error and on SIGINT/SIGTERM. */
import { OptionError, UserError, named } from '../core/errors.js';
import { createCliLogger } from '../core/log.js';
import { cliSource, type OptionDef } from '../core/options.js';
import { onSignals } from '../engine/signals.js';
import { MemoryState } from '../engine/state.js';
import { leftoverMessage } from '../features/bake/context.js';
import { outputFileText, summaryText, writeOutputFile } from '../features/bake/report.js';
import { timingsText } from '../features/bake/timings.js';
import { dirname } from 'node:path';
import { kindOfFolder, preparedUserdata } from '../features/disk-upload/artifact.js';
import { OPTIONS, namesFor, readBuildOptions, type BuildOptions } from '../pipeline/options.js';

/** How errors name the options: the CLI's variables (and its arguments). */
const NAMES = namesFor('cli', 'build');

const USAGE = `usage: amibake build [TARGET|USERDATA [NAME [VERSION]]]

Bakes an AMI from what prepare wrote to TARGET (or from its USERDATA, userdata.gz: vars.env and
fs.tgz are read from beside it). An instance artifact: stages fs.tgz in S3, launches a temporary
instance, waits for it to stop, creates the AMI and terminates the instance. A disk artifact
(prepare --disk): uploads the disk into a snapshot with the EBS direct APIs and registers it;
nothing is launched. On success the AMI_ID=, AMI_NAME=, REGION= (..., TIMINGS=) lines go to stdout
(and to BUILDAMI_OUTPUT); progress goes to stderr.

Credentials come from the standard AWS chain (AWS_PROFILE, ...). The region is AWS_REGION (or the
profile's, or AWS_DEFAULT_REGION), else AWSREGION from vars.env; fs.tgz goes to BUILDAMI_S3URL,
else S3URL from vars.env. A vars.env that names another region or S3 URL than these is refused.

Variables:
${(Object.values(OPTIONS) as OptionDef<unknown>[])
  .filter((d) => d.env && (d.stages as readonly string[]).includes('build'))
  .map(
    (d) => `  ${d.env!.padEnd(30)} ${d.required ? '(required) ' : ''}${d.default ? `[${d.default}] ` : ''}`,
  )
  .join('\n')}

What each one does: docs/build.md.`;

export async function main(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await build(args, env);
  } catch (err) {
    // Errors name the options by key: the CLI says what the user set.
    throw named(err, NAMES);
  }
}

async function build(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.length > 3 || args.some((a) => a.startsWith('-')))
    throw new OptionError([`unexpected argument(s): ${args.join(' ')}\n${USAGE}`]);
  const [userdataArg, nameArg, versionArg] = args;
  // Every problem at once: a missing user data is reported with the other options'.
  const required = `${OPTIONS.userdata.env} (or the USERDATA argument): is required`;
  const target = (userdataArg ?? env[OPTIONS.userdata.env!] ?? '').trim();
  const missing = target ? [] : [required];
  // The artifact's kind decides which options are required (a disk upload needs no subnet).
  const userdataPath = target ? await preparedUserdata(target) : undefined;
  const kind = userdataPath ? await kindOfFolder(dirname(userdataPath)) : 'instance';
  let opts: BuildOptions;
  try {
    opts = readBuildOptions(
      cliSource(env, { userdata: userdataPath, targetName: nameArg, targetVersion: versionArg }),
      kind,
    );
  } catch (err) {
    if (err instanceof OptionError) throw new OptionError([...missing, ...err.items]);
    throw err;
  }
  if (!opts.userdata) throw new OptionError([required]);

  const logger = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
  const state = new MemoryState();
  // The composition root (and with it the AWS SDK) is loaded only past --help and the options:
  // `build --help` answers at once.
  const { createBake } = await import('../pipeline/session.js');
  const bake = await createBake(
    opts,
    { userdata: opts.userdata, fsTgz: opts.fsTgz },
    // The spec's flow: vars.env's AWSREGION and S3URL unless AWS_REGION / BUILDAMI_S3URL are set.
    { trustArtifactLocation: true, logger, state, env },
  );
  // No post step here: wait until the instance is really terminated. A RunInstances in flight
  // gets a few seconds to answer; after that the instance is found by its client-token tag.
  // Whatever could not be removed is an error naming it by id (the exit code is the signal's).
  const off = onSignals(
    logger,
    async () => {
      const left = leftoverMessage(await bake.cancel({ wait: true, graceMs: 5000, terminateSeconds: 60 }));
      if (left) throw new UserError(left);
    },
    120_000,
  );
  try {
    // On an error the bake has cleaned up, and its error names what is left.
    const result = await bake.run();
    logger.info(summaryText(result));
    // The AMI is made but the instance was not seen terminated: no post step will try again.
    const left =
      result.instanceId && !result.terminated ? leftoverMessage(await bake.cleanupOnce({ wait: true })) : '';
    // A dry run makes no AMI: no AMI_ID= lines.
    if (!result.report.dryRun) {
      if (opts.outputFile) await writeOutputFile(opts.outputFile, result);
      process.stdout.write(outputFileText(result));
    }
    if (left) throw new UserError(left);
    return 0;
  } catch (err) {
    // A failed bake still says where its time went (the phase that failed is the last row).
    if (bake.engine.timings.length) logger.info(timingsText(bake.engine.timings));
    throw err;
  } finally {
    off();
  }
}
