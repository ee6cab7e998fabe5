/**
 * What moto holds for a build: the network ids and staging bucket a bake needs, and what a bake
 * leaves behind (instances, own AMIs, staged objects).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type Image,
  type Instance,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { REGION } from './moto.js';

export const BUCKET = 'amibake-staging';

export interface MotoIds {
  subnet: string;
  securityGroup: string;
  baseAmi: string;
}

export function ec2For(endpoint: string): EC2Client {
  return new EC2Client({ region: REGION, endpoint });
}

export function s3For(endpoint: string): S3Client {
  return new S3Client({ region: REGION, endpoint, forcePathStyle: true });
}

/** An Ubuntu AMI of moto's built-in list (the same id in every region and after a reset). */
export const BASE_AMI = 'ami-1e749f67';

/** A subnet, a security group and a Linux base AMI moto knows, and the staging bucket. */
export async function motoIds(endpoint: string): Promise<MotoIds> {
  const ec2 = ec2For(endpoint);
  const [subnets, groups, images] = await Promise.all([
    ec2.send(new DescribeSubnetsCommand({})),
    ec2.send(new DescribeSecurityGroupsCommand({})),
    ec2.send(new DescribeImagesCommand({ ImageIds: [BASE_AMI] })),
  ]);
  const base = images.Images![0];
  await s3For(endpoint)
    .send(new CreateBucketCommand({ Bucket: BUCKET }))
    .catch(() => undefined);
  return {
    subnet: subnets.Subnets![0].SubnetId!,
    securityGroup: groups.SecurityGroups![0].GroupId!,
    baseAmi: base.ImageId!,
  };
}

export async function instances(ec2: EC2Client): Promise<Instance[]> {
  const out = await ec2.send(new DescribeInstancesCommand({}));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

export const LIVE = ['pending', 'running', 'stopping', 'stopped'];

export async function liveInstances(ec2: EC2Client): Promise<Instance[]> {
  return (await instances(ec2)).filter((i) => LIVE.includes(i.State?.Name ?? ''));
}

export async function ownImages(ec2: EC2Client): Promise<Image[]> {
  return (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
}

export async function objects(endpoint: string): Promise<string[]> {
  const out = await s3For(endpoint).send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'amibake-test-'));
}

/** An AMI of `instanceId` carrying `tags` from its creation (as CreateImage tags it). */
export async function taggedImage(
  ec2: EC2Client,
  instanceId: string,
  name: string,
  tags: Record<string, string>,
): Promise<string> {
  const { ImageId } = await ec2.send(
    new CreateImageCommand({
      InstanceId: instanceId,
      Name: name,
      TagSpecifications: [
        { ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  return ImageId!;
}
