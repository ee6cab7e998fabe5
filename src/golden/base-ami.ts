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
import { UserError, errorMessage } from '../core/errors.js';
import type { Parser } from '../core/parse.js';
import { errorCode } from './aws.js';

export type BaseAmiRef =
  | { kind: 'id'; raw: string; id: string }
  | { kind: 'ssm'; raw: string; parameter: string }
  | { kind: 'filter'; raw: string; name: string; owners: string[]; architecture?: string };

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const SSM_PREFIX = 'resolve:ssm:';
// A parameter name (path or plain), optionally `:version` or `:label`.
const SSM_NAME = /^(\/?[A-Za-z0-9_.\-/]{1,2047})(:[A-Za-z0-9_.-]{1,100})?$/;
const OWNER = /^(\d{12}|self|amazon|aws-marketplace|aws-backup-vault)$/;
const NAME_PATTERN = /^[A-Za-z0-9()[\]./\-'@_ *?]{1,128}$/;
const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'];

const USAGE =
  'an AMI id (ami-0123456789abcdef0), resolve:ssm:/parameter/path, or name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]';

/** Parser for BUILDAMI_BASEAMI / base-ami. */
export const baseAmiRef: Parser<BaseAmiRef> = (input) => {
  const raw = input.trim();
  if (AMI_ID.test(raw)) return { kind: 'id', raw, id: raw };
  if (raw.startsWith(SSM_PREFIX)) {
    const parameter = raw.slice(SSM_PREFIX.length);
    if (!SSM_NAME.test(parameter) || /^\/?aws\/?$/.test(parameter))
      throw new Error(`must name an SSM parameter after resolve:ssm: (got "${raw}")`);
    return { kind: 'ssm', raw, parameter };
  }
  if (raw.includes('=')) {
    let name: string | undefined;
    let architecture: string | undefined;
    const owners: string[] = [];
    for (const part of raw.split(',').map((s) => s.trim())) {
      const eq = part.indexOf('=');
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (eq < 0 || !value) throw new Error(`"${part}" is not key=value; must be ${USAGE}`);
      if (key === 'name') {
        if (name !== undefined) throw new Error('name= is given twice');
        if (!NAME_PATTERN.test(value))
          throw new Error(`name pattern "${value}" may hold AMI name characters and the wildcards * and ?`);
        name = value;
      } else if (key === 'owner') {
        if (!OWNER.test(value))
          throw new Error(`owner "${value}" must be a 12-digit account id, self, amazon or aws-marketplace`);
        owners.push(value);
      } else if (key === 'architecture' || key === 'arch') {
        if (!ARCHITECTURES.includes(value))
          throw new Error(`architecture "${value}" must be one of ${ARCHITECTURES.join(', ')}`);
        architecture = value;
      } else throw new Error(`unknown filter key "${key}"; must be ${USAGE}`);
    }
    if (!name) throw new Error(`a filter needs name=PATTERN; must be ${USAGE}`);
    // Without an owner anyone could publish a newer image that matches the name.
    if (!owners.length) throw new Error(`a name filter needs at least one owner=ACCOUNT (got "${raw}")`);
    return { kind: 'filter', raw, name, owners: [...new Set(owners)], architecture };
  }
  throw new Error(`must be ${USAGE} (got "${raw}")`);
};

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
  /** How the option is called on this front, for error messages. */
  option: string;
  now?: Date;
}

export function isDeprecated(image: Image, now: Date): boolean {
  return !!image.DeprecationTime && Date.parse(image.DeprecationTime) <= now.getTime();
}

export async function resolveBaseAmi(input: ResolveInput): Promise<ResolvedBaseAmi> {
  const { ref, option } = input;
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
        throw new UserError(`${option}: cannot search images (${errorMessage(err)})`);
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
          `${option}: no available, non-deprecated image matches name "${ref.name}" owned by ${ref.owners.join(', ')}` +
            (ref.architecture ? ` (architecture ${ref.architecture})` : '') +
            (found.length ? ` (${found.length} matched but are deprecated or not available)` : ''),
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
    const code = errorCode(err);
    if (code === 'ParameterNotFound' || code === 'ParameterVersionNotFound')
      throw new UserError(`${input.option}: SSM parameter ${parameter} does not exist in this region`);
    if (code === 'AccessDeniedException')
      throw new UserError(
        `${input.option}: not allowed to read SSM parameter ${parameter} (ssm:GetParameter)`,
      );
    throw new UserError(`${input.option}: cannot read SSM parameter ${parameter} (${errorMessage(err)})`);
  }
  value = value?.trim();
  if (!value || !AMI_ID.test(value))
    throw new UserError(`${input.option}: SSM parameter ${parameter} holds "${value ?? ''}", not an AMI id`);
  return value;
}

async function describeBase(input: ResolveInput, id: string): Promise<Image> {
  let image: Image | undefined;
  try {
    const out = await input.ec2.send(new DescribeImagesCommand({ ImageIds: [id], IncludeDeprecated: true }));
    image = out.Images?.find((i) => i.ImageId === id);
  } catch (err) {
    if (!/^InvalidAMIID\./.test(errorCode(err)))
      throw new UserError(`${input.option}: cannot describe ${id} (${errorMessage(err)})`);
  }
  if (!image)
    throw new UserError(`${input.option}: image ${id} does not exist or is not visible to this account`);
  if (image.State !== 'available')
    throw new UserError(`${input.option}: image ${id} is ${image.State}, not available`);
  if (image.RootDeviceType === 'instance-store')
    throw new UserError(
      `${input.option}: image ${id} is instance-store-backed; amibake bakes EBS-backed images`,
    );
  return image;
}
