/**
 * Attack: the image source's install prints GitHub workflow commands on the instance's console
 * and into its install log, hoping the credentialed build job's runner acts on them (set an
 * output such as ami-id, mask or unmask text, end a group, stop command processing, annotate).
 * Defence (src/core/inert.ts, Logger.untrusted): instance text is printed between
 * `::stop-commands::TOKEN` and `::TOKEN::` with a fresh token, every line neutralised, and no error
 * message carries instance text. Checked with an emulation of the runner's command processing
 * (test/support/workflow-commands.ts) over the real bundles' output, against moto.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { createActionLogger, createCliLogger } from '../../src/core/log.js';
import { inertBlock, neutralise } from '../../src/core/inert.js';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { startGate, useMoto, type Gate } from '../support/moto.js';
import { runAction, startCli } from '../support/runner.js';
import { runnerCommands, type RunnerCommand } from '../support/workflow-commands.js';
import { makePrepared } from '../bake/fixture.js';
import {
  actionInputs,
  BUCKET,
  buildEnv,
  ec2For,
  liveInstances,
  motoIds,
  objects,
  ownImages,
  type MotoIds,
} from '../bake/helpers.js';

jest.setTimeout(90_000);

/** Every attempt carries `pwned`, so a command the runner would act on is recognised as the
 *  instance's. */
const ATTACKS = [
  '::set-output name=ami-id::ami-pwned',
  '::add-mask::pwned-mask',
  '::error title=pwned::pwned error',
  '::endgroup::pwned',
  '::group::pwned group',
  '::stop-commands::pwned-token',
  '::pwned-token::',
  '::endtoken::pwned',
  '::ENDTOKEN::pwned',
  '::amibake-00000000000000000000000000000000::pwned',
  '##[set-output name=ami-id;]ami-pwned',
  '##[add-mask]pwned',
  '##[endgroup]pwned',
  'booting ##[set-output name=ami-id;]ami-pwned',
  '[   52.912345] cloud-init[450]: ##[set-output name=ami-id;]ami-pwned',
  '[   52.9] cloud-init[450]: ::set-output name=ami-id::not at the start, pwned',
  '\u0085::set-output name=ami-id::pwned-0085',
  '\u00a0::warning::pwned-00a0',
  '\u2028::save-state name=instance-id::pwned-2028',
  '\u2000\u3000::set-env name=X::pwned-2000',
  '\ufeff::debug::pwned-feff',
  '\t \u000b::notice::pwned-tab',
  'carriage return\r::set-output name=ami-id::pwned-cr',
  'AMIBAKE-RESULT status=0 ::set-output name=ami-id::pwned-result-line',
];
const CORPUS = ATTACKS.join('\n') + '\n';

const fromInstance = (cmds: RunnerCommand[]) =>
  cmds.filter((c) => /pwned/i.test(c.line) || /pwned/i.test(c.data));

/** The commands the runner acts on are amibake's own, and every stop-commands is resumed by its
 *  own token on the next command. Returns the blocks' tokens. */
function ownCommandsOnly(cmds: RunnerCommand[]): string[] {
  expect(fromInstance(cmds)).toEqual([]);
  const tokens: string[] = [];
  cmds.forEach((c, i) => {
    if (c.command !== 'stop-commands') return;
    expect(c.data).toMatch(/^amibake-[0-9a-f]{32}$/);
    expect(cmds[i + 1]?.command).toBe(c.data);
    tokens.push(c.data);
  });
  const names = new Set(cmds.map((c) => c.command).filter((n) => !tokens.includes(n)));
  for (const n of names)
    expect(['stop-commands', 'group', 'endgroup', 'add-mask', 'error', 'warning', 'debug']).toContain(n);
  return tokens;
}

describe('the runner emulation', () => {
  test('takes every attempt of the corpus for a command when nothing guards it', () => {
    // The attacks are real: printed raw, the runner would act on (nearly) each of them.
    const raw = runnerCommands(CORPUS);
    expect(raw.map((c) => c.data)).toEqual(
      expect.arrayContaining(['ami-pwned', 'pwned-mask', 'pwned-0085', 'pwned-2028', 'pwned-cr']),
    );
    // U+FEFF is not whitespace to .NET (Core): that one is neutralised for defence in depth only.
    expect(raw.map((c) => c.data)).not.toContain('pwned-feff');
    // stop-commands with a guessed token: everything after it is ignored until the guess.
    expect(raw.some((c) => c.command === 'stop-commands')).toBe(true);
  });

  test('an empty stop-commands token is never resumed; tokens resume case-insensitively', () => {
    expect(runnerCommands('::stop-commands::\n::::\n::error::x\n').map((c) => c.command)).toEqual([
      'stop-commands',
    ]);
    expect(
      runnerCommands('::stop-commands::Abc\n::error::no\n::aBC::\n::error::yes\n').map((c) => c.data),
    ).toEqual(['Abc', '', 'yes']);
  });
});

