/** Copies to other regions, each with its KMS key when encrypted. */
import { option, seconds } from '../../core/options.js';
import * as p from '../../core/parse.js';
import type { Parser } from '../../core/parse.js';
import { kmsKey as kmsKeyParser, kmsKeyRegion, region as regionParser } from '../../core/parse.js';

/** Parser for copy-kms-keys: `region=key` items. */
export const regionKeyMap: Parser<Record<string, string>> = (raw) => {
  const out: Record<string, string> = {};
  for (const item of raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`"${item}" is not region=kms-key`);
    const region = regionParser(item.slice(0, eq).trim());
    const key = kmsKeyParser(item.slice(eq + 1).trim());
    if (out[region]) throw new Error(`region ${region} is given twice`);
    const keyRegion = kmsKeyRegion(key);
    if (keyRegion && keyRegion !== region)
      throw new Error(`the key for ${region} is in ${keyRegion}; a copy needs a key of its own region`);
    out[region] = key;
  }
  return out;
};

export const COPY_OPTIONS = {
  copyRegions: option({
    input: 'copy-regions',
    env: 'BUILDAMI_COPY_REGIONS',
    stages: ['build'],
    description: 'Regions to copy the AMI to, in parallel, separated by commas or newlines.',
    parse: p.list(p.region),
  }),
  copyKmsKeys: option({
    input: 'copy-kms-keys',
    env: 'BUILDAMI_COPY_KMS_KEYS',
    stages: ['build'],
    description:
      'KMS key of each encrypted copy: `region=key` items separated by commas or newlines. A region listed here gets an encrypted copy.',
    parse: regionKeyMap,
  }),
  timeoutCopy: option({
    input: 'timeout-copy',
    env: 'BUILDAMI_TIMEOUT_COPY',
    stages: ['build'],
    description: 'Seconds the copies may take until all are available (at least 120).',
    default: '3600',
    parse: seconds(120, 86_400),
  }),
} as const;
