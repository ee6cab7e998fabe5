/**
 * What the image source put on the disk: the entries of the prepared fs.tgz (inline in the user
 * data, or the external file), compared with the disk after the bake. install.sh may change what
 * it likes (owners, modes), so a difference is reported, not judged.
 */
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { FS_STAGE } from '../compile/generated.js';
import { readUserdata } from '../core/userdata.js';
import type { Ext4Stat, FileType } from './ext4.js';

export interface FsEntry {
  path: string;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  target?: string;
}

const TAR_TYPES: Record<string, FileType> = {
  file: 'file',
  directory: 'dir',
  symlink: 'symlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

export async function listFsTgz(tgz: Buffer): Promise<FsEntry[]> {
  const ex = extract();
  const out: FsEntry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const path = '/' + h.name.replace(/^(\.\/|\/)+/, '').replace(/\/$/, '');
      if (path !== '/' && path !== '/.')
        out.push({
          path,
          type: TAR_TYPES[h.type ?? 'file'] ?? 'file',
          mode: (h.mode ?? 0) & 0o7777,
          uid: h.uid ?? 0,
          gid: h.gid ?? 0,
          size: h.size ?? 0,
          target: h.type === 'symlink' ? (h.linkname ?? undefined) : undefined,
        });
      stream.on('end', next);
      stream.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(gunzipSync(tgz));
  await done;
  return out;
}

/** The fs.tgz a prepared user data carries inline (write_files to FS_STAGE), if any. */
export function inlineFsTgz(userdataGz: Buffer): Buffer | undefined {
  const text = readUserdata(userdataGz);
  const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
  if (!m) return undefined;
  for (const chunk of text.split(`--${m[1]}`).slice(1)) {
    const body = chunk.slice(chunk.indexOf('\n\n') + 2);
    if (!body.includes(FS_STAGE)) continue;
    const doc = parse(body, { version: '1.1' }) as {
      write_files?: { path?: string; encoding?: string; content?: string }[];
    };
    const f = doc?.write_files?.find((w) => w.path === FS_STAGE);
    if (f?.content && /^(b64|base64)$/i.test(f.encoding ?? '')) return Buffer.from(f.content, 'base64');
  }
  return undefined;
}

export interface SourceCheck {
  entries: FsEntry[];
  /** Entries on the disk as packed (a directory that already existed keeps its own mode). */
  asPacked: number;
  /** Entries that are not on the disk as packed: what install.sh (or the boot) made of them. */
  differences: string[];
}

const octal = (n: number) => n.toString(8).padStart(4, '0');

export function checkSourceFiles(
  entries: FsEntry[],
  before: Map<string, Ext4Stat> | undefined,
  after: Map<string, Ext4Stat>,
  skip: (path: string) => boolean = () => false,
): SourceCheck {
  const checked = entries.filter((e) => !skip(e.path));
  const differences: string[] = [];
  for (const e of checked) {
    const st = after.get(e.path);
    if (!st) {
      differences.push(`${e.path}: missing`);
      continue;
    }
    const what: string[] = [];
    if (st.type !== e.type) what.push(`a ${st.type}, packed as a ${e.type}`);
    const existed = before?.get(e.path);
    const wantMode = e.type === 'dir' && existed?.type === 'dir' ? existed.mode : e.mode;
    if (st.type === e.type && st.type !== 'symlink' && st.mode !== wantMode)
      what.push(`mode ${octal(st.mode)}, packed ${octal(wantMode)}`);
    if (st.uid !== 0 || st.gid !== 0) what.push(`owner ${st.uid}:${st.gid}`);
    if (e.type === 'symlink' && st.target !== e.target) what.push(`-> ${st.target}, packed -> ${e.target}`);
    if (e.type === 'file' && st.type === 'file' && st.size !== e.size)
      what.push(`${st.size} bytes, packed ${e.size}`);
    if (what.length) differences.push(`${e.path}: ${what.join(', ')}`);
  }
  return { entries: checked, asPacked: checked.length - differences.length, differences };
}
