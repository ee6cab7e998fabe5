/** Checks a user cloud-config file the way prepare can without cloud-init: YAML that parses, one
 *  mapping, and none of the keys amibake owns. The checks read the file as cloud-init's PyYAML
 *  (YAML 1.1) does: aliases followed, merge keys (`<<`) applied in PyYAML's order, so that a key
 *  merged in is checked like a key written out. Alias expansion is bounded (an alias bomb would
 *  make every reader of the file expand it). Errors name the file and line. */
import { posix } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
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

/** Nodes alias expansion may add to a file: real cloud-configs stay far below; an alias bomb
 *  (billion laughs) is far above. */
export const MAX_ALIAS_NODES = 10_000;
/** The yaml package's own bound on alias resolution (its default), applied when the file is read
 *  as data. */
const MAX_ALIAS_COUNT = 100;

type Positioned = { range?: [number, number, number] | null } | null | undefined;

/** The node an alias stands for (the node itself when it is none). */
function deref(doc: Document, node: unknown): Node | null {
  let n = node as Node | null;
  for (let i = 0; n && isAlias(n) && i < 64; i++) n = (n.resolve(doc) as Node | undefined) ?? null;
  return n && isAlias(n) ? null : n;
}

/** A plain `<<` key: YAML 1.1's merge key (a quoted "<<" is a string, for PyYAML too). */
function isMergeKey(doc: Document, key: unknown): boolean {
  const k = deref(doc, key);
  return isScalar(k) && typeof k.value === 'symbol' && k.value.description === '<<';
}

interface Entry {
  /** The key as a string (undefined: not a string key). */
  key?: string;
  keyNode: Node | null;
  value: Node | null;
  /** The `<<` key it was merged in through (of the outermost mapping, where it arrives). */
  via?: Node;
}

/**
 * A mapping's entries as PyYAML's SafeConstructor sees them (flatten_mapping): the entries merged
 * in by `<<` keys first (of a list of mappings, the later ones first, so that the first wins; of
 * several `<<` keys, in order), then the mapping's own; a later entry of a key wins.
 */
function flatten(
  doc: Document,
  map: YAMLMap,
  problem: (at: Positioned, msg: string) => void,
  stack = new Set<YAMLMap>(),
): Entry[] {
  if (stack.has(map)) {
    problem(map as Positioned, 'a merge key (<<) merges a mapping into itself');
    return [];
  }
  stack.add(map);
  const merged: Entry[] = [];
  const own: Entry[] = [];
  for (const pair of map.items) {
    if (isMergeKey(doc, pair.key)) {
      const via = pair.key as Node;
      const tag = (entries: Entry[]) => entries.map((e) => ({ ...e, via }));
      const value = deref(doc, pair.value);
      if (isMap(value)) merged.push(...tag(flatten(doc, value, problem, stack)));
      else if (isSeq(value)) {
        const subs: Entry[][] = [];
        for (const item of value.items) {
          const sub = deref(doc, item);
          if (isMap(sub)) subs.push(tag(flatten(doc, sub, problem, stack)));
          else
            problem(
              item as Positioned,
              'a merge key (<<) list may only hold mappings (cloud-init would not load the file)',
            );
        }
        for (const sub of subs.reverse()) merged.push(...sub);
      } else
        problem(
          via,
          'a merge key (<<) takes a mapping or a list of mappings (cloud-init would not load the file)',
        );
      continue;
    }
    const keyNode = deref(doc, pair.key);
    const key = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : undefined;
    own.push({ key, keyNode, value: deref(doc, pair.value) });
  }
  stack.delete(map);
  return [...merged, ...own];
}

/** The last entry of each string key: the one PyYAML keeps. */
function effective(entries: Entry[]): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const e of entries) if (e.key !== undefined) out.set(e.key, e);
  return out;
}

