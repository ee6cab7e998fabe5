/** The publishing options as the fronts read them: SSM names by AWS's rules, the template, the default. */
import { describe, expect, it } from '@jest/globals';
import { cliSource } from '../../src/core/options.js';
import { goldenConfig } from '../../src/pipeline/config.js';
import { readOptions } from '../../src/pipeline/options.js';
import { bakePhases } from '../../src/pipeline/phases.js';
import { problemsOf } from '../golden/helpers.js';

const required = {
  BUILDAMI_BASEAMI: 'ami-0123456789abcdef0',
  BUILDAMI_SECURITYGROUPS: 'sg-0123456789abcdef0',
  BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
};
const cli = (env: Record<string, string>) => readOptions('build', cliSource({ ...required, ...env }));
const golden = (env: Record<string, string>) => goldenConfig(cli(env), 'us-east-1');

describe('publish-ssm', () => {
  it('takes names separated by commas or newlines, paths and plain names', () => {
    expect(cli({ BUILDAMI_PUBLISH_SSM: '/golden/web/latest, web-ami\n/a/b.c-d_e' }).publishSsm).toEqual([
      '/golden/web/latest',
      'web-ami',
      '/a/b.c-d_e',
    ]);
    expect(golden({ BUILDAMI_PUBLISH_SSM: '/golden/web' }).distribute).toEqual({ ssm: ['/golden/web'] });
    expect(golden({}).distribute).toEqual({ ssm: [] });
  });

  it.each([
    ['1web', 'it must start with / or a letter'],
    ['/golden/web ami', 'only letters, digits and _ . - / are allowed (not " ")'],
    ['/golden/wéb', 'only letters, digits and _ . - / are allowed (not "é")'],
    ['golden/web', 'a name with a path must start with /'],
    ['/golden/', 'a path cannot have an empty level'],
    ['/golden//web', 'a path cannot have an empty level'],
    ['/aws/service/web', 'names starting with "aws" or "ssm" are reserved by AWS'],
    ['SSM-web', 'names starting with "aws" or "ssm" are reserved by AWS'],
    [`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'at most 15 levels (got 16)'],
    [`/${'a'.repeat(1011)}`, 'at most 1011 characters'],
  ])('refuses bad name #%#, naming the option', (name, why) => {
    expect(problemsOf(() => cli({ BUILDAMI_PUBLISH_SSM: `/ok, ${name}` }))).toEqual([
      expect.stringContaining(`BUILDAMI_PUBLISH_SSM: "${name}" is not a valid SSM parameter name: ${why}`),
    ]);
  });

  it('refuses a name given twice', () => {
    expect(problemsOf(() => cli({ BUILDAMI_PUBLISH_SSM: '/a,/b,/a' }))).toEqual([
      'BUILDAMI_PUBLISH_SSM: /a is given twice',
    ]);
  });

  it('the action names its input', () => {
    expect(problemsOf(() => cli({ BUILDAMI_PUBLISH_SSM: 'a b' }), 'action')).toEqual([
      expect.stringMatching(/^input 'publish-ssm': "a b" is not a valid SSM parameter name/),
    ]);
  });
});

describe('launch-template', () => {
  it('takes an id or a name', () => {
    expect(golden({ BUILDAMI_LAUNCH_TEMPLATE: 'lt-0123456789abcdef0' }).distribute.template).toEqual({
      raw: 'lt-0123456789abcdef0',
      ref: { id: 'lt-0123456789abcdef0' },
      makeDefault: false,
    });
    expect(
      golden({ BUILDAMI_LAUNCH_TEMPLATE: 'web/fleet(1)', BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true' })
        .distribute.template,
    ).toEqual({ raw: 'web/fleet(1)', ref: { name: 'web/fleet(1)' }, makeDefault: true });
  });

  it('refuses a name AWS would refuse; an lt- that is no id is a name', () => {
    for (const bad of ['web fleet', 'ab', `w${'e'.repeat(128)}`, 'wéb'])
      expect(problemsOf(() => cli({ BUILDAMI_LAUNCH_TEMPLATE: bad }))).toEqual([
        `BUILDAMI_LAUNCH_TEMPLATE: must be a launch template id (lt-…) or name: 3 to 128 letters, digits and ( ) . - / _ (got "${bad}")`,
      ]);
    expect(golden({ BUILDAMI_LAUNCH_TEMPLATE: 'lt-web' }).distribute.template?.ref).toEqual({
      name: 'lt-web',
    });
  });

  it('launch-template-default without a template is an error naming both options', () => {
    expect(problemsOf(() => golden({ BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true' }), 'cli')).toEqual([
      'BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: makes the new version of BUILDAMI_LAUNCH_TEMPLATE the default, but no launch template is given',
    ]);
    expect(problemsOf(() => golden({ BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'true' }), 'action')).toEqual([
      "input 'launch-template-default': makes the new version of input 'launch-template' the default, but no launch template is given",
    ]);
    expect(problemsOf(() => golden({ BUILDAMI_LAUNCH_TEMPLATE_DEFAULT: 'false' }))).toEqual([]);
  });
});

describe('the phase', () => {
  const ids = (env: Record<string, string>) => bakePhases(golden(env)).map((p) => p.id);
  it('comes after copy and share, before retention, only when something is published', () => {
    expect(ids({ BUILDAMI_KEEP_LAST: '2' })).not.toContain('distribute');
    const all = ids({ BUILDAMI_PUBLISH_SSM: '/golden/web', BUILDAMI_KEEP_LAST: '2' });
    expect(all.slice(-3)).toEqual(['golden-publish', 'distribute', 'golden-retention']);
    // A launch template is looked up before anything is launched too.
    const lt = ids({ BUILDAMI_LAUNCH_TEMPLATE: 'web' });
    expect(lt.slice(lt.indexOf('preflight'), lt.indexOf('preflight') + 3)).toEqual([
      'preflight',
      'distribute-template',
      'stage',
    ]);
    expect(lt.at(-1)).toBe('distribute');
    // A dry run plans it instead.
    expect(ids({ BUILDAMI_LAUNCH_TEMPLATE: 'web', BUILDAMI_DRY_RUN: 'true' })).not.toContain('distribute');
  });

  it('runs for a reused AMI too (an `always` phase)', () => {
    const phase = bakePhases(golden({ BUILDAMI_PUBLISH_SSM: '/golden/web' })).find(
      (p) => p.id === 'distribute',
    );
    expect(phase?.always).toBe(true);
  });
});
