/** Shared pieces of the attacks on the artifact (forged digest, foreign location, user data,
 *  regions): tampered prepared files, and what moto holds before and after. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { preparedDigest } from '../../src/core/digest.js';
import { formatEnv, parseEnv } from '../../src/core/envfile.js';
import { expect } from '@jest/globals';
import { REGION, type Gate, type Moto } from '../support/moto.js';
import { instances } from '../bake/helpers.js';

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Rewrites vars.env of a prepared folder (and its userdata.gz, with a matching USERDATA_SHA256):
 *  `change` edits the variables; PREPARED_DIGEST is the honest one unless `change` sets it, so
 *  each attack differs from a real prepare in the one thing it tries. */
export function rewriteVars(
  dir: string,
  change: (vars: Record<string, string>) => void,
  opts: { userdata?: Buffer } = {},
): Record<string, string> {
  const path = join(dir, 'vars.env');
  const vars = parseEnv(readFileSync(path, 'utf8'), path);
  delete vars.PREPARED_DIGEST;
  if (opts.userdata) {
    writeFileSync(join(dir, 'userdata.gz'), opts.userdata);
    vars.USERDATA_SHA256 = sha256(opts.userdata);
  }
  change(vars);
  const digest =
    vars.PREPARED_DIGEST ??
    preparedDigest({
      userdataSha256: vars.USERDATA_SHA256,
      fsMode: vars.FS_MODE as 'inline' | 'external' | 'none',
      fsSha256: vars.FS_MODE === 'external' ? vars.FS_SHA256 : undefined,
    });
  delete vars.PREPARED_DIGEST;
  writeFileSync(path, formatEnv(vars) + formatEnv({ PREPARED_DIGEST: digest }));
  return { ...vars, PREPARED_DIGEST: digest };
}

/** Every object of every bucket, with its content. */
export async function allObjects(endpoint: string): Promise<Record<string, string>> {
  const s3 = new S3Client({ region: REGION, endpoint, forcePathStyle: true });
  const out: Record<string, string> = {};
  for (const b of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const list = await s3.send(new ListObjectsV2Command({ Bucket: b.Name! }));
    for (const o of list.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: b.Name!, Key: o.Key! }));
      out[`s3://${b.Name}/${o.Key}`] = await got.Body!.transformToString();
    }
  }
  return out;
}

export interface Holdings {
  instances: string[];
  images: string[];
  snapshots: string[];
  objects: Record<string, string>;
}

/** What moto holds that a bake could have created: instances (any state), own AMIs and
 *  snapshots, and every S3 object with its content. */
export async function holdings(endpoint: string): Promise<Holdings> {
  const ec2 = new EC2Client({ region: REGION, endpoint });
  const [all, images, snapshots] = await Promise.all([
    instances(ec2),
    ec2.send(new DescribeImagesCommand({ Owners: ['self'] })),
    ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] })),
  ]);
  return {
    instances: all.map((i) => i.InstanceId!).sort(),
    images: (images.Images ?? []).map((i) => i.ImageId!).sort(),
    snapshots: (snapshots.Snapshots ?? []).map((s) => s.SnapshotId!).sort(),
    objects: await allObjects(endpoint),
  };
}

/** `noAwsCall(fn)` for this moto and gate: runs `fn`, asserts it made no AWS call through the
 *  gate and left nothing in moto (holdings as before), and returns what `fn` gave. */
export function noAwsCallCheck(
  m: { readonly moto: Moto },
  g: { readonly gate: Gate },
): <T>(fn: () => Promise<T>) => Promise<T> {
  return async (fn) => {
    const before = await holdings(m.moto.endpoint);
    const from = g.gate.calls.length;
    const out = await fn();
    expect(g.gate.calls.slice(from)).toEqual([]);
    expect(await holdings(m.moto.endpoint)).toEqual(before);
    return out;
  };
}
