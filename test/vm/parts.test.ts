/**
 * The VM runner's parts on real files, without booting: debugfs reads of an ext4 image made by
 * mkfs.ext4 -d, the whole-image scan, partition tables written by sfdisk, the NoCloud seed read
 * back with mtools, qemu's network arguments, the loopback stage server.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { baseImagePath, baseRecipe, cacheDir, recipeHash } from '../../src/vm/base-image.js';
import { diffTrees, formatChange, modeString } from '../../src/vm/changes.js';
import { which } from '../../src/vm/exec.js';
import { Ext4Image, parseStat, scanFile, type Ext4Stat } from '../../src/vm/ext4.js';
import { isLoopback, qemuArgs } from '../../src/vm/qemu.js';
import { defaultNetwork } from '../../src/vm/machine.js';
import { bootDiskPath, LAYOUT, PART_TYPE, sfdiskScript } from '../../src/vm/boot-disk.js';
import { makeSeed, networkConfig } from '../../src/vm/seed.js';
import { GUEST_STAGE_PORT, parseResult, startStageServer } from '../../src/vm/stage-server.js';
import { checkSourceFiles, inlineFsTgz, listFsTgz } from '../../src/vm/source-files.js';
import { partitions, rootFsOffset } from '../../src/vm/user-image.js';
import { prepare } from '../../src/compile/prepare.js';
import { createCliLogger } from '../../src/core/log.js';
import { parseEnv } from '../../src/core/envfile.js';
import { tempDir } from '../bake/helpers.js';
import { describeUnless, itUnless, ROOT, withPackage } from './harness.js';

// e2fsprogs, dosfstools and sfdisk live in sbin, which a non-root PATH often lacks.
const ENV = {
  ...process.env,
  PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`,
  MTOOLS_SKIP_CHECK: '1',
};
const haveE2fs = !!(await which('mkfs.ext4')) && !!(await which('debugfs'));
const haveMtools = !!(await which('mkfs.vfat')) && !!(await which('mcopy'));
const haveSfdisk = !!(await which('sfdisk'));
const lacking = (...tools: string[]) => `missing ${tools.map(withPackage).join(' or ')}`;
const withE2fs = describeUnless(haveE2fs ? undefined : lacking('mkfs.ext4', 'debugfs'), 'ext4 reading');
const withMtools = describeUnless(haveMtools ? undefined : lacking('mkfs.vfat', 'mcopy'), 'NoCloud seed');

const LONG_TARGET = '/opt/' + 'a-rather-long-directory-name/'.repeat(4) + 'target';

function makeTree(): string {
  const root = join(tempDir(), 'tree');
  mkdirSync(join(root, 'etc/app'), { recursive: true });
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  mkdirSync(join(root, 'srv/drop'), { recursive: true });
  writeFileSync(join(root, 'etc/app/conf'), 'key=value\n');
  chmodSync(join(root, 'etc/app/conf'), 0o640);
  writeFileSync(join(root, 'usr/lib/tool'), randomBytes(70_000));
  chmodSync(join(root, 'usr/lib/tool'), 0o4755);
  chmodSync(join(root, 'srv/drop'), 0o3775);
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync(LONG_TARGET, join(root, 'etc/app/long-link'));
  writeFileSync(join(root, 'etc/app/with space'), 'x');
  return root;
}

function mkfs(tree: string, image: string, offsetBytes = 0, sizeMiB = 32): void {
  const args = ['-q', '-F', '-d', tree];
  if (offsetBytes) args.push('-E', `offset=${offsetBytes}`);
  execFileSync('mkfs.ext4', [...args, image, `${sizeMiB}M`], { env: ENV });
}

withE2fs('reading an ext4 image without mounting it', () => {
  const tree = makeTree();
  const image = join(tempDir(), 'fs.img');
  mkfs(tree, image);
  const disk = new Ext4Image(image);

  it('stats files, directories and symlinks with exact modes (setuid, setgid, sticky)', async () => {
    const [conf, tool, drop, lib, long, missing] = await disk.statMany([
      '/etc/app/conf',
      '/usr/lib/tool',
      '/srv/drop',
      '/lib',
      '/etc/app/long-link',
      '/nothing/here',
    ]);
    expect(conf).toMatchObject({ type: 'file', mode: 0o640, size: 10 });
    expect(tool).toMatchObject({ type: 'file', mode: 0o4755, size: 70_000 });
    expect(drop).toMatchObject({ type: 'dir', mode: 0o3775 });
    expect(lib).toMatchObject({ type: 'symlink', target: 'usr/lib' });
    // Longer than the 60 bytes an inode holds: read from its data block.
    expect(long).toMatchObject({ type: 'symlink', target: LONG_TARGET });
    expect(missing).toBeUndefined();
  });

  it('reads file content byte for byte, and paths with spaces', async () => {
    const { readFileSync } = await import('node:fs');
    expect((await disk.readFile('/usr/lib/tool')).equals(readFileSync(join(tree, 'usr/lib/tool')))).toBe(
      true,
    );
    expect((await disk.readFile('/etc/app/with space')).toString()).toBe('x');
    await expect(disk.readFile('/etc/app')).rejects.toThrow('/etc/app: not a regular file (dir)');
  });

  it('lists a directory and walks the whole tree', async () => {
    expect((await disk.list('/etc/app')).map((e) => e.name).sort()).toEqual([
      'conf',
      'long-link',
      'with space',
    ]);
    const all = await disk.walk();
    for (const p of ['/', '/lib', '/etc/app/conf', '/srv/drop', '/usr/lib/tool', '/lost+found'])
      expect(all.has(p)).toBe(true);
    expect(all.get('/lib')?.target).toBe('usr/lib');
  });

  it('tells what changed between two walks', async () => {
    const before = await disk.walk();
    const image2 = join(tempDir(), 'fs2.img');
    writeFileSync(join(tree, 'etc/app/new'), 'n');
    chmodSync(join(tree, 'etc/app/conf'), 0o600);
    rmSync(join(tree, 'etc/app/with space'));
    mkfs(tree, image2);
    const changes = diffTrees(before, await new Ext4Image(image2).walk());
    const lines = changes.map(formatChange);
    expect(lines).toContainEqual(expect.stringMatching(/^\+ -rw-r--r-- \d+:\d+ 1 \/etc\/app\/new$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^~ -rw------- \d+:\d+ 10 \/etc\/app\/conf \(mode\)$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^- -rw-r--r-- \d+:\d+ 1 \/etc\/app\/with space$/));
    expect(changes.find((c) => c.path === '/usr/lib/tool')).toBeUndefined();
  });

  const withSfdisk = itUnless(haveSfdisk ? undefined : lacking('sfdisk'), 'partition tables');
  withSfdisk('finds the root file system inside MBR and GPT disks', async () => {
    for (const label of ['dos', 'gpt']) {
      const d = join(tempDir(), `${label}.img`);
      writeFileSync(d, '');
      truncateSync(d, 80 * 1024 * 1024);
      execFileSync('sfdisk', ['-q', d], {
        env: ENV,
        input: `label: ${label}\nstart=2048, size=16384\nstart=18432, size=120000\n`,
      });
      mkfs(tree, d, 18432 * 512, 40);
      expect((await partitions(d)).map((p) => p.offset)).toEqual([2048 * 512, 18432 * 512]);
      expect(await rootFsOffset(d)).toBe(18432 * 512);
      const st = await new Ext4Image(d, await rootFsOffset(d)).stat('/usr/lib/tool');
      expect(st?.mode).toBe(0o4755);
    }
    const none = join(tempDir(), 'blank.img');
    writeFileSync(none, '');
    truncateSync(none, 4 * 1024 * 1024);
    await expect(rootFsOffset(none)).rejects.toThrow('no ext2/3/4 file system found on the disk');
  });
});

describe('parsing debugfs output', () => {
  it('reads type, mode, owner, size and times from `stat`', () => {
    const text =
      'Inode: 715   Type: symlink    Mode:  0777   Flags: 0x0\nGeneration: 0    Version: 0x00000000:00000000\n' +
      'User:  1000   Group:    42   Project:     0   Size: 7\n ctime: 0x6b026ac9:00000000 -- Sun Nov 22\n' +
      ' mtime: 0x6b026a93:00000000 -- Sun Nov 22\nFast link dest: "usr/lib"\n';
    expect(parseStat('/lib', text)).toEqual({
      path: '/lib',
      inode: 715,
      type: 'symlink',
      mode: 0o777,
      uid: 1000,
      gid: 42,
      size: 7,
      ctime: 0x6b026ac9,
      mtime: 0x6b026a93,
      target: 'usr/lib',
    });
    expect(parseStat('/x', '/x: File not found by ext2_lookup')).toBeUndefined();
  });

  it('renders modes like ls -l', () => {
    const st = (type: Ext4Stat['type'], mode: number) => ({ type, mode }) as Ext4Stat;
    expect(modeString(st('file', 0o4755))).toBe('-rwsr-xr-x');
    expect(modeString(st('file', 0o4644))).toBe('-rwSr--r--');
    expect(modeString(st('dir', 0o3775))).toBe('drwxrwsr-t');
    expect(modeString(st('dir', 0o1777))).toBe('drwxrwxrwt');
    expect(modeString(st('symlink', 0o777))).toBe('lrwxrwxrwx');
  });
});

describe('scanning a whole image for secrets', () => {
  it('finds every copy, including one across a read boundary, and counts none twice', async () => {
    const f = join(tempDir(), 'scan.img');
    const size = 20 * 1024 * 1024;
    const buf = Buffer.alloc(size);
    const needle = 'X-Amz-Signature=0123456789abcdef';
    // Reads are 8 MiB: one copy ends exactly at the first boundary, one straddles the second.
    const at = [5, 8 * 1024 * 1024 - needle.length, 16 * 1024 * 1024 - 10, size - needle.length];
    for (const a of at) buf.write(needle, a);
    writeFileSync(f, buf);
    const found = await scanFile(f, [needle, 'absent-token']);
    expect(found.get(needle)).toEqual(at);
    expect(found.get('absent-token')).toEqual([]);
  });
});

withMtools('the NoCloud seed', () => {
  it('holds the gzip user data as-is, meta-data, vendor-data and a network-config cloud-init reads right', async () => {
    const seed = join(tempDir(), 'seed.img');
    const userData = gzipSync('#cloud-config\nruncmd: [true]\n');
    await makeSeed(seed, { instanceId: 'i-0123456789abcdef0', userData, vendorData: '#!/bin/sh\ntrue\n' });
    const label = execFileSync('fatlabel', [seed], { env: ENV }).toString().trim();
    expect(label.toLowerCase()).toBe('cidata');
    const read = (name: string) => execFileSync('mtype', ['-i', seed, `::${name}`], { env: ENV });
    const copy = join(tempDir(), 'ud');
    execFileSync('mcopy', ['-i', seed, '::user-data', copy], { env: ENV });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(copy).equals(userData)).toBe(true);
    expect(parse(read('meta-data').toString())).toEqual({
      'instance-id': 'i-0123456789abcdef0',
      'local-hostname': 'amibake',
    });
    expect(read('vendor-data').toString()).toBe('#!/bin/sh\ntrue\n');
    // PyYAML reads YAML 1.1, where an unquoted MAC address is a base-60 integer.
    const net = parse(networkConfig(), { version: '1.1' });
    expect(net.config[0].mac_address).toBe('52:54:00:12:34:56');
    expect(net.config[0].subnets).toEqual([{ type: 'static', address: '10.0.2.15/24', gateway: '10.0.2.2' }]);
  });
});

describe('the bootable disk base', () => {
  it('has its own recipe: the tarball recipe plus GRUB for BIOS and UEFI, cached apart', () => {
    const tarball = baseRecipe({});
    const bootable = baseRecipe({}, 'bookworm', true);
    expect(bootable.packages).toEqual([
      ...tarball.packages,
      'grub-pc-bin',
      'grub-efi-amd64-bin',
      'grub2-common',
    ]);
    expect(bootable.hook.startsWith(`#!/bin/sh\n${tarball.hook.replace(/^(#!\/bin\/sh)?\n/, '')}`)).toBe(
      true,
    );
    expect(bootable.hook.match(/^#!/gm)).toHaveLength(1);
    expect(bootable.hook).toContain('datasource_list: [ NoCloud, Ec2, None ]');
    expect(bootable.bootloader).toBe('grub-bios-uefi');
    expect(tarball).not.toHaveProperty('bootloader');
    expect(recipeHash(bootable)).not.toBe(recipeHash(tarball));
    expect(baseImagePath(bootable, { AMIBAKE_CACHE_DIR: '/c' })).toMatch(
      /^\/c\/debian-bookworm-bootable-[0-9a-f]{16}\.tar\.zst$/,
    );
    expect(bootDiskPath({ AMIBAKE_CACHE_DIR: '/c' })).toMatch(
      /^\/c\/debian-bookworm-bootable-[0-9a-f]{16}\.debian-12-bios-uefi-2\.raw$/,
    );
  });

  it('lays out a GPT: BIOS boot, EFI system, then the root to the last MiB', () => {
    const script = sfdiskScript(4096);
    expect(script.split('\n').slice(0, 2)).toEqual(['label: gpt', 'unit: sectors']);
    expect(script).toContain(`start=2048, size=2048, type=${PART_TYPE.bios}`);
    expect(script).toContain(`start=4096, size=204800, type=${PART_TYPE.esp}`);
    const root = /start=(\d+), size=(\d+), type=0FC63DAF/.exec(script)!;
    expect(Number(root[1])).toBe(LAYOUT.root.start * 2048);
    expect((Number(root[1]) + Number(root[2])) * 512).toBe((4096 - 1) * 1024 * 1024);
  });
});

describe('qemu arguments', () => {
  const spec = {
    boot: { kind: 'kernel' as const, kernel: '/k', initrd: '/i', append: 'root=/dev/vda' },
    disks: [{ path: '/d.raw', format: 'raw' as const }],
    consoleLog: '/c',
    timeoutMs: 1000,
  };

  it('gives the guest NAT by default, with the forwards beside it', () => {
    const args = qemuArgs({ ...spec, forwards: [{ guestPort: 8080, hostPort: 41234 }] });
    const net = args[args.indexOf('-netdev') + 1];
    expect(net).toBe('user,id=n0,ipv6=off,guestfwd=tcp:10.0.2.100:8080-cmd:socat STDIO TCP4:127.0.0.1:41234');
    expect(net).not.toContain('restrict');
    expect(qemuArgs({ ...spec, network: 'nat' })).toEqual(qemuArgs(spec));
  });

  it("gives a NAT guest qemu's DNS server, an isolated one none", () => {
    const nat = parse(networkConfig(true), { version: '1.1' });
    expect(nat.config[0].subnets[0].dns_nameservers).toEqual(['10.0.2.3']);
    expect(parse(networkConfig(false), { version: '1.1' }).config[0].subnets[0]).not.toHaveProperty(
      'dns_nameservers',
    );
  });

  it('isolates the guest: restrict=on, no IPv6, guestfwd only to the host loopback', () => {
    const args = qemuArgs({ ...spec, network: 'isolated', forwards: [{ guestPort: 8080, hostPort: 41234 }] });
    const net = args[args.indexOf('-netdev') + 1];
    expect(net).toBe(
      'user,id=n0,restrict=on,ipv6=off,guestfwd=tcp:10.0.2.100:8080-cmd:socat STDIO TCP4:127.0.0.1:41234',
    );
    expect(args).toContain('-no-reboot');
    expect(args.join(' ')).toContain('-kernel /k -initrd /i -append root=/dev/vda');
    expect(() =>
      qemuArgs({ ...spec, forwards: [{ guestPort: 80, hostPort: 80, hostAddr: '10.1.2.3' }] }),
    ).toThrow('only loopback addresses are allowed');
    expect(() =>
      qemuArgs({ ...spec, forwards: [{ guestPort: 80, hostPort: 80, hostAddr: '0.0.0.0' }] }),
    ).toThrow();
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('127.0.0.256')).toBe(false);
  });

  it('boots UEFI with OVMF: the code read-only, the variables a writable copy', () => {
    const args = qemuArgs({
      ...spec,
      boot: { kind: 'firmware', uefi: { code: '/o/CODE.fd', vars: '/w/VARS.fd' } },
    });
    expect(args.join(' ')).toContain(
      '-drive if=pflash,format=raw,unit=0,readonly=on,file=/o/CODE.fd -drive if=pflash,format=raw,unit=1,file=/w/VARS.fd',
    );
    expect(args).not.toContain('-kernel');
    expect(() =>
      qemuArgs({ ...spec, boot: { kind: 'firmware', uefi: { code: '/a,b', vars: '/v' } } }),
    ).toThrow('comma');
  });

  it('takes the default network from AMIBAKE_VM_NETWORK', () => {
    expect(defaultNetwork({})).toBe('nat');
    expect(defaultNetwork({ AMIBAKE_VM_NETWORK: 'isolated' })).toBe('isolated');
    expect(defaultNetwork({ AMIBAKE_VM_NETWORK: 'NAT' })).toBe('nat');
    expect(() => defaultNetwork({ AMIBAKE_VM_NETWORK: 'bridge' })).toThrow(/nat or isolated, not "bridge"/);
  });

  it('boots a user image through its firmware (no -kernel)', () => {
    const args = qemuArgs({ ...spec, boot: { kind: 'firmware' } });
    expect(args).not.toContain('-kernel');
    expect(() => qemuArgs({ ...spec, disks: [{ path: '/a,b', format: 'raw' }] })).toThrow('comma');
  });
});

describe('the base image recipe and cache', () => {
  it('keys the cache by the recipe and honours the cache variables', () => {
    const r = baseRecipe({});
    expect(r.packages).toEqual(
      expect.arrayContaining(['linux-image-cloud-amd64', 'cloud-init', 'curl', 'systemd-sysv']),
    );
    expect(r.mirrors[0]).toBe('deb http://deb.debian.org/debian bookworm main');
    expect(recipeHash(baseRecipe({ AMIBAKE_DEBIAN_MIRROR: 'http://mirror.example/debian' }))).not.toBe(
      recipeHash(r),
    );
    expect(cacheDir({ AMIBAKE_CACHE_DIR: '/c' })).toBe('/c');
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/amibake');
  });

  it('has a trixie recipe: the same packages plus rsyslog, its own mirrors and cache key', () => {
    const bookworm = baseRecipe({});
    const trixie = baseRecipe({}, 'trixie');
    expect(trixie.suite).toBe('trixie');
    expect(trixie.mirrors).toEqual([
      'deb http://deb.debian.org/debian trixie main',
      'deb http://deb.debian.org/debian trixie-updates main',
      'deb http://deb.debian.org/debian-security trixie-security main',
    ]);
    expect(trixie.packages).toEqual([...bookworm.packages, 'rsyslog']);
    expect(bookworm.packages).not.toContain('rsyslog');
    expect(recipeHash(trixie)).not.toBe(recipeHash(bookworm));
    expect(baseImagePath(trixie, { AMIBAKE_CACHE_DIR: '/c' })).toMatch(
      /^\/c\/debian-trixie-[0-9a-f]{16}\.tar\.zst$/,
    );
    // The default is bookworm, and its recipe is what it was (an image already cached stays valid).
    expect(baseRecipe({}, 'bookworm')).toEqual(bookworm);
    expect(bookworm.mirrors).toEqual([
      'deb http://deb.debian.org/debian bookworm main',
      'deb http://deb.debian.org/debian bookworm-updates main',
      'deb http://deb.debian.org/debian-security bookworm-security main',
    ]);
  });
});

describe('the loopback stage server', () => {
  it('serves fs.tgz and takes the result and log only at the secret path', async () => {
    const f = join(tempDir(), 'fs.tgz');
    writeFileSync(f, 'archive');
    const srv = await startStageServer({ fsTgz: f });
    try {
      expect(srv.urls.fsUrl).toBe(`http://10.0.2.100:${GUEST_STAGE_PORT}/${srv.token}/fs.tgz`);
      const local = (u: string) => u.replace(`10.0.2.100:${GUEST_STAGE_PORT}`, `127.0.0.1:${srv.port}`);
      expect(await (await fetch(local(srv.urls.fsUrl!))).text()).toBe('archive');
      expect((await fetch(`http://127.0.0.1:${srv.port}/wrong/fs.tgz`)).status).toBe(403);
      await fetch(local(srv.urls.resultUrl), { method: 'PUT', body: 'status=4\n' });
      await fetch(local(srv.urls.logUrl), { method: 'PUT', body: 'the log' });
      expect(parseResult(srv.result())).toBe(4);
      expect(srv.log()).toBe('the log');
      expect(srv.fsServed()).toBe(1);
    } finally {
      await srv.close();
    }
  });
});

describe('what the image source puts on the disk', () => {
  it('reads the inline fs.tgz back from prepared user data and lists it with modes', async () => {
    const target = join(tempDir(), 'out');
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const r = await prepare({
      source: join(ROOT, 'examples/web-server'),
      target,
      awsRegion: 'us-east-1',
      logger: createCliLogger(sink),
      env: {},
    });
    expect(r.fsMode).toBe('inline');
    const { readFileSync } = await import('node:fs');
    const tgz = inlineFsTgz(readFileSync(r.userdataPath))!;
    const { createHash } = await import('node:crypto');
    const vars = parseEnv(readFileSync(r.varsPath, 'utf8'), 'vars.env');
    expect(createHash('sha256').update(tgz).digest('hex')).toBe(vars.FS_SHA256);
    const entries = await listFsTgz(tgz);
    expect(entries).toContainEqual(
      expect.objectContaining({ path: '/srv/www/index.html', type: 'file', mode: 0o644, uid: 0 }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ path: '/var/run/install.sh', type: 'file' }));
  });

  it('compares the packed entries with the disk, existing directories keeping their mode', () => {
    const st = (
      path: string,
      type: Ext4Stat['type'],
      mode: number,
      extra: Partial<Ext4Stat> = {},
    ): Ext4Stat => ({
      path,
      type,
      mode,
      uid: 0,
      gid: 0,
      size: 0,
      inode: 1,
      mtime: 0,
      ctime: 0,
      ...extra,
    });
    const entries = [
      { path: '/etc', type: 'dir' as const, mode: 0o700, uid: 0, gid: 0, size: 0 },
      { path: '/etc/a', type: 'file' as const, mode: 0o640, uid: 0, gid: 0, size: 3 },
      { path: '/etc/l', type: 'symlink' as const, mode: 0o777, uid: 0, gid: 0, size: 0, target: 'a' },
      { path: '/etc/b', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1 },
      { path: '/var/run/install.sh', type: 'file' as const, mode: 0o755, uid: 0, gid: 0, size: 9 },
    ];
    const before = new Map([['/etc', st('/etc', 'dir', 0o755)]]);
    const after = new Map([
      ['/etc', st('/etc', 'dir', 0o755)],
      ['/etc/a', st('/etc/a', 'file', 0o640, { size: 3 })],
      ['/etc/l', st('/etc/l', 'symlink', 0o777, { target: 'a' })],
      ['/etc/b', st('/etc/b', 'file', 0o600, { size: 1, uid: 33, gid: 33 })],
    ]);
    const c = checkSourceFiles(entries, before, after, (p) => p.startsWith('/var/run/'));
    expect(c.entries).toHaveLength(4);
    expect(c.asPacked).toBe(3);
    expect(c.differences).toEqual(['/etc/b: mode 0600, packed 0644, owner 33:33']);
  });
});
