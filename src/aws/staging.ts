/**
 * The S3 side of the stage contract: fs.tgz goes up (multipart, @aws-sdk/lib-storage), the
 * instance gets presigned URLs (GET fs.tgz, PUT result, PUT log, PUT package inventory) so it needs no S3 permission and
 * no AWS CLI, and the build reads the result and the log back. The objects are left for the
 * bucket's lifecycle rules.
 */
import { createReadStream } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SBOM_CONTENT_TYPE } from '../core/contract.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { S3Location } from '../core/parse.js';
import { httpStatus, isNotFound } from './errors.js';

/** The presigned URLs handed to the instance (src/features/bake/userdata.ts puts them in the user data). */
export interface StageUrls {
  fsUrl?: string;
  resultUrl?: string;
  logUrl?: string;
  /** PUT of the package inventory, signed with its content type (SBOM_CONTENT_TYPE). */
  sbomUrl?: string;
}

/** SigV4 presigned URLs live at most 7 days. */
const MAX_EXPIRY = 7 * 24 * 3600;

export interface StagingKeys {
  bucket: string;
  fs: string;
  result: string;
  log: string;
  sbom: string;
}

/** Result, log and package inventory sit beside fs.tgz, named per bake so a re-run never reads an old result. */
export function stagingKeys(loc: S3Location, token: string): StagingKeys {
  const slash = loc.key.lastIndexOf('/');
  const prefix = slash >= 0 ? loc.key.slice(0, slash + 1) : '';
  return {
    bucket: loc.bucket,
    fs: loc.key,
    result: `${prefix}amibake-${token}.result`,
    log: `${prefix}amibake-${token}.log`,
    sbom: `${prefix}amibake-${token}.sbom.json`,
  };
}

/** The test instance's result and log: beside the install's, named apart (the same bake token). */
export function testStagingKeys(loc: S3Location, token: string): StagingKeys {
  const keys = stagingKeys(loc, token);
  return {
    ...keys,
    result: keys.result.replace(/\.result$/, '.test.result'),
    log: keys.log.replace(/\.log$/, '.test.log'),
  };
}

export async function uploadFs(s3: S3Client, keys: StagingKeys, path: string, logger: Logger): Promise<void> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: keys.bucket, Key: keys.fs, Body: createReadStream(path) },
    partSize: 16 * 1024 * 1024,
    queueSize: 4,
    leavePartsOnError: false,
  });
  await upload.done();
  logger.info(`uploaded ${path} to s3://${keys.bucket}/${keys.fs}`);
}

/**
 * URLs valid for the whole install (`seconds`) plus a margin. URLs signed with session
 * credentials stop working when the session ends, whatever their expiry.
 */
export async function presign(
  s3: S3Client,
  keys: StagingKeys,
  opts: { seconds: number; withFs: boolean },
): Promise<StageUrls> {
  const expiresIn = Math.min(MAX_EXPIRY, Math.ceil(opts.seconds) + 900);
  const sign = (cmd: GetObjectCommand | PutObjectCommand, signableHeaders?: Set<string>) =>
    getSignedUrl(s3, cmd, { expiresIn, signableHeaders });
  const [fsUrl, resultUrl, logUrl, sbomUrl] = await Promise.all([
    opts.withFs ? sign(new GetObjectCommand({ Bucket: keys.bucket, Key: keys.fs })) : undefined,
    sign(new PutObjectCommand({ Bucket: keys.bucket, Key: keys.result })),
    sign(new PutObjectCommand({ Bucket: keys.bucket, Key: keys.log })),
    // The content type is signed: S3 (and moto, which would otherwise take a body sent as a form
    // for form fields) stores the JSON as sent, and refuses an upload with another type.
    sign(
      new PutObjectCommand({ Bucket: keys.bucket, Key: keys.sbom, ContentType: SBOM_CONTENT_TYPE }),
      new Set(['content-type']),
    ),
  ]);
  return { fsUrl, resultUrl, logUrl, sbomUrl };
}

/** The object's text, or undefined when it does not exist (or cannot be read: warned). */
export async function readObject(
  s3: S3Client,
  bucket: string,
  key: string,
  logger: Logger,
  /** Read only the object's last bytes (a log written by the instance can be any size). */
  lastBytes?: number,
): Promise<string | undefined> {
  try {
    const range = lastBytes ? `bytes=-${lastBytes}` : undefined;
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
    return await out.Body?.transformToString('utf8');
  } catch (err) {
    if (isNotFound(err, 'object')) return undefined;
    // A range of an empty object is unsatisfiable (416).
    if (lastBytes && httpStatus(err) === 416) return '';
    logger.warn(`cannot read s3://${bucket}/${key}: ${errorMessage(err)}`);
    return undefined;
  }
}

/** The object's bytes, at most `maxBytes` of them (`tooLarge` when it holds more), or undefined
 *  when it does not exist (or cannot be read: warned). The instance decides how big it is. */
export async function readObjectCapped(
  s3: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  logger: Logger,
): Promise<{ bytes: Uint8Array; tooLarge: boolean } | undefined> {
  try {
    // One byte more than the cap tells a full object from a larger one.
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes}` }),
    );
    const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    return bytes.length > maxBytes
      ? { bytes: bytes.subarray(0, maxBytes), tooLarge: true }
      : { bytes, tooLarge: false };
  } catch (err) {
    if (isNotFound(err, 'object')) return undefined;
    // A range of an empty object is unsatisfiable (416).
    if (httpStatus(err) === 416) return { bytes: new Uint8Array(), tooLarge: false };
    logger.warn(`cannot read s3://${bucket}/${key}: ${errorMessage(err)}`);
    return undefined;
  }
}
