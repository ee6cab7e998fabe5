/**
 * The whole bake with a real VM as the EC2 instance: `amibake prepare` and `amibake build` (the
 * CLI bundled from this source) against moto_server; the instance the build launches is played
 * by qemu booting Debian with real cloud-init and the user data moto holds for it. After the
 * guest powers off, the disk image is read without mounting (debugfs) and searched byte by byte.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { extract } from 'tar-stream';
import { TAG } from '../../src/aws/tags.js';
import { STAGE_ENV, STAGE_VARS } from '../../src/core/contract.js';
import { checkSbom } from '../../src/features/sbom/validate.js';
import { parseEnv } from '../../src/core/envfile.js';
import { BASE_SUITES, type BaseSuite } from '../../src/vm/base-image.js';
import { scanFile, type Ext4Image } from '../../src/vm/ext4.js';
import { BaseImage } from '../../src/vm/machine.js';
import { BUCKET, motoIds, s3For, tempDir, type MotoIds } from '../bake/helpers.js';
import { parseUserdata, writeFilesOf } from '../support/instance-double.js';
import { applyEnv, startGate, startMoto, REGION, type Gate, type Moto } from '../support/moto.js';
import { runnerCommands } from '../support/workflow-commands.js';
import {
  bundleCli,
  cannotRun,
  describeUnless,
  playInstance,
  ROOT,
  runCli,
  type CliRun,
  type Played,
} from './harness.js';

const maybe = describeUnless(await cannotRun(), 'VM end-to-end tests');

const MINUTE = 60_000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface TarEntry {
  path: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkname?: string;
  sha256?: string;
}

async function listTgz(tgz: Buffer): Promise<TarEntry[]> {
  const ex = extract();
  const entries: TarEntry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({
          path: '/' + h.name.replace(/^\.?\/*/, '').replace(/\/$/, ''),
          type: h.type ?? 'file',
          mode: (h.mode ?? 0) & 0o7777,
          uid: h.uid ?? -1,
          gid: h.gid ?? -1,
          linkname: h.linkname ?? undefined,
          sha256: h.type === 'file' ? sha256(Buffer.concat(chunks)) : undefined,
        });
        next();
      });
      stream.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(gunzipSync(tgz));
  await done;
  return entries.filter((e) => e.path !== '/');
}

/** Runs at most `n` of the functions at a time, in the order given. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const pump = () => {
    while (active < n && queue.length) {
      active++;
      queue.shift()!();
    }
  };
  return (fn) =>
    new Promise((resolve, reject) => {
      queue.push(() =>
        fn()
          .then(resolve, reject)
          .finally(() => {
            active--;
            pump();
          }),
      );
      pump();
    });
}

interface CaseSpec {
  /** Unique per case: the AMI name, and how the harness finds the instance. */
  name: string;
  example: 'web-server' | 'big-payload';
  /** Changes to the copy of the example. */
  edit?: (dir: string) => Promise<void>;
  /** Replace fs.tgz in S3 after the build uploaded it. */
  tamper?: boolean;
  /** The build talks to moto through a gate that answers GetConsoleOutput with the VM's real
   *  console (moto's own answer is a canned text), so that the build prints what the guest did. */
  realConsole?: boolean;
}

interface CaseResult {
  spec: CaseSpec;
  out: string;
  vars: Record<string, string>;
  prepare: CliRun;
  build?: CliRun;
  played?: Played;
  playError?: Error;
  sessionToken: string;
  tamperedWith?: Buffer;
}

/** Markers the hygiene case writes on the instance: built at run time from pieces, so that no
 *  copy of a whole marker exists anywhere but where install.sh writes it. */
const MARK = {
  syslog: ['amibake', 'syslog', 'secret', '4f1d9a'],
  tmp: ['amibake', 'tmp', 'secret', '7c2e81'],
  varTmp: ['amibake', 'vartmp', 'secret', 'b95d03'],
} as const;
const marker = (parts: readonly string[]) => parts.join('-');

