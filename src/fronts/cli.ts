/** `amibake <command>`: the CLI front for Jenkins and any other CI. Commands live in their own modules. */
import { neutralise } from '../core/inert.js';
import { UserError, errorMessage } from '../core/errors.js';
import pkg from '../../package.json' with { type: 'json' };

const USAGE = `usage:
  amibake prepare SOURCE TARGET                 compile an image source (env: AWSREGION, S3URL)
  amibake build [USERDATA [NAME [VERSION]]]     bake the AMI (env: BUILDAMI_*)
  amibake try SOURCE [--image FILE] [--keep DIR]  bake SOURCE in a local VM, no AWS account needed
  amibake sweep                                 terminate leaked instances, finish AMIs (env: BUILDAMI_*)
  amibake --version                             print amibake's version

Run 'amibake <command> --help' for the command's options.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  prepare: async () => (await import('./cli-prepare.js')).main,
  build: async () => (await import('./cli-build.js')).main,
  try: async () => (await import('./cli-try.js')).main,
  sweep: async () => (await import('./cli-sweep.js')).main,
};

export async function run(argv: string[] = process.argv.slice(2)): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    process.exitCode = name ? 0 : 2;
    return;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`amibake: unknown command '${name}'\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await (await load())(args);
  } catch (err) {
    // An error can quote the artifact (a value of vars.env): printed as plain text for a runner.
    process.stderr.write(`${neutralise(`amibake ${name}: ${errorMessage(err)}`).join('\n')}\n`);
    if (!(err instanceof UserError) && process.env.AMIBAKE_DEBUG)
      process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}
