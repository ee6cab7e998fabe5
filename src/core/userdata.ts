/**
 * The user data is a gzip'd MIME multipart message of `text/cloud-config` parts, one per
 * cloudinit file, merged by cloud-init itself in message order with MERGE_TYPE. The build stage
 * appends one more part (its presigned URLs) without touching what prepare wrote.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Lists append in priority order; mappings merge recursively; for a scalar set twice the
 *  lowest-numbered file wins (cloud-init's no_replace). */
export const MERGE_TYPE = 'list(append)+dict(no_replace,recurse_list)+str()';
/** EC2's limit on user data, counted on the bytes sent (here: gzip'd). */
export const USERDATA_LIMIT = 16_384;

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
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
}

export function readUserdata(gz: Buffer): string {
  return gunzipSync(gz).toString('utf8');
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
