/**
 * The user's tags (BUILDAMI_TAGS): `key=value` templates, checked against the EC2 limits and
 * rendered once the base image is known. amibake's own tags (src/aws/tags.ts) are added after
 * them and cannot be overridden: reuse, retention, copies and the janitor find things by them.
 */
import type { Tag } from '@aws-sdk/client-ec2';
import { UserError } from '../../core/errors.js';
import type { Parser } from '../../core/parse.js';
import { TAG } from '../../aws/tags.js';

export const PLACEHOLDERS = ['name', 'version', 'base_ami', 'run_id', 'date'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TagContext = Record<Placeholder, string>;

/** EC2 allows 50 tags per resource; amibake keeps room for its own and `Name`. */
export const MAX_USER_TAGS = 40;
const MAX_KEY = 128;
const MAX_VALUE = 256;

export interface TagTemplate {
  key: string;
  value: string;
}

const PLACEHOLDER_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
// Control characters are accepted by no AWS API in tags and break the job summary table.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

function checkText(what: string, s: string, max: number): void {
  if (CONTROL_RE.test(s)) throw new Error(`${what} "${s}" contains a control character`);
  if (s.length > max) throw new Error(`${what} "${s.slice(0, 40)}…" is longer than ${max} characters`);
}

function checkPlaceholders(s: string): void {
  for (const m of s.matchAll(PLACEHOLDER_RE))
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]))
      throw new Error(
        `unknown placeholder {${m[1]}} in "${s}" (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`,
      );
}

export function parseTag(raw: string): TagTemplate {
  const eq = raw.indexOf('=');
  if (eq < 0) throw new Error(`"${raw}" is not key=value`);
  const key = raw.slice(0, eq).trim();
  const value = raw.slice(eq + 1).trim();
  if (!key) throw new Error(`"${raw}" has an empty key`);
  checkText('tag key', key, MAX_KEY);
  if (/^aws:/i.test(key)) throw new Error(`tag key "${key}": the aws: prefix is reserved by AWS`);
  if (/^amibake:/i.test(key))
    throw new Error(`tag key "${key}": the amibake: prefix is reserved for amibake's own tags`);
  // amibake sets Name itself (the AMI name; `amibake NAME-VERSION` on the instance): a user's Name
  // would be dropped without a word, so it is refused instead.
  if (key === TAG.display)
    throw new Error(
      `tag key "Name" is set by amibake (the AMI name on the AMI, "amibake NAME-VERSION" on the instance); name the AMI with the target name and version`,
    );
  if (/\{[A-Za-z_][A-Za-z0-9_]*\}/.test(key))
    throw new Error(`tag key "${key}": placeholders go in values only`);
  checkText('tag value', value, MAX_VALUE);
  checkPlaceholders(value);
  return { key, value };
}

/** Parser for BUILDAMI_TAGS: `key=value` items separated by commas or newlines. */
export const tagList: Parser<TagTemplate[]> = (raw) => {
  const items = raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseTag);
  const seen = new Set<string>();
  for (const t of items) {
    if (seen.has(t.key)) throw new Error(`tag key "${t.key}" is given twice`);
    seen.add(t.key);
  }
  if (items.length > MAX_USER_TAGS)
    throw new Error(`at most ${MAX_USER_TAGS} tags (got ${items.length}); EC2 allows 50 per resource`);
  return items;
};

/** `{date}`: the UTC day of the bake. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function renderValue(template: string, ctx: TagContext): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? ctx[name as Placeholder] : whole,
  );
}

/** Renders the user's templates; a value that grows past the AWS limit is an error naming the key. */
export function renderTags(templates: TagTemplate[], ctx: TagContext): Tag[] {
  return templates.map(({ key, value }) => {
    const v = renderValue(value, ctx);
    if (v.length > MAX_VALUE)
      throw new UserError(
        `tag "${key}": the value is ${v.length} characters once rendered, more than EC2's ${MAX_VALUE}`,
      );
    return { Key: key, Value: v };
  });
}

export interface TagContextInput {
  name: string;
  version: string;
  baseAmi: string;
  runId: string;
  date: Date;
}

export function tagContext(i: TagContextInput): TagContext {
  return { name: i.name, version: i.version, base_ami: i.baseAmi, run_id: i.runId, date: isoDate(i.date) };
}
