/**
 * prepare() end to end on real folders, the user data read back by Debian's cloud-init library
 * (MIME walk, cloud-config part handler and merger, strict schema validation).
 */
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PREPARE_OPTIONS } from '../../src/compile/options.js';
import { prepare, type PrepareInput } from '../../src/compile/prepare.js';
import { named } from '../../src/core/errors.js';
import { nameFor, type Front } from '../../src/core/options.js';
import { parseEnv } from '../../src/core/envfile.js';
import { s3Url } from '../../src/core/parse.js';
import { readWithCloudInit } from '../support/cloudinit.js';
import { recordingLogger, makeSource, tempDir, writeTree, type TreeEntry } from './helpers.js';
import { preparedDigest } from '../../src/core/digest.js';

// Real processes (tar, sh, python3, node bundles) on a CI machine that runs every suite at once.
jest.setTimeout(60_000);

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Errors as the front renders them (the CLI unless `front` says otherwise). */
function run(source: string, { front = 'cli', ...extra }: Partial<PrepareInput> & { front?: Front } = {}) {
  const logger = recordingLogger();
  const target = join(tempDir('amibake-out-'), 'out');
  const promise = prepare({ source, target, awsRegion: 'ap-northeast-1', logger, env: {}, ...extra }).catch(
    (err) => {
      throw named(err, nameFor(PREPARE_OPTIONS, front, 'prepare'));
    },
  );
  return { logger, target: extra.target ?? target, promise };
}

async function expectFailure(tree: Record<string, TreeEntry>, message: string | RegExp, extra = {}) {
  const { target, promise } = run(makeSource(tree), extra);
  await expect(promise).rejects.toThrow(message);
  expect(existsSync(target)).toBe(false);
}

