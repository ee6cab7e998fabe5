/**
 * The guest script (src/compile/guest/amibake.sh, as the user data carries it) run with dash against a
 * temporary root: real GNU tar, curl and python3, a loopback HTTP server in place of presigned S3 URLs.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { formatEnv } from '../../src/core/envfile.js';
import { RESULT_LINE_RE } from '../../src/core/contract.js';
import { buildFsTgz } from '../../src/compile/fstgz.js';
import {
  runGuest,
  startServer,
  tempDir,
  toolPath,
  writeGuestScript,
  writeTree,
  type TestServer,
} from './helpers.js';

// Real processes (tar, sh, python3, node bundles) on a CI machine that runs every suite at once.
jest.setTimeout(60_000);

const SECRET = 'X-Amz-Signature=0123456789abcdefsecret';
const LOG_SECRET = 'amibake-log-secret-5b1f';
const TMP_SECRET = 'amibake-tmp-secret-c07e';
// The build key pair's key as the instance metadata has it, the same key as cloud-init writes it
// for root (with the options that point to the default user), and a key the image source installs.
const BUILD_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuildKeyPair0000000000000000000000000000 amibake-build';
const ROOT_BUILD_KEY =
  'no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo \'Please login as the user \\"admin\\" ' +
  'rather than the user \\"root\\".\';echo;sleep 10;exit 142" ' +
  BUILD_KEY;
const USER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIUserKey00000000000000000000000000000000 ops@example';
const INSTANCE_DATA = JSON.stringify({ v1: { cloud_name: 'aws', public_ssh_keys: [BUILD_KEY] } });
let server: TestServer;
let script: string;
let fsTgz: Buffer;
let fsSha: string;

const RESULT_OK = JSON.stringify({ v1: { datasource: 'DataSourceNoCloud', errors: [] } }, null, 1);
const RESULT_ERR = JSON.stringify(
  {
    v1: {
      datasource: 'DataSourceNoCloud',
      errors: ["('scripts_user', RuntimeError('Runparts: 1 failures'))"],
    },
  },
  null,
  1,
);

/** An instance's root as far as the script cares: merged /usr, /var/run -> /run, cloud-init's state. */
function guestRoot(): string {
  const root = tempDir('amibake-root-');
  writeTree(root, {
    etc: { dir: 0o755 },
    'etc/machine-id': '0123456789abcdef0123456789abcdef\n',
    'etc/ssh/ssh_host_ed25519_key': 'private',
    'etc/ssh/ssh_host_ed25519_key.pub': 'public',
    'etc/ssh/sshd_config': 'PermitRootLogin no\n',
    'usr/lib/existing.so': 'old',
    lib: { symlink: 'usr/lib' },
    run: { dir: 0o755 },
    'run/amibake': { dir: 0o700 },
    'run/cloud-init/result.json': RESULT_OK,
    'var/run': { symlink: '../run' },
    'var/tmp': { dir: 0o1777 },
    'var/lib/cloud/instances/i-0123/user-data.txt': 'AMIBAKE_FS_URL=presigned',
    'var/lib/cloud/instance': { symlink: 'instances/i-0123' },
    'var/lib/cloud/seed/nocloud/meta-data': 'instance-id: i-0123\n',
    'var/lib/dbus/machine-id': { symlink: '/etc/machine-id' },
    'var/log/cloud-init.log': 'cloud-init debug log\n',
    'var/log/cloud-init-output.log': 'Cloud-init v. 22.4.2 running modules:final\nhello from runcmd\n',
    'var/log/journal/0123/system.journal': 'journal',
    'root/.bash_history': 'aws s3 ls\n',
    // What virt-sysprep's logfiles, tmp-files and dhcp-client-state remove (Debian, Ubuntu, RHEL names).
    'var/log/syslog': `install: ${LOG_SECRET}\n`,
    'var/log/syslog.1': 'rotated\n',
    'var/log/messages': 'messages\n',
    'var/log/auth.log': 'sudo: root\n',
    'var/log/auth.log.2.gz': 'gzip',
    'var/log/kern.log': 'kernel\n',
    'var/log/daemon.log': 'daemon\n',
    'var/log/user.log': `logger: ${LOG_SECRET}\n`,
    'var/log/apt/history.log': 'Commandline: apt-get install nginx\n',
    'var/log/wtmp': { content: 'wtmp-records', mode: 0o664 },
    'var/log/btmp': { content: 'btmp-records', mode: 0o660 },
    'var/log/lastlog': { content: 'lastlog-records', mode: 0o664 },
    'var/log/private': { dir: 0o750 }, // a service's folder: not a log file virt-sysprep names
    'var/log/private/app.state': 'kept',
    tmp: { dir: 0o1777 },
    'tmp/secret.txt': TMP_SECRET,
    'tmp/.hidden': 'hidden',
    'tmp/build/nested/deep.txt': 'deep',
    'var/tmp/cache.bin': TMP_SECRET,
    'var/lib/dhcp/dhclient.eth0.leases': 'lease { fixed-address 10.0.2.15; }\n',
    'var/lib/dhclient/dhclient--eth0.lease': 'lease {}\n',
    'var/lib/NetworkManager/internal-0123-eth0.lease': 'ADDRESS=10.0.2.15\n',
    'var/lib/NetworkManager/NetworkManager.state': 'kept',
    'var/lib/dhcpcd/eth0.lease': 'lease',
    'run/systemd/netif/leases/2': 'ADDRESS=10.0.2.15\n',
    'root/.ssh/authorized_keys': { content: `${ROOT_BUILD_KEY}\n`, mode: 0o600 },
    'home/admin/.ssh/authorized_keys': { content: `${USER_KEY}\n${BUILD_KEY}\n`, mode: 0o600 },
    'home/admin/.bash_history': 'history\n',
  });
  return root;
}

