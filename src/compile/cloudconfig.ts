/** Checks a user cloud-config file the way prepare can without cloud-init: YAML that parses, one
 *  mapping, and none of the keys amibake owns. Errors name the file and line. */
import { isMap, LineCounter, parseAllDocuments, type Document } from 'yaml';

/** Keys a user file may not set, and why. */
const OWNED_KEYS: Record<string, string> = {
  power_state:
    'is set by amibake, which powers the instance off once the install result is known (see "Stage contract"); remove it',
  merge_how:
    'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
  merge_type:
    'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
};

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
  for (const item of contents.items) {
    const key = (item.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || !(key in OWNED_KEYS)) continue;
    const range = (item.key as { range?: [number, number, number] }).range;
    const line = range ? lineCounter.linePos(range[0]).line : undefined;
    problems.push(`${label}${line ? `:${line}` : ''}: ${key} ${OWNED_KEYS[key]}`);
  }
  return { empty: false, problems };
}
