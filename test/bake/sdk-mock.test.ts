/**
 * Paths moto cannot produce, against aws-sdk-client-mock: a `failed` AMI, a console that grows and
 * carries the AMIBAKE-RESULT line (moto's console is a constant sample), instance types without
 * `Latest` console output, and a launch whose instance shows up late (eventual consistency).
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DeregisterImageCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  GetConsoleOutputCommand,
  TerminateInstancesCommand,
  type DescribeInstancesCommandOutput,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { cleanup } from '../support/recover-all.js';
import { ImageWaitError, waitAvailable } from '../../src/aws/images.js';
import type { BakeContext } from '../../src/features/bake/context.js';
import { install } from '../../src/features/bake/install.js';
import { MemoryState } from '../../src/engine/state.js';
import { PhaseClock } from '../../src/engine/timings.js';
import { STATE } from '../../src/features/bake/state.js';
import { COPY_STATE } from '../../src/features/copy/publish.js';
import { captureLogger } from './helpers.js';

const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(ec2);
afterEach(() => {
  mock.reset();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const instance = (state: InstanceStateName): DescribeInstancesCommandOutput => ({
  Reservations: [{ Instances: [{ InstanceId: 'i-1', State: { Name: state } }] }],
  $metadata: {},
});

function ctxFor(allowNoResult = false): {
  ctx: BakeContext;
  text: () => string;
  clock: PhaseClock;
  sleeps: number[];
} {
  const { logger, text } = captureLogger();
  let now = 0;
  const sleeps: number[] = [];
  // The engine's clock on the virtual time: the phase's spans, as a bake would record them.
  const clock = new PhaseClock(() => now);
  clock.begin('install', 'Install (until stopped)');
  const ctx = {
    cfg: { timeoutInstance: 600, waitInstance: 5, allowNoResult, front: 'cli' },
    deps: { ec2, quick: ec2, s3: new S3Client({}), logger, state: new MemoryState() },
    instanceId: 'i-1',
    urls: {},
    // A virtual clock: sleeping advances time at once.
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    span: (id: string, title: string, o?: { wait?: boolean }) => clock.span(id, title, o),
    endSpan: () => clock.endSpan(),
  } as unknown as BakeContext;
  return { ctx, text, clock, sleeps };
}

describe('the AMI wait', () => {
  test('a failed image is an error with its state reason', async () => {
    mock.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: 'ami-1',
          State: 'failed',
          StateReason: { Code: 'Server.InternalError', Message: 'Internal error' },
        },
      ],
    });
    await expect(waitAvailable(ec2, 'ami-1', { timeoutSeconds: 30, intervalSeconds: 1 })).rejects.toThrow(
      'AMI ami-1 failed: Internal error',
    );
  });

  test('pending then available', async () => {
    mock
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [{ ImageId: 'ami-1', State: 'pending' }] })
      .resolves({ Images: [{ ImageId: 'ami-1', State: 'available' }] });
    const image = await waitAvailable(ec2, 'ami-1', { timeoutSeconds: 30, intervalSeconds: 0.05 });
    expect(image.State).toBe('available');
  });

  test('a wait that fails for another reason than time is not a timeout, even with the image pending', async () => {
    mock
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [{ ImageId: 'ami-1', State: 'pending' }] })
      .rejects(Object.assign(new Error('access denied'), { name: 'UnauthorizedOperation' }));
    // DescribeImages fails from the second poll on, until the time is up: that failure, not a timeout.
    const err = await waitAvailable(ec2, 'ami-1', { timeoutSeconds: 1, intervalSeconds: 0.2 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ImageWaitError);
    expect(err).toMatchObject({ kind: 'other', image: { State: 'pending' } });
    expect(err.message).not.toMatch(/not available after/);
  });

  test('a wait that runs out of time is a timeout', async () => {
    mock.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-1', State: 'pending' }] });
    const err = await waitAvailable(ec2, 'ami-1', { timeoutSeconds: 2, intervalSeconds: 1 }).catch((e) => e);
    expect(err).toMatchObject({
      kind: 'timeout',
      message: 'AMI ami-1 is not available after 2 s (state pending)',
    });
  });
});

describe('the install wait reads the console', () => {
  test('streams each line once as the console grows, and takes the result line', async () => {
    mock
      .on(DescribeInstancesCommand)
      .resolvesOnce(instance('pending'))
      .resolvesOnce(instance('running'))
      .resolvesOnce(instance('running'))
      .resolves(instance('stopped'));
    mock
      .on(GetConsoleOutputCommand)
      .resolvesOnce({ Output: b64('boot line 1\nboot li') })
      .resolvesOnce({ Output: b64('boot line 1\nboot line 2\ncloud-init: installing\n::add-mask::x\n') })
      .resolves({
        Output: b64(
          'boot line 1\nboot line 2\ncloud-init: installing\n::add-mask::x\nAMIBAKE-RESULT status=0\n',
        ),
      });
    const { ctx, text } = ctxFor();
    await install.run(ctx);
    expect(ctx.installStatus).toBe(0);
    const lines = text().split('\n');
    for (const l of ['boot line 1', 'boot line 2', 'cloud-init: installing', 'AMIBAKE-RESULT status=0'])
      expect(lines.filter((x) => x === l)).toHaveLength(1);
    expect(text()).not.toMatch(/^boot li$/m);
    // The instance cannot issue workflow commands through its console.
    expect(text()).not.toMatch(/^::/m);
    expect(lines.filter((x) => x === '\u200b::add-mask::x')).toHaveLength(1);
    expect(text()).toContain('install succeeded');
  });

  test('the states seen become spans; the polls start short and back off to wait-instance', async () => {
    const states: InstanceStateName[] = [
      'pending',
      'pending',
      'running',
      'running',
      'running',
      'running',
      'stopping',
      'stopped',
    ];
    let describe = mock.on(DescribeInstancesCommand);
    for (const st of states) describe = describe.resolvesOnce(instance(st));
    mock.on(GetConsoleOutputCommand).resolves({ Output: b64('AMIBAKE-RESULT status=0\n') });
    const { ctx, clock, sleeps } = ctxFor();
    await install.run(ctx);
    // wait-instance 5: 2 s first, half as long again each time, capped at 5 s.
    expect(sleeps).toEqual([2000, 3000, 4500, 5000, 5000, 5000, 5000]);
    const [timing] = [clock.end()];
    expect(timing.spans.map((sp) => [sp.id, sp.seconds, sp.wait])).toEqual([
      ['running', 5, true], // pending, pending, then running seen after 2 + 3 s
      ['install', 19.5, true], // 4.5 + 5 + 5 + 5: running until stopping was seen
      ['stop', 5, true],
    ]);
  });

  test('a state no poll saw folds its span into the one before', async () => {
    mock
      .on(DescribeInstancesCommand)
      .resolvesOnce(instance('running'))
      .resolvesOnce(instance('running'))
      .resolves(instance('stopped'));
    mock.on(GetConsoleOutputCommand).resolves({ Output: b64('AMIBAKE-RESULT status=0\n') });
    const { ctx, clock } = ctxFor();
    await install.run(ctx);
    expect(clock.end().spans.map((sp) => [sp.id, sp.seconds])).toEqual([
      ['running', 0],
      ['install', 5], // no stopping seen: the stop is counted in the install
    ]);
  });

  test('a non-zero console result fails with the console tail', async () => {
    mock.on(DescribeInstancesCommand).resolves(instance('stopped'));
    mock
      .on(GetConsoleOutputCommand)
      .resolves({ Output: b64('apt-get: E: broken\nAMIBAKE-RESULT status=4\n') });
    const { ctx, text } = ctxFor();
    await expect(install.run(ctx)).rejects.toThrow(
      /^the install failed \(status 4\); no AMI was created\. The last lines of the console are printed above$/,
    );
    expect(text()).toContain('Last lines of the console:\napt-get: E: broken\n');
  });

  test('instance types without Latest: read the plain console output instead', async () => {
    mock.on(DescribeInstancesCommand).resolves(instance('stopped'));
    mock.on(GetConsoleOutputCommand).callsFake((input: { Latest?: boolean }) => {
      if (input.Latest)
        throw Object.assign(new Error('Latest is not supported for this instance type'), {
          name: 'UnsupportedOperation',
        });
      return { Output: b64('AMIBAKE-RESULT status=0\n') };
    });
    const { ctx } = ctxFor();
    await install.run(ctx);
    expect(ctx.installStatus).toBe(0);
    const calls = mock.commandCalls(GetConsoleOutputCommand).map((c) => c.args[0].input.Latest);
    expect(calls[0]).toBe(true);
    expect(calls.slice(1).every((l) => l === undefined)).toBe(true);
    expect(calls.length).toBeGreaterThan(1);
  });

  test('a timeout on the virtual clock fails with the console tail', async () => {
    mock.on(DescribeInstancesCommand).resolves(instance('running'));
    mock.on(GetConsoleOutputCommand).resolves({ Output: b64('still installing\n') });
    const { ctx, text } = ctxFor();
    await expect(install.run(ctx)).rejects.toThrow(
      /did not stop within 600 s; its last console lines are printed above$/,
    );
    expect(text()).toContain('Last console lines of i-1:\nstill installing\n');
    // 600 s at 5 s per poll: about 120 polls, and no real waiting.
    expect(mock.commandCalls(DescribeInstancesCommand).length).toBeGreaterThan(100);
  });

  test('an instance terminated from outside fails at once', async () => {
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: 'i-1', State: { Name: 'terminated' }, StateReason: { Message: 'User initiated' } },
          ],
        },
      ],
    });
    mock.on(GetConsoleOutputCommand).resolves({});
    const { ctx } = ctxFor();
    await expect(install.run(ctx)).rejects.toThrow(
      'the instance i-1 was terminated during the install: User initiated',
    );
  });
});

describe('cleanup', () => {
  /** cleanup() on the mocked EC2, its sleeps recorded instead of slept. */
  const runCleanup = async (
    state: Record<string, string>,
    opts: Omit<Parameters<typeof cleanup>[0], 'ec2' | 'quick' | 'logger' | 'state' | 'sleep'>,
  ) => {
    const slept: number[] = [];
    const report = await cleanup({
      ec2,
      quick: ec2,
      logger: captureLogger().logger,
      state,
      ...opts,
      sleep: async (ms) => void slept.push(ms),
    });
    return { report, slept };
  };

  test('a launch whose answer was lost: the instance is looked for until it shows up', async () => {
    mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [] })
      .resolvesOnce({ Reservations: [] })
      .resolves(instance('pending'));
    mock.on(TerminateInstancesCommand).resolves({});
    const { report, slept } = await runCleanup(
      { [STATE.clientToken]: 'tok', [STATE.launch]: 'started', [STATE.region]: 'us-east-1' },
      { wait: false, lookupSeconds: 60 },
    );
    expect(mock.commandCalls(TerminateInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-1'] });
    expect(report.terminated).toEqual(['i-1']);
    expect(slept.length).toBeGreaterThanOrEqual(1);
  });

  test('a TerminateInstances that fails for good is a problem naming the instance, never thrown', async () => {
    mock.on(DescribeInstancesCommand).resolves(instance('running'));
    mock.on(TerminateInstancesCommand).rejects(new Error('UnauthorizedOperation'));
    const { report } = await runCleanup({ [STATE.instanceId]: 'i-1' }, { wait: true, terminateSeconds: 0.5 });
    expect(report.left).toEqual(['i-1']);
    expect(report.problems).toEqual([
      'the build instance i-1 could not be terminated: UnauthorizedOperation',
    ]);
    // Retried until the deadline, not given up after one call.
    expect(mock.commandCalls(TerminateInstancesCommand).length).toBeGreaterThan(1);
  });

  test('the wait to see the instance terminated comes after the AMI and the copies are dealt with', async () => {
    // TerminateInstances goes out first; its confirmation (the waiter's DescribeInstances) can
    // take minutes and must not hold up the discard of the pending AMI and copy.
    mock.on(TerminateInstancesCommand).resolves({
      TerminatingInstances: [{ InstanceId: 'i-1', CurrentState: { Name: 'shutting-down' } }],
    });
    mock.on(DescribeImagesCommand).callsFake((input: { ImageIds?: string[] }) => ({
      Images: (input.ImageIds ?? []).map((id) => ({ ImageId: id, State: 'pending', Name: id })),
    }));
    mock.on(DeregisterImageCommand).resolves({});
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    mock.on(DescribeInstancesCommand).resolves(instance('terminated'));
    const copies = {
      sourceRegion: 'us-east-1',
      sourceImageId: 'ami-1',
      tags: [],
      copies: [
        { region: 'us-east-1', name: 'copy', clientToken: 't', imageId: 'ami-2', status: 'requested' },
      ],
    };
    const saved: Record<string, string> = {
      [STATE.region]: 'us-east-1',
      [STATE.instanceId]: 'i-1',
      [STATE.imageName]: 'bake',
      [STATE.imageId]: 'ami-1',
      [COPY_STATE.copies]: JSON.stringify(copies),
    };
    const { report } = await runCleanup(saved, {
      wait: true,
      images: true,
      waitSeconds: 30,
      delaySeconds: 1,
    });

    const order = mock.calls().map((c) => {
      const cmd = c.args[0] as { constructor: { name: string }; input: { ImageId?: string } };
      return cmd.constructor.name + (cmd.input.ImageId ? ` ${cmd.input.ImageId}` : '');
    });
    const first = (name: string) => order.findIndex((n) => n.startsWith(name));
    expect(first('TerminateInstancesCommand')).toBe(0);
    const waited = first('DescribeInstancesCommand');
    expect(waited).toBeGreaterThan(order.indexOf('DeregisterImageCommand ami-1'));
    expect(waited).toBeGreaterThan(order.indexOf('DeregisterImageCommand ami-2'));
    expect(order.indexOf('DeregisterImageCommand ami-1')).toBeGreaterThan(0);
    expect(order.indexOf('DeregisterImageCommand ami-2')).toBeGreaterThan(0);
    expect(report).toMatchObject({ terminated: ['i-1'], confirmed: ['i-1'], problems: [] });
  });
});
