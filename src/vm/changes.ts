/** What a boot changed on the disk: two walks of the file system compared entry by entry. */
import type { Ext4Stat } from './ext4.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  kind: ChangeKind;
  path: string;
  before?: Ext4Stat;
  after?: Ext4Stat;
  /** What differs, for `changed`: mode, owner, type, target, content. */
  what: string[];
}

export function diffTrees(before: Map<string, Ext4Stat>, after: Map<string, Ext4Stat>): Change[] {
  const out: Change[] = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (!b) {
      out.push({ kind: 'added', path, after: a, what: [] });
      continue;
    }
    const what: string[] = [];
    if (a.type !== b.type) what.push('type');
    if (a.mode !== b.mode) what.push('mode');
    if (a.uid !== b.uid || a.gid !== b.gid) what.push('owner');
    if (a.type === 'symlink' && a.target !== b.target) what.push('target');
    // A directory's own content is its entries, reported one by one.
    if (a.type !== 'dir' && b.type !== 'dir' && what.length === 0) {
      if (a.inode !== b.inode) what.push('replaced');
      else if (a.size !== b.size || a.mtime !== b.mtime) what.push('content');
    }
    if (what.length) out.push({ kind: 'changed', path, before: b, after: a, what });
  }
  for (const [path, b] of before)
    if (!after.has(path)) out.push({ kind: 'removed', path, before: b, what: [] });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

const TYPE_CHAR: Record<string, string> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
  char: 'c',
  block: 'b',
  fifo: 'p',
  socket: 's',
};

/** `ls -l` style mode string, setuid/setgid/sticky included. */
export function modeString(st: Ext4Stat): string {
  const m = st.mode;
  const bit = (mask: number, c: string) => (m & mask ? c : '-');
  const special = (x: boolean, exec: boolean, on: string) =>
    x ? (exec ? on : on.toUpperCase()) : exec ? 'x' : '-';
  return (
    (TYPE_CHAR[st.type] ?? '?') +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(!!(m & 0o4000), !!(m & 0o100), 's') +
    bit(0o40, 'r') +
    bit(0o20, 'w') +
    special(!!(m & 0o2000), !!(m & 0o10), 's') +
    bit(0o4, 'r') +
    bit(0o2, 'w') +
    special(!!(m & 0o1000), !!(m & 0o1), 't')
  );
}

export function describeEntry(st: Ext4Stat): string {
  const link = st.type === 'symlink' ? ` -> ${st.target}` : '';
  const size = st.type === 'file' ? ` ${st.size}` : '';
  return `${modeString(st)} ${st.uid}:${st.gid}${size} ${st.path}${link}`;
}

export function formatChange(c: Change): string {
  switch (c.kind) {
    case 'added':
      return `+ ${describeEntry(c.after!)}`;
    case 'removed':
      return `- ${describeEntry(c.before!)}`;
    default:
      return `~ ${describeEntry(c.after!)} (${c.what.join(', ')})`;
  }
}

export function countChanges(changes: Change[]): Record<ChangeKind, number> {
  const n = { added: 0, removed: 0, changed: 0 };
  for (const c of changes) n[c.kind]++;
  return n;
}
