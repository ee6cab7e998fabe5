/** What to publish, from the options: checked together (the default version needs a template). */
import { msg, opt, type Part } from '../../core/errors.js';
import { templateRef, type TemplateRef } from '../../aws/launch-templates.js';

export interface DistributeConfig {
  /** SSM parameter names, written in every region that has the AMI. */
  ssm: string[];
  /** The launch template (build region), as the user named it. */
  template?: { raw: string; ref: TemplateRef; makeDefault: boolean };
}

export interface DistributeOptions {
  publishSsm?: string[];
  launchTemplate?: string;
  launchTemplateDefault: boolean;
}

export function distributeConfig(o: DistributeOptions): { config: DistributeConfig; problems: Part[][] } {
  const problems: Part[][] = [];
  if (o.launchTemplateDefault && !o.launchTemplate)
    problems.push(
      msg`${opt('launchTemplateDefault')}: makes the new version of ${opt('launchTemplate')} the default, but no launch template is given`,
    );
  return {
    config: {
      ssm: o.publishSsm ?? [],
      ...(o.launchTemplate && {
        template: {
          raw: o.launchTemplate,
          ref: templateRef(o.launchTemplate),
          makeDefault: o.launchTemplateDefault,
        },
      }),
    },
    problems,
  };
}

/** Whether the configuration publishes anything (else no phase is added). */
export const publishes = (c: DistributeConfig): boolean => c.ssm.length > 0 || !!c.template;