/** install.sh of the hygiene case: runner-command attempts on the console (which the build
 *  streams), secrets in syslog (and so in the journal and, with rsyslog, /var/log/*), /tmp and
 *  /var/tmp; then it checks that each secret really landed where sanitising must find it. */
const HYGIENE_INSTALL = `#!/bin/sh
set -eu
chmod 0755 /srv/www
systemctl enable amibake-web.service
echo '::set-output name=ami-id::evil-1'
echo '##[add-mask]x'
echo '  ::add-mask::leading-space'
printf '\\302\\205::set-output name=ami-id::evil-nel\\n'
echo 'booting ##[set-output name=ami-id;]evil-mid-line'
echo '::stop-commands::guess'
echo '::set-output name=ami-id::evil-2'
echo '::guess::'
syslog=$(printf '%s-' ${MARK.syslog.join(' ')}); syslog=\${syslog%-}
tmp=$(printf '%s-' ${MARK.tmp.join(' ')}); tmp=\${tmp%-}
vartmp=$(printf '%s-' ${MARK.varTmp.join(' ')}); vartmp=\${vartmp%-}
logger -t amibake-test "build secret $syslog"
printf 'build secret %s\\n' "$tmp" > /tmp/amibake-test-a.txt
mkdir -p /var/tmp/amibake-test-dir
printf 'build secret %s\\n' "$vartmp" > /var/tmp/amibake-test-dir/b.txt
sync
i=0
while [ $i -lt 30 ]; do
  if journalctl -q --no-pager -t amibake-test 2>/dev/null | grep -qF "$syslog"; then echo 'hygiene-check: journal has it'; break; fi
  sleep 1; i=$((i + 1))
done
if [ -e /var/log/syslog ]; then
  i=0
  while [ $i -lt 30 ]; do
    if grep -qF "$syslog" /var/log/syslog; then echo 'hygiene-check: /var/log/syslog has it'; break; fi
    sleep 1; i=$((i + 1))
  done
fi
grep -qF "$tmp" /tmp/amibake-test-a.txt && echo 'hygiene-check: /tmp has it'
grep -qF "$vartmp" /var/tmp/amibake-test-dir/b.txt && echo 'hygiene-check: /var/tmp has it'
`;

/** Which bake cases run on which Debian: all of them on both cloud-init generations (22.4 and
 *  25.1). AMIBAKE_VM_SUITES (comma-separated) picks the suites, AMIBAKE_VM_CASES the cases, for a
 *  quicker local run. */
const SUITE_CASES: Record<BaseSuite, string[] | 'all'> = {
  bookworm: 'all',
  trixie: 'all',
};
const pick = (v: string | undefined) =>
  v
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const SUITES = BASE_SUITES.filter((s) => pick(process.env.AMIBAKE_VM_SUITES)?.includes(s) ?? true);
const ONLY_CASES = pick(process.env.AMIBAKE_VM_CASES);
const runsOn = (suite: BaseSuite, name: string) =>
  (SUITE_CASES[suite] === 'all' || SUITE_CASES[suite].includes(name)) && (ONLY_CASES?.includes(name) ?? true);

