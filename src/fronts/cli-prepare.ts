/** `amibake prepare [--disk [--image FILE] [--isolated]] SOURCE TARGET` (environment: AWSREGION, S3URL). */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { errorMessage, named, UserError } from '../core/errors.js';
import { createCliLogger } from '../core/log.js';
import { cliSource, nameFor, readOptions } from '../core/options.js';
import { PREPARE_OPTIONS } from '../compile/options.js';
import { interruptible, InterruptedError } from '../compile/interrupt.js';
import { prepare, type PrepareResult } from '../compile/prepare.js';
import { neutraliseLine } from '../core/inert.js';
import { ANSI, prepareDisk } from './disk-prepare.js';

const USAGE = `usage: amibake prepare [--disk [--image FILE] [--isolated]] SOURCE TARGET

Compiles the image source folder SOURCE into TARGET/userdata.gz, TARGET/vars.env and, when the
files do not fit in the user data, TARGET/fs.tgz.

options:
  --disk       also bake the root disk here, for a build that launches no instance: boot the
               bootable Debian 12 base (built and cached on first use) in a local VM with the
               user data an instance would get, then write the finished disk to
               TARGET/disk.manifest.json and TARGET/disk.blocks (needs root, qemu-system-x86,
               mmdebstrap, e2fsprogs, dosfstools, mtools, fdisk, socat and zstd)
  --image FILE with --disk: bake your own raw or qcow2 cloud image instead (x86_64, GRUB for the
               boot mode you register, ENA and NVMe drivers, cloud-init with the Ec2 datasource,
               an ext4 root); FILE itself is never written
  --isolated   with --disk: no outbound network in the VM (the install reaches only this
               machine's stage server); by default the guest has NAT, as an instance would

environment:
  AWSREGION   region the instance uses for 'aws s3 cp' without a presigned URL (default ap-northeast-1)
  S3URL       s3://bucket/path/fs.tgz, where the build stage stages fs.tgz (needed when it goes external)
  AMIBAKE_CACHE_DIR, AMIBAKE_DEBIAN_MIRROR, AMIBAKE_VM_ACCEL   as for 'amibake try'`;

interface PrepareArgs {
  source: string;
  target: string;
  disk: boolean;
  image?: string;
  isolated: boolean;
}

function parse(args: string[]): PrepareArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      disk: { type: 'boolean' },
      image: { type: 'string' },
      isolated: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 2) throw new UserError('expected SOURCE and TARGET');
  if (!values.disk && (values.image !== undefined || values.isolated)) {
    throw new UserError('--image and --isolated go with --disk');
  }
  return {
    source: positionals[0],
    target: positionals[1],
    disk: values.disk ?? false,
    image: values.image,
    isolated: values.isolated ?? false,
  };
}

export async function main(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let a: PrepareArgs | 'help';
  try {
    a = parse(args);
  } catch (err) {
    process.stderr.write(`amibake prepare: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (a === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const overrides = { source: a.source, target: a.target, ...(a.disk ? { disk: 'true' } : {}) };
  const opts = readOptions(PREPARE_OPTIONS, 'prepare', cliSource(env, overrides));
  const logger = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
  let result: PrepareResult | undefined;
  try {
    await interruptible(async (signal) => {
      result = await prepare({
        source: opts.source,
        target: opts.target,
        awsRegion: opts.awsRegion,
        s3Url: opts.s3Url,
        logger,
        env,
        signal,
      });
      if (!opts.disk) return;
      try {
        const disk = await prepareDisk({
          prepared: result,
          image: a.image,
          network: a.isolated ? 'isolated' : undefined,
          env,
          signal,
          say: (m) => logger.info(m),
          onToken: (t) => logger.mask(t),
          // The VM's console, inert (`  | ` keeps `::` off the start; `##[` is neutralised).
          onConsole: (line) => process.stderr.write(`  | ${neutraliseLine(line.replace(ANSI, ''))}\n`),
        });
        logger.info(
          `disk: ${disk.size} bytes, ${disk.blocks} blocks of data (${disk.blocksBytes} bytes compressed) in ${result.target}`,
        );
      } catch (err) {
        // No artifact rather than one that would pass for an instance artifact.
        for (const f of result.files) await rm(f, { force: true });
        if (signal.aborted && signal.reason instanceof InterruptedError) throw signal.reason;
        throw err;
      }
    });
  } catch (err) {
    // Errors name the options by key: the CLI says what the user set (TARGET, S3URL).
    if (!(err instanceof InterruptedError)) throw named(err, nameFor(PREPARE_OPTIONS, 'cli', 'prepare'));
    process.stderr.write(`amibake prepare: ${err.message}\n`);
    return err.exitCode;
  }
  return 0;
}