describe('source validation: errors name the file, nothing is written', () => {
  it.each([
    [
      'a name without two digits',
      { 'cloudinit/1_base.cfg': 'a: 1\n' },
      'cloudinit/1_base.cfg: cloud-config files must be named NN_name.cfg',
    ],
    [
      'a name without the underscore',
      { 'cloudinit/10base.cfg': 'a: 1\n' },
      'cloudinit/10base.cfg: cloud-config files must be named',
    ],
    [
      'another extension',
      { 'cloudinit/10_base.json': '{}' },
      'cloudinit/10_base.json: cloud-config files must be named',
    ],
    [
      'the same name with two extensions',
      { 'cloudinit/10_base.cfg': 'a: 1\n', 'cloudinit/10_base.yml': 'b: 1\n' },
      /cloudinit\/10_base.yml: same name as .*cloudinit\/10_base.cfg/,
    ],
    [
      'a name amibake generates',
      { 'cloudinit/50_amibake-fetch.cfg': 'a: 1\n' },
      'cloudinit/50_amibake-fetch.cfg: reserved name',
    ],
    ['a subfolder', { 'cloudinit/10_dir.cfg/x': 'a' }, 'cloudinit/10_dir.cfg: must be a file'],
    [
      'invalid YAML',
      { 'cloudinit/20_bad.yml': 'runcmd:\n  - echo ok\n  bad: [\n' },
      /cloudinit\/20_bad.yml:3:\d+: /,
    ],
    [
      'text that is not UTF-8',
      { 'cloudinit/20_latin1.cfg': Buffer.from('bootcmd:\n  - echo caf\xe9\n', 'latin1') },
      'cloudinit/20_latin1.cfg: not valid UTF-8 text',
    ],
    [
      'a tab as indentation',
      { 'cloudinit/20_tab.yaml': 'runcmd:\n\t- echo\n' },
      /cloudinit\/20_tab.yaml:2:1: Tabs are not allowed as indentation/,
    ],
    [
      'a duplicate key',
      { 'cloudinit/20_dup.cfg': 'a: 1\nruncmd: []\na: 2\n' },
      /cloudinit\/20_dup.cfg:3:1: Map keys must be unique/,
    ],
    [
      'a list instead of a mapping',
      { 'cloudinit/20_list.cfg': '# comment\n- echo hi\n' },
      'cloudinit/20_list.cfg:2: must be a cloud-config mapping (key: value), not a list',
    ],
    [
      'a scalar',
      { 'cloudinit/20_scalar.cfg': 'echo hi\n' },
      'cloudinit/20_scalar.cfg:1: must be a cloud-config mapping',
    ],
    [
      'two documents',
      { 'cloudinit/20_two.cfg': 'a: 1\n---\nb: 2\n' },
      'cloudinit/20_two.cfg:2: more than one YAML document',
    ],
    [
      'power_state',
      { 'cloudinit/30_off.cfg': 'runcmd: []\npower_state:\n  mode: reboot\n' },
      'cloudinit/30_off.cfg:2: power_state is set by amibake',
    ],
    [
      'merge_how',
      { 'cloudinit/30_merge.cfg': 'merge_how: dict(replace)\n' },
      'cloudinit/30_merge.cfg:1: merge_how is not allowed',
    ],
    ['a reserved fs path', { 'fs/var/run/fs.tgz': 'x' }, 'fs/var/run/fs.tgz: reserved path'],
    ['install.sh in fs/', { 'fs/var/run/install.sh': 'x' }, 'fs/var/run/install.sh: reserved path'],
    [
      'a cloudinit symlink out of the source',
      { 'cloudinit/10_host.cfg': { symlink: '/etc/hostname' } },
      /cloudinit\/10_host.cfg: symlink points outside the image source/,
    ],
    [
      'a script symlink out of the source',
      { 'script/install.sh': { symlink: '/bin/true' } },
      /script\/install.sh: symlink points outside the image source/,
    ],
    [
      'a broken cloudinit symlink',
      { 'cloudinit/10_gone.cfg': { symlink: 'nowhere.cfg' } },
      /cloudinit\/10_gone.cfg: broken symlink/,
    ],
    [
      'fs/ itself a symlink out of the source (it would archive the host’s files)',
      { fs: { symlink: '/etc' } },
      /\/fs: symlink points outside the image source \(\/etc\)/,
    ],
    [
      'ami.env a symlink out of the source',
      { 'ami.env': { symlink: '/etc/os-release' } },
      /\/ami.env: symlink points outside the image source/,
    ],
    [
      'a script/ symlink that loops',
      { 'script/install.sh': 'true\n', 'script/lib/again': { symlink: '..' } },
      /script\/lib\/again: symlink loop/,
    ],
    [
      'fs/var/run as a symlink (it would replace the instance’s /var/run -> /run)',
      { 'fs/var/run': { symlink: '../run' }, 'script/install.sh': 'true\n' },
      /\/fs\/var\/run: must be a folder if present: this symlink would replace the instance's \/var\/run/,
    ],
    ['fs/run as a file', { 'fs/run': 'x' }, /\/fs\/run: must be a folder if present: this file/],
    [
      'a list key set to something else (amibake’s entries would be dropped)',
      { 'cloudinit/10_cmd.cfg': '#cloud-config\nruncmd: echo hi\n' },
      /cloudinit\/10_cmd.cfg:2: runcmd must be a list \(cloud-init appends every file's runcmd/,
    ],
    [
      'write_files over amibake’s own files',
      {
        'cloudinit/60_over.cfg':
          'write_files:\n  - path: /etc/ok\n    content: x\n  - path: /var/run/amibake/prepared.env\n    content: x\n',
      },
      /cloudinit\/60_over.cfg:4: write_files path \/var\/run\/amibake\/prepared.env is reserved/,
    ],
  ])('%s', async (_name, tree, message) => {
    await expectFailure(tree as Record<string, TreeEntry>, message);
  });

  it('reports every problem at once', async () => {
    const { promise } = run(
      makeSource({ 'cloudinit/x.cfg': 'a: 1\n', 'cloudinit/20_b.cfg': '- 1\n', 'fs/run/amibake/x': 'y' }),
    );
    const err = await promise.then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/^invalid image source:\n/);
    expect(err).toContain('cloudinit/x.cfg: cloud-config files must be named');
    expect(err).toContain('cloudinit/20_b.cfg:1: must be a cloud-config mapping');
    expect(err).toContain('fs/run/amibake: reserved path');
  });

  it.each([
    ['missing', null, 'ami.env: missing (it must set NAME and VERSION'],
    ['without VERSION', 'NAME=web\n', 'ami.env: VERSION is missing'],
    ['with an invalid NAME', 'NAME=a\nVERSION=1\n', /ami.env:1: NAME must be a valid AMI name/],
    ['with shell syntax', 'NAME=$(whoami)\nVERSION=1\n', /ami.env:1: unsupported character in value of NAME/],
    [
      'with a variable of the build job',
      'NAME=web\nVERSION=1\nBUILDAMI_PROFILE=admin\n',
      /ami.env: BUILDAMI_PROFILE would configure the build job that sources vars.env/,
    ],
  ])('ami.env %s', async (_name, text, message) => {
    const source = makeSource();
    if (text === null) execFileSync('rm', [join(source, 'ami.env')]);
    else writeFileSync(join(source, 'ami.env'), text);
    const { target, promise } = run(source);
    await expect(promise).rejects.toThrow(message);
    expect(existsSync(target)).toBe(false);
  });

  it('reads a cloudinit symlink that stays in the source; keeps fs/ symlinks whatever they point to', async () => {
    const source = makeSource({
      'shared/common.yml': 'bootcmd:\n  - echo shared\n',
      'cloudinit/10_common.cfg': { symlink: '../shared/common.yml' },
      'fs/etc/localtime': { symlink: '/usr/share/zoneinfo/UTC' },
      'fs/etc/dangling': { symlink: '/no/such/file' },
    });
    const { target, promise } = run(source);
    const r = await promise;
    const ci = readWithCloudInit(join(target, 'userdata.gz'));
    expect(ci.config.bootcmd).toEqual(['echo shared']);
    expect(r.fsMode).toBe('inline');
  });

  it('resolves fs/ and ami.env linked inside the source the same way with and without compile.sh', async () => {
    const tree = {
      'shared/fs/etc/motd': 'shared\n',
      'shared/ami.env': 'NAME=linked-image\nVERSION=3\n',
      fs: { symlink: 'shared/fs' },
      'ami.env': { symlink: 'shared/ami.env' },
    };
    const plain = await run(makeSource(tree)).promise;
    const compiled = await run(makeSource({ ...tree, 'script/compile.sh': '#!/bin/sh\ntrue\n' })).promise;
    expect(plain.vars).toMatchObject({ NAME: 'linked-image', FS_MODE: 'inline' });
    expect(compiled.vars.PREPARED_DIGEST).toBe(plain.vars.PREPARED_DIGEST);
  });

  it.each([
    ['an absolute', (real: string) => real],
    ['a relative', (real: string) => basename(real)],
  ])('works on a copy when SOURCE is %s symlink: compile.sh never writes to the source', async (_n, to) => {
    const real = makeSource({ 'fs/etc/motd': 'x', 'script/compile.sh': '#!/bin/sh\necho y > fs/etc/new\n' });
    const link = join(dirname(real), `link-${basename(real)}`);
    symlinkSync(to(real), link);
    const r = await run(link).promise;
    expect(r.fsMode).toBe('inline');
    expect(readdirSync(real).sort()).toEqual(['ami.env', 'fs', 'script']);
    expect(readdirSync(join(real, 'fs/etc'))).toEqual(['motd']);
  });

  it('accepts write_files of /run/amibake/no-sanitize, the opt-out of sanitising', async () => {
    const r = await run(
      makeSource({
        'cloudinit/10_keep.cfg':
          'write_files:\n  - path: /run/amibake/no-sanitize\n    content: ssh-host-keys\n',
      }),
    ).promise;
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.config.write_files.map((w: { path: string }) => w.path)).toEqual([
      '/run/amibake/no-sanitize',
      '/run/amibake/amibake.sh',
      '/run/amibake/prepared.env',
    ]);
  });

  it('leaves an existing TARGET as it was and no temporary folder behind when it fails', async () => {
    const target = join(tempDir(), 'out');
    const first = await run(makeSource({ 'fs/etc/motd': 'v1' }), { target }).promise;
    const before = readFileSync(first.userdataPath);
    const scratch = tempDir('amibake-tmpdir-');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const failing = makeSource({
        'fs/etc/motd': 'v2',
        'script/compile.sh': '#!/bin/sh\necho half-done > fs/etc/partial\nexit 1\n',
      });
      await expect(run(failing, { target }).promise).rejects.toThrow('exited with status 1');
    } finally {
      process.env.TMPDIR = saved;
    }
    expect(readdirSync(scratch)).toEqual([]);
    expect(readdirSync(target).sort()).toEqual(['userdata.gz', 'vars.env']);
    expect(readFileSync(first.userdataPath).equals(before)).toBe(true);
  });

  it('has nothing to install for an empty fs/ without install.sh', async () => {
    const source = makeSource({ fs: { dir: 0o755 } });
    const r = await run(source).promise;
    expect(r.fsMode).toBe('none');
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.config.write_files.map((w: { path: string }) => w.path)).not.toContain('/var/run/fs.tgz');
  });

  it('refuses a TARGET inside the source’s fs/ (it would archive itself)', async () => {
    const source = makeSource({ 'fs/etc/motd': 'hi' });
    const { promise } = run(source, { target: join(source, 'fs', 'out') });
    await expect(promise).rejects.toThrow(/^TARGET: .* is inside the image source's fs\//);
  });

  it('refuses a TARGET that is a file, naming the argument (CLI) or the input (action)', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'keep');
    await expect(run(makeSource(), { target: file }).promise).rejects.toThrow(
      /^TARGET: .*file exists and is not a folder$/,
    );
    await expect(run(makeSource(), { target: file, front: 'action' }).promise).rejects.toThrow(
      /^input 'target': .*file exists and is not a folder$/,
    );
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });
});

