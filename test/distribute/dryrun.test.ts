/**
 * The dry run of publishing: plan lines, read probes where SSM has no DryRun, EC2 DryRun for the
 * launch template calls, a plain statement of what it cannot prove; nothing is written.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  CreateLaunchTemplateCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { render } from '../../src/core/errors.js';
import { templateRef } from '../../src/aws/launch-templates.js';
import { planDistribute, type DistributePlanInput } from '../../src/features/dry-run/distribute-plan.js';
import { useBake } from '../support/bake-harness.js';
import { makePrepared } from '../bake/fixture.js';
import { bakeInProcess, buildEnv } from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });
const ssm = (region = 'us-east-1') => new SSMClient({ region, endpoint: m.moto.endpoint });

async function template(): Promise<string> {
  const out = await ec2().send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web-fleet',
      LaunchTemplateData: { ImageId: m.ids.baseAmi, InstanceType: 't3.micro' },
    }),
  );
  return out.LaunchTemplate!.LaunchTemplateId!;
}
const versionCount = async (id: string) =>
  (await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id })))
    .LaunchTemplateVersions!.length;

const input = (over: Partial<DistributePlanInput> = {}): DistributePlanInput => ({
  ec2: ec2(),
  ssmFor: ssm,
  regions: ['us-east-1', 'eu-west-1'],
  d: {
    ssm: ['/golden/web'],
    template: { raw: 'web-fleet', ref: templateRef('web-fleet'), makeDefault: true },
  },
  standInImage: m.ids.baseAmi,
  ...over,
});

describe('the plan of publishing', () => {
  test('reads each parameter, proves the template calls with DryRun, and writes nothing', async () => {
    const lt = await template();
    await ssm().send(
      new PutParameterCommand({
        Name: '/golden/web',
        Value: m.ids.baseAmi,
        Type: 'String',
        DataType: 'aws:ec2:image',
      }),
    );
    const plan = await planDistribute(input());
    expect(plan.problems).toEqual([]);
    expect(plan.lines).toEqual([
      'ssm parameters    /golden/web in us-east-1, eu-west-1: PutParameter, type String, data type aws:ec2:image, overwrite (each region its own AMI id)',
      '  /golden/web in us-east-1: exists (version 1, String, aws:ec2:image): a new version would overwrite it',
      '  /golden/web in eu-west-1: does not exist yet: it would be created',
      `launch template   ${lt} (web-fleet) in us-east-1: a new version from $Latest (version 1) with the new AMI; made the default version`,
      'not proven        ssm:PutParameter (SSM has no DryRun; the reads above prove ssm:GetParameter only) and the aws:ec2:image check (AWS validates the AMI id after PutParameter returns)',
    ]);
    expect(plan.probes.map((p) => [p.action, p.region, p.outcome])).toEqual([
      ['ssm:GetParameter', 'us-east-1', 'allowed'],
      ['ssm:GetParameter', 'eu-west-1', 'allowed'],
      ['DescribeLaunchTemplates', 'us-east-1', 'allowed'],
      ['CreateLaunchTemplateVersion', 'us-east-1', 'allowed'],
      ['ModifyLaunchTemplate', 'us-east-1', 'allowed'],
    ]);
    expect(await versionCount(lt)).toBe(1);
    await expect(ssm('eu-west-1').send(new GetParameterCommand({ Name: '/golden/web' }))).rejects.toThrow(
      /not found/,
    );
  });

  test('a missing template is a problem naming the option; without the default no ModifyLaunchTemplate', async () => {
    const plan = await planDistribute(
      input({
        d: {
          ssm: [],
          template: { raw: 'no-such-fleet', ref: templateRef('no-such-fleet'), makeDefault: false },
        },
      }),
    );
    expect(plan.problems.map((p) => render(p))).toEqual([
      'launchTemplate: no launch template no-such-fleet in us-east-1',
    ]);
    expect(plan.lines).toEqual([
      'launch template   no-such-fleet in us-east-1: a new version from $Latest with the new AMI; default version stays as it is',
    ]);
    expect(plan.probes.map((p) => p.action)).toEqual([
      'DescribeLaunchTemplates',
      'CreateLaunchTemplateVersion',
    ]);
  });

  test('a denied read proves nothing about the write: unproven, not denied', async () => {
    const denied = new SSMClient({ region: 'us-east-1' });
    mockClient(denied)
      .on(GetParameterCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform ssm:GetParameter'), {
          name: 'AccessDeniedException',
        }),
      );
    const plan = await planDistribute(
      input({ ssmFor: () => denied, regions: ['us-east-1'], d: { ssm: ['/golden/web'] } }),
    );
    expect(plan.lines[1]).toBe('  /golden/web in us-east-1: not readable (AccessDeniedException)');
    expect(plan.probes).toEqual([
      {
        action: 'ssm:GetParameter',
        region: 'us-east-1',
        outcome: 'unproven',
        detail: '/golden/web: denied (the bake needs only ssm:PutParameter)',
      },
    ]);
  });
});

describe('a dry-run bake', () => {
  const dryRun = async (env: Record<string, string>) => {
    const f = await makePrepared({ fsMode: 'inline' });
    return bakeInProcess(
      f.userdataPath,
      buildEnv(m.ids, { BUILDAMI_DRY_RUN: 'true', BUILDAMI_COPY_REGIONS: 'eu-west-1', ...env }),
      { waitInstance: 0.2, waitAmi: 0.2 },
    );
  };

  test('prints the publications in the plan and the summary, and publishes nothing', async () => {
    const lt = await template();
    const r = await dryRun({
      BUILDAMI_PUBLISH_SSM: '/golden/web',
      BUILDAMI_LAUNCH_TEMPLATE: 'web-fleet',
      BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true',
    });
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/ssm parameters {4}\/golden\/web in us-east-1, eu-west-1: PutParameter/);
    expect(r.log).toContain(`launch template   ${lt} (web-fleet) in us-east-1: a new version`);
    expect(r.log).toMatch(/not proven {8}ssm:PutParameter/);
    expect(r.log).toMatch(/allowed +CreateLaunchTemplateVersion in us-east-1/);
    expect(r.log).toMatch(/allowed +ssm:GetParameter in eu-west-1: \/golden\/web readable/);
    const rows = Object.fromEntries(r.result!.report.summary);
    expect(rows['SSM parameters (planned)']).toBe('/golden/web');
    expect(rows['Launch template (planned)']).toBe('web-fleet: a new version, made the default');
    expect(r.result!.report.outputs['ssm-parameters']).toBeUndefined();
    expect(await versionCount(lt)).toBe(1);
    await expect(ssm().send(new GetParameterCommand({ Name: '/golden/web' }))).rejects.toThrow(/not found/);
  });

  test('a missing template fails the dry run, naming the option, after the plan', async () => {
    const r = await dryRun({ BUILDAMI_LAUNCH_TEMPLATE: 'no-such-fleet' });
    expect(r.error?.message).toBe('BUILDAMI_LAUNCH_TEMPLATE: no launch template no-such-fleet in us-east-1');
    expect(r.log).toMatch(/allowed +RunInstances in us-east-1/);
  });
});
