/**
 * EC2 launch templates, for publishing: find one by id or name, add a version with a new image
 * (every other setting from the latest version), make a version the default.
 */
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplatesCommand,
  ModifyLaunchTemplateCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { isNotFound } from './errors.js';

/** A template as the user names it: an lt-… id or a name. */
export type TemplateRef = { id: string } | { name: string };

export const templateRef = (idOrName: string): TemplateRef =>
  /^lt-[0-9a-f]{8,17}$/.test(idOrName) ? { id: idOrName } : { name: idOrName };

const refInput = (ref: TemplateRef) =>
  'id' in ref ? { LaunchTemplateId: ref.id } : { LaunchTemplateName: ref.name };

export interface TemplateSeen {
  id: string;
  name: string;
  defaultVersion?: number;
  latestVersion?: number;
}

/** The template, or undefined when it does not exist in the client's region. */
export async function findLaunchTemplate(
  ec2: EC2Client,
  ref: TemplateRef,
): Promise<TemplateSeen | undefined> {
  try {
    const out = await ec2.send(
      new DescribeLaunchTemplatesCommand(
        'id' in ref ? { LaunchTemplateIds: [ref.id] } : { LaunchTemplateNames: [ref.name] },
      ),
    );
    const t = out.LaunchTemplates?.[0];
    if (!t?.LaunchTemplateId) return undefined;
    return {
      id: t.LaunchTemplateId,
      name: t.LaunchTemplateName ?? '',
      defaultVersion: t.DefaultVersionNumber,
      latestVersion: t.LatestVersionNumber,
    };
  } catch (err) {
    if (isNotFound(err, 'launchTemplate')) return undefined;
    throw err;
  }
}

/** A new version of the template from its latest one, with `imageId`: its version number, and
 *  AWS's warning when it found the resulting data invalid (the version is created all the same). */
export async function createImageVersion(
  ec2: EC2Client,
  ref: TemplateRef,
  imageId: string,
  description: string,
  dryRun = false,
): Promise<{ version: number; warning?: string }> {
  const out = await ec2.send(
    new CreateLaunchTemplateVersionCommand({
      ...refInput(ref),
      SourceVersion: '$Latest',
      VersionDescription: description.slice(0, 255),
      LaunchTemplateData: { ImageId: imageId },
      ...(dryRun && { DryRun: true }),
    }),
  );
  const errors = out.Warning?.Errors ?? [];
  return {
    version: out.LaunchTemplateVersion?.VersionNumber ?? 0,
    ...(errors.length && { warning: errors.map((e) => `${e.Code}: ${e.Message}`).join('; ') }),
  };
}

export async function setDefaultVersion(
  ec2: EC2Client,
  ref: TemplateRef,
  version: number,
  dryRun = false,
): Promise<void> {
  await ec2.send(
    new ModifyLaunchTemplateCommand({
      ...refInput(ref),
      DefaultVersion: String(version),
      ...(dryRun && { DryRun: true }),
    }),
  );
}
