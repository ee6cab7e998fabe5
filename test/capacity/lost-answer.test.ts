/**
 * A RunInstances answer lost after the fallback's second attempt: the first attempt is refused for
 * capacity, the second reaches moto (which launches the instance) and its answer is held by the
 * gate until the launcher gives up waiting. The state then holds both tokens and no instance id;
 * the action's post step (the registry's launch recovery, from the saved state alone) looks up
 * every saved token and terminates the instance.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { randomBytes } from 'node:crypto';
import { setRetryTimings } from '../../src/aws/retry.js';
import { TAG } from '../../src/aws/tags.js';
import { launchWithFallback } from '../../src/features/bake/capacity.js';
import { BUILD_INSTANCE_KEYS } from '../../src/features/bake/launch.js';
import { STATE } from '../../src/features/bake/state.js';
import { MemoryState, STARTED_KEY, type StateValues } from '../../src/engine/state.js';
import { run as postStep } from '../../src/fronts/action-build-post.js';
import { useBake } from '../support/bake-harness.js';
import { refuseLaunches } from '../support/faults.js';
import { recordingLogger } from '../support/logger.js';
import { REGION } from '../support/moto.js';
import { distinctAttempts } from './helpers.js';
import { ec2For, instances, liveInstances } from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
let restoreTimings: () => void;
beforeAll(() => {
  restoreTimings = setRetryTimings({ sdkAttempts: 2, sdkMode: 'standard', backoffMs: 50, maxBackoffMs: 200 });
});
afterAll(() => restoreTimings?.());

/** The post step, in-process as the runner runs it: STATE_* in the environment, its stdout kept. */
async function runPost(state: StateValues): Promise<{ out: string; failed: boolean }> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(state)) process.env[`STATE_${k}`] = v;
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const code = process.exitCode;
  process.exitCode = undefined;
  try {
    await postStep();
    return { out, failed: process.exitCode === 1 };
  } finally {
    spy.mockRestore();
    process.exitCode = code;
    for (const k of Object.keys(process.env))
      if (k.startsWith('STATE_') && !(k in saved)) delete process.env[k];
  }
}

test('the second attempt launched and its answer was lost: the post step finds it by its saved token and terminates it', async () => {
  const ec2 = ec2For(m.moto.endpoint);
  const state = new MemoryState();
  // What the engine and the pipeline save before the launch phase runs.
  state.save(STATE.region, REGION);
  state.save(STARTED_KEY, 'launch');
  const token = randomBytes(8).toString('hex');
  state.save(STATE.clientToken, token);

  const refusals = refuseLaunches(m.gate, (c) =>
    c.instanceType === 't3.micro' ? 'InsufficientInstanceCapacity' : undefined,
  );
  const hold = m.gate.hold('RunInstances');
  // The launcher's client gives up on an answer after 1.5 s and does not retry: a lost answer.
  const impatient = new EC2Client({
    region: REGION,
    endpoint: m.gate.endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 1500, throwOnRequestTimeout: true },
  });
  const logger = recordingLogger();
  const launching = launchWithFallback(
    { deps: { ec2: impatient, state, logger }, signal: new AbortController().signal, track: (p) => p },
    {
      baseAmi: m.ids.baseAmi,
      securityGroups: [m.ids.securityGroup],
      userdata: Buffer.from('#cloud-config\n'),
      tags: { [TAG.clientToken]: token, [TAG.run]: 'capacity-lost-answer' },
    },
    {
      types: ['t3.micro', 't3a.micro'],
      subnets: [m.ids.subnet],
      token,
      keys: BUILD_INSTANCE_KEYS,
      what: 'the build instance',
    },
  );
  const outcome = launching.then(
    () => undefined,
    (err: Error) => err,
  );
  await hold.reached;
  const err = await outcome;
  refusals.undo();
  expect(err?.message).toMatch(new RegExp(`^RunInstances \\(t3a.micro in ${m.ids.subnet}\\): `));

  // moto launched it; the state knows both tokens, not the instance.
  const [launched] = await liveInstances(ec2);
  expect(launched.InstanceType).toBe('t3a.micro');
  const attempts = distinctAttempts(refusals.calls);
  const tokens = attempts.map((c) => c.clientToken);
  expect(tokens).toHaveLength(2);
  const st = state.values();
  expect(st[STATE.clientTokens]).toBe(tokens.join(','));
  expect(st[STATE.launch]).toBe('started');
  expect(st[STATE.instanceId]).toBeUndefined();

  const describesBefore = m.gate.calls.filter((c) => c.action === 'DescribeInstances').length;
  const post = await runPost(st);
  expect(post.failed).toBe(false);
  expect(post.out).toContain(`terminating ${launched.InstanceId}`);
  // Every saved token was looked up with the client-token filter (AWS's own record of the token;
  // moto lacks the filter and the tag finds it there).
  const lookups = m.gate.calls
    .filter((c) => c.action === 'DescribeInstances')
    .slice(describesBefore)
    .map((c) => new URLSearchParams(c.body))
    .filter((p) => p.get('Filter.1.Name') === 'client-token');
  expect(lookups.length).toBeGreaterThan(0);
  expect([lookups[0].get('Filter.1.Value.1'), lookups[0].get('Filter.1.Value.2')]).toEqual(tokens);

  hold.release();
  const after = await instances(ec2);
  expect(after.find((i) => i.InstanceId === launched.InstanceId)?.State?.Name).toMatch(
    /^(shutting-down|terminated)$/,
  );
  expect(await liveInstances(ec2)).toEqual([]);
});
