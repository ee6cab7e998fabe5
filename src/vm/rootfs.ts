/** Turning the base image tarball into a bootable ext4 disk: no mounting, no loop devices. */
import { copyFile, mkdtemp, readlink, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as io from '@actions/io';
import { exec } from './exec.js';

export interface RootTree {
  dir: string;
  kernel: string;
  initrd: string;
  dispose(): Promise<void>;
}

/** Unpacks the tarball as root, keeping owners, modes and extended attributes (file capabilities). */
export async function unpackRootfs(tarball: string, workDir: string): Promise<RootTree> {
  const dir = await mkdtemp(join(workDir, 'rootfs-'));
  await exec('sh', [
    '-c',
    'zstd -q -dc "$1" | tar -x --numeric-owner --same-owner -p --xattrs --xattrs-include="*" -C "$2"',
    'unpack',
    tarball,
    dir,
  ]);
  // Debian keeps /vmlinuz and /initrd.img as symlinks to the installed kernel.
  const inTree = async (link: string) => {
    const target = resolve(dirname(join(dir, link)), (await readlink(join(dir, link))).replace(/^\/+/, ''));
    if (!target.startsWith(dir + '/')) throw new Error(`${link} points outside the base image`);
    await stat(target);
    return target;
  };
  return {
    dir,
    kernel: await inTree('vmlinuz'),
    initrd: await inTree('initrd.img'),
    dispose: () => io.rmRF(dir),
  };
}

export const ROOT_LABEL = 'amibake-root';

/** A sparse raw ext4 image of `sizeMiB` populated from the tree (`mkfs.ext4 -d`). */
export async function makeExt4(tree: string, image: string, sizeMiB: number): Promise<void> {
  await exec('mkfs.ext4', ['-q', '-F', '-L', ROOT_LABEL, '-d', tree, image, `${sizeMiB}M`]);
}

/** Copies the kernel and initrd out of the tree, so the tree can go before the VM boots. */
export async function copyBootFiles(
  tree: RootTree,
  dir: string,
): Promise<{ kernel: string; initrd: string }> {
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.img');
  await copyFile(tree.kernel, kernel);
  await copyFile(tree.initrd, initrd);
  return { kernel, initrd };
}
