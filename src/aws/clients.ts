/**
 * AWS clients. Credentials, region and endpoints come from the SDK's standard chain, so
 * `aws-actions/configure-aws-credentials` (OIDC) and `AWS_ENDPOINT_URL[_EC2|_S3]` just work.
 */
import { EBSClient } from '@aws-sdk/client-ebs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { retryTimings } from './retry.js';

/** Attempts per call with the SDK's adaptive retry strategy (backs off on throttling too). */
export const MAX_ATTEMPTS = 10;

/** The SDK retry settings of a client: `retryTimings()` (a test seam), at most `maxAttempts`. */
export function sdkRetry(maxAttempts?: number): { retryMode: string; maxAttempts: number } {
  const t = retryTimings();
  return { retryMode: t.sdkMode, maxAttempts: Math.min(maxAttempts ?? t.sdkAttempts, t.sdkAttempts) };
}

/** A function that returns the EC2 client of a region (one per region, reused). */
export type ClientFor = (region: string) => EC2Client;

/** One client per region, created on first use; `home` serves its own region. */
export function clientsByRegion(home?: { region: string; ec2: EC2Client }): ClientFor {
  const clients = new Map<string, EC2Client>();
  if (home) clients.set(home.region, home.ec2);
  return (region) => clients.get(region) ?? clients.set(region, createEc2(region)).get(region)!;
}

/** True when S3 is reached through a custom endpoint (an emulator, a VPC endpoint, MinIO…):
 *  such endpoints rarely serve virtual-hosted bucket names. */
export function customS3Endpoint(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

export function createEc2(region: string, maxAttempts?: number): EC2Client {
  return new EC2Client({ region, ...sdkRetry(maxAttempts) });
}

export function createS3(region: string, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    region,
    ...sdkRetry(),
    forcePathStyle: customS3Endpoint(env),
    // Presigned PUTs must not pin a checksum of the (empty) body the URL was signed with:
    // the instance uploads content the build does not know yet.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The region the build's own configuration names, and where it comes from (for errors). */
export interface ConfiguredRegion {
  region: string;
  from: string;
}

/**
 * The build job's own region: AWS_REGION, else the SDK chain's (the profile's region), else
 * AWS_DEFAULT_REGION (set by configure-aws-credentials and the AWS CLI, not read by SDK v3).
 * Never vars.env: see buildRegion.
 */
export async function configuredRegion(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfiguredRegion | undefined> {
  if (env.AWS_REGION) return { region: env.AWS_REGION, from: 'AWS_REGION' };
  try {
    const region = await new EC2Client({}).config.region();
    if (region)
      return {
        region,
        from:
          process.env.AWS_REGION === region
            ? 'AWS_REGION'
            : `the region of the AWS profile ${env.AWS_PROFILE ?? process.env.AWS_PROFILE ?? 'default'}`,
      };
  } catch {
    // no region in the chain
  }
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, from: 'AWS_DEFAULT_REGION' };
  return undefined;
}

/** The EBS direct APIs' client (StartSnapshot, PutSnapshotBlock, CompleteSnapshot): the same
 *  SDK retries as the others (throttling and 5xx backed off), the same endpoint chain
 *  (`AWS_ENDPOINT_URL[_EBS]`). */
export function createEbs(region: string, maxAttempts?: number): EBSClient {
  return new EBSClient({ region, ...sdkRetry(maxAttempts) });
}
