/** The test phase: an instance launched from the new AMI runs the image source's test. */
import { duration } from '../../core/duration.js';
import { option, type SliceOptions } from '../../core/options.js';
import * as p from '../../core/parse.js';

/** `auto`: test when the artifact has a test; `true`: it must have one; `false`: never test. */
export type TestMode = 'auto' | boolean;

const testMode: p.Parser<TestMode> = (raw) => (raw.trim().toLowerCase() === 'auto' ? 'auto' : p.boolean(raw));

export const TEST_OPTIONS = {
  test: option({
    input: 'test',
    env: 'BUILDAMI_TEST',
    stages: ['build'],
    description:
      'Test the new AMI on an instance of its own before anything leaves the build region: `auto` when the artifact has a test (`script/test.sh`), `true` to require one, `false` to skip it.',
    default: 'auto',
    parse: testMode,
  }),
  timeoutTest: option({
    input: 'timeout-test',
    env: 'BUILDAMI_TIMEOUT_TEST',
    stages: ['build'],
    description:
      'How long the test may take, from the launch of the test instance until it has stopped (`45m`, `1h`; at least 5m). A test that does not finish in time has failed.',
    default: '15m',
    parse: duration(5 * 60_000, 86_400_000),
  }),
  testInstanceType: option({
    input: 'test-instance-type',
    env: 'BUILDAMI_TEST_INSTANCE_TYPE',
    stages: ['build'],
    description:
      'Instance types of the test instance, in order of preference, separated by commas or newlines (a capacity fallback as for `instance-type`; types that cannot boot the AMI are dropped). Default: the build instance’s list, starting with the type the build instance was launched with.',
    parse: p.list(p.pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as t3.micro')),
  }),
  testInstanceProfile: option({
    input: 'test-instance-profile',
    env: 'BUILDAMI_TEST_INSTANCE_PROFILE',
    stages: ['build'],
    description:
      'IAM instance profile (name or ARN) of the test instance, for a test that calls AWS. Default: the build instance’s.',
    parse: p.pattern(/^[\w+=,.@:/-]{1,2048}$/, 'an instance profile name or ARN'),
  }),
  testKeepFailed: option({
    input: 'test-keep-failed',
    env: 'BUILDAMI_TEST_KEEP_FAILED',
    stages: ['build'],
    description:
      'Keep an AMI whose test failed, tagged `amibake:test=failed` (never reused, copied, shared or published), instead of deregistering it and deleting its snapshots.',
    default: 'false',
    parse: p.boolean,
  }),
} as const;

export type TestOptions = SliceOptions<typeof TEST_OPTIONS>;
