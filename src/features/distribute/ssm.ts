/** Publishing to SSM Parameter Store: each name in each region that has the AMI, that region's id. */
import { putImageParameter, type SsmFor } from '../../aws/ssm-parameters.js';
import type { Publication } from './ledger.js';

/** One publication per region and name: the build region first, then the copies, as `amis` lists them. */
export function parameterPublications(
  ssmFor: SsmFor,
  amis: Record<string, string>,
  names: string[],
  published: Record<string, { name: string; version: number }[]>,
): Publication[] {
  return Object.entries(amis).flatMap(([region, imageId]) =>
    names.map((name) => ({
      what: `SSM parameter ${name} in ${region}`,
      async run() {
        const version = await putImageParameter(ssmFor(region), name, imageId);
        (published[region] ??= []).push({ name, version });
        return `SSM parameter ${name} in ${region} = ${imageId} (version ${version}, data type aws:ec2:image)`;
      },
    })),
  );
}
