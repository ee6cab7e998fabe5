/**
 * The fault matrix: a bake against moto through a fault-injecting proxy (test/support/faults.ts),
 * with every fault (5xx, throttling, an expired token for good or once) on every AWS action a
 * default bake makes, one at a time and persistent for that action; and every stop (SIGTERM of
 * main, SIGKILL of main, of the post step, of the CLI) in every phase. Main runs in-process
 * (createBake / Bake.run, Bake.cancel as the signal handler calls it) and then the post step as
 * the runner runs it; SIGKILLs use the real bundles.
 *
 * Wherever a process lives to clean up, nothing may be left: no instance, AMI or snapshot. Where
 * none can (TerminateInstances failing for good, credentials gone for good, SIGKILL of the post
 * step or the CLI), every leftover is named by id in the output and found by `amibake sweep`,
 * after which nothing unfinished is left: the instances terminated, failed or pending AMIs
 * discarded with their snapshots, available ones recorded (their snapshots tagged).
 *
 * The SDK's retries and amibake's own deadlines are shortened through the test seam of
 * src/aws/retry.ts, so that a persistent fault fails in about a second.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { leftoverMessage } from '../../src/features/bake/context.js';
import { cleanup } from '../support/recover-all.js';
import { createEc2 } from '../../src/aws/clients.js';
import type { BakeResult } from '../../src/features/bake/context.js';
import { setRetryTimings } from '../../src/aws/retry.js';
import { createBake } from '../../src/pipeline/session.js';
import { MemoryState, type StateValues } from '../../src/engine/state.js';
import { STATE } from '../../src/features/bake/state.js';
import { TAG } from '../../src/aws/tags.js';
import { cliSource } from '../../src/core/options.js';
import { readOptions } from '../../src/pipeline/options.js';
import { errorMessage } from '../../src/core/errors.js';
import { run as postStep } from '../../src/fronts/action-build-post.js';
import { main as cliBuild } from '../../src/fronts/cli-build.js';
import { sweep } from '../../src/features/janitor/sweep.js';
import { makePrepared, type Fixture } from '../bake/fixture.js';
import {
  actionInputs,
  BUCKET,
  buildEnv,
  captureLogger,
  ec2For,
  liveInstances,
  motoIds,
  ownImages,
  type MotoIds,
} from '../bake/helpers.js';
import { FROZEN_PHASES, FRONTS, inPhase, startInPhase } from '../bake/phases.js';
import { FAULTS, faultKey, injectFault, type Fault } from '../support/faults.js';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { applyEnv, imageState, startGate, useMoto, type Gate } from '../support/moto.js';
import { runAction, startAction, startCli } from '../support/runner.js';

jest.setTimeout(60_000);
const m = useMoto({ beforeAll, afterAll });
let gate: Gate;
let ids: MotoIds;
let ec2: EC2Client;
let double: InstanceDouble | undefined;
let restoreEnv: () => void;
let restoreTimings: () => void;
let bakes = 0;

/**
 * The signed AWS calls of a default bake (external fs.tgz in S3) and of its post step, in order
 * of first use. A recorded clean bake must make exactly these: a new call fails the first test
 * until it is added here, so the matrix cannot drift from what the bake does.
 */
const ACTIONS = [
  'DescribeImages',
  'S3:PUT fs.tgz',
  'RunInstances',
  'DescribeInstances',
  'GetConsoleOutput',
  'S3:GET amibake-TOKEN.result',
  // The package inventory's read-back: a fault there is a warning, never a failed bake.
  'S3:GET amibake-TOKEN.sbom.json',
  'CreateImage',
  'CreateTags',
  'TerminateInstances',
  'ModifyImageAttribute',
];

interface Row {
  cell: string;
  outcome: string;
  instances: string[];
  images: string[];
  snapshots: string[];
  named: boolean;
  /** What the sweep did to the leftover AMIs (cells no process could clean up). */
  swept: string;
}
const rows: Row[] = [];

