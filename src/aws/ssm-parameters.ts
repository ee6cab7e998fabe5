/**
 * SSM Parameter Store, for publishing: an AMI id written to a parameter of data type
 * `aws:ec2:image`, one SSM client per region, and the read a dry run can make (SSM has no DryRun).
 *
 * `aws:ec2:image` parameters are validated by AWS after PutParameter returns: the call succeeds,
 * then SSM checks that the value is an AMI the account can see and, if it is not, drops the new
 * version (an EventBridge "Parameter Store Change" event with a failure reason is the only sign).
 * amibake writes ids it has just made available in that region, so the check passes; it cannot
 * be proven before the call.
 */
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { sdkRetry } from './clients.js';
import { isNotFound } from './errors.js';

/** The data type that makes SSM check the value is an AMI id (and lets EC2 resolve it). */
export const IMAGE_DATA_TYPE = 'aws:ec2:image';

export type SsmFor = (region: string) => SSMClient;

export function createSsm(region: string): SSMClient {
  return new SSMClient({ region, ...sdkRetry() });
}

/** One SSM client per region, created on first use. */
export function ssmByRegion(): SsmFor {
  const clients = new Map<string, SSMClient>();
  return (region) => clients.get(region) ?? clients.set(region, createSsm(region)).get(region)!;
}

/** Writes `imageId` to `name` (created or overwritten); returns the parameter's new version. */
export async function putImageParameter(ssm: SSMClient, name: string, imageId: string): Promise<number> {
  const out = await ssm.send(
    new PutParameterCommand({
      Name: name,
      Value: imageId,
      Type: 'String',
      DataType: IMAGE_DATA_TYPE,
      Overwrite: true,
    }),
  );
  return out.Version ?? 0;
}

export interface ParameterSeen {
  exists: boolean;
  version?: number;
  type?: string;
  dataType?: string;
  value?: string;
}

/** What a parameter holds now, or that it does not exist yet (either answer proves read access
 *  only). Other errors (access denied) are thrown. */
export async function readParameter(ssm: SSMClient, name: string): Promise<ParameterSeen> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }));
    const p = out.Parameter;
    return { exists: true, version: p?.Version, type: p?.Type, dataType: p?.DataType, value: p?.Value };
  } catch (err) {
    if (isNotFound(err, 'parameter')) return { exists: false };
    throw err;
  }
}