describe('inert blocks', () => {
  test('the neutralised lines alone (no stop-commands) carry no command: defence in depth', () => {
    expect(fromInstance(runnerCommands(neutralise(CORPUS).join('\n')))).toEqual([]);
    // The text reads the same, less the zero-width spaces.
    expect(
      neutralise(CORPUS)
        .join('\n')
        .replace(/\u200b/g, ''),
    ).toBe(CORPUS.replace(/\n$/, '').replace(/\r/g, '\n'));
  });

  test('a fresh 128-bit token per block, never one the text holds', () => {
    const a = inertBlock('x', true);
    const b = inertBlock('x', true);
    expect(a[0]).toMatch(/^::stop-commands::amibake-[0-9a-f]{32}$/);
    expect(a[0]).not.toBe(b[0]);
    expect(a.at(-1)).toBe(`::${a[0].slice('::stop-commands::'.length)}::`);
    expect(inertBlock('x', false)).toEqual(['x']);
  });

  test('CLI logger: fenced under GITHUB_ACTIONS, amibake lines outside the block', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    const logger = createCliLogger(stream, false, true);
    logger.mask('secret-url');
    await logger.group('Install output', async () => logger.untrusted(CORPUS + 'secret-url\n'));
    logger.untrusted(CORPUS, 'Last lines of the install log:');
    expect(ownCommandsOnly(runnerCommands(text))).toHaveLength(2);
    expect(text).not.toContain('secret-url');
    expect(text).toContain('Last lines of the install log:\n::stop-commands::amibake-');
  });

  test('action logger: group, mask and error stay commands; the instance text does not', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (writes.push(String(s)), true));
    try {
      const logger = await createActionLogger();
      await logger.group('Install output (console of i-1)', async () => {
        logger.untrusted(CORPUS);
        logger.mask('https://bucket/presigned');
        logger.untrusted(CORPUS);
      });
      logger.untrusted(CORPUS, 'Last lines of the install log:');
      const core = await import('@actions/core');
      core.error('the install failed (status 3); no AMI was created');
    } finally {
      spy.mockRestore();
    }
    const cmds = runnerCommands(writes.join(''));
    const tokens = ownCommandsOnly(cmds);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    expect(cmds.map((c) => c.command).filter((n) => !tokens.includes(n) && n !== 'stop-commands')).toEqual([
      'group',
      'add-mask',
      'endgroup',
      'error',
    ]);
  });
});

