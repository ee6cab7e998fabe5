/**
 * A user's cloud image, made here because the machine cannot download one: an MBR disk with a
 * FAT boot partition (syslinux, the kernel and initrd) and an ext4 root partition built from the
 * base image tree, then converted to qcow2. SeaBIOS boots it through its own bootloader, the way
 * `amibake try --image` boots any raw or qcow2 cloud image.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, which } from '../../src/vm/exec.js';
import type { BaseImage } from '../../src/vm/machine.js';
import { withPackage } from './harness.js';

const MIB = 1024 * 1024;
const BOOT_START_MIB = 1;
const BOOT_MIB = 96;
const ROOT_START_MIB = BOOT_START_MIB + BOOT_MIB;
const DISK_MIB = 3072;
const MBR_BIN = '/usr/lib/syslinux/mbr/mbr.bin';

export async function cannotMakeImage(): Promise<string | undefined> {
  const missing: string[] = [];
  for (const t of ['syslinux', 'sfdisk', 'qemu-img']) if (!(await which(t))) missing.push(t);
  if (missing.length) return `missing ${missing.map(withPackage).join(', ')}: run scripts/setup.sh`;
  return undefined;
}

export async function makeCloudImage(base: BaseImage, dir: string): Promise<string> {
  const raw = join(dir, 'cloud.raw');
  const qcow2 = join(dir, 'cloud.qcow2');
  const tmp = await mkdtemp(join(dir, 'img-'));
  try {
    await truncate(raw, 0).catch(() => undefined);
    await writeFile(raw, '');
    await truncate(raw, DISK_MIB * MIB);
    await exec('sfdisk', ['-q', raw], {
      input:
        'label: dos\n' +
        `start=${BOOT_START_MIB * 2048}, size=${BOOT_MIB * 2048}, type=c, bootable\n` +
        `start=${ROOT_START_MIB * 2048}, type=83\n`,
    });
    await exec('dd', [`if=${MBR_BIN}`, `of=${raw}`, 'bs=440', 'count=1', 'conv=notrunc', 'status=none']);

    const fat = join(tmp, 'boot.fat');
    await exec('mkfs.vfat', ['-n', 'BOOT', '-C', fat, String(BOOT_MIB * 1024)]);
    await exec('syslinux', ['--install', fat]);
    await writeFile(
      join(tmp, 'syslinux.cfg'),
      'DEFAULT linux\nTIMEOUT 0\nLABEL linux\n  KERNEL vmlinuz\n  INITRD initrd.img\n' +
        '  APPEND root=/dev/vda2 rw console=ttyS0 quiet fsck.mode=skip\n',
    );
    await exec('mcopy', ['-o', '-i', fat, base.kernel, base.initrd, join(tmp, 'syslinux.cfg'), '::'], {
      env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
    });
    await exec('dd', [
      `if=${fat}`,
      `of=${raw}`,
      'bs=1M',
      `seek=${BOOT_START_MIB}`,
      'conv=notrunc',
      'status=none',
    ]);

    await exec('mkfs.ext4', [
      '-q',
      '-F',
      '-L',
      'cloudimg-rootfs',
      '-E',
      `offset=${ROOT_START_MIB * MIB}`,
      '-d',
      base.tree,
      raw,
      `${DISK_MIB - ROOT_START_MIB}M`,
    ]);
    await exec('qemu-img', ['convert', '-O', 'qcow2', raw, qcow2]);
    return qcow2;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(raw, { force: true });
  }
}