maybe.each(SUITES)('a bake in a real VM (qemu, Debian %s, cloud-init)', (suite) => {
  let moto: Moto;
  let gate: Gate | undefined;
  let ids: MotoIds;
  let base: BaseImage;
  let cli: string;
  let work: string;
  let restoreEnv: (() => void) | undefined;
  let cpus = 2;
  const results = new Map<string, Promise<CaseResult>>();
  const t0 = Date.now();
  const note = (m: string) =>
    process.stderr.write(`[vm ${suite} ${Math.round((Date.now() - t0) / 1000)}s] ${m}\n`);

  async function runCase(spec: CaseSpec): Promise<CaseResult> {
    const dir = join(work, spec.name);
    const src = join(dir, 'source');
    const out = join(dir, 'out');
    await cp(join(ROOT, 'examples', spec.example), src, { recursive: true, verbatimSymlinks: true });
    await spec.edit?.(src);
    const s3url = `s3://${BUCKET}/${spec.name}/fs.tgz`;
    const prepare = await runCli(cli, ['prepare', src, out], { AWSREGION: REGION, S3URL: s3url });
    const result: CaseResult = { spec, out, vars: {}, prepare, sessionToken: '' };
    if (prepare.code !== 0) return result;
    result.vars = parseEnv(await readFile(join(out, 'vars.env'), 'utf8'), 'vars.env');
    // A session token of its own, to find in the presigned URLs and then look for on the disk.
    result.sessionToken = `amibakeVmTest${randomBytes(12).toString('hex')}`;
    // The VM's console as far as it got, for the gate's GetConsoleOutput answers.
    let consoleSoFar = '';
    let guestPort = moto.port;
    if (spec.realConsole) {
      gate = await startGate(moto);
      guestPort = Number(new URL(gate.endpoint).port);
      gate.rewrite('GetConsoleOutput', (xml) =>
        xml.replace(
          /<output>[^<]*<\/output>/,
          `<output>${Buffer.from(consoleSoFar).toString('base64')}</output>`,
        ),
      );
    }
    const env = {
      ...moto.env,
      // The real console goes to a build that prints as under GitHub Actions (stop-commands fences).
      ...(spec.realConsole ? { ...gate!.env, GITHUB_ACTIONS: 'true' } : {}),
      AWS_SESSION_TOKEN: result.sessionToken,
      BUILDAMI_BASEAMI: ids.baseAmi,
      BUILDAMI_SUBNET: ids.subnet,
      BUILDAMI_SECURITYGROUPS: ids.securityGroup,
      BUILDAMI_TARGETNAME: spec.name,
      BUILDAMI_TIMEOUT_INSTANCE: '900',
      BUILDAMI_WAIT_INSTANCE: '2',
      BUILDAMI_WAIT_AMI: '1',
    };
    note(`${spec.name}: build started`);
    const build = runCli(cli, ['build', join(out, 'userdata.gz')], env);
    const play = playInstance({
      endpoint: moto.endpoint,
      // The guest reaches S3 where the build signed its URLs: moto, or the gate in front of it.
      motoPort: guestPort,
      base,
      dir: join(dir, 'vm'),
      nameContains: spec.name,
      cpus,
      onConsole: (line) => void (consoleSoFar += line + '\n'),
      beforeBoot: spec.tamper
        ? async () => {
            const key = `${spec.name}/fs.tgz`;
            const s3 = s3For(moto.endpoint);
            const original = await (
              await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
            ).Body!.transformToByteArray();
            // A well-formed archive with other content: only the checksum can tell.
            result.tamperedWith = await tgzOf({ 'etc/amibake-tampered': 'not what prepare packed\n' });
            expect(Buffer.from(original).equals(result.tamperedWith)).toBe(false);
            await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: result.tamperedWith }));
          }
        : undefined,
    }).then(
      (p) => {
        note(
          `${spec.name}: guest off after ${Math.round(p.machine.exit.ms / 1000)} s, status ${p.machine.status}`,
        );
        return p;
      },
      (err: Error) => {
        result.playError = err;
        return undefined;
      },
    );
    [result.build, result.played] = await Promise.all([build, play]);
    note(`${spec.name}: build exited ${result.build.code}`);
    return result;
  }

  async function tgzOf(files: Record<string, string>): Promise<Buffer> {
    const d = await mkdtemp(join(tmpdir(), 'amibake-tamper-'));
    try {
      for (const [p, c] of Object.entries(files)) {
        await mkdir(join(d, p, '..'), { recursive: true });
        await writeFile(join(d, p), c);
      }
      const { execFileSync } = await import('node:child_process');
      return execFileSync('tar', ['-czf', '-', '-C', d, '.']);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  }

  const ALL_CASES: CaseSpec[] = [
    {
      name: 'vm-inline',
      example: 'web-server',
      // The example plus what the disk checks must bite on: a symlink (absolute, dangling on the
      // prepare machine), a relative one, a private file, setuid and setgid/sticky modes.
      edit: async (d) => {
        await symlink('index.html', join(d, 'fs/srv/www/index.htm'));
        await symlink('/usr/bin/python3', join(d, 'fs/srv/www/python'));
        await mkdir(join(d, 'fs/etc/amibake-web'), { recursive: true });
        await writeFile(join(d, 'fs/etc/amibake-web/token.conf'), 'token=local-only\n');
        await chmod(join(d, 'fs/etc/amibake-web/token.conf'), 0o640);
        await mkdir(join(d, 'fs/srv/drop'), { recursive: true });
        await chmod(join(d, 'fs/srv/drop'), 0o3775);
        await mkdir(join(d, 'fs/usr/local/bin'), { recursive: true });
        await writeFile(
          join(d, 'fs/usr/local/bin/amibake-web-status'),
          '#!/bin/sh\nsystemctl status amibake-web\n',
        );
        await chmod(join(d, 'fs/usr/local/bin/amibake-web-status'), 0o4750);
      },
    },
    { name: 'vm-external', example: 'big-payload' },
    {
      name: 'vm-failing',
      example: 'web-server',
      edit: async (d) =>
        writeFile(
          join(d, 'script/install.sh'),
          '#!/bin/sh\necho "install: giving up (marker amibake-fail-7731)"\nexit 7\n',
        ),
    },
    { name: 'vm-tampered', example: 'big-payload', tamper: true },
    {
      name: 'vm-hygiene',
      example: 'web-server',
      realConsole: true,
      edit: async (d) => writeFile(join(d, 'script/install.sh'), HYGIENE_INSTALL),
    },
  ];
  const CASES = ALL_CASES.filter((c) => runsOn(suite, c.name));

  beforeAll(async () => {
    work = tempDir();
    moto = await startMoto();
    restoreEnv = applyEnv(moto.env);
    ids = await motoIds(moto.endpoint);
    cli = await bundleCli(work);
    note('opening the base image (built first when the cache has none: about 1 to 3 minutes)');
    base = await BaseImage.open(join(work, 'base'), (p) => note(`building the base image ${p}`), suite);
    note('base image ready');
    // One single-vCPU VM per core (at most the four cases at once).
    const parallel = Math.max(
      1,
      Number(process.env.AMIBAKE_VM_PARALLEL ?? Math.min(4, availableParallelism())),
    );
    cpus = parallel > 1 ? 1 : 2;
    const limit = limiter(parallel);
    for (const spec of CASES) {
      const p = limit(() => runCase(spec));
      p.catch(() => undefined); // awaited (and reported) by the case's test
      results.set(spec.name, p);
    }
  }, 20 * MINUTE);

  afterAll(async () => {
    note(`all cases done after ${Math.round((Date.now() - t0) / 1000)} s`);
    await base?.dispose();
    restoreEnv?.();
    await gate?.stop();
    await moto?.stop();
    if (work && !process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
    // Removing the unpacked tree and the disks takes more than jest's default 5 s on a busy machine.
  }, 5 * MINUTE);

  const ec2 = () => new EC2Client({ region: REGION, endpoint: moto.endpoint });
  const itCase = (name: string) => (runsOn(suite, name) ? it : it.skip);

  async function get(name: string): Promise<CaseResult> {
    const r = await results.get(name)!;
    const context = () =>
      `prepare: ${r.prepare.code}\n${r.prepare.stderr}\nbuild: ${r.build?.code}\n${r.build?.stderr}\n` +
      `play: ${r.playError?.stack ?? 'ok'}\nconsole tail:\n${r.played?.console.split('\n').slice(-40).join('\n')}`;
    if (r.prepare.code !== 0 || !r.played) throw new Error(`case ${name} did not run:\n${context()}`);
    (r as CaseResult & { context?: () => string }).context = context;
    return r;
  }

  async function instanceState(id: string): Promise<string | undefined> {
    const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  }

  async function imagesNamed(name: string) {
    const out = await ec2().send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [`${name}*`] }] }),
    );
    return out.Images ?? [];
  }

  /** The fs.tgz prepare made: external beside the user data, else inline in the user data. */
  async function preparedFs(r: CaseResult): Promise<Buffer> {
    if (r.vars.FS_MODE === 'external') return readFile(join(r.out, 'fs.tgz'));
    const files = writeFilesOf(parseUserdata(await readFile(join(r.out, 'userdata.gz'))));
    const staged = files.find((f) => f.path === '/var/run/fs.tgz');
    if (!staged) throw new Error('no inline fs.tgz in the user data');
    return staged.bytes;
  }

  /** The secret parts of every presigned URL the build handed the instance. */
  function secretsOf(r: CaseResult): string[] {
    const files = writeFilesOf(parseUserdata(r.played!.userData));
    const stage = files.find((f) => f.path === STAGE_ENV);
    if (!stage) throw new Error('the launched user data has no stage part');
    const vars = parseEnv(stage.content, STAGE_ENV);
    const urls = [STAGE_VARS.fsUrl, STAGE_VARS.resultUrl, STAGE_VARS.logUrl, STAGE_VARS.sbomUrl]
      .map((k) => vars[k])
      .filter(Boolean);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    const secrets = new Set<string>([r.sessionToken]);
    for (const u of urls) {
      const url = new URL(u);
      const sig = url.searchParams.get('X-Amz-Signature');
      expect(sig).toMatch(/^[0-9a-f]{64}$/);
      secrets.add(sig!);
      expect(url.searchParams.get('X-Amz-Security-Token')).toBe(r.sessionToken);
      secrets.add(url.searchParams.get('X-Amz-Credential')!);
      secrets.add(url.search.slice(1, 80));
    }
    return [...secrets];
  }

  async function expectFsOnDisk(disk: Ext4Image, tgz: Buffer): Promise<void> {
    const entries = (await listTgz(tgz)).filter((e) => e.path !== '/var' && !e.path.startsWith('/var/run'));
    expect(entries.length).toBeGreaterThan(3);
    const stats = await disk.statMany(entries.map((e) => e.path));
    for (const [i, e] of entries.entries()) {
      const st = stats[i];
      expect({ path: e.path, exists: !!st }).toEqual({ path: e.path, exists: true });
      expect({ path: e.path, uid: st!.uid, gid: st!.gid }).toEqual({ path: e.path, uid: 0, gid: 0 });
      if (e.type === 'directory') {
        expect({ path: e.path, type: st!.type }).toEqual({ path: e.path, type: 'dir' });
        // A directory the base image has keeps its own mode; a new one gets the archive's.
        const existed = await lstat(join(base.tree, e.path)).catch(() => undefined);
        const want = existed ? (existed.mode & 0o7777).toString(8) : e.mode.toString(8);
        expect({ path: e.path, mode: st!.mode.toString(8) }).toEqual({ path: e.path, mode: want });
        continue;
      }
      expect({ path: e.path, mode: st!.mode.toString(8) }).toEqual({
        path: e.path,
        mode: e.mode.toString(8),
      });
      if (e.type === 'symlink') {
        expect({ path: e.path, type: st!.type, target: st!.target }).toEqual({
          path: e.path,
          type: 'symlink',
          target: e.linkname,
        });
      } else {
        expect({ path: e.path, type: st!.type }).toEqual({ path: e.path, type: 'file' });
        expect({ path: e.path, sha256: sha256(await disk.readFile(e.path)) }).toEqual({
          path: e.path,
          sha256: e.sha256,
        });
      }
    }
  }

  /** What must hold for every image that became an AMI. */
  async function expectCleanImage(r: CaseResult): Promise<void> {
    const disk = r.played!.machine.disk;
    for (const [p, target] of [
      ['/lib', 'usr/lib'],
      ['/bin', 'usr/bin'],
      ['/var/run', '/run'],
    ]) {
      const st = await disk.stat(p);
      expect({ p, type: st?.type, target: st?.target }).toEqual({ p, type: 'symlink', target });
    }
    for (const p of ['/', '/etc', '/usr', '/srv', '/opt']) {
      const st = await disk.stat(p);
      expect({ p, mode: st?.mode.toString(8), uid: st?.uid }).toEqual({ p, mode: '755', uid: 0 });
    }
    expect((await disk.stat('/etc/machine-id'))?.size).toBe(0);
    expect(await disk.stat('/var/lib/dbus/machine-id')).toBeUndefined();
    // Nothing staged, no cloud-init logs or instance state, no host keys.
    for (const p of [
      '/var/run/fs.tgz',
      '/run/fs.tgz',
      '/var/run/install.sh',
      '/var/tmp/amibake-fs.tgz',
      '/var/log/cloud-init.log',
      '/var/log/cloud-init-output.log',
      '/var/lib/cloud/instance',
      '/var/lib/cloud/instances',
      '/var/lib/cloud/data',
      '/var/lib/cloud/sem',
      '/run/amibake',
    ])
      expect({ p, present: !!(await disk.stat(p)) }).toEqual({ p, present: false });
    expect((await disk.list('/etc/ssh')).map((e) => e.name).filter((n) => n.startsWith('ssh_host_'))).toEqual(
      [],
    );
    expect((await disk.list('/var/tmp')).map((e) => e.name).filter((n) => n.startsWith('amibake'))).toEqual(
      [],
    );
    // No presigned URL anywhere: live files, free blocks, the journal of the file system.
    const found = await scanFile(r.played!.machine.diskPath, secretsOf(r));
    expect(Object.fromEntries([...found].map(([k, v]) => [k.slice(0, 24), v.length]))).toEqual(
      Object.fromEntries([...found].map(([k]) => [k.slice(0, 24), 0])),
    );
  }

  async function expectAmiAndTerminated(r: CaseResult): Promise<void> {
    expect(r.build!.code).toBe(0);
    const amiId = parseEnv(r.build!.stdout, 'build stdout').AMI_ID;
    expect(amiId).toBeDefined();
    const images = (await ec2().send(new DescribeImagesCommand({ ImageIds: [amiId!] }))).Images ?? [];
    expect(images.map((i) => i.State)).toEqual(['available']);
    expect(await instanceState(r.played!.instanceId)).toBe('terminated');
  }

  async function expectFailedBake(r: CaseResult, status: number): Promise<void> {
    expect(r.played!.machine.poweredOff).toBe(true);
    expect(r.played!.machine.status).toBe(status);
    expect(r.played!.console).toContain(`AMIBAKE-RESULT status=${status}`);
    expect(r.build!.code).not.toBe(0);
    expect(r.build!.stdout).not.toMatch(/AMI_ID=/);
    expect(await imagesNamed(r.spec.name)).toEqual([]);
    expect(await instanceState(r.played!.instanceId)).toBe('terminated');
  }

  itCase('vm-inline')(
    'inline example: installs exactly the fs/ files, runs install.sh, leaves a clean image, becomes an AMI',
    async () => {
      const r = await get('vm-inline');
      expect(r.vars.FS_MODE).toBe('inline');
      const m = r.played!.machine;
      expect(m.poweredOff).toBe(true);
      expect(m.status).toBe(0);
      expect(r.played!.console).toContain('AMIBAKE-RESULT status=0');
      await expectFsOnDisk(m.disk, await preparedFs(r));
      // install.sh ran: it enabled the unit, which left systemd's symlink.
      const wants = await m.disk.stat('/etc/systemd/system/multi-user.target.wants/amibake-web.service');
      expect(wants?.target).toBe('/etc/systemd/system/amibake-web.service');
      expect((await m.disk.readFile('/srv/www/version.txt')).toString()).toBe('amibake-web-server 1.0.0\n');
      await expectCleanImage(r);
      await expectAmiAndTerminated(r);
    },
    25 * MINUTE,
  );

  itCase('vm-inline')(
    "the package inventory: the real guest's dpkg database as CycloneDX, saved by the build, its sha256 on the AMI",
    async () => {
      const r = await get('vm-inline');
      expect(r.build!.code).toBe(0);
      const out = parseEnv(r.build!.stdout, 'build stdout');
      expect(out.SBOM).toMatch(/vm-inline.*\.sbom\.json$/);
      const bytes = await readFile(out.SBOM);
      expect(checkSbom(bytes)).toMatchObject({ ok: true });
      const bom = JSON.parse(bytes.toString('utf8')) as {
        specVersion: string;
        serialNumber: string;
        metadata: { component: Record<string, string> };
        components: { name: string; version: string; purl: string }[];
      };
      expect(bom.specVersion).toBe('1.5');
      expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(bom.metadata.component).toMatchObject({ type: 'operating-system', name: 'debian' });
      // cloud-init and the base image's packages, each with its version and a deb purl.
      const byName = new Map(bom.components.map((c) => [c.name, c]));
      for (const name of ['cloud-init', 'systemd', 'python3', 'base-files', 'dpkg']) {
        const c = byName.get(name);
        expect({ name, version: c?.version }).toEqual({
          name,
          version: expect.stringMatching(/^[0-9][\w.+:~-]*$/),
        });
        expect(c!.purl).toMatch(new RegExp(`^pkg:deb/debian/${name}@[^?]+\\?arch=(amd64|all)$`));
        expect(decodeURIComponent(c!.purl.split('@')[1].split('?')[0])).toBe(c!.version);
      }
      expect(bom.components.length).toBeGreaterThan(100);
      // The guest's log said so, and the AMI carries the saved file's sha256.
      expect(r.build!.stderr).toContain('package inventory:');
      const [image] = (await ec2().send(new DescribeImagesCommand({ ImageIds: [out.AMI_ID] }))).Images ?? [];
      expect(image.Tags?.find((t) => t.Key === TAG.sbom)?.Value).toBe(sha256(bytes));
      // The inventory never reached the image.
      expect(await r.played!.machine.disk.stat('/run/amibake/sbom.json')).toBeUndefined();
    },
    25 * MINUTE,
  );

  itCase('vm-external')(
    'external example: fs.tgz comes from moto S3 by presigned URL with its sha256 checked',
    async () => {
      const r = await get('vm-external');
      expect(r.vars.FS_MODE).toBe('external');
      const m = r.played!.machine;
      expect(m.status).toBe(0);
      expect(r.played!.console).toContain('AMIBAKE-RESULT status=0');
      // The guest downloaded the object the build uploaded, from moto, through the signed URL.
      expect(moto.log()).toMatch(
        new RegExp(`"GET /${BUCKET}/vm-external/fs\\.tgz\\?[^"]*X-Amz-Signature=[^"]*" 200`),
      );
      expect(r.played!.console).toContain(`fs.tgz verified (sha256 ${r.vars.FS_SHA256})`);
      await expectFsOnDisk(m.disk, await preparedFs(r));
      // install.sh ran: it checked the payload against the checksum compile.sh recorded.
      expect(r.played!.console).toMatch(/payload\.bin: OK/);
      await expectCleanImage(r);
      await expectAmiAndTerminated(r);
    },
    25 * MINUTE,
  );

  itCase('vm-failing')(
    'failing install.sh: the status is reported, the build fails with the log tail, no AMI, terminated',
    async () => {
      const r = await get('vm-failing');
      await expectFailedBake(r, 5);
      expect(r.build!.stderr).toContain('amibake-fail-7731');
      expect(r.build!.stderr).toMatch(/install\.sh failed \(exit 7\)/);
    },
    25 * MINUTE,
  );

  itCase('vm-tampered')(
    'fs.tgz changed in S3 after upload: the guest refuses it, extracts nothing, the build fails',
    async () => {
      const r = await get('vm-tampered');
      expect(r.tamperedWith).toBeDefined();
      await expectFailedBake(r, 3);
      expect(r.played!.console).toMatch(
        /fs\.tgz checksum mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64}; nothing extracted/,
      );
      expect(r.played!.console).toContain(`got ${sha256(r.tamperedWith!)}`);
      const disk = r.played!.machine.disk;
      expect(await disk.stat('/etc/amibake-tampered')).toBeUndefined();
      expect(await disk.stat('/opt/bigapp')).toBeUndefined();
      expect(await disk.stat('/var/run/fs.tgz')).toBeUndefined();
    },
    25 * MINUTE,
  );
  itCase('vm-hygiene')(
    'hygiene: runner-command attempts the install prints reach the build log inert',
    async () => {
      const r = await get('vm-hygiene');
      expect(r.played!.machine.status).toBe(0);
      // The attempts reached the build: it streamed the real console (through the gate).
      const buildLog = r.build!.stdout + r.build!.stderr;
      expect(buildLog).toContain('evil-mid-line');
      expect(buildLog).toContain('set-output name=ami-id::evil-1');

      // Build log: no line the runner would act on carries what the instance printed.
      const attempts = runnerCommands(buildLog)
        .map((c) => c.line)
        .filter((l) => /evil|add-mask\]x|leading-space|::guess::|stop-commands::guess/.test(l));
      expect(attempts).toEqual([]);
      // ...because the console was fenced, not because it went unprinted.
      expect(buildLog).toMatch(/^::stop-commands::amibake-[0-9a-f]{32}$/m);
      expect(parseEnv(r.build!.stdout, 'build stdout').AMI_ID).toMatch(/^ami-/);
    },
    25 * MINUTE,
  );

  itCase('vm-hygiene')(
    'hygiene: what the install wrote to syslog, /tmp and /var/tmp is in no file and no block of the image',
    async () => {
      const r = await get('vm-hygiene');
      const m = r.played!.machine;
      expect(m.status).toBe(0);
      const consoleText = r.played!.console;
      // The attack was staged: each secret reached the place sanitising must clean.
      expect(consoleText).toContain('hygiene-check: journal has it');
      expect(consoleText).toContain('hygiene-check: /tmp has it');
      expect(consoleText).toContain('hygiene-check: /var/tmp has it');
      // trixie has rsyslog, as Ubuntu does: the secret is in /var/log/syslog too.
      if (suite === 'trixie') expect(consoleText).toContain('hygiene-check: /var/log/syslog has it');

      // Disk: the files are gone, and no copy of a secret is left in any block, free ones included.
      const disk = m.disk;
      for (const p of ['/var/log/syslog', '/var/log/user.log', '/var/log/messages'])
        expect({ p, present: !!(await disk.stat(p)) }).toEqual({ p, present: false });
      expect((await disk.list('/tmp')).map((e) => e.name).filter((n) => n !== '.' && n !== '..')).toEqual([]);
      expect((await disk.list('/var/tmp')).map((e) => e.name).filter((n) => n !== '.' && n !== '..')).toEqual(
        [],
      );
      const secrets = [marker(MARK.syslog), marker(MARK.tmp), marker(MARK.varTmp)];
      const found = await scanFile(m.diskPath, secrets);
      expect(Object.fromEntries([...found].map(([k, v]) => [k, v.length]))).toEqual(
        Object.fromEntries(secrets.map((k) => [k, 0])),
      );
      await expectCleanImage(r);
      await expectAmiAndTerminated(r);
    },
    25 * MINUTE,
  );
});