describe('through the real bundles, against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let ids: MotoIds;
  let double: InstanceDouble | undefined;
  let gate: Gate | undefined;
  /** moto's own snapshots (of its built-in AMIs). */
  let motoSnapshots: Set<string>;

  beforeEach(async () => {
    await m.moto.reset();
    ids = await motoIds(m.moto.endpoint);
    motoSnapshots = new Set((await snapshots()).map((s) => s.SnapshotId!));
    gate = await startGate(m.moto);
    // The console the instance prints: the corpus between plausible boot lines.
    const console = `[    0.000000] Linux version 6.1.0-18-cloud-amd64\n${CORPUS}[   60.1] reboot: Power down\n`;
    gate.rewrite('GetConsoleOutput', (body) =>
      body.replace(/<output>[^<]*<\/output>/, `<output>${Buffer.from(console).toString('base64')}</output>`),
    );
  }, 30_000);
  afterEach(async () => {
    await double?.stop();
    await gate?.stop();
    double = undefined;
    gate = undefined;
  });

  const snapshots = async () =>
    (await ec2For(m.moto.endpoint).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ??
    [];

  async function nothingLeft(stagingPrefix: string) {
    const ec2 = ec2For(m.moto.endpoint);
    expect(await liveInstances(ec2)).toEqual([]);
    expect(await ownImages(ec2)).toEqual([]);
    expect((await snapshots()).filter((s) => !motoSnapshots.has(s.SnapshotId!))).toEqual([]);
    // Only the bake's own staging objects (fs.tgz, its result and its log).
    for (const key of await objects(m.moto.endpoint)) expect(key.startsWith(stagingPrefix)).toBe(true);
  }

  test('action-build: console stream and install-log tail are inert; the step fails with a message free of instance text', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/amibake/fs.tgz` });
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'fail', log: CORPUS });
    const main = await runAction('build', {
      inputs: actionInputs(ids, f.dir, {
        // The action writes only where its own configuration says (never vars.env's S3URL).
        'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz`,
        'artifact-name': 'amibake',
        'allow-no-result': 'false',
      }),
      env: gate!.env,
    });
    expect(main.code).toBe(1);
    // The corpus was printed (console and log: twice), neutralised.
    expect(main.stdout.split('\u200b::set-output name=ami-id::ami-pwned').length - 1).toBeGreaterThanOrEqual(
      2,
    );
    expect(main.stdout).toContain('cloud-init[450]: ##\u200b[set-output');

    const cmds = runnerCommands(main.stdout);
    const tokens = ownCommandsOnly(cmds);
    expect(tokens.length).toBeGreaterThanOrEqual(2); // the console stream, the log tail
    const own = cmds.filter((c) => !tokens.includes(c.command) && c.command !== 'stop-commands');
    expect(own.map((c) => c.command)).toEqual(
      expect.arrayContaining(['group', 'endgroup', 'add-mask', 'error']),
    );
    // The group closes outside any block, the masks are issued outside, the error refers to the block.
    const [error] = own.filter((c) => c.command === 'error');
    expect(error.data).toMatch(
      /^the install failed \(status 3\); no AMI was created\. The last lines of the install log are printed above$/,
    );
    expect(main.stdout).toMatch(/^Last lines of the install log:\n::stop-commands::amibake-[0-9a-f]{32}\n/m);
    expect(Object.keys(main.outputs)).not.toContain('pwned');
    expect(JSON.stringify(main.outputs) + JSON.stringify(main.state)).not.toMatch(/pwned/);
    await nothingLeft('amibake/');
  });

  test('the CLI with GITHUB_ACTIONS=true: the same on stderr, and the console tail of a silent stop', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/amibake/fs.tgz` });
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'silent' });
    const cli = startCli(['build', f.userdataPath], {
      env: { ...gate!.env, ...buildEnv(ids), GITHUB_ACTIONS: 'true' },
    });
    const r = await cli.done;
    expect(r.code).toBe(1);
    const cmds = runnerCommands(r.stderr);
    const tokens = ownCommandsOnly(cmds);
    expect(tokens.length).toBeGreaterThanOrEqual(2); // the console stream, the console tail
    expect(r.stderr).toMatch(/^Last console lines of i-\w+:\n::stop-commands::amibake-/m);
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(
      /^amibake build: the instance i-\w+ stopped without reporting an install result .*; its last console lines are printed above$/,
    );
    expect(r.stdout).toBe('');
    await nothingLeft('amibake/');
  });

  test('the CLI without GITHUB_ACTIONS: no stop-commands, the lines still neutralised', async () => {
    const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/amibake/fs.tgz` });
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'fail', log: CORPUS });
    const r = await startCli(['build', f.userdataPath], { env: { ...gate!.env, ...buildEnv(ids) } }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^::stop-commands::/m);
    expect(fromInstance(runnerCommands(r.stderr))).toEqual([]);
    expect(r.stderr).toContain('\u200b::add-mask::pwned-mask');
    await nothingLeft('amibake/');
  });

  describe('text the artifact carries (vars.env)', () => {
    const INJECTED = '::set-output name=ami-id::ami-pwned';

    test.each(['DESCRIPTION', 'PREPARED_DIGEST', 'S3URL'])(
      'a %s with a line break is refused, naming vars.env and the key, before any AWS call',
      async (key) => {
        const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/amibake/fs.tgz` });
        const text = readFileSync(join(f.dir, 'vars.env'), 'utf8');
        const line = new RegExp(`^${key}=.*$`, 'm');
        const value = `'x\n${INJECTED}\u2028${INJECTED}'`;
        writeFileSync(
          join(f.dir, 'vars.env'),
          line.test(text) ? text.replace(line, `${key}=${value}`) : `${key}=${value}\n${text}`,
        );
        const r = await startCli(['build', f.userdataPath], {
          env: { ...gate!.env, ...buildEnv(ids), GITHUB_ACTIONS: 'true' },
        }).done;
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`vars.env: ${key} holds a line break or control character`);
        expect(fromInstance(runnerCommands(r.stderr))).toEqual([]);
        expect(r.stderr).not.toContain('pwned');
        expect(gate!.calls).toEqual([]);
        await nothingLeft('none: no object at all/');
      },
    );

    test('a one-line value quoted by an error is plain text to the runner (the CLI under GitHub Actions)', async () => {
      const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/amibake/fs.tgz` });
      const forged = `forged ##[set-output name=ami-id;]ami-pwned`;
      const text = readFileSync(join(f.dir, 'vars.env'), 'utf8');
      writeFileSync(
        join(f.dir, 'vars.env'),
        text.replace(/^PREPARED_DIGEST=.*$/m, `PREPARED_DIGEST='${forged}'`),
      );
      const r = await startCli(['build', f.userdataPath], {
        env: { ...gate!.env, ...buildEnv(ids), GITHUB_ACTIONS: 'true' },
      }).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/PREPARED_DIGEST/);
      // Quoted, and inert: the runner sees no command in it.
      expect(r.stderr).toContain('##\u200b[set-output name=ami-id;]ami-pwned');
      expect(fromInstance(runnerCommands(r.stderr))).toEqual([]);
      expect(gate!.calls).toEqual([]);
      await nothingLeft('none: no object at all/');
    });

    test("action-build's dry-run plan prints vars.env's DESCRIPTION as plain text", async () => {
      const f = await makePrepared({
        extraVars: { DESCRIPTION: 'web ##[set-output name=ami-id;]ami-pwned' },
      });
      const main = await runAction('build', {
        inputs: actionInputs(ids, f.dir, { 'artifact-name': 'amibake', 'dry-run': 'true' }),
        env: gate!.env,
      });
      expect(main.code).toBe(0);
      expect(main.stdout).toContain('web ##\u200b[set-output name=ami-id;]ami-pwned');
      expect(fromInstance(runnerCommands(main.stdout))).toEqual([]);
      expect(Object.values(main.outputs ?? {}).join('\n')).not.toContain('pwned');
      await nothingLeft('none: no object at all/');
    });
  });
});
