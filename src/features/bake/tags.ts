/** The tags the bake puts on what it creates. The instance and its volumes carry the run tags (so
 *  a janitor or the post step can find them); the AMI and its snapshots carry the image tags. */
import { TAG } from '../../aws/tags.js';

export interface TagInput {
  name: string;
  version: string;
  amiName: string;
  runId: string;
  clientToken: string;
  digest: string;
  baseAmi: string;
  /** Hex sha256 of the package inventory, once the build has saved one (src/features/sbom). */
  sbomSha256?: string;
  /** The user's tags (issue: BUILDAMI_TAGS); amibake's own tags win over them. */
  extra?: Record<string, string>;
}

export function runTags(t: TagInput): Record<string, string> {
  return {
    ...t.extra,
    [TAG.display]: `amibake ${t.amiName}`,
    [TAG.run]: t.runId,
    [TAG.clientToken]: t.clientToken,
  };
}

export function imageTags(t: TagInput): Record<string, string> {
  return {
    ...t.extra,
    [TAG.display]: t.amiName,
    [TAG.family]: t.name,
    [TAG.version]: t.version,
    [TAG.digest]: t.digest,
    [TAG.baseAmi]: t.baseAmi,
    [TAG.run]: t.runId,
    // Lets cleanup tell this bake's AMI from another one that took the same name.
    [TAG.clientToken]: t.clientToken,
    ...(t.sbomSha256 ? { [TAG.sbom]: t.sbomSha256 } : {}),
  };
}