describe('the user data, as cloud-init reads it', () => {
  const tree = {
    'cloudinit/10_first.cfg':
      '#cloud-config\nhostname: first\npackages: [curl]\nbootcmd:\n  - echo boot-10\nruncmd:\n  - echo run-10\nwrite_files:\n  - path: /etc/first\n    content: "1"\n',
    'cloudinit/60_after.yml': 'hostname: second\npackages: [jq]\nruncmd:\n  - [sh, -c, "echo run-60"]\n',
    'cloudinit/99_last.yaml': 'runcmd:\n  - echo run-99\nbootcmd:\n  - echo boot-99\n',
    'cloudinit/40_empty.cfg': '# nothing yet\n',
    'fs/etc/motd': 'hello\n',
    'script/install.sh': { content: '#!/bin/sh\necho install\n', mode: 0o755 },
  };

  it('merges the files in priority order with the generated events at 50, 51, 98 and 99', async () => {
    const { target, promise, logger } = run(makeSource(tree));
    const r = await promise;
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.warnings).toEqual([]);
    expect(ci.schema).toEqual([]); // strict validation of the merged config
    expect(ci.parts.map((p) => p.filename)).toEqual([
      '10_first.cfg',
      '50_amibake-fetch.cfg',
      '51_amibake-install.cfg',
      '60_after.cfg',
      '98_amibake-log.cfg',
      '99_amibake-shutdown.cfg',
      '99_last.cfg',
    ]);
    for (const p of ci.parts) expect(p.content_type).toBe('text/cloud-config');
    const step = (s: string) => ['/bin/sh', '/run/amibake/amibake.sh', s];
    // Lists append in priority order, never replaced.
    expect(ci.config.runcmd).toEqual([
      'echo run-10',
      step('fetch'),
      step('extract'),
      step('install'),
      ['sh', '-c', 'echo run-60'],
      step('log'),
      'echo run-99',
    ]);
    expect(ci.config.bootcmd).toEqual(['echo boot-10', 'echo boot-99']);
    expect(ci.config.packages).toEqual(['curl', 'jq']);
    expect(ci.config.write_files.map((w: { path: string }) => w.path)).toEqual([
      '/etc/first',
      '/run/amibake/amibake.sh',
      '/run/amibake/prepared.env',
      '/var/run/fs.tgz',
    ]);
    // A scalar set twice: the lower-numbered file wins.
    expect(ci.config.hostname).toBe('first');
    expect(ci.config.power_state).toEqual({
      mode: 'poweroff',
      delay: 'now',
      message: 'amibake: install finished, powering off',
      timeout: 600,
      condition: '/bin/sh /run/amibake/amibake.sh finish; exit 0',
    });
    expect(readdirSync(target).sort()).toEqual(['userdata.gz', 'vars.env']);
    expect(logger.lines.join('\n')).toContain('userdata.gz');
  });

  it('carries fs.tgz inline when it fits: fs/ as the root and install.sh at var/run/install.sh', async () => {
    const { promise } = run(makeSource(tree));
    const r = await promise;
    expect(r.fsMode).toBe('inline');
    expect(r.external).toBe(false);
    expect(r.fsTgzPath).toBeUndefined();
    const ci = readWithCloudInit(r.userdataPath);
    const inline = ci.config.write_files.find((w: { path: string }) => w.path === '/var/run/fs.tgz');
    expect(inline.encoding).toBe('b64');
    const tgz = Buffer.from(inline.content, 'base64');
    expect(sha256(tgz)).toBe(r.vars.FS_SHA256);
    const dir = tempDir();
    writeFileSync(join(dir, 'fs.tgz'), tgz);
    expect(execFileSync('tar', ['-tzf', join(dir, 'fs.tgz')], { encoding: 'utf8' }).split('\n')).toEqual([
      'etc/',
      'etc/motd',
      'var/run/install.sh',
      '',
    ]);
    const env = ci.config.write_files.find((w: { path: string }) => w.path === '/run/amibake/prepared.env');
    expect(parseEnv(env.content, 'prepared.env')).toEqual({
      AMIBAKE_FS_MODE: 'inline',
      AMIBAKE_REGION: 'ap-northeast-1',
      AMIBAKE_FS_SHA256: r.vars.FS_SHA256,
      AMIBAKE_FS_SIZE: r.vars.FS_SIZE,
    });
    expect(env.permissions).toBe('0600');
    expect(r.sizes.userdata).toBeLessThanOrEqual(16_384 - 4_096);
  });

  it('runs end to end from what cloud-init decoded: write_files, the runcmd steps, then finish', async () => {
    const { promise } = run(makeSource(tree));
    const r = await promise;
    const ci = readWithCloudInit(r.userdataPath);
    const root = writeTree(tempDir('amibake-root-'), {
      run: { dir: 0o755 },
      'var/run': { symlink: '../run' },
      'var/tmp': { dir: 0o1777 },
      'run/cloud-init/result.json': '{"v1": {"datasource": "x", "errors": []}}',
    });
    for (const w of ci.config.write_files as { path: string; content: string; encoding?: string }[]) {
      if (w.path === '/etc/first') continue;
      const path = join(root, w.path);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, w.encoding === 'b64' ? Buffer.from(w.content, 'base64') : w.content);
    }
    const env = {
      ...process.env,
      AMIBAKE_ROOT: root,
      AMIBAKE_CONSOLE: join(root, 'console'),
      AMIBAKE_RESULT_WAIT: '0',
    };
    for (const cmd of ci.config.runcmd as unknown[]) {
      if (!Array.isArray(cmd) || cmd[1] !== '/run/amibake/amibake.sh') continue;
      execFileSync('/bin/sh', [join(root, cmd[1]), cmd[2]], { env, stdio: 'pipe' });
    }
    execFileSync('/bin/sh', ['-c', ci.config.power_state.condition.replaceAll('/run/', `${root}/run/`)], {
      env,
      stdio: 'pipe',
    });
    expect(readFileSync(join(root, 'etc/motd'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(root, 'console'), 'utf8')).toBe('AMIBAKE-RESULT status=0\n');
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    expect(existsSync(join(root, 'run/install.sh'))).toBe(false);
  });

  it('reports what cloud-init’s strict schema refuses (the check above can fail)', async () => {
    const r = await run(makeSource({ 'cloudinit/10_bad.cfg': 'hostname: [a, b]\npackages: [curl]\n' }))
      .promise;
    const ci = readWithCloudInit(r.userdataPath);
    expect(new Set(ci.schema.map((e) => e.path))).toEqual(new Set(['hostname']));
    expect(ci.config.packages).toEqual(['curl']);
  });

  it('leaves the file out when a cloudinit file is empty (cloud-init would skip it)', async () => {
    const { promise } = run(makeSource({ 'cloudinit/10_empty.cfg': '' }));
    const r = await promise;
    expect(readWithCloudInit(r.userdataPath).parts.map((p) => p.filename)).not.toContain('10_empty.cfg');
  });

  it('refuses user data over budget, naming the largest cloud-config files', async () => {
    const big = Array.from({ length: 400 }, () => `  - echo ${randomBytes(24).toString('hex')}`).join('\n');
    await expectFailure(
      { 'cloudinit/20_huge.cfg': `runcmd:\n${big}\n` },
      /the user data is \d+ bytes gzip'd, more than the 12288 prepare may use .*20_huge.cfg \(\d+ bytes\)/s,
    );
  });
});

