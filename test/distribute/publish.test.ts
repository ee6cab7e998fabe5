/**
 * Publishing inside a real bake against moto (the instance double plays the instance): SSM
 * parameters per region with that region's AMI id, a launch template version, the default only
 * when asked, a reused AMI published again, and failures that name what was and was not published.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { isNotFound } from '../../src/aws/errors.js';
import { outputFileText } from '../../src/features/bake/report.js';
import { useBake } from '../support/bake-harness.js';
import { useGate } from '../support/moto.js';
import { makePrepared } from '../bake/fixture.js';
import { bakeInProcess, buildEnv, instances } from '../bake/helpers.js';

jest.setTimeout(90_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const fast = { waitInstance: 0.2, waitAmi: 0.2 };
const S3URL = 's3://amibake-staging/images/web-server/fs.tgz';
const ec2 = (region = 'us-east-1') => new EC2Client({ region, endpoint: m.moto.endpoint });
const ssm = (region = 'us-east-1') => new SSMClient({ region, endpoint: m.moto.endpoint });

async function parameter(region: string, name: string) {
  try {
    return (await ssm(region).send(new GetParameterCommand({ Name: name }))).Parameter;
  } catch (err) {
    if (isNotFound(err, 'parameter')) return undefined;
    throw err;
  }
}

async function template(name = 'web-fleet'): Promise<string> {
  const out = await ec2().send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: { ImageId: m.ids.baseAmi, InstanceType: 't3.micro' },
    }),
  );
  return out.LaunchTemplate!.LaunchTemplateId!;
}

async function versions(id: string) {
  const out = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }));
  return (out.LaunchTemplateVersions ?? []).sort((a, b) => a.VersionNumber! - b.VersionNumber!);
}

const defaultVersion = async (id: string) =>
  (await ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }))).LaunchTemplates![0]
    .DefaultVersionNumber;

const bake = async (env: Record<string, string>) => {
  const f = await makePrepared({ fsMode: 'inline' });
  m.play('succeed');
  return bakeInProcess(f.userdataPath, buildEnv(m.ids, { BUILDAMI_S3URL: S3URL, ...env }), fast);
};

describe('publishing a bake', () => {
  test('SSM parameters in the build and copy regions, a template version; a reused AMI is published again', async () => {
    const lt = await template();
    // An existing parameter (an earlier image) is overwritten.
    await ssm('eu-west-1').send(
      new PutParameterCommand({ Name: '/golden/web', Value: m.ids.baseAmi, Type: 'String' }),
    );
    const env = {
      BUILDAMI_COPY_REGIONS: 'eu-west-1',
      BUILDAMI_PUBLISH_SSM: '/golden/web\nweb-latest',
      BUILDAMI_LAUNCH_TEMPLATE: 'web-fleet',
    };
    const r = await bake(env);
    expect(r.error).toBeUndefined();
    const result = r.result!;
    const amis = JSON.parse(result.report.outputs.amis) as Record<string, string>;
    expect(Object.keys(amis).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(amis['eu-west-1']).not.toBe(amis['us-east-1']);

    for (const region of ['us-east-1', 'eu-west-1'])
      for (const name of ['/golden/web', 'web-latest']) {
        const p = await parameter(region, name);
        expect({ region, name, value: p?.Value, type: p?.Type, dataType: p?.DataType }).toEqual({
          region,
          name,
          value: amis[region],
          type: 'String',
          dataType: 'aws:ec2:image',
        });
      }
    expect((await parameter('eu-west-1', '/golden/web'))!.Version).toBe(2);
    expect(JSON.parse(result.report.outputs['ssm-parameters'])).toEqual({
      'us-east-1': ['/golden/web', 'web-latest'],
      'eu-west-1': ['/golden/web', 'web-latest'],
    });

    // A new version from the latest one, with the new image; the default stays.
    const [v1, v2] = await versions(lt);
    expect(v1.LaunchTemplateData).toEqual({ ImageId: m.ids.baseAmi, InstanceType: 't3.micro' });
    expect(v2.VersionNumber).toBe(2);
    expect(v2.LaunchTemplateData).toMatchObject({ ImageId: amis['us-east-1'] });
    expect(await defaultVersion(lt)).toBe(1);
    expect(result.report.outputs['launch-template-version']).toBe('2');

    const rows = Object.fromEntries(result.report.summary);
    expect(rows['SSM parameters']).toBe(
      'us-east-1: /golden/web (version 1), web-latest (version 1); eu-west-1: /golden/web (version 2), web-latest (version 1)',
    );
    expect(rows['Launch template']).toBe(
      `${lt} (web-fleet): version 2 with ${amis['us-east-1']}, default version stays 1`,
    );
    const file = outputFileText(result);
    expect(file).toContain(`LAUNCH_TEMPLATE_VERSION='2'\n`);
    expect(file).toContain(`LAUNCH_TEMPLATE_ID='${lt}'\n`);
    expect(file).toMatch(/^SSM_PARAMETERS=.*us-east-1.*eu-west-1/m);
    expect(r.log).toContain(
      `SSM parameter /golden/web in eu-west-1 = ${amis['eu-west-1']} (version 2, data type aws:ec2:image)`,
    );
    expect(r.log).toContain(`launch template ${lt} (web-fleet): version 2 with ${amis['us-east-1']}`);
    expect(result.timings.map((t) => t.phase).slice(-2)).toEqual(['golden-publish', 'distribute']);

    // The re-run reuses the AMI and publishes it again.
    await m.double!.stop();
    const again = await bake(env);
    expect(again.error).toBeUndefined();
    expect(again.result!.reused).toBe(true);
    expect(JSON.parse(again.result!.report.outputs.amis)).toEqual(amis);
    expect(await parameter('us-east-1', '/golden/web')).toMatchObject({
      Value: amis['us-east-1'],
      Version: 2,
    });
    expect(await parameter('eu-west-1', '/golden/web')).toMatchObject({
      Value: amis['eu-west-1'],
      Version: 3,
    });
    expect((await versions(lt)).map((v) => [v.VersionNumber, v.LaunchTemplateData?.ImageId])).toEqual([
      [1, m.ids.baseAmi],
      [2, amis['us-east-1']],
      [3, amis['us-east-1']],
    ]);
    expect(again.result!.report.outputs['launch-template-version']).toBe('3');
  });

  test('launch-template-default makes the new version the default (the template given by id)', async () => {
    const lt = await template();
    const r = await bake({ BUILDAMI_LAUNCH_TEMPLATE: lt, BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true' });
    expect(r.error).toBeUndefined();
    expect(await defaultVersion(lt)).toBe(2);
    expect((await versions(lt))[1].LaunchTemplateData).toMatchObject({ ImageId: r.result!.amiId });
    expect(Object.fromEntries(r.result!.report.summary)['Launch template']).toBe(
      `${lt} (web-fleet): version 2 with ${r.result!.amiId}, now the default`,
    );
    // No SSM parameter asked for: no such output.
    expect(r.result!.report.outputs['ssm-parameters']).toBeUndefined();
  });

  test('a missing launch template fails before anything is launched', async () => {
    const r = await bake({ BUILDAMI_PUBLISH_SSM: '/golden/web', BUILDAMI_LAUNCH_TEMPLATE: 'no-such-fleet' });
    expect(r.error?.message).toBe(
      'BUILDAMI_LAUNCH_TEMPLATE: no launch template no-such-fleet in us-east-1; nothing was launched',
    );
    expect(await instances(ec2())).toEqual([]);
    expect(await parameter('us-east-1', '/golden/web')).toBeUndefined();
  });
});

describe('a failure part-way', () => {
  const g = useGate(m, { beforeAll: beforeEach, afterAll: afterEach }, { processEnv: true });

  test('names what was published and what was not', async () => {
    const lt = await template();
    // The role may write the parameters but not add a template version.
    g.gate.intercept((call) =>
      call.action === 'CreateLaunchTemplateVersion'
        ? {
            status: 403,
            headers: { 'content-type': 'application/xml' },
            body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>',
          }
        : undefined,
    );
    const r = await bake({
      BUILDAMI_COPY_REGIONS: 'eu-west-1',
      BUILDAMI_PUBLISH_SSM: '/golden/web',
      BUILDAMI_LAUNCH_TEMPLATE: 'web-fleet',
      BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true',
    });
    const message = r.error?.message ?? '';
    expect(message).toMatch(
      new RegExp(
        `^publishing ami-\\w+ \\(us-east-1\\), ami-\\w+ \\(eu-west-1\\) failed at a new version of launch template ${lt} \\(web-fleet\\): You are not authorized`,
      ),
    );
    expect(message).toContain(
      '\n  published: SSM parameter /golden/web in us-east-1; SSM parameter /golden/web in eu-west-1\n',
    );
    expect(message).toContain(
      `\n  not published: a new version of launch template ${lt} (web-fleet); the default version of launch template ${lt} (web-fleet)\n`,
    );
    expect(message).toContain('publishing is not undone');
    // What was published stays, and so do the AMI and its copy it names.
    const copy = (await parameter('eu-west-1', '/golden/web'))?.Value;
    expect(copy).toMatch(/^ami-/);
    const images = await ec2('eu-west-1').send(new DescribeImagesCommand({ ImageIds: [copy!] }));
    expect(images.Images?.map((i) => i.State)).toEqual(['available']);
    expect(await versions(lt)).toHaveLength(1);
  });

  test('a template gone by the time of publishing: nothing published, the AMI kept', async () => {
    await template();
    // The check before the launch finds it; the lookup when publishing does not.
    let seen = 0;
    g.gate.intercept((call) =>
      call.action === 'DescribeLaunchTemplates' && ++seen > 1
        ? {
            status: 400,
            headers: { 'content-type': 'application/xml' },
            body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidLaunchTemplateName.NotFoundException</Code><Message>At least one of the launch templates specified in the request does not exist.</Message></Error></Errors><RequestID>x</RequestID></Response>',
          }
        : undefined,
    );
    const r = await bake({ BUILDAMI_PUBLISH_SSM: '/golden/web', BUILDAMI_LAUNCH_TEMPLATE: 'web-fleet' });
    const message = r.error?.message ?? '';
    expect(message).toMatch(
      /^BUILDAMI_LAUNCH_TEMPLATE: no launch template web-fleet in us-east-1; nothing was published\n/,
    );
    expect(message).toMatch(
      /the AMI ami-\w+ \(web-server-1\.0\.0\) is complete and kept: a new bake reuses it/,
    );
    expect(seen).toBe(2);
    expect(await parameter('us-east-1', '/golden/web')).toBeUndefined();
  });

  test('an SSM write refused in one region stops there', async () => {
    g.gate.intercept((call) =>
      call.action === 'PutParameter' && call.body.includes('"/golden/b"')
        ? {
            status: 400,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: JSON.stringify({
              __type: 'AccessDeniedException',
              message: 'not allowed: ssm:PutParameter',
            }),
          }
        : undefined,
    );
    const r = await bake({ BUILDAMI_PUBLISH_SSM: '/golden/a,/golden/b,/golden/c' });
    const message = r.error?.message ?? '';
    expect(message).toMatch(
      /failed at SSM parameter \/golden\/b in us-east-1: not allowed: ssm:PutParameter\n/,
    );
    expect(message).toContain('\n  published: SSM parameter /golden/a in us-east-1\n');
    expect(message).toContain(
      '\n  not published: SSM parameter /golden/b in us-east-1; SSM parameter /golden/c in us-east-1\n',
    );
    expect(await parameter('us-east-1', '/golden/a')).toBeDefined();
    expect(await parameter('us-east-1', '/golden/c')).toBeUndefined();
  });
});
