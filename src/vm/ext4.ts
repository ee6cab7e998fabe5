/**
 * Reading an ext2/3/4 file system image without mounting it: debugfs from e2fsprogs, run in
 * batches (one process for many requests), so a whole-tree walk takes a second or two.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as io from '@actions/io';
import { exec } from './exec.js';

export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface Ext4Stat {
  path: string;
  inode: number;
  type: FileType;
  /** Permission bits including setuid, setgid and sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  ctime: number;
  /** Symlinks only. */
  target?: string;
}

const TYPES: Record<string, FileType> = {
  regular: 'file',
  directory: 'dir',
  symlink: 'symlink',
  'character special': 'char',
  'block special': 'block',
  FIFO: 'fifo',
  socket: 'socket',
};

const TYPE_BITS: Record<number, FileType> = {
  0o100000: 'file',
  0o040000: 'dir',
  0o120000: 'symlink',
  0o020000: 'char',
  0o060000: 'block',
  0o010000: 'fifo',
  0o140000: 'socket',
};

/** debugfs parses its requests like a shell line: double quotes keep spaces, nothing escapes a quote. */
function quote(path: string): string {
  if (!path.startsWith('/')) throw new Error(`not an absolute path: ${path}`);
  if (/["\n\r]/.test(path))
    throw new Error(`debugfs cannot address a path containing a quote or newline: ${path}`);
  return `"${path}"`;
}

function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parseStat(path: string, text: string): Ext4Stat | undefined {
  const head = /Inode:\s+(\d+)\s+Type:\s+(.+?)\s+Mode:\s+([0-7]+)/.exec(text);
  const owner = /User:\s+(\d+)\s+Group:\s+(\d+)(?:\s+Project:\s+\d+)?\s+Size:\s+(\d+)/.exec(text);
  if (!head || !owner) return undefined;
  const time = (name: string) => {
    const m = new RegExp(`${name}:\\s+0x([0-9a-f]+)`).exec(text);
    return m ? parseInt(m[1], 16) : 0;
  };
  const st: Ext4Stat = {
    path,
    inode: Number(head[1]),
    type: TYPES[head[2]] ?? 'file',
    mode: parseInt(head[3], 8) & 0o7777,
    uid: Number(owner[1]),
    gid: Number(owner[2]),
    size: Number(owner[3]),
    mtime: time('mtime'),
    ctime: time('ctime'),
  };
  if (st.type === 'symlink') {
    const fast = /Fast link dest: "(.*)"\s*$/m.exec(text);
    if (fast) st.target = fast[1];
  }
  return st;
}

export interface DirEntry {
  name: string;
  inode: number;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
}

export function parseList(text: string): DirEntry[] {
  const out: DirEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\/(\d+)\/([0-7]+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
    if (!m || m[5] === '.' || m[5] === '..') continue;
    const raw = parseInt(m[2], 8);
    out.push({
      name: m[5],
      inode: Number(m[1]),
      type: TYPE_BITS[raw & 0o170000] ?? 'file',
      mode: raw & 0o7777,
      uid: Number(m[3]),
      gid: Number(m[4]),
    });
  }
  return out;
}

export class Ext4Image {
  /** `offset`: byte offset of the file system inside a partitioned disk image. */
  constructor(
    readonly path: string,
    readonly offset = 0,
  ) {}

  private get device(): string {
    return this.offset ? `${this.path}?offset=${this.offset}` : this.path;
  }

  /** Runs requests in one debugfs process and returns each request's output. */
  async batch(requests: string[]): Promise<string[]> {
    if (requests.length === 0) return [];
    const res = await exec('debugfs', ['-f', '-', this.device], { input: requests.join('\n') + '\n' });
    // In -f mode debugfs echoes each request as "debugfs: <request>" before its output, which
    // does not always end with a newline: cut at the echoes, found in order.
    const text = res.stdout.toString('utf8');
    const starts: number[] = [];
    let pos = 0;
    for (const r of requests) {
      const echo = `debugfs: ${r}\n`;
      const at = text.indexOf(echo, pos);
      if (at < 0) throw new Error(`debugfs did not answer "${r}": ${res.stderr.trim().slice(-500)}`);
      starts.push(at, at + echo.length);
      pos = at + echo.length;
    }
    return requests.map((_, i) =>
      text.slice(starts[2 * i + 1], i + 1 < requests.length ? starts[2 * i + 2] : undefined),
    );
  }

  async statMany(paths: string[]): Promise<(Ext4Stat | undefined)[]> {
    const out = await this.batch(paths.map((p) => `stat ${quote(p)}`));
    const stats = paths.map((p, i) => parseStat(p, out[i]));
    // Targets longer than 60 bytes live in a data block rather than in the inode.
    const slow = stats.filter((s): s is Ext4Stat => !!s && s.type === 'symlink' && s.target === undefined);
    const targets = await this.batch(slow.map((s) => `cat ${quote(s.path)}`));
    slow.forEach((s, i) => (s.target = targets[i].replace(/\n$/, '')));
    return stats;
  }

  async stat(path: string): Promise<Ext4Stat | undefined> {
    return (await this.statMany([path]))[0];
  }

  async list(dir: string): Promise<DirEntry[]> {
    return parseList((await this.batch([`ls -p ${quote(dir)}`]))[0]);
  }

  /** File content (dumped to a temporary file: debugfs's `cat` output is not binary-safe with -f). */
  async readFile(path: string): Promise<Buffer> {
    const st = await this.stat(path);
    if (!st) throw new Error(`${path}: not found on the disk image`);
    if (st.type !== 'file') throw new Error(`${path}: not a regular file (${st.type})`);
    const dir = await mkdtemp(join(tmpdir(), 'amibake-dump-'));
    try {
      await this.batch([`dump ${quote(path)} ${quote(join(dir, 'f'))}`]);
      return await readFile(join(dir, 'f'));
    } finally {
      await io.rmRF(dir);
    }
  }

  /** Copies a directory tree out of the image, with modes and owners. */
  async rdump(path: string, outDir: string): Promise<void> {
    await this.batch([`rdump ${quote(path)} ${quote(outDir)}`]);
  }

  /** Every inode reachable from `root`, walked one directory level per debugfs process. */
  async walk(root = '/'): Promise<Map<string, Ext4Stat>> {
    const all = new Map<string, Ext4Stat>();
    let level = [root];
    const paths: string[] = [root];
    while (level.length) {
      const lists = await this.batch(level.map((d) => `ls -p ${quote(d)}`));
      const next: string[] = [];
      level.forEach((dir, i) => {
        for (const e of parseList(lists[i])) {
          const p = joinPath(dir, e.name);
          if (/["\n\r]/.test(p)) continue;
          paths.push(p);
          if (e.type === 'dir') next.push(p);
        }
      });
      level = next;
    }
    const stats = await this.statMany(paths);
    for (const s of stats) if (s) all.set(s.path, s);
    return all;
  }
}

/**
 * Byte offsets of each needle anywhere in a file: the whole disk image, free blocks and
 * journal included, which is where a secret written once and deleted would still be.
 */
export async function scanFile(path: string, needles: string[]): Promise<Map<string, number[]>> {
  const bufs = needles.filter((n) => n.length > 0).map((n) => Buffer.from(n, 'utf8'));
  const found = new Map<string, number[]>(needles.map((n) => [n, []]));
  const overlap = Math.max(0, ...bufs.map((b) => b.length)) - 1;
  let carry: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of carry[0]
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 1024 * 1024 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    for (const b of bufs) {
      for (let i = buf.indexOf(b); i >= 0; i = buf.indexOf(b, i + 1)) {
        // Matches inside the carried-over tail were already counted in the previous round.
        if (i + b.length > carry.length) found.get(b.toString('utf8'))!.push(base + i);
      }
    }
    const keep = Math.min(overlap, buf.length);
    carry = buf.subarray(buf.length - keep);
    base += buf.length - keep;
  }
  return found;
}
