/**
 * The instance types a bake may launch, settled at preflight once the base image's architecture
 * is known: the default of that architecture, or the listed types that can boot it (the others
 * dropped with a log line; an error naming the option when none is left).
 */
import { UserError, errorMessage, msg, opt, type Part } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { errorCode, isAccessDenied } from '../../aws/errors.js';
import { instanceTypeArchitectures } from '../../aws/instances.js';
import type { EC2Client } from '@aws-sdk/client-ec2';

/** The default type per architecture: the smallest current burstable type with 1 GiB of memory
 *  (an install of packages needs more than t3.nano's 0.5 GiB). */
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<string, string>> = {
  x86_64: 't3.micro',
  arm64: 't4g.micro',
};

export interface TypeChoice {
  ec2: EC2Client;
  logger: Logger;
  /** The types the user listed, in order; empty: the architecture's default. */
  listed: string[];
  /** The base image's architecture (undefined when EC2 did not say). */
  architecture?: string;
  baseAmi: string;
  /** The option errors name (default: instanceType). */
  option?: Part;
}

export async function settleInstanceTypes(c: TypeChoice): Promise<string[]> {
  const option = c.option ?? opt('instanceType');
  const arch = c.architecture;
  if (!c.listed.length) {
    const type = arch ? DEFAULT_INSTANCE_TYPES[arch] : undefined;
    if (!type)
      throw new UserError(
        msg`${option}: no default instance type for the base AMI ${c.baseAmi} (architecture ${arch ?? 'unknown'}): set one`,
      );
    c.logger.info(`instance type ${type}: the default for ${arch} (the base AMI ${c.baseAmi})`);
    return [type];
  }
  if (!arch) return c.listed;
  let archs: Map<string, string[]>;
  try {
    archs = await instanceTypeArchitectures(c.ec2, c.listed);
  } catch (err) {
    // Without the permission the list stays as given: RunInstances refuses a type that cannot
    // boot the image itself, only later and less clearly.
    if (isAccessDenied(err)) {
      c.logger.warn(
        `cannot check the instance types' architectures (ec2:DescribeInstanceTypes: ${errorMessage(err)}): trying ${c.listed.join(', ')} as listed`,
      );
      return c.listed;
    }
    if (errorCode(err).startsWith('InvalidInstanceType'))
      throw new UserError(msg`${option}: ${errorMessage(err)}`);
    throw new UserError(msg`${option}: cannot describe ${c.listed.join(', ')} (${errorMessage(err)})`);
  }
  const kept: string[] = [];
  for (const type of c.listed) {
    const supported = archs.get(type) ?? [];
    if (supported.includes(arch)) kept.push(type);
    else
      c.logger.info(
        `instance type ${type} dropped: it runs ${supported.join(', ') || 'no known architecture'}, the base AMI ${c.baseAmi} is ${arch}`,
      );
  }
  if (!kept.length)
    throw new UserError(
      msg`${option}: none of ${c.listed.join(', ')} can boot the base AMI ${c.baseAmi} (architecture ${arch}): list a type of that architecture, or leave the option out for ${DEFAULT_INSTANCE_TYPES[arch] ?? 'the default'}`,
    );
  return kept;
}
