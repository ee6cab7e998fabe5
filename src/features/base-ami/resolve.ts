/**
 * The base image by reference: an id, an SSM parameter (`resolve:ssm:/path`, the syntax
 * RunInstances itself accepts) or a name filter with owners (newest available, not deprecated).
 * The resolved id is what the bake uses, tags (`amibake:base-ami`) and folds into its digest.
 */
import {
  DescribeImagesCommand,
  paginateDescribeImages,
  type EC2Client,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { UserError, errorMessage, msg, opt, type Part } from '../../core/errors.js';
import { AMI_ID, type BaseAmiRef } from '../bake/base-ref.js';
import { isAccessDenied, isNotFound } from '../../aws/errors.js';

export type { BaseAmiRef };

/** Errors name the option the reference came from. */
const BASE_AMI = opt('baseAmi');

export interface ResolvedBaseAmi {
  imageId: string;
  image: Image;
  via: BaseAmiRef['kind'];
  /** How it was found, for the log and the summary. */
  how: string;
  /** Worth a warning, never an error (an explicitly chosen deprecated image). */
  warnings: string[];
}

export interface ResolveInput {
  ec2: EC2Client;
  ssm: SSMClient;
  ref: BaseAmiRef;
  /** How errors name the option (default: its key, for the front to render). */
  option?: Part;
  now?: Date;
}

export function isDeprecated(image: Image, now: Date): boolean {
  return !!image.DeprecationTime && Date.parse(image.DeprecationTime) <= now.getTime();
}

export async function resolveBaseAmi(input: ResolveInput): Promise<ResolvedBaseAmi> {
  const { ref } = input;
  const now = input.now ?? new Date();
  switch (ref.kind) {
    case 'id': {
      const image = await describeBase(input, ref.id);
      return { imageId: ref.id, image, via: 'id', how: ref.id, warnings: deprecation(image, now) };
    }
    case 'ssm': {
      const id = await readParameter(input, ref.parameter);
      const image = await describeBase(input, id);
      const how = `SSM parameter ${ref.parameter}`;
      return { imageId: id, image, via: 'ssm', how, warnings: deprecation(image, now) };
    }
    case 'filter': {
      const filters: Filter[] = [
        { Name: 'name', Values: [ref.name] },
        { Name: 'state', Values: ['available'] },
        { Name: 'image-type', Values: ['machine'] },
      ];
      if (ref.architecture) filters.push({ Name: 'architecture', Values: [ref.architecture] });
      const found: Image[] = [];
      try {
        for await (const page of paginateDescribeImages(
          { client: input.ec2, pageSize: 1000 },
          { Owners: ref.owners, Filters: filters, IncludeDeprecated: false },
        ))
          found.push(...(page.Images ?? []));
      } catch (err) {
        throw new UserError(msg`${input.option ?? BASE_AMI}: cannot search images (${errorMessage(err)})`);
      }
      // An owner sees its own deprecated images whatever IncludeDeprecated says.
      const usable = found.filter((i) => i.State === 'available' && !isDeprecated(i, now));
      usable.sort(
        (a, b) =>
          (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
          (b.ImageId ?? '').localeCompare(a.ImageId ?? ''),
      );
      const best = usable[0];
      if (!best)
        throw new UserError(
          msg`${input.option ?? BASE_AMI}: no available, non-deprecated image matches name "${ref.name}" owned by ${ref.owners.join(', ')}${ref.architecture ? ` (architecture ${ref.architecture})` : ''}${found.length ? ` (${found.length} matched but are deprecated or not available)` : ''}`,
        );
      return {
        imageId: best.ImageId!,
        image: best,
        via: 'filter',
        warnings: [],
        how: `newest of ${usable.length} image(s) named "${ref.name}" owned by ${ref.owners.join(', ')}: ${best.Name} (${best.CreationDate})`,
      };
    }
  }
}

function deprecation(image: Image, now: Date): string[] {
  return isDeprecated(image, now)
    ? [`base image ${image.ImageId} (${image.Name}) is deprecated since ${image.DeprecationTime}`]
    : [];
}

async function readParameter(input: ResolveInput, parameter: string): Promise<string> {
  let value: string | undefined;
  try {
    const out = await input.ssm.send(new GetParameterCommand({ Name: parameter }));
    value = out.Parameter?.Value;
  } catch (err) {
    if (isNotFound(err, 'parameter'))
      throw new UserError(
        msg`${input.option ?? BASE_AMI}: SSM parameter ${parameter} does not exist in this region`,
      );
    if (isAccessDenied(err))
      throw new UserError(
        msg`${input.option ?? BASE_AMI}: not allowed to read SSM parameter ${parameter} (ssm:GetParameter)`,
      );
    throw new UserError(
      msg`${input.option ?? BASE_AMI}: cannot read SSM parameter ${parameter} (${errorMessage(err)})`,
    );
  }
  value = value?.trim();
  if (!value || !AMI_ID.test(value))
    throw new UserError(
      msg`${input.option ?? BASE_AMI}: SSM parameter ${parameter} holds "${value ?? ''}", not an AMI id`,
    );
  return value;
}

async function describeBase(input: ResolveInput, id: string): Promise<Image> {
  let image: Image | undefined;
  try {
    const out = await input.ec2.send(new DescribeImagesCommand({ ImageIds: [id], IncludeDeprecated: true }));
    image = out.Images?.find((i) => i.ImageId === id);
  } catch (err) {
    if (!isNotFound(err, 'image'))
      throw new UserError(msg`${input.option ?? BASE_AMI}: cannot describe ${id} (${errorMessage(err)})`);
  }
  if (!image)
    throw new UserError(
      msg`${input.option ?? BASE_AMI}: image ${id} does not exist or is not visible to this account`,
    );
  if (image.State !== 'available')
    throw new UserError(msg`${input.option ?? BASE_AMI}: image ${id} is ${image.State}, not available`);
  if (image.RootDeviceType === 'instance-store')
    throw new UserError(
      msg`${input.option ?? BASE_AMI}: image ${id} is instance-store-backed; amibake bakes EBS-backed images`,
    );
  return image;
}