/** Hard links outside the root to files sanitising removes: they see the inode's bytes after the
 *  unlink, as the free blocks of a disk would. */
function witnesses(root: string, paths: string[]): Map<string, string> {
  const dir = tempDir('amibake-witness-');
  const out = new Map<string, string>();
  for (const [i, p] of paths.entries()) {
    const w = join(dir, String(i));
    linkSync(join(root, p), w);
    out.set(p, w);
  }
  return out;
}

function prepared(root: string, vars: Record<string, string>) {
  writeFileSync(
    join(root, 'run/amibake/prepared.env'),
    formatEnv({ AMIBAKE_REGION: 'ap-northeast-1', ...vars }),
  );
}

function stage(root: string, vars: Record<string, string>) {
  writeFileSync(join(root, 'run/amibake/stage.env'), formatEnv(vars), { mode: 0o600 });
}

const steps = (root: string) => readFileSync(join(root, 'run/amibake/steps'), 'utf8');
const consoleLines = (root: string) =>
  existsSync(join(root, 'console'))
    ? readFileSync(join(root, 'console'), 'utf8').split('\n').filter(Boolean)
    : [];
const mode = (p: string) => statSync(p).mode & 0o7777;

beforeAll(async () => {
  server = await startServer();
  const dir = tempDir();
  script = writeGuestScript(dir);
  // The image files: owned by a user on the build machine, with modes that must survive exactly.
  const fs = writeTree(join(dir, 'fs'), {
    etc: { dir: 0o700 }, // must not change the instance's /etc
    'etc/motd': 'baked by amibake\n',
    'lib/extra/libextra.so': 'ELF', // through /lib -> usr/lib
    'usr/local/bin/tool': { content: '#!/bin/sh\n', mode: 0o4755 },
    'srv/shared': { dir: 0o1777 },
    'srv/group': { dir: 0o2775 },
    'srv/shared/file': { content: 'x', mode: 0o664 },
    'usr/local/bin/tool-link': { symlink: 'tool' },
  });
  for (const p of ['etc', 'etc/motd', 'usr/local/bin/tool', 'srv/shared/file'])
    chownSync(join(fs, p), 1000, 1000);
  chmodSync(join(fs, 'usr/local/bin/tool'), 0o4755); // chown cleared setuid
  writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\necho "installing into $AMIBAKE_ROOT"\n');
  const out = join(dir, 'fs.tgz');
  const r = await buildFsTgz({ fsDir: fs, installSh: join(dir, 'install.sh'), out });
  fsTgz = readFileSync(out);
  fsSha = r.sha256;
});

afterAll(async () => {
  await server.close();
});