describe('files that do not fit inline go external', () => {
  const payload = () => ({ 'fs/opt/app/blob.bin': randomBytes(64 * 1024), 'fs/etc/app.conf': 'x=1\n' });

  it('needs S3URL, and says so naming the variable (CLI) or the input (action)', async () => {
    await expectFailure(payload(), /^S3URL: is required: the files do not fit in the user data/);
    await expectFailure(payload(), /^input 's3-url': is required/, { front: 'action' });
  });

  it('writes fs.tgz to TARGET and tells the instance where to fetch it', async () => {
    const { target, promise } = run(makeSource(payload()), { s3Url: s3Url('s3://bucket/app/fs.tgz') });
    const r = await promise;
    expect(r.fsMode).toBe('external');
    expect(r.external).toBe(true);
    expect(readdirSync(target).sort()).toEqual(['fs.tgz', 'userdata.gz', 'vars.env']);
    expect(r.files.sort()).toEqual(['fs.tgz', 'userdata.gz', 'vars.env'].map((f) => join(target, f)));
    const tgz = readFileSync(join(target, 'fs.tgz'));
    expect(sha256(tgz)).toBe(r.vars.FS_SHA256);
    expect(String(tgz.length)).toBe(r.vars.FS_SIZE);
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.schema).toEqual([]);
    const paths = ci.config.write_files.map((w: { path: string }) => w.path);
    expect(paths).not.toContain('/var/run/fs.tgz');
    const env = ci.config.write_files.find((w: { path: string }) => w.path === '/run/amibake/prepared.env');
    expect(parseEnv(env.content, 'prepared.env')).toMatchObject({
      AMIBAKE_FS_MODE: 'external',
      AMIBAKE_FS_SHA256: r.vars.FS_SHA256,
      AMIBAKE_S3URL: 's3://bucket/app/fs.tgz',
      AMIBAKE_REGION: 'ap-northeast-1',
    });
  });

  it('removes a stale fs.tgz from TARGET when the files now fit inline', async () => {
    const target = join(tempDir(), 'out');
    await run(makeSource(payload()), { target, s3Url: s3Url('s3://bucket/fs.tgz') }).promise;
    expect(existsSync(join(target, 'fs.tgz'))).toBe(true);
    await run(makeSource({ 'fs/etc/motd': 'small' }), { target }).promise;
    expect(readdirSync(target).sort()).toEqual(['userdata.gz', 'vars.env']);
  });
});