beforeAll(async () => {
  gate = await startGate(m.moto);
  ids = await motoIds(m.moto.endpoint);
  ec2 = ec2For(m.moto.endpoint);
  // The product (in-process) talks to the gate; the checks and the instance double to moto.
  restoreEnv = applyEnv(gate.env);
  restoreTimings = setRetryTimings({
    sdkAttempts: 2,
    sdkMode: 'standard',
    backoffMs: 50,
    maxBackoffMs: 200,
    deadlineCapMs: 1000,
  });
}, 30_000);
afterAll(async () => {
  restoreTimings?.();
  restoreEnv?.();
  await gate?.stop();
  const cells = rows.length;
  const sum = (k: 'instances' | 'images' | 'snapshots') => rows.reduce((n, r) => n + r[k].length, 0);
  process.stderr.write(
    `fault matrix: ${cells} cells (${ACTIONS.length} actions x ${FAULTS.length} faults, ` +
      `${FROZEN_PHASES.length} phases x 2 signals of main, SIGKILL of the post step and of the CLI, its AMI pending or not); ` +
      `left: ${sum('instances')} instance(s), ${sum('images')} AMI(s), ${sum('snapshots')} snapshot(s), ` +
      'each named by id in an error (or, for a SIGKILLed step, its log) and finished by the sweep ' +
      '(instances terminated, unfinished AMIs discarded with their snapshots, available ones recorded)\n' +
      rows
        .map(
          (r) =>
            `  ${r.cell.padEnd(48)} ${r.outcome.padEnd(8)} instances ${r.instances.length} AMIs ${r.images.length} ` +
            `snapshots ${r.snapshots.length}${r.instances.length + r.images.length + r.snapshots.length ? (r.named ? ` (named by id, swept${r.swept})` : ' (NOT NAMED)') : ''}`,
        )
        .join('\n') +
      '\n',
  );
});
afterEach(async () => {
  await double?.stop();
  double = undefined;
  // A failed cell must not fail the next ones: what it left is removed (after its assertions).
  const live = (await liveInstances(ec2)).map((i) => i.InstanceId!);
  if (live.length) await ec2.send(new TerminateInstancesCommand({ InstanceIds: live }));
});

/** A cell starts with no live instance: its fixture, and what moto holds before it. */
async function freshCell() {
  expect(await liveInstances(ec2)).toEqual([]);
  const f = await fixture();
  return { f, before: await world() };
}

const play = () => (double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'succeed' }));

async function snapshots(): Promise<string[]> {
  const out = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (out.Snapshots ?? []).map((s) => s.SnapshotId!);
}

async function world() {
  return {
    images: new Set((await ownImages(ec2)).map((i) => i.ImageId!)),
    snapshots: new Set(await snapshots()),
  };
}

async function fixture(): Promise<Fixture> {
  return makePrepared({
    fsMode: 'external',
    s3Url: `s3://${BUCKET}/amibake/fs.tgz`,
    version: `${++bakes}.0.0`,
  });
}

function options(env: Record<string, string>) {
  return {
    ...readOptions('build', cliSource({ ...process.env, ...env })),
    waitInstance: 0.2,
    waitAmi: 0.2,
  };
}

/** Main in-process: the bake both fronts run (its own error path cleans up); S3 location and region
 *  as the CLI takes them, from vars.env. */
async function startMain(f: Fixture) {
  const { logger, text } = captureLogger();
  const state = new MemoryState();
  const env = buildEnv(ids);
  const bake = await createBake(
    options(env),
    { userdata: f.userdataPath },
    { logger, state, env: { ...process.env, ...env }, trustArtifactLocation: true },
  );
  const done = bake.run().then(
    (result) => ({ result, error: undefined as Error | undefined }),
    (error: Error) => ({ result: undefined as BakeResult | undefined, error }),
  );
  return { bake, state, done, log: text };
}

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

