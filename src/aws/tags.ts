/**
 * The one tag vocabulary: the keys amibake puts on what it creates and later finds things by
 * (reuse, retention, copies, cleanup and the janitor). The values are part of the external
 * contract (test/contract): never rename a value.
 */
import type { Image, Tag } from '@aws-sdk/client-ec2';

export const TAG = {
  /** AWS's display name (the console's Name column): `amibake NAME-VERSION` on the instance,
   *  the AMI name on the AMI. Nothing is found by it. */
  display: 'Name',
  /** The image family, NAME without the version: retention keeps the newest N of a family. */
  family: 'amibake:name',
  version: 'amibake:version',
  /** The reuse digest: an AMI of the same name is reused only when it matches. */
  digest: 'amibake:digest',
  baseAmi: 'amibake:base-ami',
  /** The CI run that launched the instance (the janitor's key). */
  run: 'amibake:run',
  /** The bake attempt (RunInstances' ClientToken): tells this bake's AMI from another one of the same name. */
  clientToken: 'amibake:client-token',
  /** What an instance is for: `test` on the instance launched from the new AMI to test it (the
   *  build instance has no role tag). */
  role: 'amibake:role',
  /** The AMI's test verdict, `passed` or `failed`; absent: never tested. Reuse, copies, sharing
   *  and publishing of an image whose source has a test require `passed`. */
  test: 'amibake:test',
  /** Hex sha256 of the package inventory (CycloneDX JSON) the instance reported, as the build saved it. */
  sbom: 'amibake:sbom-sha256',
} as const;

export function toTags(map: Record<string, string>): Tag[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

export const tagValue = (image: Image, key: string): string | undefined =>
  image.Tags?.find((t) => t.Key === key)?.Value;

/** The image's tags that may be copied to other resources (not the reserved `aws:` ones). */
export function ownTags(image: Image): Record<string, string> {
  return Object.fromEntries(
    (image.Tags ?? []).filter((t) => t.Key && !/^aws:/i.test(t.Key)).map((t) => [t.Key!, t.Value ?? '']),
  );
}
