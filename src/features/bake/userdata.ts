/** The build's part of the user data: what only the build knows (presigned URLs), written to
 *  STAGE_ENV on the instance's tmpfs. */
import { stringify } from 'yaml';
import { BUILD_PART_FILENAME, BUILD_RESERVE, STAGE_ENV, STAGE_VARS } from '../../core/contract.js';
import { formatEnv } from '../../core/envfile.js';
import { UserError } from '../../core/errors.js';
import { USERDATA_LIMIT, appendPart } from '../../core/userdata.js';
import type { StageUrls } from '../../aws/staging.js';

export type { StageUrls };

/** What else the build tells the instance (none of it secret). */
export interface StageFacts {
  /** The key pair the instance is launched with: the guest removes its key from authorized_keys. */
  keyPair?: string;
}

export function stageEnv(urls: StageUrls, facts: StageFacts = {}): string {
  const vars: Record<string, string> = {};
  if (urls.fsUrl) vars[STAGE_VARS.fsUrl] = urls.fsUrl;
  if (urls.resultUrl) vars[STAGE_VARS.resultUrl] = urls.resultUrl;
  if (urls.logUrl) vars[STAGE_VARS.logUrl] = urls.logUrl;
  if (urls.sbomUrl) vars[STAGE_VARS.sbomUrl] = urls.sbomUrl;
  if (facts.keyPair) vars[STAGE_VARS.keyPair] = facts.keyPair;
  return formatEnv(vars);
}

/** The cloud-config of the build's part. */
export function stagePart(urls: StageUrls, facts: StageFacts = {}): string {
  const doc = {
    write_files: [
      { path: STAGE_ENV, owner: 'root:root', permissions: '0600', content: stageEnv(urls, facts) },
    ],
  };
  // YAML 1.1, as cloud-init (PyYAML) reads it: scalars special in 1.1 only get quoted.
  return '#cloud-config\n' + stringify(doc, { lineWidth: 0, version: '1.1' });
}

/** The user data sent to RunInstances: prepare's message plus the build's part, within EC2's limit. */
export function finalUserdata(prepared: Buffer, urls: StageUrls, facts: StageFacts = {}): Buffer {
  const out = appendPart(prepared, { filename: BUILD_PART_FILENAME, content: stagePart(urls, facts) });
  if (out.length > USERDATA_LIMIT) {
    throw new UserError(
      `the user data is ${out.length} bytes with the build's part (its presigned URLs), over EC2's ` +
        `limit of ${USERDATA_LIMIT}: prepared ${prepared.length} bytes, the build's part ` +
        `${out.length - prepared.length} (prepare keeps ${BUILD_RESERVE} bytes for it). Use a shorter S3 ` +
        'location (bucket and key) for the staged files',
    );
  }
  return out;
}
