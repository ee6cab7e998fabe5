/** Checks a user cloud-config file the way prepare can without cloud-init: YAML that parses, one
 *  mapping, and none of the keys amibake owns. Errors name the file and line. */
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { GUEST_DIR, NO_SANITIZE_FILE } from '../core/contract.js';

/** Keys a user file may not set, and why. */
const OWNED_KEYS: Record<string, string> = {
  power_state:
    'is set by amibake, which powers the instance off once the install result is known (see "Stage contract"); remove it',
  merge_how:
    'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
  merge_type:
    'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
};

/** Keys amibake's own files set as lists: cloud-init appends a list to a list, but a file that sets
 *  one of these to anything else keeps it, and amibake's entries would be lost. */
const LIST_KEYS = ['runcmd', 'bootcmd', 'write_files', 'packages'];

/** Paths the instance uses for amibake's own files; a user's write_files may only create
 *  NO_SANITIZE_FILE there. */
function reservedWritePath(path: string): boolean {
  const p = posix
    .normalize(path)
    .replace(/^\/var\/run\//, '/run/')
    .replace(/\/+$/, '');
  if (p === NO_SANITIZE_FILE) return false;
  return p === GUEST_DIR || p.startsWith(`${GUEST_DIR}/`) || p === '/run/fs.tgz' || p === '/run/install.sh';
}

export interface CloudConfigCheck {
  /** Only comments or nothing: cloud-init would skip it, so prepare leaves it out. */
  empty: boolean;
  problems: string[];
}

function formatYamlError(
  label: string,
  err: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
) {
  const [short, frame] = err.message.split(/ at line \d+, column \d+:\n\n/);
  const pos = err.linePos?.[0];
  const where = pos ? `${label}:${pos.line}:${pos.col}` : label;
  return `${where}: ${short}${frame ? `\n${frame.replace(/\n+$/, '')}` : ''}`;
}

export function checkCloudConfig(text: string, label: string): CloudConfigCheck {
  const lineCounter = new LineCounter();
  // YAML 1.1 as PyYAML (cloud-init) reads it: `yes`, `on` and 0644 mean what they mean there.
  const parsed = parseAllDocuments(text, { version: '1.1', lineCounter, prettyErrors: true });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  const problems: string[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) problems.push(formatYamlError(label, err));
  }
  if (problems.length) return { empty: false, problems };
  if (docs.length > 1) {
    const line = docs[1].range ? lineCounter.linePos(docs[1].range[0]).line : undefined;
    problems.push(
      `${label}${line ? `:${line}` : ''}: more than one YAML document (cloud-init reads one mapping per file)`,
    );
    return { empty: false, problems };
  }
  const contents = docs[0]?.contents;
  if (contents === null || contents === undefined) return { empty: true, problems };
  if (!isMap(contents)) {
    const line = contents.range ? lineCounter.linePos(contents.range[0]).line : undefined;
    problems.push(
      `${label}${line ? `:${line}` : ''}: must be a cloud-config mapping (key: value), not a ${
        Array.isArray((contents as { items?: unknown }).items) ? 'list' : 'scalar'
      }`,
    );
    return { empty: false, problems };
  }
  const at = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? `${label}:${lineCounter.linePos(range[0]).line}` : label;
  };
  for (const item of contents.items) {
    const key = (item.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string') continue;
    if (key in OWNED_KEYS) {
      problems.push(`${at(item.key)}: ${key} ${OWNED_KEYS[key]}`);
      continue;
    }
    if (!LIST_KEYS.includes(key)) continue;
    const value = item.value as Node | null;
    if (!isSeq(value)) {
      problems.push(
        `${at(item.key)}: ${key} must be a list (cloud-init appends every file's ${key} in priority order; ` +
          `anything else would drop amibake's entries)`,
      );
      continue;
    }
    if (key !== 'write_files') continue;
    for (const entry of value.items) {
      const path = isMap(entry) ? entry.get('path', true) : undefined;
      if (isScalar(path) && typeof path.value === 'string' && reservedWritePath(path.value))
        problems.push(
          `${at(path)}: write_files path ${path.value} is reserved (amibake's files on the instance; ` +
            `only ${NO_SANITIZE_FILE} may be written there)`,
        );
    }
  }
  return { empty: false, problems };
}
