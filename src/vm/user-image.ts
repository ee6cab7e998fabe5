/**
 * A user's own cloud image (`--image FILE`, raw or qcow2): booted by its own bootloader, read
 * back through the partition table to its ext2/3/4 root file system.
 */
import { open, truncate, stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { exec, requireTools } from './exec.js';

const SECTOR = 512;

export async function imageFormat(path: string): Promise<'raw' | 'qcow2'> {
  const fh = await open(path, 'r').catch((err: Error) => {
    throw new UserError(`--image ${path}: ${err.message}`);
  });
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return head.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb])) ? 'qcow2' : 'raw';
  } finally {
    await fh.close();
  }
}

/** A private raw copy of the image (the user's file is never written), at least `minMiB` big. */
export async function workingCopy(image: string, out: string, minMiB: number): Promise<void> {
  if ((await imageFormat(image)) === 'qcow2') {
    await requireTools(['qemu-img']);
    await exec('qemu-img', ['convert', '-O', 'raw', image, out]);
  } else {
    // A reflink where the file system can, else a copy that keeps the holes (a mostly empty disk
    // image stays mostly unwritten).
    await exec('cp', ['--sparse=always', '--reflink=auto', image, out]);
  }
  // Room for the install: cloud-init's growpart and resizefs take the extra space at boot.
  const size = (await stat(out)).size;
  if (size < minMiB * 1024 * 1024) await truncate(out, minMiB * 1024 * 1024);
}

export interface Partition {
  index: number;
  offset: number;
  size: number;
}

/** The partitions of an MBR or GPT disk (an unpartitioned file system counts as one at offset 0). */
export async function partitions(path: string): Promise<Partition[]> {
  const fh = await open(path, 'r');
  try {
    const read = async (pos: number, len: number) => {
      const b = Buffer.alloc(len);
      await fh.read(b, 0, len, pos);
      return b;
    };
    const mbr = await read(0, SECTOR);
    if (mbr.readUInt16LE(510) !== 0xaa55) return [{ index: 0, offset: 0, size: (await fh.stat()).size }];
    const primary: Partition[] = [];
    let gpt = false;
    for (let i = 0; i < 4; i++) {
      const e = 446 + i * 16;
      const type = mbr[e + 4];
      if (type === 0) continue;
      if (type === 0xee) gpt = true;
      primary.push({
        index: i + 1,
        offset: mbr.readUInt32LE(e + 8) * SECTOR,
        size: mbr.readUInt32LE(e + 12) * SECTOR,
      });
    }
    if (!gpt) return primary;
    const header = await read(SECTOR, SECTOR);
    if (header.toString('latin1', 0, 8) !== 'EFI PART') return primary;
    const entriesLba = Number(header.readBigUInt64LE(72));
    const count = header.readUInt32LE(80);
    const entrySize = header.readUInt32LE(84);
    const table = await read(entriesLba * SECTOR, count * entrySize);
    const out: Partition[] = [];
    for (let i = 0; i < count; i++) {
      const e = table.subarray(i * entrySize, (i + 1) * entrySize);
      if (e.subarray(0, 16).every((x) => x === 0)) continue;
      const first = Number(e.readBigUInt64LE(32));
      const last = Number(e.readBigUInt64LE(40));
      out.push({ index: i + 1, offset: first * SECTOR, size: (last - first + 1) * SECTOR });
    }
    return out;
  } finally {
    await fh.close();
  }
}

async function isExt(path: string, offset: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    await fh.read(b, 0, 2, offset + 1024 + 56);
    return b.readUInt16LE(0) === 0xef53;
  } finally {
    await fh.close();
  }
}

/** Byte offset of the largest ext2/3/4 file system on the disk: the root of a cloud image. */
export async function rootFsOffset(path: string): Promise<number> {
  const found: Partition[] = [];
  for (const p of await partitions(path)) if (await isExt(path, p.offset)) found.push(p);
  if (!found.length) {
    throw new UserError(
      `${path}: no ext2/3/4 file system found on the disk (amibake reads the result without mounting, ` +
        'with debugfs; XFS or btrfs roots are not supported)',
    );
  }
  return found.sort((a, b) => b.size - a.size)[0].offset;
}
