/** Whether a bake tests its AMI, and with what: from the options and what the artifact holds. */
import { msg, opt, type Part } from '../../core/errors.js';
import type { TestOptions } from './options.js';

export interface TestPlan {
  /** Milliseconds from the launch of the test instance until it has stopped. */
  timeoutMs: number;
  /** The test instance's types in order of preference; undefined: the build instance's. */
  instanceTypes?: string[];
  profile?: string;
  keepFailed: boolean;
}

/** The plan, or undefined when nothing is tested; `problems` gets what is wrong. */
export function testPlan(
  opts: TestOptions,
  artifact: { hasTest: boolean },
  problems: (string | Part[])[],
): TestPlan | undefined {
  if (opts.test === true && !artifact.hasTest) {
    problems.push(
      msg`${opt('test')}: true, but the artifact has no test (userdata-test.gz, which prepare writes from the image source's script/test.sh)`,
    );
    return undefined;
  }
  if (opts.test === false || !artifact.hasTest) return undefined;
  return {
    timeoutMs: opts.timeoutTest.ms,
    instanceTypes: opts.testInstanceType?.length ? [...new Set(opts.testInstanceType)] : undefined,
    profile: opts.testInstanceProfile,
    keepFailed: opts.testKeepFailed,
  };
}