describe('fetch', () => {
  it('accepts the inline fs.tgz written by write_files when its sha256 matches', async () => {
    const root = guestRoot();
    writeFileSync(join(root, 'run/fs.tgz'), fsTgz);
    prepared(root, { AMIBAKE_FS_MODE: 'inline', AMIBAKE_FS_SHA256: fsSha });
    const r = await runGuest(script, root, 'fetch');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`fs.tgz verified (sha256 ${fsSha})`);
    expect(steps(root)).toBe('fetch 0\n');
  });

  it('records nothing to do when prepare produced no files', async () => {
    const root = guestRoot();
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    for (const cmd of ['fetch', 'extract', 'install'])
      expect((await runGuest(script, root, cmd)).code).toBe(0);
    expect(steps(root)).toBe('fetch 0\nextract 0\ninstall 0\n');
  });

  it.each([
    ['curl', []],
    ['python3 when curl is missing', ['curl']],
  ])(
    'downloads the external fs.tgz from the presigned URL with %s, never printing the URL',
    async (_n, without) => {
      const root = guestRoot();
      server.serve('/bucket/fs.tgz', fsTgz);
      prepared(root, {
        AMIBAKE_FS_MODE: 'external',
        AMIBAKE_FS_SHA256: fsSha,
        AMIBAKE_FS_SIZE: String(fsTgz.length),
        AMIBAKE_S3URL: 's3://bucket/fs.tgz',
      });
      stage(root, { AMIBAKE_FS_URL: `${server.base}/bucket/fs.tgz?${SECRET}` });
      const before = server.requests.length;
      const r = await runGuest(script, root, 'fetch', { PATH: toolPath(tempDir(), without as string[]) });
      expect(r.stderr + r.stdout).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(server.base);
      expect(r.code).toBe(0);
      expect(server.requests.slice(before).map((q) => `${q.method} ${q.url}`)).toEqual([
        `GET /bucket/fs.tgz?${SECRET}`,
      ]);
      expect(readFileSync(join(root, 'run/fs.tgz')).equals(fsTgz)).toBe(true);
      expect(steps(root)).toBe('fetch 0\n');
    },
  );

  it.each([
    ['curl', []],
    ['python3', ['curl']],
  ])('fails the download on an HTTP error (%s) and says so without the URL', async (_n, without) => {
    const root = guestRoot();
    server.serve('/bucket/denied.tgz', Buffer.from('AccessDenied'), 403);
    prepared(root, { AMIBAKE_FS_MODE: 'external', AMIBAKE_FS_SHA256: fsSha, AMIBAKE_FS_SIZE: '100' });
    stage(root, { AMIBAKE_FS_URL: `${server.base}/bucket/denied.tgz?${SECRET}` });
    const r = await runGuest(script, root, 'fetch', { PATH: toolPath(tempDir(), without as string[]) });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/HTTP 403/);
    expect(r.stdout).toContain('fs.tgz download failed');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    expect(steps(root)).toBe('fetch 2\n');
  });

  it('fails on a checksum mismatch: nothing is extracted or installed and the status is 3', async () => {
    const root = guestRoot();
    server.serve('/bucket/tampered.tgz', Buffer.concat([fsTgz, Buffer.from('x')]));
    prepared(root, {
      AMIBAKE_FS_MODE: 'external',
      AMIBAKE_FS_SHA256: fsSha,
      AMIBAKE_FS_SIZE: String(fsTgz.length),
    });
    stage(root, { AMIBAKE_FS_URL: `${server.base}/bucket/tampered.tgz?${SECRET}` });
    const f = await runGuest(script, root, 'fetch');
    expect(f.code).toBe(3);
    expect(f.stdout).toContain(`fs.tgz checksum mismatch: expected ${fsSha}`);
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    const x = await runGuest(script, root, 'extract');
    expect(x.stdout).toContain('extract skipped: an earlier step failed');
    await runGuest(script, root, 'install');
    await runGuest(script, root, 'log');
    expect(existsSync(join(root, 'etc/motd'))).toBe(false);
    expect(existsSync(join(root, 'usr/local/bin/tool'))).toBe(false);
    expect(existsSync(join(root, 'run/install.sh'))).toBe(false);
    expect(steps(root)).toBe('fetch 3\nextract skip\ninstall skip\nlog 0\n');
    const fin = await runGuest(script, root, 'finish');
    expect(fin.code).toBe(0);
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=3']);
  });

  it('falls back to `aws s3 cp` with the instance profile when the build gives no presigned URL', async () => {
    const root = guestRoot();
    const dir = tempDir();
    const bin = toolPath(dir);
    // The AWS CLI is not installed here: a stand-in records its arguments and copies the object.
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\necho "$@" > ${join(dir, 'aws-args')}\ncp ${join(dir, 'object')} "$7"\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, 'object'), fsTgz);
    prepared(root, {
      AMIBAKE_FS_MODE: 'external',
      AMIBAKE_FS_SHA256: fsSha,
      AMIBAKE_S3URL: 's3://bucket/app/fs.tgz',
    });
    const r = await runGuest(script, root, 'fetch', { PATH: bin });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'aws-args'), 'utf8').trim()).toBe(
      `s3 cp --only-show-errors --region ap-northeast-1 s3://bucket/app/fs.tgz ${root}/var/run/fs.tgz`,
    );
    expect(r.stdout).toContain('downloading s3://bucket/app/fs.tgz with the instance profile');
  });

  it('stages a large external fs.tgz on disk (/var/tmp) when /run cannot hold it, and removes it after use', async () => {
    const root = guestRoot();
    server.serve('/bucket/large.tgz', fsTgz);
    prepared(root, {
      AMIBAKE_FS_MODE: 'external',
      AMIBAKE_FS_SHA256: fsSha,
      AMIBAKE_FS_SIZE: String(2 ** 50), // more than any tmpfs
    });
    stage(root, { AMIBAKE_FS_URL: `${server.base}/bucket/large.tgz?${SECRET}` });
    expect((await runGuest(script, root, 'fetch')).code).toBe(0);
    expect(readFileSync(join(root, 'var/tmp/amibake-fs.tgz')).equals(fsTgz)).toBe(true);
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    expect((await runGuest(script, root, 'extract')).code).toBe(0);
    expect(readFileSync(join(root, 'etc/motd'), 'utf8')).toBe('baked by amibake\n');
    expect(readdirSync(join(root, 'var/tmp'))).toEqual(['cache.bin']); // the instance's own file stays
  });

  it('fails clearly without a presigned URL and without the AWS CLI', async () => {
    const root = guestRoot();
    prepared(root, {
      AMIBAKE_FS_MODE: 'external',
      AMIBAKE_FS_SHA256: fsSha,
      AMIBAKE_S3URL: 's3://bucket/fs.tgz',
    });
    const r = await runGuest(script, root, 'fetch', { PATH: toolPath(tempDir()) });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('no presigned URL for fs.tgz and no AWS CLI on this image');
  });
});

