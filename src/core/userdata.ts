/**
 * The user data is a gzip'd MIME multipart message of `text/cloud-config` parts, one per
 * cloudinit file, merged by cloud-init itself in message order with MERGE_TYPE. The build stage
 * appends one more part (its presigned URLs) without touching what prepare wrote.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { UserError } from './errors.js';

/** Lists append in priority order; mappings merge recursively; for a scalar set twice the
 *  lowest-numbered file wins (cloud-init's no_replace). */
export const MERGE_TYPE = 'list(append)+dict(no_replace,recurse_list)+str()';
/** EC2's limit on user data, counted on the bytes sent (here: gzip'd). */
export const USERDATA_LIMIT = 16_384;
/** Bytes the user data may have once gunzipped. The build inflates the artifact's userdata.gz no
 *  further than this (a gzip bomb is refused before it is inflated), and prepare never writes more.
 *  16 KB of gzip can inflate to about 16 MB; amibake's messages are tens of KB. */
export const USERDATA_TEXT_LIMIT = 1 << 20;

export interface Part {
  filename: string;
  content: string;
}

function renderPart(part: Part): string {
  if (!/^[\w.-]+$/.test(part.filename)) throw new Error(`invalid part filename ${part.filename}`);
  return (
    'Content-Type: text/cloud-config; charset="utf-8"\n' +
    'MIME-Version: 1.0\n' +
    'Content-Transfer-Encoding: 8bit\n' +
    `Content-Disposition: attachment; filename="${part.filename}"\n` +
    `Merge-Type: ${MERGE_TYPE}\n` +
    '\n' +
    (part.content.endsWith('\n') ? part.content : part.content + '\n')
  );
}

function boundaryFor(parts: Part[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p.filename).update('\0').update(p.content).update('\0');
  const boundary = `==amibake-${h.digest('hex').slice(0, 32)}==`;
  if (parts.some((p) => p.content.includes(boundary))) throw new Error('MIME boundary collision');
  return boundary;
}

export function renderMultipart(parts: Part[]): string {
  const b = boundaryFor(parts);
  return (
    `Content-Type: multipart/mixed; boundary="${b}"\nMIME-Version: 1.0\n\n` +
    parts.map((p) => `--${b}\n${renderPart(p)}`).join('') +
    `--${b}--\n`
  );
}

/** gzip at the highest level with a fixed header (no mtime), so the same input gives the same bytes. */
export function gzipUserdata(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > USERDATA_TEXT_LIMIT)
    throw new UserError(
      `the user data is ${bytes.length} bytes before gzip, more than the ${USERDATA_TEXT_LIMIT} the build accepts`,
    );
  return gzipSync(bytes, { level: 9 });
}

/** Gunzips user data, never to more than USERDATA_TEXT_LIMIT bytes: zlib stops there. The
 *  messages complete "<file>: ". */
export function readUserdata(gz: Buffer): string {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gz, { maxOutputLength: USERDATA_TEXT_LIMIT });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(
        `inflates to more than ${USERDATA_TEXT_LIMIT} bytes: refused without inflating the rest (a gzip bomb?)`,
        { cause: err },
      );
    throw new Error(`not gzip'd user data (${(err as Error).message})`, { cause: err });
  }
  const text = bytes.toString('utf8');
  // Decoding must be lossless: the build re-encodes the text when it appends its part.
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new Error('the user data is not UTF-8 text');
  return text;
}

const HEADER_RE =
  /^Content-Type: multipart\/mixed; boundary="(==amibake-[0-9a-f]{32}==)"\nMIME-Version: 1\.0\n\n/;
const PART_HEADER_RE =
  /^Content-Type: text\/cloud-config; charset="utf-8"\nMIME-Version: 1\.0\nContent-Transfer-Encoding: 8bit\nContent-Disposition: attachment; filename="([\w.-]+)"\nMerge-Type: ([^\n]*)\n\n/;

/**
 * The parts of a message exactly as renderMultipart writes it, else an error saying what differs.
 * Re-rendering the parts must give back the same text, so nothing else passes: another content
 * type (a shell script, `#include`, a part handler), extra headers, a foreign boundary, text
 * outside the parts.
 */
export function parseMultipart(text: string): Part[] {
  const head = HEADER_RE.exec(text);
  if (!head)
    throw new Error(
      `not the MIME multipart message amibake prepare writes (it starts with ${JSON.stringify(text.slice(0, 40))})`,
    );
  const b = head[1];
  const closing = `--${b}--\n`;
  if (!text.endsWith(closing)) throw new Error('the multipart message is not terminated by its boundary');
  const chunks = text.slice(head[0].length, -closing.length).split(`--${b}\n`);
  if (chunks.shift() !== '') throw new Error('text before the first part');
  if (!chunks.length) throw new Error('the multipart message has no part');
  const parts = chunks.map((chunk, i) => {
    const h = PART_HEADER_RE.exec(chunk);
    if (!h) throw new Error(`part ${i + 1} does not have the headers of a prepared cloud-config part`);
    if (h[2] !== MERGE_TYPE) throw new Error(`part ${h[1]} has another Merge-Type than amibake's (${h[2]})`);
    return { filename: h[1], content: chunk.slice(h[0].length) };
  });
  const names = parts.map((p) => p.filename);
  if (
    [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))).join('\n') !== names.join('\n')
  )
    throw new Error('the parts are not in the name order prepare writes them in');
  if (new Set(names).size !== names.length) throw new Error('two parts have the same name');
  if (renderMultipart(parts) !== text)
    throw new Error('the message differs from what prepare writes for the same parts (boundary or layout)');
  return parts;
}

/** Adds a part at the end of a prepared user data message. */
export function appendPart(gz: Buffer, part: Part): Buffer {
  const text = readUserdata(gz);
  const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
  if (!m) throw new Error('user data is not an amibake multipart message');
  const closing = `--${m[1]}--\n`;
  if (!text.endsWith(closing)) throw new Error('user data multipart message is not terminated');
  if (part.content.includes(m[1])) throw new Error('MIME boundary collision');
  return gzipUserdata(text.slice(0, -closing.length) + `--${m[1]}\n${renderPart(part)}` + closing);
}