/** A result: available, the digest on itself and on its snapshots. */
async function finished(image: Image): Promise<boolean> {
  if (image.State !== 'available') return false;
  const snaps = (image.BlockDeviceMappings ?? []).map((b) => b.Ebs?.SnapshotId).filter(Boolean) as string[];
  const tags = await ec2.send(
    new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [image.ImageId!, ...snaps] }] }),
  );
  const tagged = new Set(tags.Tags!.filter((t) => t.Key === TAG.digest).map((t) => t.ResourceId));
  return [image.ImageId!, ...snaps].every((id) => tagged.has(id));
}

/** What is left since `before`: live instances, AMIs that are not `results` or not finished,
 *  snapshots of no finished AMI. */
async function leftovers(before: { images: Set<string>; snapshots: Set<string> }, results: string[]) {
  const live = (await liveInstances(ec2)).map((i) => i.InstanceId!);
  const images = (await ownImages(ec2)).filter((i) => !before.images.has(i.ImageId!));
  const leakedImages: string[] = [];
  for (const image of images)
    if (!results.includes(image.ImageId!) || !(await finished(image))) leakedImages.push(image.ImageId!);
  const kept = new Set(
    images
      .filter((i) => !leakedImages.includes(i.ImageId!))
      .flatMap((i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.SnapshotId)),
  );
  const leakedSnaps = (await snapshots()).filter((s) => !before.snapshots.has(s) && !kept.has(s));
  return { live, images, leakedImages, leakedSnaps };
}

/**
 * What a cell left (instances live, AMIs of this bake that are not its result or a kept result
 * tagged like one, snapshots of no remaining AMI), checked against `named` (the errors and logs
 * of the cell); leftovers must be named and found by the sweep, which then finishes them.
 * `sweepEc2`: the client the sweep uses (one through the gate sees what the gate rewrites).
 */
async function account(
  cell: string,
  before: { images: Set<string>; snapshots: Set<string> },
  outcome: { result?: BakeResult; kept?: string; text: string; expectClean: boolean; sweepEc2?: EC2Client },
) {
  const resultIds = [outcome.result?.amiId, outcome.kept].filter(Boolean) as string[];
  const { live, leakedImages, leakedSnaps } = await leftovers(before, resultIds);
  const named = [...live, ...leakedImages].every((id) => outcome.text.includes(id));
  const row: Row = {
    cell,
    outcome: outcome.result ? 'baked' : 'failed',
    instances: live,
    images: leakedImages,
    snapshots: leakedSnaps,
    named,
    swept: '',
  };
  rows.push(row);

  if (outcome.expectClean) {
    expect({ cell, live, images: leakedImages, snapshots: leakedSnaps, text: outcome.text }).toMatchObject({
      live: [],
      images: [],
      snapshots: [],
    });
  } else {
    // No process could clean up: every leftover is named by id, and the sweep finds it all.
    expect({ cell, named, live, images: leakedImages, text: outcome.text }).toMatchObject({ named: true });
    const { logger } = captureLogger();
    const swept = await sweep({
      ec2: outcome.sweepEc2 ?? ec2,
      region: 'us-east-1',
      olderThanMs: 0,
      log: logger,
    });
    expect({ failed: swept.failed, failedImages: swept.failedImages }).toEqual({
      failed: [],
      failedImages: [],
    });
    expect(swept.swept.map((s) => s.instanceId).sort()).toEqual(expect.arrayContaining(live));
    // Every leftover AMI, and every leftover snapshot (each belongs to one), is among what it handled.
    expect(swept.images.map((s) => s.imageId)).toEqual(expect.arrayContaining(leakedImages));
    expect(swept.images.flatMap((s) => s.snapshots)).toEqual(expect.arrayContaining(leakedSnaps));
    row.swept = swept.images.length
      ? `: ${swept.images.map((s) => `${s.action === 'discard' ? 'discarded' : 'recorded'} ${s.state}`).join(', ')}`
      : '';
    // Nothing unfinished is left: the AMIs that remain are finished (the discarded ones are gone,
    // with their snapshots; the recorded ones are results now, which a re-run reuses).
    const after = await leftovers(before, [...resultIds, ...swept.images.map((s) => s.imageId)]);
    expect({ cell, live: after.live, images: after.leakedImages, snapshots: after.leakedSnaps }).toEqual({
      cell,
      live: [],
      images: [],
      snapshots: [],
    });
    const remaining = await ownImages(ec2);
    for (const s of swept.images)
      expect({ id: s.imageId, left: remaining.some((i) => i.ImageId === s.imageId) }).toEqual({
        id: s.imageId,
        left: s.action === 'record',
      });
  }
  return row;
}

