/**
 * Where the build runs (region) and writes (the S3 location of fs.tgz, the result and the log).
 * vars.env names both (AWSREGION, S3URL), but vars.env is the artifact's: it must never pick the
 * bucket the build role writes to, nor the region it works in. The fronts decide how far the
 * artifact is trusted (`trustArtifactLocation`): the action never takes either from vars.env; the
 * CLI keeps the spec's flow (vars.env's values when the build has none of its own). Either way,
 * vars.env that disagrees with the build's own configuration is refused, naming both.
 */
import { OptionError, UserError, msg, opt, type Part } from '../../core/errors.js';
import { s3Url, type S3Location } from '../../core/parse.js';
import { regionProblem } from '../../core/regions.js';
import type { ConfiguredRegion } from '../../aws/clients.js';
import { VARS, type Prepared } from './prepared.js';

export interface LocationPolicy {
  /** Use vars.env's AWSREGION and S3URL when the build has no region or S3 location of its own. */
  trustArtifactLocation: boolean;
}

/** The build region, checked against the SDK's regions and vars.env before any AWS call. */
export function buildRegion(
  configured: ConfiguredRegion | undefined,
  prepared: Prepared,
  policy: LocationPolicy,
): string {
  const claimed = prepared.vars[VARS.region];
  const where = `${prepared.varsPath}: ${VARS.region}`;
  if (configured) {
    const problem = regionProblem(configured.region);
    if (problem) throw new OptionError([`${configured.from}: ${problem}`]);
    if (claimed !== undefined && claimed !== configured.region)
      throw new UserError(
        msg`${where} ${claimed} is not the build's region ${configured.region} (${configured.from}): refused, the artifact does not choose the region. Prepare with ${opt('awsRegion')} ${configured.region}, or configure the build for ${claimed}`,
      );
    return configured.region;
  }
  if (!policy.trustArtifactLocation)
    throw new UserError(
      'no AWS region: set AWS_REGION (the aws-region of aws-actions/configure-aws-credentials sets it); ' +
        `the build never takes its region from vars.env${claimed ? ` (${VARS.region} ${claimed})` : ''}`,
    );
  if (!claimed)
    throw new UserError(
      msg`no AWS region: set AWS_REGION, or ${opt('awsRegion')} when preparing (${VARS.region} in vars.env)`,
    );
  const problem = regionProblem(claimed);
  if (problem) throw new OptionError([`${where}: ${problem}`]);
  return claimed;
}

/**
 * The S3 location of fs.tgz (the result and the log go beside it): the build's own option, else,
 * only when the artifact is trusted, vars.env's S3URL. Returns the problems found.
 */
export function stagingLocation(
  own: S3Location | undefined,
  prepared: Prepared,
  policy: LocationPolicy,
): { staging?: S3Location; problems: Part[][] } {
  const claimed = prepared.vars[VARS.s3Url];
  const option = opt('buildS3Url');
  const where = `${prepared.varsPath}: ${VARS.s3Url}`;
  const problems: Part[][] = [];
  let staging = own;
  if (own && claimed !== undefined && claimed !== own.url)
    problems.push(
      msg`${where} ${claimed} is not ${option} ${own.url}: refused, the artifact does not choose where the build writes. Prepare with ${opt('s3Url')} ${own.url}, or change ${option}`,
    );
  if (!own && claimed !== undefined && policy.trustArtifactLocation) {
    try {
      staging = s3Url(claimed);
    } catch (err) {
      problems.push([`${where}: ${(err as Error).message}`]);
    }
  }
  if (prepared.fsMode === 'external' && !staging && !problems.length)
    problems.push(
      policy.trustArtifactLocation || claimed === undefined
        ? msg`${option}: is required, the prepared files went external (fs.tgz) and ${prepared.varsPath} has no ${VARS.s3Url}`
        : msg`${option}: is required, the prepared files went external (fs.tgz); the bucket the build writes to comes from ${option} only, never from vars.env (${VARS.s3Url} ${claimed})`,
    );
  return { staging, problems };
}
