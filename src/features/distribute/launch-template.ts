/** Publishing to a launch template (build region): a new version with the AMI, optionally the default. */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { UserError, errorMessage, msg, opt } from '../../core/errors.js';
import {
  createImageVersion,
  findLaunchTemplate,
  setDefaultVersion,
  type TemplateSeen,
} from '../../aws/launch-templates.js';
import type { Logger } from '../../core/log.js';
import type { DistributeConfig } from './config.js';
import type { Publication } from './ledger.js';

type Template = NonNullable<DistributeConfig['template']>;

export interface TemplateOutcome {
  template?: TemplateSeen;
  version?: number;
  madeDefault?: boolean;
}

/** The template, looked up before anything is published: a missing one fails with nothing done.
 *  `after` ends the error: what the failure leaves (nothing published, nothing launched). */
export async function resolveTemplate(
  ec2: EC2Client,
  t: Template,
  region: string,
  after = 'nothing was published',
): Promise<TemplateSeen> {
  let seen: TemplateSeen | undefined;
  try {
    seen = await findLaunchTemplate(ec2, t.ref);
  } catch (err) {
    throw new UserError(
      msg`${opt('launchTemplate')}: cannot look up ${t.raw} in ${region} (${errorMessage(err)}); ${after}`,
    );
  }
  if (!seen)
    throw new UserError(msg`${opt('launchTemplate')}: no launch template ${t.raw} in ${region}; ${after}`);
  return seen;
}

export function templatePublications(o: {
  ec2: EC2Client;
  template: Template;
  seen: TemplateSeen;
  imageId: string;
  description: string;
  log: Logger;
  outcome: TemplateOutcome;
}): Publication[] {
  const { seen, template } = o;
  // By id from here on: the name found is only for the messages.
  const ref = { id: seen.id };
  const label = `launch template ${seen.id} (${seen.name})`;
  const items: Publication[] = [
    {
      what: `a new version of ${label}`,
      async run() {
        const { version, warning } = await createImageVersion(o.ec2, ref, o.imageId, o.description);
        if (warning) o.log.warn(`${label} version ${version}: AWS warns: ${warning}`);
        o.outcome.version = version;
        return `${label}: version ${version} with ${o.imageId}`;
      },
    },
  ];
  if (template.makeDefault)
    items.push({
      what: `the default version of ${label}`,
      async run() {
        await setDefaultVersion(o.ec2, ref, o.outcome.version!);
        o.outcome.madeDefault = true;
        return `${label}: version ${o.outcome.version} is the default`;
      },
    });
  return items;
}
