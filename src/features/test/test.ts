/**
 * Test: an instance launched from the new AMI (or from a reused one that has not passed yet) runs
 * the image source's test as its first boot, reports with the install's protocol (result object,
 * else the console line) and powers off. Passed: the AMI is tagged `amibake:test=passed` and the
 * bake goes on to the copies, shares and publishing. Failed (a status other than 0, no result, no
 * stop in time): the AMI is deregistered with its snapshots, or kept tagged `failed`, and the bake
 * fails, so nothing after this phase sees it. The test instance is terminated on every path: here,
 * and by the recovery (urgent, like the build instance's) on an error, a signal or in the post step.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { formatMs } from '../../core/duration.js';
import { UserError, errorMessage, opt } from '../../core/errors.js';
import { BUILD_OUTPUTS } from '../../core/outputs.js';
import { discardImage } from '../../aws/image-removal.js';
import { tagImage } from '../../aws/images.js';
import { terminateKnown, waitTerminated } from '../../aws/instances.js';
import { deadlineIn } from '../../aws/retry.js';
import { presign, testStagingKeys } from '../../aws/staging.js';
import { TAG, tagValue } from '../../aws/tags.js';
import { CancelledError } from '../../engine/engine.js';
import { launchWithFallback } from '../bake/capacity.js';
import { ConsoleReader } from '../bake/console.js';
import type { BakeContext, BakePhase } from '../bake/context.js';
import { STATE } from '../bake/state.js';
import { settleInstanceTypes } from '../bake/instance-types.js';
import { runTags } from '../bake/tags.js';
import {
  readStatus,
  showLogTail,
  showTail,
  untilStopped,
  type ResultObjects,
} from '../bake/until-stopped.js';
import { finalUserdata } from '../bake/userdata.js';
import type { TestPlan } from './config.js';
import { testRecovery } from './recovery.js';
import { TEST_INSTANCE, TEST_STATE } from './state.js';
import { refuseFailedTest } from '../bake/test-verdict.js';

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'reused';

/** The `test-status` output and TEST_STATUS line (see BUILD_OUTPUTS). */
export function reportTestStatus(ctx: Pick<BakeContext, 'report'>, status: TestStatus): void {
  ctx.report.outputs[BUILD_OUTPUTS.testStatus.name] = status;
  ctx.report.fileVars.TEST_STATUS = status;
}

export function testPhase(plan: TestPlan): BakePhase {
  return {
    ...testRecovery,
    // A reused AMI that has not passed its test is tested before it is copied or published.
    always: true,
    async run(ctx) {
      const image = ctx.reused ?? ctx.image;
      if (!image?.ImageId) return;
      if (ctx.reused && !(await mustTest(ctx, ctx.reused))) return;
      await runTest(ctx, plan, image);
    },
  };
}

/** A reused AMI: true when it must be tested first, false when it passed already. */
async function mustTest(ctx: BakeContext, image: Image): Promise<boolean> {
  const verdict = tagValue(image, TAG.test);
  if (verdict === 'passed') {
    reportTestStatus(ctx, 'reused');
    ctx.report.summary.push(['Test', `passed earlier (${TAG.test}=passed)`]);
    return false;
  }
  refuseFailedTest(image, ctx.cfg.amiName);
  ctx.deps.logger.info(`${image.ImageId} has not passed its test (no ${TAG.test} tag): testing it first`);
  return true;
}

/** Orders `all` with `first` (what the build instance was launched with) in front. */
const firstThen = (first: string | undefined, all: string[]) =>
  first ? [first, ...all.filter((v) => v !== first)] : all;

/** The test instance's types: the test's own list (those that can boot the AMI), else the
 *  build's settled list starting with the type that launched the build instance (it has capacity
 *  now, and no other type is known to boot the image). */
