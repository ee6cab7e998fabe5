/** `amibake prepare SOURCE TARGET` (environment: AWSREGION, S3URL). */
import { named } from '../core/errors.js';
import { createCliLogger } from '../core/log.js';
import { cliSource, nameFor, readOptions } from '../core/options.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { interruptible, InterruptedError } from '../compile/interrupt.js';
import { prepare } from '../compile/prepare.js';

const USAGE = `usage: amibake prepare SOURCE TARGET

Compiles the image source folder SOURCE into TARGET/userdata.gz, TARGET/vars.env and, when the
files do not fit in the user data, TARGET/fs.tgz.

environment:
  AWSREGION   region the instance uses for 'aws s3 cp' without a presigned URL (default ap-northeast-1)
  S3URL       s3://bucket/path/fs.tgz, where the build stage stages fs.tgz (needed when it goes external)`;

export async function main(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.length !== 2 || args.some((a) => a.startsWith('-'))) {
    process.stderr.write(`amibake prepare: expected SOURCE and TARGET\n${USAGE}\n`);
    return 2;
  }
  const [source, target] = args;
  const opts = readOptions(PREPARE_OPTIONS, 'prepare', cliSource(env, { source, target }));
  try {
    await interruptible((signal) =>
      prepare({
        source: opts.source,
        target: opts.target,
        awsRegion: opts.awsRegion,
        s3Url: opts.s3Url,
        logger: createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true'),
        env,
        signal,
      }),
    );
  } catch (err) {
    // Errors name the options by key: the CLI says what the user set (TARGET, S3URL).
    if (!(err instanceof InterruptedError)) throw named(err, nameFor(PREPARE_OPTIONS, 'cli', 'prepare'));
    process.stderr.write(`amibake prepare: ${err.message}\n`);
    return err.exitCode;
  }
  return 0;
}
