/** The plan of a bake as the dry run prints it: where and what it would launch, the AMI it would
 *  make, its copies, sharing and retention. */
import type { RunInstancesCommandInput, Tag } from '@aws-sdk/client-ec2';
import { formatMs } from '../../core/duration.js';
import type { PlannedCopy } from '../copy/copy.js';
import { formatPlan, type RetentionPlan } from '../retention/retention.js';
import type { ImageSettings } from '../share/settings.js';
import { describeRootVolume } from '../volume/volume.js';

export interface BakePlan {
  region: string;
  baseHow: string;
  baseImageId: string;
  launch: RunInstancesCommandInput;
  userDataBytes: number;
  userDataLimit: number;
  amiName: string;
  description?: string;
  tags: Tag[];
  copies: PlannedCopy[];
  settings: ImageSettings;
  retention: RetentionPlan[];
  sweepAge?: string;
}

/** What the bake would do, as printed by the dry run. */
export function formatBakePlan(p: BakePlan): string[] {
  const l = p.launch;
  const s = p.settings;
  const lines = [
    `region            ${p.region}`,
    `base image        ${p.baseImageId} (${p.baseHow})`,
    `instance          ${l.InstanceType} in ${l.SubnetId}, security groups ${(l.SecurityGroupIds ?? []).join(', ')}` +
      `${l.IamInstanceProfile ? `, profile ${l.IamInstanceProfile.Arn ?? l.IamInstanceProfile.Name}` : ', no instance profile'}` +
      `${l.KeyName ? `, key pair ${l.KeyName}` : ', no key pair'}`,
    `metadata          IMDSv2 ${l.MetadataOptions?.HttpTokens === 'required' ? 'required' : 'optional'}; ` +
      `shutdown behaviour ${l.InstanceInitiatedShutdownBehavior ?? 'stop'}`,
    `root volume       ${describeRootVolume(l.BlockDeviceMappings?.[0])}`,
    `user data         ${p.userDataBytes} of ${p.userDataLimit} bytes`,
    `AMI               "${p.amiName}"${p.description ? ` - ${p.description}` : ''}; IMDSv2 ${s.imdsV2 ? 'required' : 'not required'}`,
    `tags              ${p.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`,
    `copies            ${p.copies.length ? p.copies.map((c) => `${c.region}${c.encrypted ? ` (encrypted${c.kmsKeyId ? ` with ${c.kmsKeyId}` : ''})` : ''}`).join(', ') : 'none'}`,
    `shared with       ${[...s.accounts, ...s.organizations, ...s.ous, ...(s.public ? ['PUBLIC'] : [])].join(', ') || 'nobody'}`,
    `deprecation       ${s.deprecateAfter ? `after ${formatMs(s.deprecateAfter.ms)}` : 'none'}`,
    `protection        ${s.protection === 'false' ? 'none' : `deregistration protection${s.protection === 'cooldown' ? ' with cooldown' : ''}`}`,
  ];
  if (p.sweepAge)
    lines.push(
      `janitor           terminate amibake instances, finish unfinished AMIs older than ${p.sweepAge}`,
    );
  for (const r of p.retention) lines.push(...formatPlan(r));
  return lines;
}