describe.each([
  ['GNU tar >= 1.27 (--keep-directory-symlink)', {}],
  ['the fallback for older tar (staging folder + merge)', { AMIBAKE_TAR_FALLBACK: '1' }],
])('extract with %s', (_name, env: Record<string, string>) => {
  let root: string;
  let out: string;

  beforeAll(async () => {
    root = guestRoot();
    chownSync(join(root, 'etc'), 1234, 1234); // an owner the archive (0:0) must not replace
    writeFileSync(join(root, 'run/fs.tgz'), fsTgz);
    prepared(root, { AMIBAKE_FS_MODE: 'inline', AMIBAKE_FS_SHA256: fsSha });
    expect((await runGuest(script, root, 'fetch', env)).code).toBe(0);
    const r = await runGuest(script, root, 'extract', env);
    out = r.stdout;
    expect(r.code).toBe(0);
  });

  it('extracts the files, then removes the staged fs.tgz', () => {
    expect(readFileSync(join(root, 'etc/motd'), 'utf8')).toBe('baked by amibake\n');
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    expect(readdirSync(join(root, 'var/tmp'))).toEqual(['cache.bin']); // the instance's own file stays
    expect(steps(root)).toBe('fetch 0\nextract 0\n');
    if (env.AMIBAKE_TAR_FALLBACK) expect(out).toContain('staging folder');
    else expect(out).not.toContain('staging folder');
  });

  it('keeps existing directories as they are (/etc keeps 0755 and its owner)', () => {
    expect(lstatSync(join(root, 'etc')).isDirectory()).toBe(true);
    expect(mode(join(root, 'etc'))).toBe(0o755);
    expect([statSync(join(root, 'etc')).uid, statSync(join(root, 'etc')).gid]).toEqual([1234, 1234]);
  });

  it('keeps directory symlinks (/lib -> usr/lib, /var/run -> ../run) and extracts through them', () => {
    expect(readlinkSync(join(root, 'lib'))).toBe('usr/lib');
    expect(readlinkSync(join(root, 'var/run'))).toBe('../run');
    expect(readFileSync(join(root, 'usr/lib/extra/libextra.so'), 'utf8')).toBe('ELF');
    expect(readFileSync(join(root, 'usr/lib/existing.so'), 'utf8')).toBe('old');
    expect(existsSync(join(root, 'run/install.sh'))).toBe(true);
  });

  it('creates new directories and files with their exact modes, owned by root, symlinks as symlinks', () => {
    expect(mode(join(root, 'srv/shared'))).toBe(0o1777);
    expect(mode(join(root, 'srv/group'))).toBe(0o2775);
    expect(mode(join(root, 'srv/shared/file'))).toBe(0o664);
    expect(mode(join(root, 'usr/local/bin/tool'))).toBe(0o4755);
    for (const p of ['etc/motd', 'usr/local/bin/tool', 'srv/shared/file']) {
      expect(statSync(join(root, p)).uid).toBe(0);
      expect(statSync(join(root, p)).gid).toBe(0);
    }
    expect(readlinkSync(join(root, 'usr/local/bin/tool-link'))).toBe('tool');
  });
});

