/**
 * The built-in base image: a Debian root filesystem with cloud-init, built from Debian's package
 * mirror with mmdebstrap and cached as a zstd tarball keyed by its recipe. Two generations:
 * bookworm (Debian 12, cloud-init 22.4, the default) and trixie (Debian 13, cloud-init 25.1, with
 * rsyslog as on Ubuntu, so that build-time output reaches /var/log/syslog as it does there).
 */
import { createHash } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as io from '@actions/io';
import { UserError } from '../core/errors.js';
import { exec, requireTools } from './exec.js';
import customizeHook from './guest/base-customize.sh';
import diskCustomizeHook from './guest/disk-customize.sh';

export interface BaseRecipe {
  suite: string;
  mirrors: string[];
  variant: string;
  packages: string[];
  dpkgOptions: string[];
  hook: string;
  /** Set for the bootable disk base only (absent keeps the tarball recipe, and its cache key, as
   *  it was): the bootloaders installed on the disk. */
  bootloader?: 'grub-bios-uefi';
}

/** GRUB for both firmware kinds, and the tools grub-install and update-grub run. */
const BOOT_PACKAGES = ['grub-pc-bin', 'grub-efi-amd64-bin', 'grub2-common'];

/** Bump when the way the recipe is turned into a tarball changes. */
const RECIPE_FORMAT = 1;

export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  return (env.AMIBAKE_DEBIAN_MIRROR || 'http://deb.debian.org/debian').replace(/\/+$/, '');
}

/** The Debian releases the VM runner can build a base image of. */
export const BASE_SUITES = ['bookworm', 'trixie'] as const;
export type BaseSuite = (typeof BASE_SUITES)[number];

/** cloud-init's own needs (ip, systemctl, dbus for hostnamectl), curl for the guest's download,
 * sshd so that sanitising really has host keys to remove. */
const PACKAGES = [
  'linux-image-cloud-amd64',
  'systemd-sysv',
  'udev',
  'dbus',
  'iproute2',
  'python3',
  'cloud-init',
  'curl',
  'openssh-server',
  'e2fsprogs',
];

/**
 * The recipe of a suite (bookworm unless told). Security updates come from `<mirror>-security`
 * unless the variable overrides it. The bookworm recipe is kept byte for byte as it was, so that
 * its cache key (and an image already cached) stays valid.
 */
export function baseRecipe(
  env: NodeJS.ProcessEnv = process.env,
  suite: BaseSuite = 'bookworm',
  bootable = false,
): BaseRecipe {
  const recipe = tarballRecipe(env, suite);
  if (!bootable) return recipe;
  return {
    ...recipe,
    packages: [...recipe.packages, ...BOOT_PACKAGES],
    // One script of the two, its interpreter line written here: the recipe (and its cache key) is
    // then the same whichever loader read the .sh files (jest's blanks a leading `#!` line).
    hook: `#!/bin/sh\n${withoutShebang(recipe.hook)}\n${withoutShebang(diskCustomizeHook)}`,
    bootloader: 'grub-bios-uefi',
  };
}

/** A script without its first line when that is an interpreter line, or the empty line jest's
 *  transform leaves of one. */
const withoutShebang = (script: string) => script.replace(/^(#![^\n]*)?\n/, '');

function tarballRecipe(env: NodeJS.ProcessEnv, suite: BaseSuite): BaseRecipe {
  const mirror = debianMirror(env);
  const security = (env.AMIBAKE_DEBIAN_SECURITY_MIRROR ?? `${mirror}-security`).replace(/\/+$/, '');
  return {
    suite,
    mirrors: [
      `deb ${mirror} ${suite} main`,
      `deb ${mirror} ${suite}-updates main`,
      ...(security ? [`deb ${security} ${suite}-security main`] : []),
    ],
    variant: 'minbase',
    // trixie: rsyslog as on Ubuntu, which copies cloud-init's (and the install's) output into
    // /var/log/syslog and friends: what the image hygiene must remove.
    packages: suite === 'bookworm' ? PACKAGES : [...PACKAGES, 'rsyslog'],
    dpkgOptions: [
      'path-exclude=/usr/share/man/*',
      'path-exclude=/usr/share/doc/*',
      'path-include=/usr/share/doc/*/copyright',
      'path-exclude=/usr/share/locale/*',
    ],
    hook: customizeHook,
  };
}

export function recipeHash(recipe: BaseRecipe): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: RECIPE_FORMAT, ...recipe }))
    .digest('hex')
    .slice(0, 16);
}

/** `$AMIBAKE_CACHE_DIR`, else `$XDG_CACHE_HOME/amibake`, else `~/.cache/amibake`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AMIBAKE_CACHE_DIR) return env.AMIBAKE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'amibake');
}

export function baseImagePath(recipe: BaseRecipe, env: NodeJS.ProcessEnv = process.env): string {
  const kind = recipe.bootloader ? '-bootable' : '';
  return join(cacheDir(env), `debian-${recipe.suite}${kind}-${recipeHash(recipe)}.tar.zst`);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  /** Called before a build starts, so the caller can say that it takes a minute or two. */
  onBuild?: (path: string) => void;
  /** The Debian release (bookworm unless told). */
  suite?: BaseSuite;
  /** The tree of the bootable disk base (GRUB packages, the EC2 datasource). */
  bootable?: boolean;
}

/** The cached base image tarball, built first when the cache has none for this recipe. */
export async function ensureBaseImage(opts: EnsureOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const recipe = baseRecipe(env, opts.suite, opts.bootable);
  const target = baseImagePath(recipe, env);
  if (await exists(target)) return target;
  if (process.getuid?.() !== 0) {
    throw new UserError(
      'building the VM base image needs root (mmdebstrap installs packages as root, and the disk keeps ' +
        "the files' owners): run as root",
    );
  }
  await requireTools(['mmdebstrap', 'zstd']);
  opts.onBuild?.(target);
  await io.mkdirP(cacheDir(env));
  // Build beside the target and rename: a crash or a concurrent build never leaves a partial file.
  const tmp = `${target}.${process.pid}.tmp`;
  const hookFile = `${tmp}.hook.sh`;
  try {
    await writeFile(hookFile, recipe.hook, { mode: 0o755 });
    await exec(
      'mmdebstrap',
      [
        `--variant=${recipe.variant}`,
        '--mode=root',
        '--format=tar',
        `--include=${recipe.packages.join(',')}`,
        ...recipe.dpkgOptions.map((o) => `--dpkgopt=${o}`),
        `--customize-hook=sh ${hookFile} "$1"`,
        '--quiet',
        recipe.suite,
        `${tmp}.tar`,
        ...recipe.mirrors,
      ],
      { env: { ...process.env, LC_ALL: 'C.UTF-8' } },
    ).catch((err: Error) => {
      throw new UserError(
        `could not build the VM base image from ${debianMirror(env)} (set AMIBAKE_DEBIAN_MIRROR to use ` +
          `another Debian mirror): ${err.message}`,
      );
    });
    await exec('zstd', ['-q', '-T0', '-6', '--rm', '-f', `${tmp}.tar`, '-o', tmp]);
    await rename(tmp, target);
    return target;
  } finally {
    await rm(hookFile, { force: true });
    await rm(`${tmp}.tar`, { force: true });
    await rm(tmp, { force: true });
  }
}
