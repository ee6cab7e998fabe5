/** The test options: where the phase goes, when it is added, and the checks against the artifact. */
import { describe, expect, test } from '@jest/globals';
import { cliSource } from '../../src/core/options.js';
import { goldenConfig } from '../../src/pipeline/config.js';
import { readOptions } from '../../src/pipeline/options.js';
import { bakePhases } from '../../src/pipeline/phases.js';
import { problemsOf } from '../golden/helpers.js';
import { LAUNCHING } from '../support/phases.js';

const required = {
  BUILDAMI_BASEAMI: 'ami-0123456789abcdef0',
  BUILDAMI_SECURITYGROUPS: 'sg-0123456789abcdef0',
  BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
};
const opts = (env: Record<string, string>) => readOptions('build', cliSource({ ...required, ...env }));
const config = (env: Record<string, string>, hasTest: boolean) =>
  goldenConfig(opts(env), 'us-east-1', { hasTest });
const ids = (env: Record<string, string>, hasTest: boolean) =>
  bakePhases(config(env, hasTest)).map((p) => p.id);

describe('the test phase in the pipeline', () => {
  test('after the bake, before copies, sharing and retention, when the artifact has a test', () => {
    expect(ids({ BUILDAMI_COPY_REGIONS: 'eu-west-1', BUILDAMI_KEEP_LAST: '2' }, true)).toEqual([
      'golden-base',
      'preflight',
      'golden-copy-targets',
      ...LAUNCHING,
      'test',
      'golden-publish',
      'golden-retention',
    ]);
  });

  test('no test in the artifact, test: false, or a dry run: no test phase', () => {
    expect(ids({}, false)).not.toContain('test');
    expect(ids({ BUILDAMI_TEST: 'false' }, true)).not.toContain('test');
    expect(ids({ BUILDAMI_DRY_RUN: 'true' }, true)).not.toContain('test');
    expect(ids({ BUILDAMI_TEST: 'true' }, true)).toContain('test');
  });

  test('its options: defaults, and the build instance’s type and profile unless given', () => {
    expect(config({}, true).test).toEqual({
      timeoutMs: 15 * 60_000,
      instanceTypes: undefined,
      profile: undefined,
      keepFailed: false,
    });
    expect(
      config(
        {
          BUILDAMI_TIMEOUT_TEST: '1h',
          BUILDAMI_TEST_INSTANCE_TYPE: 't3.large, t3a.large,t3.large',
          BUILDAMI_TEST_INSTANCE_PROFILE: 'tester',
          BUILDAMI_TEST_KEEP_FAILED: 'yes',
        },
        true,
      ).test,
    ).toEqual({
      timeoutMs: 3_600_000,
      instanceTypes: ['t3.large', 't3a.large'],
      profile: 'tester',
      keepFailed: true,
    });
  });
});

describe('the test options checked', () => {
  test('test: true without a test in the artifact names the option', () => {
    expect(problemsOf(() => config({ BUILDAMI_TEST: 'true' }, false), 'cli')).toEqual([
      expect.stringMatching(/^BUILDAMI_TEST: true, but the artifact has no test \(userdata-test\.gz/),
    ]);
    expect(problemsOf(() => config({ BUILDAMI_TEST: 'true' }, false), 'action')).toEqual([
      expect.stringMatching(/^input 'test': true, but the artifact has no test/),
    ]);
  });

  test('values the table refuses', () => {
    expect(() => opts({ BUILDAMI_TEST: 'maybe' })).toThrow(/BUILDAMI_TEST: must be true or false/);
    expect(() => opts({ BUILDAMI_TIMEOUT_TEST: '1m' })).toThrow(/BUILDAMI_TIMEOUT_TEST: must be at least 5m/);
    expect(() => opts({ BUILDAMI_TEST_INSTANCE_TYPE: 'large' })).toThrow(/an instance type/);
  });

  test('the janitor must not take a running test for a leak', () => {
    const env = { BUILDAMI_SWEEP: 'true', BUILDAMI_SWEEP_AGE: '2h', BUILDAMI_TIMEOUT_TEST: '3h' };
    expect(problemsOf(() => config(env, true), 'cli')).toEqual([
      expect.stringMatching(/^BUILDAMI_SWEEP_AGE: 2h is not longer than a bake may keep its test instance/),
    ]);
    // Without a test, the test's timeout does not matter.
    expect(problemsOf(() => config(env, false), 'cli')).toEqual([]);
  });
});
