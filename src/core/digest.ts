/**
 * The digests that decide whether an AMI may be reused, computed the same way by prepare and by
 * the build. The build never takes a digest from vars.env: it recomputes PREPARED_DIGEST from the
 * bytes it received and refuses a vars.env that claims another (an artifact claiming the digest of
 * other content would otherwise get its AMI reused by a later bake of that content).
 */
import { createHash } from 'node:crypto';

/**
 * Part of everything hashed: a digest made by an amibake that computed it another way (an AMI
 * baked before this scheme, whose tag may have been forged through vars.env) never equals one made
 * now, so such an AMI is never reused.
 */
export const DIGEST_SCHEME = 'amibake-digest-2';

/** sha256 of the scheme and the sorted parts, JSON-encoded so no value can pose as another part. */
export function digestOf(parts: Record<string, string>): string {
  const entries = Object.keys(parts)
    .sort()
    .map((k) => [k, parts[k]]);
  return createHash('sha256')
    .update(JSON.stringify([DIGEST_SCHEME, entries]))
    .digest('hex');
}

export type PreparedFsMode = 'inline' | 'external' | 'none';

/** What the instance gets from prepare, as the build can verify it from the artifact alone. */
export interface PreparedContent {
  /** sha256 of userdata.gz as prepare wrote it (before the build appends its part); inline
   *  files travel in it. */
  userdataSha256: string;
  fsMode: PreparedFsMode;
  /** sha256 of fs.tgz: only when it went external (the build hashes the file it uploads). */
  fsSha256?: string;
  /** sha256 of userdata-test.gz, only when the source has script/test.sh: the test is part of
   *  what makes an AMI reusable. Absent, the digest is the one of a source without a test. */
  testUserdataSha256?: string;
}

/** PREPARED_DIGEST: prepare writes it, the build recomputes it and refuses any other. */
export function preparedDigest(c: PreparedContent): string {
  const parts: Record<string, string> = { userdata: c.userdataSha256, 'fs-mode': c.fsMode };
  if (c.fsMode === 'external') {
    if (!c.fsSha256) throw new Error('an external fs.tgz needs its sha256');
    parts.fs = c.fsSha256;
  }
  if (c.testUserdataSha256 !== undefined) parts['test-userdata'] = c.testUserdataSha256;
  return digestOf(parts);
}
