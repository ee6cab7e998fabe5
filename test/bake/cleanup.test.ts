/**
 * The action's post step when AWS calls fail, against aws-sdk-client-mock (moto cannot fail on
 * demand; the fault matrix does the same through a proxy in front of moto): a known instance is
 * terminated without DescribeInstances, and whatever is left fails the step with its id.
 */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { setRetryTimings } from '../../src/aws/retry.js';
import { STATE } from '../../src/features/bake/state.js';
import { STARTED_KEY } from '../../src/engine/state.js';
import { run as post } from '../../src/fronts/action-build-post.js';
import { refusedByAws } from '../../src/aws/errors.js';

const mock = mockClient(EC2Client);
const internal = () => Object.assign(new Error('An internal error has occurred'), { name: 'InternalError' });
const expired = () => Object.assign(new Error('Request has expired.'), { name: 'RequestExpired' });

let out = '';
let restoreTimings: () => void;
const saved = { ...process.env };

beforeEach(() => {
  out = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  process.exitCode = undefined;
  // A fault that lasts must fail in a second: one SDK attempt, short own retries.
  restoreTimings = setRetryTimings({ sdkAttempts: 1, backoffMs: 20, maxBackoffMs: 50, deadlineCapMs: 400 });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1' });
});
afterEach(() => {
  jest.restoreAllMocks();
  mock.reset();
  restoreTimings();
  process.exitCode = undefined;
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

function withState(state: Partial<Record<string, string>>) {
  for (const [k, v] of Object.entries(state)) process.env[`STATE_${k}`] = v;
  // Main also records the phases it started: the launch for the instance's keys, the image for the AMI's.
  const started = [state[STATE.launch] && 'launch', state[STATE.imageName] && 'image'].filter(Boolean);
  if (started.length) process.env[`STATE_${STARTED_KEY}`] = started.join(',');
}

describe('the post step with failing AWS calls', () => {
  test('DescribeInstances failing: the known instance is terminated anyway and reported', async () => {
    mock.on(DescribeInstancesCommand).rejects(internal());
    mock.on(DescribeImagesCommand).rejects(internal());
    mock.on(TerminateInstancesCommand).resolves({
      TerminatingInstances: [{ InstanceId: 'i-0abc', CurrentState: { Name: 'shutting-down' } }],
    });
    withState({ [STATE.region]: 'us-east-1', [STATE.launch]: 'returned', [STATE.instanceId]: 'i-0abc' });
    await post();
    expect(mock.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceIds: ['i-0abc'] },
    ]);
    expect(out).toContain('terminating i-0abc');
    // Not seen terminated (Describe fails): a warning, not a failure: AWS accepted it.
    expect(out).toMatch(/::warning::termination of i-0abc accepted by AWS, not seen completed yet/);
    expect(out).not.toMatch(/^::error::/m);
    expect(out).not.toContain('nothing left to clean up');
    expect(process.exitCode).not.toBe(1);
  });

  test('TerminateInstances failing for good: the step fails, naming the instance', async () => {
    mock.on(DescribeInstancesCommand).rejects(internal());
    mock.on(TerminateInstancesCommand).rejects(expired());
    withState({ [STATE.region]: 'us-east-1', [STATE.launch]: 'returned', [STATE.instanceId]: 'i-0abc' });
    await post();
    // Retried with backoff until the deadline, not given up after one call.
    expect(mock.commandCalls(TerminateInstancesCommand).length).toBeGreaterThan(2);
    expect(out).toMatch(/^::error::cleanup left resources in AWS:.*i-0abc could not be terminated/m);
    expect(process.exitCode).toBe(1);
  });

  test('a lost RunInstances answer and a failing DescribeInstances: the step fails, naming the token', async () => {
    mock.on(DescribeInstancesCommand).rejects(internal());
    withState({
      [STATE.region]: 'us-east-1',
      [STATE.launch]: 'started',
      [STATE.clientToken]: '0123456789abcdef',
    });
    await post();
    expect(mock.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(out).toMatch(/^::error::.*client token 0123456789abcdef/m);
    expect(process.exitCode).toBe(1);
  });

  test('nothing launched: nothing to do, success', async () => {
    withState({ [STATE.region]: 'us-east-1' });
    await post();
    expect(out).toContain('nothing was launched');
    expect(mock.calls()).toHaveLength(0);
    expect(process.exitCode).not.toBe(1);
  });
});

describe('an AMI whose creation was interrupted', () => {
  /** The state a main step leaves once it has terminated its instance and sent CreateImage. */
  const imageRequested: Partial<Record<string, string>> = {
    [STATE.region]: 'us-east-1',
    [STATE.clientToken]: 'tok123',
    [STATE.launch]: 'returned',
    [STATE.instanceId]: 'i-0abc',
    [STATE.terminated]: '1',
    [STATE.imageName]: 'web-1.0',
  };

  test('CreateImage sent, no answer and no AMI of that name: the step fails naming the name and token', async () => {
    mock.on(DescribeImagesCommand).resolves({ Images: [] });
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    mock.on(TerminateInstancesCommand).resolves({});
    withState(imageRequested);
    await post();
    // Looked for by name, not assumed absent after one look.
    expect(mock.commandCalls(DescribeImagesCommand).length).toBeGreaterThan(1);
    expect(out).toMatch(
      /^::error::cleanup left resources in AWS:.*CreateImage of web-1\.0 was sent.*tok123/m,
    );
    expect(process.exitCode).toBe(1);
  });

  test('a pending AMI is discarded with the snapshots it does not list yet (found by description)', async () => {
    const pending = {
      ImageId: 'ami-0pend',
      Name: 'web-1.0',
      State: 'pending' as const,
      BlockDeviceMappings: [],
      Tags: [{ Key: 'amibake:client-token', Value: 'tok123' }],
    };
    mock.on(DescribeImagesCommand).resolves({ Images: [pending] });
    mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    mock.on(DeregisterImageCommand).resolves({});
    mock
      .on(DescribeSnapshotsCommand, {
        OwnerIds: ['self'],
        Filters: [{ Name: 'description', Values: ['*ami-0pend*'] }],
      })
      .resolves({ Snapshots: [{ SnapshotId: 'snap-0late' }] });
    mock.on(DeleteSnapshotCommand).resolves({});
    mock.on(CreateTagsCommand).resolves({});
    withState({ ...imageRequested, [STATE.imageId]: 'ami-0pend' });
    await post();
    expect(mock.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId)).toEqual([
      'ami-0pend',
    ]);
    expect(mock.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-0late',
    ]);
    expect(out).not.toMatch(/^::error::/m);
  });
});

describe('what a failed call leaves for cleanup to look for', () => {
  const status = (code: number, name: string) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: code } });

  test.each([
    [400, 'InvalidParameterValue', true],
    [403, 'UnauthorizedOperation', true],
    [400, 'RequestExpired', true],
    [500, 'InternalError', false],
    [503, 'RequestLimitExceeded', false],
    [400, 'Throttling', false],
    [429, 'TooManyRequestsException', false],
  ])('%i %s: refused by AWS = %s', (code, name, refused) => {
    expect(refusedByAws(status(code, name))).toBe(refused);
  });

  test('a connection lost before any answer is not a refusal', () => {
    expect(refusedByAws(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
  });
});
