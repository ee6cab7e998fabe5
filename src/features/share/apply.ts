/** IMDSv2 on the AMI is part of what is baked: a change is a new bake, not a reuse. */
import type { BakeContext } from '../bake/context.js';

export function applyImdsDigest(imdsV2: boolean) {
  return (ctx: BakeContext): void => {
    ctx.digestParts['imds'] = imdsV2 ? 'v2.0' : 'any';
  };
}
