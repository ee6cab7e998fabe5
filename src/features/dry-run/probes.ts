/**
 * Preflight for BUILDAMI_DRY_RUN: EC2 calls made with DryRun=true prove the role may make each
 * call the bake will make (DryRunOperation = allowed, UnauthorizedOperation = denied), and the
 * plan of the bake is printed. Nothing is launched, copied, shared or deleted.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Image,
  type RunInstancesCommandInput,
  type SecurityGroup,
  type Tag,
} from '@aws-sdk/client-ec2';
import { UserError, compact, errorMessage, msg, type Part } from '../../core/errors.js';
import type { ClientFor } from '../../aws/clients.js';
import { errorCode, isAccessDenied, isDryRunAllowed, isNotFound } from '../../aws/errors.js';
import { snapshotIds } from '../../aws/images.js';
import type { PlannedCopy } from '../copy/copy.js';
import type { ImageSettings } from '../share/settings.js';

export type Outcome = 'allowed' | 'denied' | 'unproven';

export interface ProbeResult {
  action: string;
  region: string;
  outcome: Outcome;
  detail: string;
}

// Stand-ins for resources that exist only once the bake runs.
const PLACEHOLDER_INSTANCE = 'i-0000000000000000a';

/** Runs one DryRun call; `send` receives the flag so no probe can forget it. */
export async function probe(
  action: string,
  region: string,
  send: (dryRun: true) => Promise<unknown>,
): Promise<ProbeResult> {
  try {
    await send(true);
    return { action, region, outcome: 'unproven', detail: 'the endpoint ignored DryRun' };
  } catch (err) {
    const code = errorCode(err);
    if (isDryRunAllowed(err)) return { action, region, outcome: 'allowed', detail: '' };
    if (isAccessDenied(err)) {
      const msg = errorMessage(err);
      const encoded = /Encoded authorization failure message/i.test(msg)
        ? ' (decode it with `aws sts decode-authorization-message`)'
        : '';
      return {
        action,
        region,
        outcome: 'denied',
        detail: `${code}: ${msg.split('Encoded')[0].trim()}${encoded}`,
      };
    }
    return { action, region, outcome: 'unproven', detail: `${code || 'error'}: ${errorMessage(err)}` };
  }
}

export interface ProbeInput {
  ec2: EC2Client;
  region: string;
  clientFor: ClientFor;
  /** Exactly what the bake will pass to RunInstances. */
  launch: RunInstancesCommandInput;
  base: Image;
  amiName: string;
  tags: Tag[];
  copies: PlannedCopy[];
  settings: ImageSettings;
  retention: boolean;
}

/** One probe per call the bake will make, in the order it makes them. */
export async function runProbes(i: ProbeInput): Promise<ProbeResult[]> {
  const { ec2, region } = i;
  const baseId = i.base.ImageId!;
  const baseSnap = snapshotIds(i.base)[0];
  const results: ProbeResult[] = [];
  const run = async (action: string, r: string, send: (dryRun: true) => Promise<unknown>) =>
    results.push(await probe(action, r, send));

  await run('RunInstances', region, (DryRun) =>
    ec2.send(new RunInstancesCommand({ ...i.launch, ClientToken: undefined, DryRun })),
  );
  await run('CreateTags', region, (DryRun) =>
    ec2.send(new CreateTagsCommand({ Resources: [baseId], Tags: i.tags, DryRun })),
  );
  await run('CreateImage', region, (DryRun) =>
    ec2.send(new CreateImageCommand({ InstanceId: PLACEHOLDER_INSTANCE, Name: i.amiName, DryRun })),
  );
  await run('TerminateInstances', region, (DryRun) =>
    ec2.send(new TerminateInstancesCommand({ InstanceIds: [PLACEHOLDER_INSTANCE], DryRun })),
  );

  const regions = [region, ...i.copies.map((c) => c.region)];
  for (const c of i.copies)
    await run('CopyImage', c.region, (DryRun) =>
      i.clientFor(c.region).send(
        new CopyImageCommand({
          SourceImageId: baseId,
          SourceRegion: region,
          Name: i.amiName,
          ...(c.encrypted && { Encrypted: true }),
          ...(c.kmsKeyId && { KmsKeyId: c.kmsKeyId }),
          DryRun,
        }),
      ),
    );

  const s = i.settings;
  const shares = [
    ...s.accounts.map((UserId) => ({ UserId })),
    ...s.organizations.map((OrganizationArn) => ({ OrganizationArn })),
    ...s.ous.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
    ...(s.public ? [{ Group: 'all' as const }] : []),
  ];
  for (const r of regions) {
    const c = r === region ? ec2 : i.clientFor(r);
    if (s.imdsV2 || shares.length)
      await run('ModifyImageAttribute', r, (DryRun) =>
        c.send(
          new ModifyImageAttributeCommand({
            ImageId: baseId,
            ...(shares.length ? { LaunchPermission: { Add: shares } } : { ImdsSupport: { Value: 'v2.0' } }),
            DryRun,
          }),
        ),
      );
    if (s.shareSnapshots !== 'false' && s.accounts.length && baseSnap && r === region)
      await run('ModifySnapshotAttribute', r, (DryRun) =>
        c.send(
          new ModifySnapshotAttributeCommand({
            SnapshotId: baseSnap,
            Attribute: 'createVolumePermission',
            OperationType: 'add',
            UserIds: s.accounts,
            DryRun,
          }),
        ),
      );
    if (s.deprecateAfter)
      await run('EnableImageDeprecation', r, (DryRun) =>
        c.send(
          new EnableImageDeprecationCommand({
            ImageId: baseId,
            DeprecateAt: new Date(Date.now() + s.deprecateAfter!.ms),
            DryRun,
          }),
        ),
      );
    if (s.protection !== 'false')
      await run('EnableImageDeregistrationProtection', r, (DryRun) =>
        c.send(new EnableImageDeregistrationProtectionCommand({ ImageId: baseId, DryRun })),
      );
    if (i.retention) {
      await run('DeregisterImage', r, (DryRun) =>
        c.send(new DeregisterImageCommand({ ImageId: baseId, DryRun })),
      );
      if (baseSnap && r === region)
        await run('DeleteSnapshot', r, (DryRun) =>
          c.send(new DeleteSnapshotCommand({ SnapshotId: baseSnap, DryRun })),
        );
    }
  }
  return results;
}