async function testInstanceTypes(ctx: BakeContext, plan: TestPlan, image: Image): Promise<string[]> {
  if (!plan.instanceTypes) {
    const built = firstThen(
      ctx.instanceType,
      ctx.instanceTypes.length ? ctx.instanceTypes : ctx.cfg.instanceTypes,
    );
    if (built.length) return built;
    // No build instance (a disk artifact) and no type given: the default of the new AMI's
    // architecture, as a build instance would get for a base AMI of that architecture.
  }
  return settleInstanceTypes({
    ec2: ctx.deps.ec2,
    logger: ctx.deps.logger,
    listed: plan.instanceTypes ?? [],
    architecture: image.Architecture ?? ctx.architecture,
    baseAmi: image.ImageId!,
    option: opt('testInstanceType'),
  });
}

async function runTest(ctx: BakeContext, plan: TestPlan, image: Image): Promise<void> {
  const { cfg, deps } = ctx;
  const imageId = image.ImageId!;
  const testUserdata = cfg.prepared.testUserdata;
  if (!testUserdata) throw new Error('the test phase needs the artifact’s test user data');
  // Its own keys beside the install's (the same bake token): never an earlier run's result.
  const keys = cfg.staging ? testStagingKeys(cfg.staging, ctx.clientToken) : undefined;
  const objects: ResultObjects | undefined = keys && { s3: deps.s3, ...keys };
  const urls = keys ? await presign(deps.s3, keys, { seconds: plan.timeoutMs / 1000, withFs: false }) : {};
  for (const url of Object.values(urls)) if (url) deps.logger.mask(url);
  if (!keys) deps.logger.info('no S3 location: the test result is read from the console only');
  const userdata = finalUserdata(testUserdata, urls);

  const token = `${ctx.clientToken}-test`;
  const types = await testInstanceTypes(ctx, plan, image);
  if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
  // Before the launcher's own saves: the first token is the instance's tag, looked up too.
  deps.state.save(TEST_STATE.clientToken, token);
  const launched = await launchWithFallback(
    ctx,
    {
      baseAmi: imageId,
      securityGroups: cfg.securityGroups,
      profile: plan.profile ?? cfg.profile,
      userdata,
      tags: {
        ...runTags({ ...ctx.tags, clientToken: token }),
        [TAG.display]: `amibake test ${cfg.amiName}`,
        [TAG.role]: 'test',
      },
    },
    {
      types,
      // The build instance's subnet first: the same network, where capacity was just found.
      subnets: firstThen(ctx.subnet, cfg.subnets),
      token,
      keys: TEST_INSTANCE,
      what: TEST_INSTANCE.what,
      names: {
        types: plan.instanceTypes ? opt('testInstanceType') : opt('instanceType'),
        subnets: opt('subnet'),
      },
    },
  );
  const id = launched.instanceId;
  const instanceType = launched.instanceType;
  deps.logger.info(
    `launched the test instance ${id} (${instanceType} in ${launched.subnet ?? 'the default subnet'}, ${imageId})`,
  );

  let failure: string | undefined;
  let left: string | undefined;
  let status: number | undefined;
  try {
    const reader = new ConsoleReader(deps.ec2, id, deps.logger);
    ctx.span('test', 'Launch until stopped', { wait: true });
    const { stopped, lastConsole } = await untilStopped(ctx, {
      id,
      reader,
      timeoutMs: plan.timeoutMs,
      title: `Test output (console of ${id})`,
      what: 'the test',
    });
    ctx.endSpan();
    if (!stopped) {
      const shown = showTail(
        deps.logger,
        (await reader.read()) || lastConsole,
        `Last console lines of ${id}:`,
      );
      failure =
        `the test instance ${id} did not stop within ${formatMs(plan.timeoutMs)}` +
        (shown ? '; its last console lines are printed above' : '');
    } else {
      status = await readStatus(ctx, reader, objects);
      if (status === undefined) {
        const shown = showTail(
          deps.logger,
          (await reader.read()) || lastConsole,
          `Last console lines of ${id}:`,
        );
        failure =
          `the test instance ${id} stopped without reporting a result (no result object, no AMIBAKE-RESULT console line)` +
          (shown ? '; its last console lines are printed above' : '');
      } else if (status !== 0) {
        const shown = await showLogTail(deps.logger, { objects, reader, lastConsole, log: 'test log' });
        failure =
          `the test failed (status ${status})` +
          (shown
            ? `; the last lines of the ${shown === 'log' ? 'test log' : 'console'} are printed above`
            : '');
      }
    }
  } finally {
    // On a cancel the recovery terminates it (and confirms it within the cancel's budget).
    if (!ctx.signal.aborted) left = await terminateTestInstance(ctx, id);
  }
  // Still running: the bake fails, and its recovery tries again and names it if it must.
  if (left && !failure) throw new UserError(left);

  if (!failure) {
    await tagImage(deps.ec2, imageId, { [TAG.test]: 'passed' });
    // The copies carry the AMI's own tags: they say the test passed too.
    image.Tags = [
      ...(image.Tags ?? []).filter((t) => t.Key !== TAG.test),
      { Key: TAG.test, Value: 'passed' },
    ];
    reportTestStatus(ctx, 'passed');
    ctx.report.summary.push(['Test', `passed (${id}, ${instanceType})`]);
    deps.logger.info(`the test passed on ${id}: ${imageId} is tagged ${TAG.test}=passed`);
    return;
  }
  reportTestStatus(ctx, 'failed');
  throw new UserError(`${failure}. ${await failedImage(ctx, plan, image)}${left ? `. ${left}` : ''}`);
}