describe('install', () => {
  it('runs install.sh once the files are in place, then removes it', async () => {
    const root = guestRoot();
    writeFileSync(join(root, 'run/fs.tgz'), fsTgz);
    prepared(root, { AMIBAKE_FS_MODE: 'inline', AMIBAKE_FS_SHA256: fsSha });
    for (const cmd of ['fetch', 'extract']) await runGuest(script, root, cmd);
    const r = await runGuest(script, root, 'install');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installing into ${root}`);
    expect(existsSync(join(root, 'run/install.sh'))).toBe(false);
    expect(steps(root)).toBe('fetch 0\nextract 0\ninstall 0\n');
  });

  it('runs install.sh through the interpreter of its #! line, options included (/run is noexec)', async () => {
    const root = guestRoot();
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    await runGuest(script, root, 'fetch');
    await runGuest(script, root, 'extract');
    writeFileSync(join(root, 'run/install.sh'), '#!/bin/sh -e\necho before\nfalse\necho after\n', {
      mode: 0o644,
    });
    const r = await runGuest(script, root, 'install');
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('before');
    expect(r.stdout).not.toContain('after');
  });

  it('records a failing install.sh (status 5) and runs a script without a shebang with sh', async () => {
    const root = guestRoot();
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    await runGuest(script, root, 'fetch');
    await runGuest(script, root, 'extract');
    writeFileSync(join(root, 'run/install.sh'), 'echo "partial install"\nexit 3\n', { mode: 0o644 });
    const r = await runGuest(script, root, 'install');
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('partial install');
    expect(r.stdout).toContain('install.sh failed (exit 3)');
    expect(steps(root)).toBe('fetch 0\nextract 0\ninstall 5\n');
  });
});

describe('finish', () => {
  async function bake(root: string, env: NodeJS.ProcessEnv = {}) {
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    for (const cmd of ['fetch', 'extract', 'install', 'log']) await runGuest(script, root, cmd, env);
  }

  it.each([
    ['curl', []],
    ['python3 when curl is missing', ['curl']],
  ])(
    'reports success: one result line, result and log PUT to the presigned URLs (%s), image sanitised',
    async (_n, without) => {
      const root = guestRoot();
      await bake(root);
      stage(root, {
        AMIBAKE_RESULT_URL: `${server.base}/bucket/result?${SECRET}`,
        AMIBAKE_LOG_URL: `${server.base}/bucket/log?${SECRET}`,
      });
      const before = server.requests.length;
      const r = await runGuest(script, root, 'finish', { PATH: toolPath(tempDir(), without as string[]) });
      expect(r.code).toBe(0);
      expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
      const reqs = server.requests.slice(before);
      expect(reqs.map((q) => `${q.method} ${q.url}`)).toEqual([
        `PUT /bucket/result?${SECRET}`,
        `PUT /bucket/log?${SECRET}`,
      ]);
      expect(reqs[0].body.toString()).toBe('status=0\n');
      const log = reqs[1].body.toString();
      expect(log).toContain('hello from runcmd'); // cloud-init's output
      expect(log).toContain('amibake: install status 0');
      expect(log).not.toContain(SECRET);
      expect(log).not.toMatch(RESULT_LINE_RE);

      // Sanitised: cloud-init's state and logs (seed kept, as `cloud-init clean --logs`), machine-id
      // emptied, SSH host keys, root's history, the journal; everything else untouched.
      expect(readdirSync(join(root, 'var/lib/cloud'))).toEqual(['seed']);
      expect(existsSync(join(root, 'var/log/cloud-init.log'))).toBe(false);
      expect(existsSync(join(root, 'var/log/cloud-init-output.log'))).toBe(false);
      expect(statSync(join(root, 'etc/machine-id')).size).toBe(0);
      expect(existsSync(join(root, 'var/lib/dbus/machine-id'))).toBe(false);
      expect(lstatSync(join(root, 'var/lib/dbus')).isDirectory()).toBe(true);
      expect(readdirSync(join(root, 'etc/ssh'))).toEqual(['sshd_config']);
      expect(existsSync(join(root, 'root/.bash_history'))).toBe(false);
      expect(readdirSync(join(root, 'var/log/journal/0123'))).toEqual([]);
      // No key pair for this build: authorized_keys as they were.
      expect(readFileSync(join(root, 'root/.ssh/authorized_keys'), 'utf8')).toBe(`${ROOT_BUILD_KEY}\n`);
    },
  );

  it("removes virt-sysprep's logfiles, tmp-files and dhcp-client-state, overwriting before unlinking", async () => {
    const root = guestRoot();
    await bake(root);
    const secretFiles = [
      'var/log/syslog',
      'var/log/user.log',
      'var/log/cloud-init-output.log',
      'var/log/journal/0123/system.journal',
      'tmp/secret.txt',
      'tmp/build/nested/deep.txt',
      'var/tmp/cache.bin',
      'root/.bash_history',
    ];
    const seen = witnesses(root, secretFiles);
    const sizes = new Map(secretFiles.map((p) => [p, statSync(join(root, p)).size]));
    stage(root, { AMIBAKE_LOG_URL: `${server.base}/bucket/log-hygiene?${SECRET}` });
    const before = server.requests.length;
    const r = await runGuest(script, root, 'finish');
    expect(r.code).toBe(0);
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
    // The log still went up, with what the install printed: it was copied before sanitising.
    const log = server.requests.slice(before)[0].body.toString();
    expect(log).toContain('hello from runcmd');
    expect(log).toContain('amibake: image sanitised');

    // logfiles: syslog and rsyslog's files, rotated ones, apt's; login records emptied in place.
    const logs = readdirSync(join(root, 'var/log')).sort();
    expect(logs).toEqual(['apt', 'btmp', 'journal', 'lastlog', 'private', 'wtmp']);
    expect(readdirSync(join(root, 'var/log/apt'))).toEqual([]);
    for (const f of ['wtmp', 'btmp', 'lastlog']) expect(statSync(join(root, 'var/log', f)).size).toBe(0);
    expect(mode(join(root, 'var/log/wtmp'))).toBe(0o664);
    expect(mode(join(root, 'var/log/btmp'))).toBe(0o660);
    expect(readFileSync(join(root, 'var/log/private/app.state'), 'utf8')).toBe('kept');
    // tmp-files: the contents, hidden files and folders included; the folders stay, sticky.
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(readdirSync(join(root, 'var/tmp'))).toEqual([]);
    expect(mode(join(root, 'tmp'))).toBe(0o1777);
    expect(mode(join(root, 'var/tmp'))).toBe(0o1777);
    // dhcp-client-state: every client's leases, nothing else of NetworkManager's.
    expect(readdirSync(join(root, 'var/lib/dhcp'))).toEqual([]);
    expect(readdirSync(join(root, 'var/lib/dhclient'))).toEqual([]);
    expect(readdirSync(join(root, 'var/lib/dhcpcd'))).toEqual([]);
    expect(readdirSync(join(root, 'run/systemd/netif/leases'))).toEqual([]);
    expect(readdirSync(join(root, 'var/lib/NetworkManager'))).toEqual(['NetworkManager.state']);
    expect(existsSync(join(root, 'home/admin/.bash_history'))).toBe(false);
    // amibake's own folder (install log, result) is left to the end of finish.
    expect(existsSync(join(root, 'run/amibake/install.log'))).toBe(true);

    // Overwritten before the unlink: the inode behind each name held zeros, same size, when freed.
    for (const [p, w] of seen) {
      const bytes = readFileSync(w);
      // shred rounds up to whole blocks: the slack after the end is overwritten too.
      expect({ p, covered: bytes.length >= sizes.get(p)! }).toEqual({ p, covered: true });
      expect({ p, zeros: bytes.every((b) => b === 0) }).toEqual({ p, zeros: true });
    }
  });

  it("removes only the build key pair's key from authorized_keys, and only when the build set a key pair", async () => {
    const root = guestRoot();
    await bake(root);
    writeFileSync(join(root, 'run/cloud-init/instance-data.json'), INSTANCE_DATA);
    stage(root, { AMIBAKE_KEYPAIR: 'amibake-build' });
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
    // root's line carries cloud-init's options before the key: matched by the key itself.
    expect(readFileSync(join(root, 'root/.ssh/authorized_keys'), 'utf8')).toBe('');
    expect(readFileSync(join(root, 'home/admin/.ssh/authorized_keys'), 'utf8')).toBe(`${USER_KEY}\n`);
    expect(mode(join(root, 'home/admin/.ssh/authorized_keys'))).toBe(0o600);
    expect(readFileSync(join(root, 'run/amibake/install.log'), 'utf8')).toContain(
      "removed the build key pair's key from authorized_keys",
    );

    // No key pair for the build: the same key in the instance data is left alone.
    const none = guestRoot();
    await bake(none);
    writeFileSync(join(none, 'run/cloud-init/instance-data.json'), INSTANCE_DATA);
    await runGuest(script, none, 'finish');
    expect(readFileSync(join(none, 'home/admin/.ssh/authorized_keys'), 'utf8')).toBe(
      `${USER_KEY}\n${BUILD_KEY}\n`,
    );
  });

  it('fails the bake (status 7) when a key pair was set and its key cannot be found', async () => {
    const root = guestRoot();
    await bake(root);
    stage(root, { AMIBAKE_KEYPAIR: 'amibake-build' }); // no instance data, and no metadata service here
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=7']);
    const log = readFileSync(join(root, 'run/amibake/install.log'), 'utf8');
    expect(log).toContain("the build key pair's public key is in neither");
    expect(log).toContain('sanitising step failed: ssh-userdir');
    expect(readFileSync(join(root, 'home/admin/.ssh/authorized_keys'), 'utf8')).toContain(BUILD_KEY);
    // The other steps still ran.
    expect(existsSync(join(root, 'var/log/syslog'))).toBe(false);
  });

  // Each step by its virt-sysprep name and by the name amibake used before: what it keeps, and
  // that the other steps still ran.
  const KEPT: Record<string, string[]> = {
    'cloud-init': ['var/lib/cloud/instances/i-0123/user-data.txt', 'var/log/cloud-init.log'],
    'machine-id': ['var/lib/dbus/machine-id'],
    'ssh-hostkeys': ['etc/ssh/ssh_host_ed25519_key', 'etc/ssh/ssh_host_ed25519_key.pub'],
    'bash-history': ['root/.bash_history', 'home/admin/.bash_history'],
    logfiles: ['var/log/syslog', 'var/log/auth.log.2.gz', 'var/log/journal/0123/system.journal'],
    'tmp-files': ['tmp/secret.txt', 'tmp/.hidden', 'var/tmp/cache.bin'],
    'dhcp-client-state': [
      'var/lib/dhcp/dhclient.eth0.leases',
      'var/lib/NetworkManager/internal-0123-eth0.lease',
    ],
    'ssh-userdir': [],
  };
  it.each([
    ['cloud-init', 'cloud-init'],
    ['machine-id', 'machine-id'],
    ['ssh-hostkeys', 'ssh-hostkeys'],
    ['ssh-host-keys (the old name)', 'ssh-hostkeys'],
    ['bash-history', 'bash-history'],
    ['shell-history (the old name)', 'bash-history'],
    ['logfiles', 'logfiles'],
    ['journal (the old name)', 'logfiles'],
    ['tmp-files', 'tmp-files'],
    ['dhcp-client-state', 'dhcp-client-state'],
    ['ssh-userdir', 'ssh-userdir'],
  ])('no-sanitize: %s keeps what that step removes, and only that', async (listed, step) => {
    const name = listed.split(' ')[0];
    const root = guestRoot();
    await bake(root);
    writeFileSync(join(root, 'run/cloud-init/instance-data.json'), INSTANCE_DATA);
    stage(root, { AMIBAKE_KEYPAIR: 'amibake-build' });
    writeFileSync(join(root, 'run/amibake/no-sanitize'), `${name}\n`);
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
    expect(readFileSync(join(root, 'run/amibake/install.log'), 'utf8')).toContain(
      `not sanitising: ${step} (no-sanitize)`,
    );
    for (const [other, paths] of Object.entries(KEPT)) {
      for (const p of paths) {
        expect({ step: other, p, present: existsSync(join(root, p)) }).toEqual({
          step: other,
          p,
          present: other === step,
        });
      }
    }
    expect(statSync(join(root, 'etc/machine-id')).size).toBe(step === 'machine-id' ? 33 : 0);
    expect(readFileSync(join(root, 'home/admin/.ssh/authorized_keys'), 'utf8').includes(BUILD_KEY)).toBe(
      step === 'ssh-userdir',
    );
  });

  it('reports an error cloud-init recorded in result.json (status 1) and logs it', async () => {
    const root = guestRoot();
    await bake(root);
    writeFileSync(join(root, 'run/cloud-init/result.json'), RESULT_ERR);
    stage(root, { AMIBAKE_LOG_URL: `${server.base}/bucket/log1?${SECRET}` });
    const before = server.requests.length;
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=1']);
    const log = server.requests.slice(before)[0].body.toString();
    expect(log).toContain('cloud-init recorded errors:');
    expect(log).toContain('Runparts: 1 failures');
  });

  it('reports status 1 when cloud-init recorded no result at all', async () => {
    const root = guestRoot();
    await bake(root);
    writeFileSync(join(root, 'run/cloud-init/result.json'), '');
    const { rmSync } = await import('node:fs');
    rmSync(join(root, 'run/cloud-init/result.json'));
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=1']);
  });

  it('reports a failed step before what cloud-init says (install.sh: status 5)', async () => {
    const root = guestRoot();
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    writeFileSync(join(root, 'run/install.sh'), '#!/bin/sh\nexit 9\n');
    for (const cmd of ['fetch', 'extract', 'install', 'log']) await runGuest(script, root, cmd);
    writeFileSync(join(root, 'run/cloud-init/result.json'), RESULT_ERR);
    stage(root, { AMIBAKE_RESULT_URL: `${server.base}/bucket/result5?${SECRET}` });
    const before = server.requests.length;
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=5']);
    expect(server.requests.slice(before)[0].body.toString()).toBe('status=5\n');
  });

  it("reports status 6 when runcmd stopped before amibake's steps ran", async () => {
    const root = guestRoot();
    prepared(root, { AMIBAKE_FS_MODE: 'none' });
    await runGuest(script, root, 'fetch'); // a user runcmd entry at 50_z.. exited the script
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=6']);
  });

  it('skips the sanitising steps named in /run/amibake/no-sanitize, but never keeps the staged files', async () => {
    const root = guestRoot();
    await bake(root);
    writeFileSync(join(root, 'run/amibake/no-sanitize'), 'machine-id, ssh-host-keys\n');
    writeFileSync(join(root, 'run/fs.tgz'), 'stale');
    await runGuest(script, root, 'finish');
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
    expect(statSync(join(root, 'etc/machine-id')).size).toBe(33);
    expect(existsSync(join(root, 'etc/ssh/ssh_host_ed25519_key'))).toBe(true);
    expect(existsSync(join(root, 'root/.bash_history'))).toBe(false);
    expect(existsSync(join(root, 'var/lib/cloud/instances'))).toBe(false);
    expect(existsSync(join(root, 'run/fs.tgz'))).toBe(false);
    const log = readFileSync(join(root, 'run/amibake/install.log'), 'utf8');
    expect(log).toContain('not sanitising: machine-id (no-sanitize)');

    const all = guestRoot();
    await bake(all);
    writeFileSync(join(all, 'run/amibake/no-sanitize'), 'all');
    await runGuest(script, all, 'finish');
    expect(existsSync(join(all, 'var/lib/cloud/instances/i-0123/user-data.txt'))).toBe(true);
    expect(existsSync(join(all, 'root/.bash_history'))).toBe(true);
    expect(existsSync(join(all, 'var/log/syslog'))).toBe(true);
    expect(existsSync(join(all, 'tmp/secret.txt'))).toBe(true);
    expect(existsSync(join(all, 'var/lib/dhcp/dhclient.eth0.leases'))).toBe(true);
  });

  it('still reports and exits 0 when the upload fails (the instance must power off)', async () => {
    const root = guestRoot();
    await bake(root);
    stage(root, { AMIBAKE_RESULT_URL: `http://127.0.0.1:1/result?${SECRET}` });
    const r = await runGuest(script, root, 'finish', { PATH: toolPath(tempDir(), ['curl']) });
    expect(r.code).toBe(0);
    expect(consoleLines(root)).toEqual(['AMIBAKE-RESULT status=0']);
    const log = readFileSync(join(root, 'run/amibake/install.log'), 'utf8');
    expect(log).toContain('could not upload the result');
    expect(log).not.toContain(SECRET);
  }, 60_000);

  it('prints the result line on stdout when the console cannot be written', async () => {
    const root = guestRoot();
    await bake(root);
    const r = await runGuest(script, root, 'finish', { AMIBAKE_CONSOLE: join(root, 'no/such/dir/console') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('AMIBAKE-RESULT status=0\n');
  });
});

it('the script carried in the user data is POSIX sh that dash accepts, and prints no URL variable', () => {
  const text = readFileSync(script, 'utf8');
  expect(text.startsWith('#!/bin/sh\n')).toBe(true);
  expect(() => execFileSync('dash', ['-n', script], { stdio: 'pipe' })).not.toThrow();
  // No message of the script names a URL variable.
  expect(text).not.toMatch(/(say_line|echo) +"[^"\n]*\$\{?AMIBAKE_(FS|RESULT|LOG)_URL/);
  expect(text).toMatch(/http_transfer GET "\$AMIBAKE_FS_URL"/);
});

it("the docs' sanitising table names exactly the script's steps and their aliases", () => {
  const text = readFileSync(script, 'utf8');
  const inScript = [...text.matchAll(/^ {2}sanitise_step ([a-z -]+?) -- /gm)].map((m) => m[1].split(' '));
  expect(inScript.length).toBeGreaterThanOrEqual(8);
  // The table is in docs/image-source.md ("Sanitising"), and only there.
  const withTable = ['README.md', ...readdirSync(join(process.cwd(), 'docs')).map((f) => join('docs', f))]
    .filter((f) => f.endsWith('.md'))
    .filter((f) => readFileSync(join(process.cwd(), f), 'utf8').includes('| amibake step | virt-sysprep |'));
  expect(withTable).toEqual(['docs/image-source.md']);
  const doc = readFileSync(join(process.cwd(), 'docs/image-source.md'), 'utf8');
  const from = doc.indexOf('| amibake step | virt-sysprep |');
  const table = doc.slice(from, doc.indexOf('\n\n', from));
  const rows = [...table.matchAll(/^\| `([a-z-]+)`(?: \(alias `([a-z-]+)`\))? \| /gm)].map((m) =>
    m[2] ? [m[1], m[2]] : [m[1]],
  );
  expect(rows.sort()).toEqual(inScript.sort());
});
