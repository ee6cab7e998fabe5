/** Value parsers for the options table. Each throws an Error whose message completes
 *  "<option name>: ..." and never names the option itself (the reader does). */
import { regionProblem } from './regions.js';

export type Parser<T> = (raw: string) => T;

export const text: Parser<string> = (raw) => raw;

export function pattern(re: RegExp, what: string): Parser<string> {
  return (raw) => {
    if (!re.test(raw)) throw new Error(`must be ${what} (got "${raw}")`);
    return raw;
  };
}

export function integer(min: number, max: number, unit = ''): Parser<number> {
  const u = unit ? ` ${unit}` : '';
  return (raw) => {
    if (!/^\d+$/.test(raw.trim()))
      throw new Error(`must be a whole number${u ? ` of${u}` : ''} (got "${raw}")`);
    const n = Number(raw.trim());
    if (n < min) throw new Error(`must be at least ${min}${u} (got ${n})`);
    if (n > max) throw new Error(`must be at most ${max}${u} (got ${n})`);
    return n;
  };
}

export const boolean: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new Error(`must be true or false (got "${raw}")`);
};

/** Comma- or newline-separated list; blanks dropped. */
export function list<T = string>(item: Parser<T> = text as Parser<T>): Parser<T[]> {
  return (raw) =>
    raw
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(item);
}

export interface S3Location {
  bucket: string;
  key: string;
  url: string;
}

export const s3Url: Parser<S3Location> = (raw) => {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(raw.trim());
  if (!m || m[2].endsWith('/'))
    throw new Error(`must be an S3 object URL like s3://bucket/path/fs.tgz (got "${raw}")`);
  return { bucket: m[1], key: m[2], url: raw.trim() };
};

/** An AWS region the SDK knows, with a suggestion for a typo. */
export const region: Parser<string> = (raw) => {
  const value = raw.trim();
  const problem = regionProblem(value);
  if (problem) throw new Error(problem);
  return value;
};

/** An image name: AWS's AMI name characters (with room for `-VERSION`), and `{}`. */
export const imageName: Parser<string> = pattern(
  /^[A-Za-z0-9()[\]./\-'@_ {}]{3,128}$/,
  'a valid AMI name (3 to 128 characters)',
);

/** An image version. */
export const imageVersion: Parser<string> = pattern(
  /^[A-Za-z0-9()[\]./\-'@_ {}]{1,64}$/,
  'a version made of letters, digits and ._-',
);

/** A KMS key id, alias or ARN (key or alias). */
export const kmsKey: Parser<string> = (raw) => {
  const v = raw.trim();
  const ok =
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v) ||
    /^mrk-[0-9a-f]{32}$/.test(v) ||
    /^alias\/[A-Za-z0-9/_-]{1,250}$/.test(v) ||
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/.test(v);
  if (!ok) throw new Error(`must be a KMS key id, alias/NAME or key ARN (got "${raw}")`);
  return v;
};

/** The region of a KMS ARN, when the key is given as one. */
export function kmsKeyRegion(key: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
}