describe('vars.env', () => {
  it('holds the spec’s variables, the checksums and a digest, quoted so that sourcing it is safe', async () => {
    const source = makeSource({
      'ami.env': `NAME=web\nVERSION=2.1\nDESCRIPTION="it's \\"quoted\\" \\$(not run)"\n`,
      'fs/etc/motd': 'x',
    });
    const { target, promise } = run(source, { s3Url: s3Url('s3://bucket/k/fs.tgz'), awsRegion: 'eu-west-1' });
    const r = await promise;
    const text = readFileSync(r.varsPath, 'utf8');
    const vars = parseEnv(text, 'vars.env');
    expect(Object.keys(vars)).toEqual([
      'AWSREGION',
      'S3URL',
      'NAME',
      'VERSION',
      'FS_MODE',
      'FS_SHA256',
      'FS_SIZE',
      'USERDATA_SHA256',
      'DESCRIPTION',
      'PREPARED_DIGEST',
    ]);
    expect(vars).toMatchObject({
      AWSREGION: 'eu-west-1',
      S3URL: 's3://bucket/k/fs.tgz',
      NAME: 'web',
      VERSION: '2.1',
    });
    expect(vars.DESCRIPTION).toBe('it\'s "quoted" $(not run)');
    expect(vars.USERDATA_SHA256).toBe(sha256(readFileSync(join(target, 'userdata.gz'))));
    // The digest the build recomputes from the files (src/core/digest.ts), last in the file.
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^PREPARED_DIGEST=/);
    expect(vars.PREPARED_DIGEST).toBe(
      preparedDigest({ userdataSha256: vars.USERDATA_SHA256, fsMode: 'inline' }),
    );
    expect(vars.PREPARED_DIGEST).not.toBe(
      preparedDigest({ userdataSha256: sha256('other'), fsMode: 'inline' }),
    );
    expect(r.vars).toEqual(vars);
    // A shell sees the same values and runs nothing.
    const shell = execFileSync(
      '/bin/sh',
      ['-c', `. "${r.varsPath}" && printf '%s|%s' "$NAME" "$DESCRIPTION"`],
      {
        encoding: 'utf8',
      },
    );
    expect(shell).toBe('web|it\'s "quoted" $(not run)');
    expect(vars.FS_MODE).toBe('inline');
  });

  it('has no FS_SHA256 when there are no files, and never the caller’s environment', async () => {
    const { promise } = run(makeSource(), { env: { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI', HOME: '/root' } });
    const r = await promise;
    const text = readFileSync(r.varsPath, 'utf8');
    expect(r.vars.FS_MODE).toBe('none');
    expect(r.vars).not.toHaveProperty('FS_SHA256');
    expect(r.vars).not.toHaveProperty('S3URL');
    expect(text).not.toContain('wJalrXUtnFEMI');
    expect(text).not.toContain('HOME');
  });

  it('is the same, byte for byte, with userdata.gz when prepare runs again', async () => {
    const source = makeSource({ 'fs/etc/motd': 'x', 'fs/bin/tool': { content: 'y', mode: 0o4755 } });
    const a = await run(source).promise;
    const b = await run(source).promise;
    expect(readFileSync(a.userdataPath).equals(readFileSync(b.userdataPath))).toBe(true);
    expect(readFileSync(a.varsPath, 'utf8')).toBe(readFileSync(b.varsPath, 'utf8'));
    writeFileSync(join(source, 'fs/etc/motd'), 'changed');
    const c = await run(source).promise;
    expect(c.vars.PREPARED_DIGEST).not.toBe(a.vars.PREPARED_DIGEST);
  });
});

describe('script/compile.sh', () => {
  const recorder = `#!/bin/sh
set -eu
env > "$AMIBAKE_SOURCE.env-seen" 2>/dev/null || true
pwd > "$AMIBAKE_SOURCE.pwd"
ls cloudinit > "$AMIBAKE_SOURCE.cloudinit"
mkdir -p fs/opt/app
echo "built for $AWSREGION" > fs/opt/app/build.txt
printf 'runcmd:\\n  - echo from-compile\\n' > cloudinit/70_compiled.cfg
echo "APP_BUILD=42" >> "$AMIBAKE_VARS"
echo "APP_NOTE='two words'" >> "$AMIBAKE_VARS"
echo "compile done"
`;

  it('runs in a work folder with AWSREGION, S3URL and $AMIBAKE_VARS, and its additions are prepared', async () => {
    const source = makeSource({
      'script/compile.sh': { content: recorder, mode: 0o755 },
      'fs/etc/motd': 'x',
    });
    const { promise, logger } = run(source, {
      s3Url: s3Url('s3://bucket/fs.tgz'),
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secretvalue' },
    });
    const r = await promise;
    const seen = parseEnvLines(readFileSync(`${source}.env-seen`, 'utf8'));
    expect(seen.AWSREGION).toBe('ap-northeast-1');
    expect(seen.S3URL).toBe('s3://bucket/fs.tgz');
    expect(seen.AMIBAKE_VARS).toBeTruthy();
    // Never the caller's credentials; the SDKs and CLI cannot find others either.
    expect(seen.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(seen.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(seen.AWS_SHARED_CREDENTIALS_FILE).toBe('/dev/null');
    expect(seen.AWS_EC2_METADATA_DISABLED).toBe('true');
    expect(logger.warnings.join('\n')).toMatch(
      /the prepare environment holds cloud credentials \(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\)/,
    );
    expect(logger.warnings.join('\n')).not.toContain('secretvalue');
    // The work folder is a copy with the generated files, not the source.
    const pwd = readFileSync(`${source}.pwd`, 'utf8').trim();
    expect(pwd).not.toBe(source);
    expect(readFileSync(`${source}.cloudinit`, 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['50_amibake-fetch.cfg', '51_amibake-install.cfg', '99_amibake-shutdown.cfg']),
    );
    expect(existsSync(pwd)).toBe(false);
    expect(existsSync(join(source, 'fs/opt'))).toBe(false);
    expect(existsSync(join(source, 'cloudinit'))).toBe(false);
    expect(logger.lines).toContain('compile done');
    // What it added is in the user data and the files, and its variables in vars.env.
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.parts.map((p) => p.filename)).toContain('70_compiled.cfg');
    expect(ci.config.runcmd).toContain('echo from-compile');
    expect(ci.schema).toEqual([]);
    const inline = ci.config.write_files.find((w: { path: string }) => w.path === '/var/run/fs.tgz');
    const dir = tempDir();
    writeFileSync(join(dir, 'fs.tgz'), Buffer.from(inline.content, 'base64'));
    expect(
      execFileSync('tar', ['-xzOf', join(dir, 'fs.tgz'), 'opt/app/build.txt'], { encoding: 'utf8' }),
    ).toBe('built for ap-northeast-1\n');
    expect(r.vars).toMatchObject({ APP_BUILD: '42', APP_NOTE: 'two words' });
  });

  it('warns about a shared credentials file as well (compile.sh is pointed away from it)', async () => {
    const home = writeTree(tempDir('amibake-home-'), { '.aws/credentials': '[default]\n' });
    const { promise, logger } = run(makeSource(), { env: { HOME: home } });
    await promise;
    expect(logger.warnings).toEqual([
      expect.stringContaining(`the prepare environment holds cloud credentials (${home}/.aws/credentials)`),
    ]);
    const quiet = run(makeSource(), { env: { HOME: tempDir() } });
    await quiet.promise;
    expect(quiet.logger.warnings).toEqual([]);
  });

  it('fails the stage when it exits non-zero, showing its output', async () => {
    await expectFailure(
      { 'script/compile.sh': '#!/bin/sh\necho "fetching release"\necho "404 not found" >&2\nexit 3\n' },
      /script\/compile.sh exited with status 3; the end of its output:\nfetching release\n404 not found$/,
    );
  });

  it('finds the node that runs amibake on its PATH', async () => {
    const source = makeSource({
      'script/compile.sh': '#!/bin/sh\necho "NODE_SAYS=$(node -p 6*7)" >> "$AMIBAKE_VARS"\n',
    });
    // A PATH without node: only amibake's addition can find it.
    const r = await run(source, { env: { PATH: tempDir() } }).promise;
    expect(r.vars.NODE_SAYS).toBe('42');
  });

  it('runs without a shebang and without the executable bit, with sh', async () => {
    const source = makeSource({
      'script/compile.sh': { content: 'echo "K=v" >> "$AMIBAKE_VARS"\n', mode: 0o644 },
    });
    const r = await run(source).promise;
    expect(r.vars.K).toBe('v');
  });

  it.each([
    [
      'a variable amibake sets',
      'echo NAME=other >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: NAME is set by amibake/,
    ],
    [
      'a variable ami.env sets',
      'echo EXTRA=2 >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: EXTRA is already set by ami.env/,
    ],
    [
      'PATH',
      'echo PATH=/tmp >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: PATH would change the shell that sources vars.env/,
    ],
    [
      'a name bash keeps read-only (sourcing vars.env would fail)',
      'echo UID=0 >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: UID would change the shell that sources vars.env/,
    ],
    [
      'a variable of the build job',
      'echo BUILDAMI_KEYPAIR=mine >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: BUILDAMI_KEYPAIR would configure the build job that sources vars.env/,
    ],
    [
      'an AWS variable',
      'echo AWS_ENDPOINT_URL=http://127.0.0.1:1 >> "$AMIBAKE_VARS"',
      /\$AMIBAKE_VARS: AWS_ENDPOINT_URL would configure the build job/,
    ],
    [
      'an invalid line',
      'echo "not a variable" >> "$AMIBAKE_VARS"',
      /compile.sh: \$AMIBAKE_VARS:1: expected NAME=value/,
    ],
  ])('refuses %s', async (_n, line, message) => {
    await expectFailure(
      { 'ami.env': 'NAME=test-image\nVERSION=1\nEXTRA=1\n', 'script/compile.sh': `#!/bin/sh\n${line}\n` },
      message,
    );
  });

  it('names files it wrote when they are invalid', async () => {
    await expectFailure(
      { 'script/compile.sh': '#!/bin/sh\nmkdir -p cloudinit\necho "- a" > cloudinit/20_gen.cfg\n' },
      /cloudinit\/20_gen.cfg \(written by .*script\/compile.sh\):1: must be a cloud-config mapping/,
    );
  });

  it.each([
    [
      'an interpreter that is not installed',
      '#!/usr/bin/no-such-shell\necho hi\n',
      /could not run: its interpreter \(\/usr\/bin\/no-such-shell\) was not found/,
    ],
    [
      'Windows line endings',
      '#!/bin/sh\r\necho hi\r\n',
      /script\/compile.sh:1: the #! line ends with a carriage return/,
    ],
  ])('says why it cannot run: %s', async (_n, script, message) => {
    await expectFailure({ 'script/compile.sh': script }, message);
  });

  it('names ami.env as compile.sh left it when that is invalid', async () => {
    await expectFailure(
      { 'script/compile.sh': '#!/bin/sh\necho VERSION=1 > ami.env\n' },
      /ami.env \(as .*script\/compile.sh left it\): NAME is missing/,
    );
    await expectFailure(
      { 'script/compile.sh': '#!/bin/sh\necho AWS_PROFILE=admin >> ami.env\n' },
      /ami.env \(as .*script\/compile.sh left it\): AWS_PROFILE would configure the build job/,
    );
  });

  it('may write ami.env', async () => {
    const source = makeSource({ 'script/compile.sh': '#!/bin/sh\necho VERSION=9.9.9 >> ami.env\n' });
    writeFileSync(join(source, 'ami.env'), 'NAME=test-image\n');
    const r = await run(source).promise;
    expect(r.vars.VERSION).toBe('9.9.9');
  });
});

describe('examples/', () => {
  it('web-server fits inline and is valid cloud-config', async () => {
    const r = await run('examples/web-server').promise;
    expect(r.fsMode).toBe('inline');
    expect(r.vars).toMatchObject({ NAME: 'amibake-web-server', WEB_PORT: '80' });
    const ci = readWithCloudInit(r.userdataPath);
    expect(ci.schema).toEqual([]);
    expect(ci.warnings).toEqual([]);
    const inline = ci.config.write_files.find((w: { path: string }) => w.path === '/var/run/fs.tgz');
    const list = execFileSync('tar', ['-tvzf', '-', '--numeric-owner'], {
      input: Buffer.from(inline.content, 'base64'),
      encoding: 'utf8',
    });
    expect(list).toMatch(/-rw-r--r-- 0\/0 .* etc\/systemd\/system\/amibake-web.service/);
    expect(list).toMatch(/-rwx------ 0\/0 .* var\/run\/install.sh/);
    expect(list).toContain('srv/www/version.txt');
  });

  it('big-payload must go external', async () => {
    await expect(run('examples/big-payload').promise).rejects.toThrow('S3URL: is required');
    const r = await run('examples/big-payload', { s3Url: s3Url('s3://bucket/big/fs.tgz') }).promise;
    expect(r.fsMode).toBe('external');
    expect(r.sizes.fsTgz).toBeGreaterThan(384 * 1024);
    expect(r.vars.PAYLOAD_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(readWithCloudInit(r.userdataPath).schema).toEqual([]);
    // Reproducible although compile.sh generated the payload.
    const again = await run('examples/big-payload', { s3Url: s3Url('s3://bucket/big/fs.tgz') }).promise;
    expect(again.vars.PREPARED_DIGEST).toBe(r.vars.PREPARED_DIGEST);
    expect(gunzipSync(readFileSync(r.fsTgzPath!)).length).toBeGreaterThan(384 * 1024);
  });
});

function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
