/**
 * What happens to each finished AMI (the build's and every copy): IMDSv2 requirement, launch
 * permissions (accounts, organizations, OUs, public only when asked), snapshot permissions for
 * accounts that need them, deprecation time and deregistration protection.
 */
import {
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  type EC2Client,
  type Image,
  type LaunchPermission,
} from '@aws-sdk/client-ec2';
import { compact, errorMessage, msg, type Part } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { isEncrypted, requireImdsV2, snapshotIds } from '../../aws/images.js';
import type { Duration } from '../../core/duration.js';
import type { Protection, SnapshotSharing } from './options.js';

export type { Protection, SnapshotSharing };

export interface ImageSettings {
  imdsV2: boolean;
  accounts: string[];
  organizations: string[];
  ous: string[];
  public: boolean;
  /** auto: share snapshots with the accounts when the AMI is encrypted (they copy it to re-encrypt). */
  shareSnapshots: SnapshotSharing;
  deprecateAfter?: Duration;
  protection: Protection;
}

/** The options as errors name them: option refs (the front renders them), or plain text. */
export interface SettingsNames {
  public: Part;
  encrypt: Part;
  kmsKey: Part;
  accounts: Part;
  organizations: Part;
  ous: Part;
}

/** Checks that fail before anything is launched (AWS would refuse later, after the bake). */
export function sharingProblems(
  s: ImageSettings,
  encrypt: boolean,
  kmsKey: string | undefined,
  n: SettingsNames,
): (string | Part[])[] {
  const problems: Part[][] = [];
  const shared = s.accounts.length + s.organizations.length + s.ous.length > 0;
  if (encrypt && s.public)
    problems.push(msg`${n.public}: an encrypted AMI cannot be public (${n.encrypt} is true)`);
  if (encrypt && !kmsKey && (shared || s.public))
    problems.push(
      msg`${n.kmsKey}: an AMI encrypted with the AWS-managed key aws/ebs cannot be shared; give a customer managed key and allow the accounts to use it`,
    );
  return problems.map(compact);
}

export interface SettingsReport {
  imageId: string;
  region: string;
  imdsV2: boolean;
  /** Launch permissions added, as written (account ids, ARNs, `public`). */
  sharedWith: string[];
  snapshotsSharedWith: string[];
  deprecateAt?: string;
  protection?: Protection;
  problems: string[];
}

export interface ApplyInput {
  ec2: EC2Client;
  region: string;
  image: Image;
  settings: ImageSettings;
  log: Logger;
  now?: Date;
}

/**
 * Applies every setting to one AMI. A setting that fails is reported (and fails the bake) but does
 * not stop the others, so the summary shows exactly what was applied.
 */
export async function applyImageSettings(i: ApplyInput): Promise<SettingsReport> {
  const { ec2, image, settings: s, log } = i;
  const imageId = image.ImageId!;
  const now = i.now ?? new Date();
  const report: SettingsReport = {
    imageId,
    region: i.region,
    imdsV2: false,
    sharedWith: [],
    snapshotsSharedWith: [],
    problems: [],
  };
  const step = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      report.problems.push(`${what} on ${imageId} in ${i.region}: ${errorMessage(err)}`);
    }
  };

  // A reused AMI or copy keeps what an earlier run set: nothing is set twice.
  if (s.imdsV2 && image.ImdsSupport === 'v2.0') report.imdsV2 = true;
  else if (s.imdsV2)
    await step('requiring IMDSv2', async () => {
      await requireImdsV2(ec2, imageId);
      report.imdsV2 = true;
    });

  const add: LaunchPermission[] = [
    ...s.accounts.map((UserId) => ({ UserId })),
    ...s.organizations.map((OrganizationArn) => ({ OrganizationArn })),
    ...s.ous.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
    ...(s.public ? [{ Group: 'all' as const }] : []),
  ];
  if (add.length)
    await step('sharing', async () => {
      if (s.public) log.warn(`making ${imageId} in ${i.region} PUBLIC: every AWS account can launch it`);
      await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: add } }));
      report.sharedWith = [...s.accounts, ...s.organizations, ...s.ous, ...(s.public ? ['public'] : [])];
    });

  const snaps = snapshotIds(image);
  const shareSnaps = s.shareSnapshots === 'true' || (s.shareSnapshots === 'auto' && isEncrypted(image));
  if (shareSnaps && s.accounts.length && snaps.length)
    await step('sharing snapshots', async () => {
      // The OperationType/UserIds form (AWS takes it and CreateVolumePermission alike; moto only this one).
      for (const SnapshotId of snaps)
        await ec2.send(
          new ModifySnapshotAttributeCommand({
            SnapshotId,
            Attribute: 'createVolumePermission',
            OperationType: 'add',
            UserIds: s.accounts,
          }),
        );
      report.snapshotsSharedWith = [...s.accounts];
    });

  if (s.deprecateAfter && image.DeprecationTime) report.deprecateAt = image.DeprecationTime;
  else if (s.deprecateAfter) {
    const at = new Date(now.getTime() + s.deprecateAfter.ms);
    await step('setting the deprecation time', async () => {
      await ec2.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at }));
      report.deprecateAt = at.toISOString();
    });
  }

  if (s.protection !== 'false' && image.DeregistrationProtection?.startsWith('enabled'))
    report.protection = s.protection;
  else if (s.protection !== 'false')
    await step('enabling deregistration protection', async () => {
      await ec2.send(
        new EnableImageDeregistrationProtectionCommand({
          ImageId: imageId,
          WithCooldown: s.protection === 'cooldown',
        }),
      );
      report.protection = s.protection;
    });

  for (const p of report.problems) log.warn(p);
  return report;
}
