/**
 * The dry run of publishing. SSM has no DryRun: a GetParameter per name and region shows what is
 * there now (an absent parameter answers ParameterNotFound, which proves read access only); the
 * launch template is looked up (exists, readable) and EC2's DryRun proves CreateLaunchTemplateVersion
 * and ModifyLaunchTemplate. What no dry run can prove is said in the plan.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { errorMessage, msg, opt, type Part } from '../../core/errors.js';
import { errorCode, isAccessDenied } from '../../aws/errors.js';
import {
  createImageVersion,
  findLaunchTemplate,
  setDefaultVersion,
  type TemplateSeen,
} from '../../aws/launch-templates.js';
import { IMAGE_DATA_TYPE, readParameter, type SsmFor } from '../../aws/ssm-parameters.js';
import type { DistributeConfig } from '../distribute/config.js';
import { probe, type ProbeResult } from './probes.js';

export interface DistributePlanInput {
  ec2: EC2Client;
  ssmFor: SsmFor;
  /** The build region first, then the copy regions. */
  regions: string[];
  d: DistributeConfig;
  /** An existing image to stand in for the AMI in the DryRun calls (the base image). */
  standInImage: string;
}

export interface DistributePlan {
  lines: string[];
  probes: ProbeResult[];
  /** Each names its option; the dry run fails on any. */
  problems: Part[][];
}

const pad = (label: string) => label.padEnd(18);

export async function planDistribute(i: DistributePlanInput): Promise<DistributePlan> {
  const { d } = i;
  const region = i.regions[0];
  const lines: string[] = [];
  const probes: ProbeResult[] = [];
  const problems: Part[][] = [];
  if (d.ssm.length) {
    lines.push(
      `${pad('ssm parameters')}${d.ssm.join(', ')} in ${i.regions.join(', ')}: PutParameter, type String, data type ${IMAGE_DATA_TYPE}, overwrite (each region its own AMI id)`,
    );
    for (const r of i.regions)
      for (const name of d.ssm) {
        try {
          const seen = await readParameter(i.ssmFor(r), name);
          lines.push(
            seen.exists
              ? `  ${name} in ${r}: exists (version ${seen.version}, ${seen.type}${seen.dataType ? `, ${seen.dataType}` : ''}): a new version would overwrite it`
              : `  ${name} in ${r}: does not exist yet: it would be created`,
          );
          probes.push({
            action: 'ssm:GetParameter',
            region: r,
            outcome: 'allowed',
            detail: `${name} readable`,
          });
        } catch (err) {
          // The bake itself only writes: a denied read proves nothing about the write.
          lines.push(`  ${name} in ${r}: not readable (${errorCode(err) || errorMessage(err)})`);
          probes.push({
            action: 'ssm:GetParameter',
            region: r,
            outcome: 'unproven',
            detail: `${name}: ${isAccessDenied(err) ? 'denied (the bake needs only ssm:PutParameter)' : errorMessage(err)}`,
          });
        }
      }
  }
  const t = d.template;
  if (t) {
    let seen: TemplateSeen | undefined;
    try {
      seen = await findLaunchTemplate(i.ec2, t.ref);
      if (!seen) problems.push(msg`${opt('launchTemplate')}: no launch template ${t.raw} in ${region}`);
      probes.push({ action: 'DescribeLaunchTemplates', region, outcome: 'allowed', detail: '' });
    } catch (err) {
      probes.push({
        action: 'DescribeLaunchTemplates',
        region,
        outcome: isAccessDenied(err) ? 'denied' : 'unproven',
        detail: `${errorCode(err) || 'error'}: ${errorMessage(err)}`,
      });
    }
    const label = seen ? `${seen.id} (${seen.name})` : t.raw;
    lines.push(
      `${pad('launch template')}${label} in ${region}: a new version from $Latest${seen?.latestVersion ? ` (version ${seen.latestVersion})` : ''} with the new AMI; ` +
        (t.makeDefault
          ? 'made the default version'
          : `default version stays ${seen?.defaultVersion ?? 'as it is'}`),
    );
    // By id when found (as the bake does), else as given: the DryRun answer then names the problem.
    const ref = seen ? { id: seen.id } : t.ref;
    probes.push(
      await probe('CreateLaunchTemplateVersion', region, (dryRun) =>
        createImageVersion(i.ec2, ref, i.standInImage, 'amibake dry run', dryRun),
      ),
    );
    if (t.makeDefault)
      probes.push(
        await probe('ModifyLaunchTemplate', region, (dryRun) =>
          setDefaultVersion(i.ec2, ref, seen?.defaultVersion ?? 1, dryRun),
        ),
      );
  }
  if (d.ssm.length)
    lines.push(
      `${pad('not proven')}ssm:PutParameter (SSM has no DryRun; the reads above prove ssm:GetParameter only) and ` +
        `the ${IMAGE_DATA_TYPE} check (AWS validates the AMI id after PutParameter returns)`,
    );
  return { lines, probes, problems };
}