describe('the fault matrix', () => {
  test('a clean bake makes exactly the calls the matrix covers', async () => {
    const f = await fixture();
    const before = await world();
    play();
    const from = gate.calls.length;
    const main = await startMain(f);
    const { result, error } = await main.done;
    expect(error).toBeUndefined();
    const post = await runPost(main.state.values());
    expect(post.failed).toBe(false);
    const seen: string[] = [];
    for (const c of gate.calls.slice(from)) {
      const k = faultKey(c);
      if (k && !seen.includes(k)) seen.push(k);
    }
    expect(seen).toEqual(ACTIONS);
    await account('clean', before, { result, text: main.log() + post.out, expectClean: true });
  });

  const cells = ACTIONS.flatMap((action) => FAULTS.map((fault) => ({ action, fault })));
  test.each(cells)('$fault on $action', async ({ action, fault }) => {
    const { f, before } = await freshCell();
    play();
    const injected = injectFault(gate, action, fault as Fault);
    let text: string;
    let errors: string;
    let result: BakeResult | undefined;
    let state: StateValues;
    try {
      const main = await startMain(f);
      const r = await main.done;
      result = r.result;
      state = main.state.values();
      const post = await runPost(state);
      text = `${main.log()}\n${r.error ? errorMessage(r.error) : ''}\n${post.out}`;
      // The errors alone: main's (core.setFailed in the action) and the post step's annotations.
      errors = `${r.error ? errorMessage(r.error) : ''}\n${(post.out.match(/^::error::.*$/gm) ?? []).join('\n')}`;
    } finally {
      injected.undo();
    }
    expect(injected.hits()).toBeGreaterThan(0);
    // An AMI kept by the cleanup, or one finished (and fully tagged) before a later step failed:
    // a result like any other, which a re-run reuses; a failed bake must name it.
    const kept =
      /the AMI (ami-\w+) \(.*\) became available before the bake stopped: kept/.exec(text)?.[1] ??
      (state[STATE.imageDone] ? state[STATE.imageId] : undefined);
    if (kept && !result) expect(errors).toContain(kept);
    // Nobody can terminate the instance when TerminateInstances fails for good or the credentials
    // are gone for good; every other cell must leave nothing.
    const hopeless =
      fault === 'expired-forever' || (action === 'TerminateInstances' && fault !== 'expired-once');
    await account(`${fault} on ${action}`, before, { result, kept, text: errors, expectClean: !hopeless });
  });
});