/** Terminates the test instance and waits to see it terminated. Returns what went wrong when
 *  AWS never accepted the termination; a wait that does not see it end is only a warning. */
async function terminateTestInstance(ctx: BakeContext, id: string): Promise<string | undefined> {
  const { cfg, deps } = ctx;
  try {
    await terminateKnown(deps.ec2, id, { deadline: deadlineIn(120), logger: deps.logger });
  } catch (err) {
    return `the test instance ${id} could not be terminated: ${errorMessage(err)}`;
  }
  try {
    await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
    deps.state.save(TEST_STATE.terminated, '1');
    deps.logger.info(`terminated the test instance ${id}`);
  } catch (err) {
    deps.logger.warn(`could not confirm that the test instance ${id} is terminated: ${errorMessage(err)}`);
  }
  return undefined;
}

/** What becomes of an AMI that failed its test; returns the sentence saying so. */
async function failedImage(ctx: BakeContext, plan: TestPlan, image: Image): Promise<string> {
  const { deps } = ctx;
  const imageId = image.ImageId!;
  let outcome: string;
  if (plan.keepFailed) {
    try {
      await tagImage(deps.ec2, imageId, { [TAG.test]: 'failed' });
      outcome = `The AMI ${imageId} is kept, tagged ${TAG.test}=failed (never reused, copied, shared or published)`;
    } catch (err) {
      // Untagged, a later bake tests it again before it goes anywhere.
      outcome = `The AMI ${imageId} is kept, but could not be tagged ${TAG.test}=failed: ${errorMessage(err)}`;
    }
  } else {
    const problems = await discardImage(deps.ec2, image, deps.logger, {
      deadline: deadlineIn(120),
      what: 'AMI that failed its test',
    });
    outcome = problems.length
      ? `The AMI ${imageId} could not be removed: ${problems.join('; ')}`
      : `The AMI ${imageId} was deregistered and its snapshots deleted`;
  }
  // The AMI is no bake result any more: the error path must neither keep nor announce it. A kept
  // AMI stays done, though: what it is made of (the disk path's uploaded snapshot) is not left
  // over from an unfinished image, and no recovery may take it.
  const forget = plan.keepFailed
    ? [STATE.imageName, STATE.imageId]
    : [STATE.imageName, STATE.imageId, STATE.imageDone];
  for (const key of forget) deps.state.save(key, '');
  return outcome;
}