export interface LaunchTargets {
  subnet: string;
  securityGroups: string[];
  keyPair?: string;
  /** The options as errors name them: option refs (the front renders them), or plain text. */
  names: { subnet: Part; securityGroups: Part; keyPair: Part };
}

export interface TargetCheck {
  /** Plan lines: where the instance would run. */
  lines: string[];
  /** Each names its option; the dry run fails on any. */
  problems: (string | Part[])[];
}

/**
 * What RunInstances would refuse, found before it is called: a subnet, security group or key pair
 * that does not exist, security groups of another VPC than the subnet's. (A DryRun RunInstances
 * checks the permission, not always the parameters.)
 */
export async function checkLaunchTargets(ec2: EC2Client, t: LaunchTargets): Promise<TargetCheck> {
  const problems: Part[][] = [];
  const lines: string[] = [];
  let vpc: string | undefined;
  try {
    const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [t.subnet] }));
    const subnet = out.Subnets?.[0];
    vpc = subnet?.VpcId;
    if (!subnet) problems.push(msg`${t.names.subnet}: ${t.subnet} does not exist in this region`);
    else lines.push(`subnet            ${t.subnet} in ${subnet.VpcId}, ${subnet.AvailabilityZone}`);
  } catch (err) {
    if (isNotFound(err, 'subnet'))
      problems.push(msg`${t.names.subnet}: ${t.subnet} does not exist in this region`);
    else lines.push(`subnet            ${t.subnet}: not checked (${errorMessage(err)})`);
  }
  // One missing id fails the whole call: then each is looked up alone to name the missing ones.
  const groups = async (ids: string[]) =>
    (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups ?? [];
  try {
    let found: SecurityGroup[] = [];
    const absent: string[] = [];
    try {
      found = await groups(t.securityGroups);
    } catch (err) {
      if (!isNotFound(err, 'securityGroup')) throw err;
      for (const id of t.securityGroups)
        found.push(
          ...(await groups([id]).catch((e) => {
            if (!isNotFound(e, 'securityGroup')) throw e;
            absent.push(id);
            return [];
          })),
        );
    }
    absent.push(
      ...t.securityGroups.filter((id) => !absent.includes(id) && !found.some((g) => g.GroupId === id)),
    );
    if (absent.length)
      problems.push(msg`${t.names.securityGroups}: ${absent.join(', ')} does not exist in this region`);
    const elsewhere = found.filter((g) => vpc && g.VpcId !== vpc);
    if (elsewhere.length)
      problems.push(
        msg`${t.names.securityGroups}: ${elsewhere.map((g) => `${g.GroupId} is in ${g.VpcId}`).join(', ')}, not in the subnet's ${vpc}`,
      );
  } catch (err) {
    lines.push(`security groups   not checked (${errorMessage(err)})`);
  }
  if (t.keyPair)
    try {
      await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [t.keyPair] }));
    } catch (err) {
      if (isNotFound(err, 'keyPair'))
        problems.push(msg`${t.names.keyPair}: no key pair named ${t.keyPair} in this region`);
      else lines.push(`key pair          not checked (${errorMessage(err)})`);
    }
  return { lines, problems: problems.map(compact) };
}

export function formatProbes(results: ProbeResult[]): string[] {
  const mark: Record<Outcome, string> = { allowed: 'allowed ', denied: 'DENIED  ', unproven: 'unproven' };
  return results.map(
    (r) => `  ${mark[r.outcome]}  ${r.action} in ${r.region}${r.detail ? `: ${r.detail}` : ''}`,
  );
}

/** Fails the dry run when a call the bake needs is denied. */
export function assertAllowed(results: ProbeResult[]): void {
  const denied = results.filter((r) => r.outcome === 'denied');
  if (denied.length)
    throw new UserError(
      `dry run: the role may not make ${denied.length} call(s) the bake needs: ` +
        denied.map((d) => `${d.action.includes(':') ? '' : 'ec2:'}${d.action} in ${d.region}`).join(', '),
    );
}