/** Nodes `node` stands for once aliases are expanded (Infinity for an alias inside its own anchor). */
function expandedSize(doc: Document, node: unknown, memo: Map<unknown, number>, stack: Set<unknown>): number {
  if (node === null || node === undefined) return 0;
  if (isAlias(node)) return expandedSize(doc, node.resolve(doc), memo, stack);
  const known = memo.get(node);
  if (known !== undefined) return known;
  if (stack.has(node)) return Infinity;
  stack.add(node);
  let n = 1;
  if (isMap(node))
    for (const p of node.items)
      n += expandedSize(doc, p.key, memo, stack) + expandedSize(doc, p.value, memo, stack);
  else if (isSeq(node)) for (const item of node.items) n += expandedSize(doc, item, memo, stack);
  stack.delete(node);
  memo.set(node, n);
  return n;
}

/** The alias where expansion passes the bound (document order), if it does. */
function aliasBomb(doc: Document): Node | undefined {
  const memo = new Map<unknown, number>();
  let added = 0;
  let found: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      added += expandedSize(doc, node, memo, new Set());
      if (added > MAX_ALIAS_NODES) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The file as cloud-init's PyYAML loads it (aliases expanded, merge keys applied), for the tests
 *  that compare it with Debian's cloud-init. Only for files checkCloudConfig accepted. */
export function loadAsCloudInit(text: string): unknown {
  const doc = parseAllDocuments(text, { version: '1.1' }) as Document[];
  const toPy = (node: unknown): unknown => {
    const n = deref(doc[0], node);
    if (n === null) return null;
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of effective(flatten(doc[0], n, () => undefined))) out[k] = toPy(e.value);
      return out;
    }
    if (isSeq(n)) return n.items.map(toPy);
    return isScalar(n) ? n.toJS(doc[0]) : null;
  };
  return toPy(doc[0]?.contents ?? null);
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
  const doc = docs[0];
  const top: YAMLMap = contents;
  const line = (node: Positioned) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const at = (node: Positioned) => (line(node) ? `${label}:${line(node)}` : label);
  /** Where an entry is: its key's line, and for a merged one the `<<` it came through. */
  const where = (e: Entry) =>
    e.via
      ? `${at(e.via)}: (merged by << from line ${line(e.keyNode as Positioned) ?? '?'})`
      : `${at(e.keyNode as Positioned)}:`;

  // Alias bombs first: nothing below expands anything, but cloud-init and every other reader would.
  const bomb = aliasBomb(doc);
  if (bomb) {
    problems.push(
      `${at(bomb as Positioned)}: YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes from here on ` +
        `(an alias bomb?): write the content out, or use fewer aliases`,
    );
    return { empty: false, problems };
  }
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // Other errors (a merge of a scalar) are the structural checks' below, with their line.
    if (!(err instanceof ReferenceError)) return checkKeys();
    let first: Node | undefined;
    visit(doc, { Alias: (_k, node) => ((first = node), visit.BREAK) });
    problems.push(
      `${at(first as Positioned)}: ${(err as Error).message} (the YAML aliases are resolved too often)`,
    );
    return { empty: false, problems };
  }

  return checkKeys();

  function checkKeys(): CloudConfigCheck {
    const problem = (node: Positioned, msg: string) => problems.push(`${at(node)}: ${msg}`);
    for (const [key, e] of effective(flatten(doc, top, problem))) {
      if (key in OWNED_KEYS) {
        problems.push(`${where(e)} ${key} ${OWNED_KEYS[key]}`);
        continue;
      }
      if (!LIST_KEYS.includes(key)) continue;
      if (!isSeq(e.value)) {
        problems.push(
          `${where(e)} ${key} must be a list (cloud-init appends every file's ${key} in priority order; ` +
            `anything else would drop amibake's entries)`,
        );
        continue;
      }
      if (key !== 'write_files') continue;
      for (const item of e.value.items) {
        const entry = deref(doc, item);
        if (!isMap(entry)) continue;
        const p = effective(flatten(doc, entry, problem)).get('path');
        const path = p?.value;
        if (p && isScalar(path) && typeof path.value === 'string' && reservedWritePath(path.value))
          problems.push(
            `${p.via ? where(p) : `${at(path as Positioned)}:`} write_files path ${path.value} is reserved ` +
              `(amibake's files on the instance; only ${NO_SANITIZE_FILE} may be written there)`,
          );
      }
    }
    return { empty: false, problems };
  }
}