describe('stops in every phase', () => {
  test.each(FROZEN_PHASES)('SIGTERM of main $name, then the post step', async (phase) => {
    const { f, before } = await freshCell();
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: phase.behaviour });
    const reached = phase.arm(gate);
    const main = await startMain(f);
    const unfreeze = await inPhase(
      reached,
      main.done,
      (r) => `main ended before the phase: ${r.error?.message}\n${main.log()}`,
    );
    // What action-build's signal handler does.
    const report = await main.bake.cancel({ wait: false, graceMs: 2000, terminateSeconds: 3 });
    unfreeze();
    const r = await main.done;
    // CancelledError, or the AMI waiter's AbortError.
    expect(r.error?.name).toMatch(/^(CancelledError|AbortError)$/);
    const post = await runPost(main.state.values());
    expect(post.failed).toBe(false);
    const text = `${main.log()}\n${leftoverMessage(report)}\n${post.out}`;
    const row = await account(`SIGTERM of main ${phase.name}`, before, {
      kept: report.keptImage,
      text,
      expectClean: true,
    });
    if (phase.image === 'kept') expect(report.keptImage).toMatch(/^ami-/);
    expect(row.instances).toEqual([]);
  });

  test.each(FROZEN_PHASES)('SIGKILL of main $name, then the post step (bundles)', async (phase) => {
    const { f, before } = await freshCell();
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: phase.behaviour });
    const { run, unfreeze } = await startInPhase(phase, gate, () => FRONTS.action(ids, f, gate.env));
    run.child.kill('SIGKILL');
    const r = await run.done;
    const post = await runAction('build-post', { env: gate.env, state: r.state });
    unfreeze();
    expect({ code: post.code, out: post.stdout }).toMatchObject({ code: 0 });
    const kept = /the AMI (ami-\w+) \(.*\) became available before the bake stopped: kept/.exec(
      post.stdout,
    )?.[1];
    await account(`SIGKILL of main ${phase.name}`, before, {
      kept,
      text: r.stdout + post.stdout,
      expectClean: true,
    });
  });

  test('SIGKILL of main, then of the post step: the instance is named and swept', async () => {
    const { f, before } = await freshCell();
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'hang' });
    const main = startAction('build', {
      // The instance never stops: no AMI to wait for.
      inputs: actionInputs(ids, f.dir, {
        'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz`,
        'wait-ami': undefined,
      }),
      env: gate.env,
    });
    await main.waitForOutput(/launched i-\w+/, 30_000);
    main.child.kill('SIGKILL');
    const r = await main.done;
    // TerminateInstances never answers: the post step is killed while it waits.
    const hang = injectFault(gate, 'TerminateInstances', 'hang');
    try {
      const sent = gate.waitFor('TerminateInstances', gate.count('TerminateInstances') + 1, 30_000);
      const post = startAction('build-post', { env: gate.env, state: r.state });
      await post.waitForOutput(/terminating i-\w+/, 30_000);
      await sent;
      post.child.kill('SIGKILL');
      const p = await post.done;
      await account('SIGKILL of main, then of the post step', before, {
        text: r.stdout + p.stdout,
        expectClean: false,
      });
    } finally {
      hang.undo();
    }
  });

  test('SIGKILL of the CLI: the instance is named and swept', async () => {
    const { f, before } = await freshCell();
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'hang' });
    const cli = startCli(['build', f.userdataPath], { env: { ...gate.env, ...buildEnv(ids) } });
    await cli.waitForOutput(/launched i-\w+/, 30_000);
    cli.child.kill('SIGKILL');
    const r = await cli.done;
    await account('SIGKILL of the CLI', before, { text: r.stderr, expectClean: false });
  });

  test('SIGKILL of the CLI while its AMI is pending: the instance and the AMI are named and swept', async () => {
    const { f, before } = await freshCell();
    play();
    // The new AMI stays pending (moto makes it available at once); the others (the base AMI, the
    // results of earlier cells) are left as they are. Each image's fields follow its imageId.
    const undo = gate.rewrite('DescribeImages', (body) =>
      body
        .split(/(?=<imageId>)/)
        .map((part) => {
          const id = /^<imageId>(ami-\w+)</.exec(part)?.[1];
          return id && id !== ids.baseAmi && !before.images.has(id) ? imageState('pending')(part) : part;
        })
        .join(''),
    );
    try {
      const cli = startCli(['build', f.userdataPath], { env: { ...gate.env, ...buildEnv(ids) } });
      await cli.waitForOutput(/creating ami-\w+/, 30_000);
      cli.child.kill('SIGKILL');
      const r = await cli.done;
      const imageId = /creating (ami-\w+)/.exec(r.stderr)![1];
      const row = await account('SIGKILL of the CLI, its AMI pending', before, {
        text: r.stderr,
        expectClean: false,
        // The sweep sees the AMI pending too, and discards it.
        sweepEc2: ec2For(gate.endpoint),
      });
      expect(row.instances).toHaveLength(1);
      expect(row.images).toEqual([imageId]);
      expect(row.snapshots.length).toBeGreaterThan(0);
      expect(row.swept).toBe(': discarded pending');
      expect((await ownImages(ec2)).map((i) => i.ImageId)).not.toContain(imageId);
    } finally {
      undo();
    }
  });
});

describe('the cleanup when calls fail', () => {
  test('the CLI exits non-zero, naming the instance, when TerminateInstances fails for good', async () => {
    const { f, before } = await freshCell();
    play();
    const injected = injectFault(gate, 'TerminateInstances', '5xx');
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    let error: Error | undefined;
    try {
      await cliBuild([f.userdataPath], { ...process.env, ...buildEnv(ids) });
    } catch (err) {
      error = err as Error;
    } finally {
      spy.mockRestore();
      injected.undo();
    }
    const live = (await liveInstances(ec2)).map((i) => i.InstanceId!);
    expect(live).toHaveLength(1);
    // The AMI is made and reported; the command still fails, naming the instance left running.
    expect(out).toMatch(/^AMI_ID='?ami-\w+'?$/m);
    expect(error?.message).toContain(`the build instance ${live[0]} could not be terminated`);
    const amiId = /^AMI_ID='?(ami-\w+)'?$/m.exec(out)![1];
    await account('CLI, TerminateInstances failing for good', before, {
      kept: amiId,
      text: error!.message,
      expectClean: false,
    });
  });

  test('CreateImage in flight at a cancel: the AMI is awaited, found and recorded with its tags', async () => {
    const { f, before } = await freshCell();
    play();
    const hold = gate.hold('CreateImage');
    const main = await startMain(f);
    await hold.reached;
    // Its answer comes after the grace: the AMI is found by name, from the state read afresh.
    setTimeout(hold.release, 300);
    const report = await main.bake.cancel({ wait: true, graceMs: 100 });
    await main.done;
    expect(report.problems).toEqual([]);
    expect(report.keptImage).toMatch(/^ami-/);
    expect(main.state.values()[STATE.imageId]).toBe(report.keptImage);
    const row = await account('CreateImage in flight at a cancel (kept)', before, {
      kept: report.keptImage,
      text: main.log(),
      expectClean: true,
    });
    expect(row.images).toEqual([]);
  });

  test('CreateImage in flight at a cancel, its AMI not complete: discarded with its snapshots', async () => {
    const { f, before } = await freshCell();
    play();
    const hold = gate.hold('CreateImage');
    const undo = gate.rewrite('DescribeImages', (body) =>
      // Only the new AMI (not the base AMI of the preflight) stays pending.
      body.includes(`<imageId>${ids.baseAmi}</imageId>`) ? body : imageState('pending')(body),
    );
    try {
      const main = await startMain(f);
      await hold.reached;
      hold.release();
      const report = await main.bake.cancel({ wait: true, graceMs: 2000 });
      await main.done;
      expect(report.problems).toEqual([]);
      expect(report.discardedImage).toMatch(/^ami-/);
      expect(main.log()).toContain(`deregistered the unfinished AMI ${report.discardedImage}`);
      await account('CreateImage in flight at a cancel (discarded)', before, {
        text: main.log(),
        expectClean: true,
      });
      expect((await ownImages(ec2)).map((i) => i.ImageId)).not.toContain(report.discardedImage);
    } finally {
      undo();
    }
  });

  test('an idempotent cleanup: run twice, the second finds nothing to do', async () => {
    const f = await fixture();
    play();
    const main = await startMain(f);
    const { error } = await main.done;
    expect(error).toBeUndefined();
    const { logger } = captureLogger();
    const again = await cleanup({
      ec2: createEc2('us-east-1'),
      quick: createEc2('us-east-1', 1),
      logger,
      state: { ...main.state.values(), [STATE.imageDone]: undefined, [STATE.terminated]: undefined },
      wait: true,
      images: true,
    });
    // The finished AMI is recognised as complete and kept; the instance is already gone.
    expect(again.problems).toEqual([]);
    expect(again.keptImage).toBe(main.state.values()[STATE.imageId]);
    expect(await liveInstances(ec2)).toEqual([]);
  });
});
