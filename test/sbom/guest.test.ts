/**
 * The guest's package inventory (src/compile/guest/amibake.sh, as the user data carries it) run
 * with dash against a temporary root: fake dpkg-query, rpm and apk on PATH print fixtures, a
 * loopback HTTP server stands in for the presigned PUT. What it writes is valid CycloneDX JSON
 * that the build's own check accepts, escaped whatever the names hold.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatEnv } from '../../src/core/envfile.js';
import { SBOM_CONTENT_TYPE } from '../../src/core/contract.js';
import { checkSbom } from '../../src/features/sbom/validate.js';
import { runGuest, tempDir, toolPath, writeGuestScript, writeTree } from '../compile/helpers.js';

jest.setTimeout(60_000);

interface Put {
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let script: string;
let server: Server;
let base: string;
const puts: Put[] = [];

beforeAll(async () => {
  script = writeGuestScript(tempDir());
  // PUTs under /denied/ are refused as S3 refuses a URL signed for another content type.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      puts.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url?.startsWith('/denied/') ? 403 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const OS_RELEASE = [
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
  'NAME="Debian GNU/Linux"',
  'VERSION_ID="12"',
  'ID=debian',
  '',
].join('\n');

/** A root that finishes with status 0: cloud-init's result, no files to install. */
function guestRoot(osRelease = OS_RELEASE): string {
  return writeTree(tempDir('amibake-root-'), {
    'etc/os-release': osRelease,
    'run/amibake': { dir: 0o700 },
    'run/amibake/prepared.env': formatEnv({ AMIBAKE_FS_MODE: 'none', AMIBAKE_REGION: 'eu-west-1' }),
    'run/cloud-init/result.json': JSON.stringify({ v1: { errors: [] } }),
    'var/log/cloud-init-output.log': 'Cloud-init v. 22.4.2 running modules:final\n',
    tmp: { dir: 0o1777 },
    'var/tmp': { dir: 0o1777 },
  });
}

/**
 * A PATH with the image's tools and fake package managers: each prints FIXTURE (the lines the real
 * one prints for the query amibake makes) and records its arguments in ARGS.
 */
function imagePath(fakes: Record<string, string>, without: string[] = []): { path: string; args: string } {
  const dir = tempDir('amibake-bin-');
  const bin = toolPath(dir, without);
  for (const t of ['date', 'wc']) symlinkSync(`/usr/bin/${t}`, join(bin, t));
  const args = join(dir, 'args');
  for (const [tool, fixture] of Object.entries(fakes)) {
    writeFileSync(join(dir, `${tool}.out`), fixture);
    writeFileSync(
      join(bin, tool),
      `#!/bin/sh\nprintf '%s\\n' "$*" >>'${args}'\ncat '${join(dir, `${tool}.out`)}'\n`,
      { mode: 0o755 },
    );
  }
  return { path: bin, args };
}

async function finish(root: string, path: string, url?: string) {
  for (const cmd of ['fetch', 'extract', 'install', 'log']) await runGuest(script, root, cmd, { PATH: path });
  if (url) writeFileSync(join(root, 'run/amibake/stage.env'), formatEnv({ AMIBAKE_SBOM_URL: url }));
  const before = puts.length;
  const r = await runGuest(script, root, 'finish', { PATH: path });
  expect(r.code).toBe(0);
  const log = readFileSync(join(root, 'run/amibake/install.log'), 'utf8');
  const console = readFileSync(join(root, 'console'), 'utf8');
  return { puts: puts.slice(before), log, console };
}

interface Bom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  version: number;
  metadata: { timestamp: string; component: Record<string, string> };
  components: { type: string; name: string; version: string; purl: string }[];
}

const bomOf = (p: Put): Bom => JSON.parse(p.body.toString('utf8')) as Bom;

/** dpkg-query's `${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}` lines. */
const DPKG = [
  'ii \tbase-files\t12.4+deb12u5\tamd64',
  'ii \tcloud-init\t22.4.2-1\tall',
  'ii \tbsdutils\t1:2.38.1-5+deb12u1\tamd64',
  // Removed, its config files kept: not installed.
  'rc \told-package\t1.0-1\tamd64',
  // Held, installed.
  'hi \tpython3\t3.11.2-1+b1\tamd64',
  // Names no package manager allows, to prove the escaping.
  'ii \tevil"name\\x\t1.0"}],"x":"\tamd64',
  'ii \tspace name@v?q#f\t2.0/3\tarm64',
  '',
].join('\n');

describe("the guest's package inventory", () => {
  it.each([
    ['curl', []],
    ['python3 when curl is missing', ['curl']],
  ])(
    'dpkg: CycloneDX 1.5 of the installed packages, PUT with its content type (%s), then removed',
    async (_n, without) => {
      const root = guestRoot();
      const fake = imagePath({ 'dpkg-query': DPKG }, without as string[]);
      const r = await finish(root, fake.path, `${base}/bucket/amibake-t.sbom.json?X-Amz-Signature=s`);
      expect(r.console).toBe('AMIBAKE-RESULT status=0\n');
      expect(r.puts.map((p) => p.url)).toEqual(['/bucket/amibake-t.sbom.json?X-Amz-Signature=s']);
      expect(r.puts[0].headers['content-type']).toBe(SBOM_CONTENT_TYPE);
      // The image's own database under the root, not the host's.
      expect(readFileSync(fake.args, 'utf8')).toContain(`--admindir=${root}/var/lib/dpkg -W`);

      const bom = bomOf(r.puts[0]);
      expect(checkSbom(r.puts[0].body)).toEqual({ ok: true, summary: { specVersion: '1.5', components: 6 } });
      expect(bom.bomFormat).toBe('CycloneDX');
      expect(bom.specVersion).toBe('1.5');
      expect(bom.version).toBe(1);
      expect(bom.serialNumber).toMatch(
        /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(Math.abs(Date.parse(bom.metadata.timestamp) - Date.now())).toBeLessThan(120_000);
      expect(bom.metadata.component).toEqual({
        type: 'operating-system',
        name: 'debian',
        version: '12',
        description: 'Debian GNU/Linux 12 (bookworm)',
      });
      expect(bom.components).toEqual([
        {
          type: 'library',
          name: 'base-files',
          version: '12.4+deb12u5',
          purl: 'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64',
        },
        {
          type: 'library',
          name: 'cloud-init',
          version: '22.4.2-1',
          purl: 'pkg:deb/debian/cloud-init@22.4.2-1?arch=all',
        },
        {
          type: 'library',
          name: 'bsdutils',
          version: '1:2.38.1-5+deb12u1',
          purl: 'pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u1?arch=amd64',
        },
        {
          type: 'library',
          name: 'python3',
          version: '3.11.2-1+b1',
          purl: 'pkg:deb/debian/python3@3.11.2-1+b1?arch=amd64',
        },
        // Quotes and backslashes escaped in JSON, percent-encoded in the purl: no field injected.
        {
          type: 'library',
          name: 'evil"name\\x',
          version: '1.0"}],"x":"',
          purl: 'pkg:deb/debian/evil%22name%5Cx@1.0%22%7D%5D%2C%22x%22:%22?arch=amd64',
        },
        {
          type: 'library',
          name: 'space name@v?q#f',
          version: '2.0/3',
          purl: 'pkg:deb/debian/space%20name%40v%3Fq%23f@2.0%2F3?arch=arm64',
        },
      ]);
      expect(Object.keys(bom)).not.toContain('x');

      // Made before sanitising, on tmpfs, and gone once sent.
      expect(r.log.indexOf('amibake: package inventory: 6 deb packages')).toBeGreaterThan(-1);
      expect(r.log.indexOf('package inventory')).toBeLessThan(r.log.indexOf('image sanitised'));
      expect(readdirSync(join(root, 'run/amibake')).filter((f) => /sbom|packages|dpkg/.test(f))).toEqual([]);
      expect(r.log).not.toContain('X-Amz-Signature');
    },
  );

  it('rpm: epoch as a qualifier and in the version, no arch for a pseudo-package, the distribution from os-release', async () => {
    const root = guestRoot('NAME="Amazon Linux"\nVERSION_ID="2023"\nID="amzn"\n');
    const fake = imagePath(
      {
        rpm: [
          'bash\t5.2.15-1.amzn2023.0.2\tx86_64\t(none)',
          'openssl-libs\t3.0.8-1.amzn2023.0.12\tx86_64\t1',
          'gpg-pubkey\td832f30f-61e6d6cb\t(none)\t(none)',
          '',
        ].join('\n'),
      },
      [],
    );
    // No dpkg-query here: rpm is the image's package manager.
    const r = await finish(root, fake.path, `${base}/bucket/rpm.sbom.json`);
    expect(readFileSync(fake.args, 'utf8')).toContain(`--root ${root}/ -qa --qf`);
    const bom = bomOf(r.puts[0]);
    // No PRETTY_NAME in this os-release: no description.
    expect(bom.metadata.component).toEqual({ type: 'operating-system', name: 'amzn', version: '2023' });
    expect(bom.components.map((c) => [c.name, c.version, c.purl])).toEqual([
      ['bash', '5.2.15-1.amzn2023.0.2', 'pkg:rpm/amzn/bash@5.2.15-1.amzn2023.0.2?arch=x86_64'],
      [
        'openssl-libs',
        '1:3.0.8-1.amzn2023.0.12',
        'pkg:rpm/amzn/openssl-libs@3.0.8-1.amzn2023.0.12?arch=x86_64&epoch=1',
      ],
      ['gpg-pubkey', 'd832f30f-61e6d6cb', 'pkg:rpm/amzn/gpg-pubkey@d832f30f-61e6d6cb'],
    ]);
  });

  it("apk: Alpine's installed database under the root", async () => {
    const root = guestRoot('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\n');
    writeTree(root, {
      'lib/apk/db/installed': [
        'C:Q1abc=',
        'P:musl',
        'V:1.2.5-r0',
        'A:x86_64',
        'S:100',
        '',
        'C:Q1def=',
        'P:py3-cloud-init',
        'V:24.1.4-r0',
        'A:noarch',
        'o:cloud-init',
        '',
        'P:busybox',
        'V:1.36.1-r29',
        'A:x86_64',
      ].join('\n'),
    });
    const fake = imagePath({ apk: '' }, []);
    const r = await finish(root, fake.path, `${base}/bucket/apk.sbom.json`);
    expect(bomOf(r.puts[0]).components.map((c) => c.purl)).toEqual([
      'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64',
      'pkg:apk/alpine/py3-cloud-init@24.1.4-r0?arch=noarch',
      'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64',
    ]);
  });

  it('no URL (no S3 location for the build): says the SBOM was skipped and asks no package manager', async () => {
    const root = guestRoot();
    const fake = imagePath({ 'dpkg-query': DPKG });
    const r = await finish(root, fake.path);
    expect(r.puts).toEqual([]);
    expect(r.log).toContain('no URL for the package inventory (the build has no S3 location): SBOM skipped');
    expect(existsSync(fake.args)).toBe(false);
    expect(r.console).toBe('AMIBAKE-RESULT status=0\n');
  });

  it('a failed install: no inventory', async () => {
    const root = guestRoot();
    writeFileSync(join(root, 'run/cloud-init/result.json'), JSON.stringify({ v1: { errors: ['boom'] } }));
    const fake = imagePath({ 'dpkg-query': DPKG });
    const r = await finish(root, fake.path, `${base}/bucket/failed.sbom.json`);
    expect(r.console).toBe('AMIBAKE-RESULT status=1\n');
    expect(r.puts).toEqual([]);
    expect(existsSync(fake.args)).toBe(false);
  });

  it('never fails the bake: no package manager, a failing query, a refused upload', async () => {
    const none = await finish(guestRoot(), imagePath({}).path, `${base}/bucket/none.sbom.json`);
    expect(none.console).toBe('AMIBAKE-RESULT status=0\n');
    expect(none.puts).toEqual([]);
    expect(none.log).toContain('no dpkg-query, rpm or apk on this image');
    expect(none.log).toContain('could not list the installed packages: SBOM skipped');

    const bin = imagePath({});
    writeFileSync(join(bin.path, 'dpkg-query'), '#!/bin/sh\necho "dpkg-query: no database" >&2\nexit 2\n', {
      mode: 0o755,
    });
    const failing = await finish(guestRoot(), bin.path, `${base}/bucket/failing.sbom.json`);
    expect(failing.console).toBe('AMIBAKE-RESULT status=0\n');
    expect(failing.puts).toEqual([]);
    expect(failing.log).toContain('dpkg-query: no database');
    expect(failing.log).toContain('could not list the installed packages: SBOM skipped');

    const refused = await finish(
      guestRoot(),
      imagePath({ 'dpkg-query': DPKG }).path,
      `${base}/denied/x.sbom.json`,
    );
    expect(refused.console).toBe('AMIBAKE-RESULT status=0\n');
    expect(refused.puts).toHaveLength(1);
    expect(refused.log).toContain('could not upload the package inventory');
    expect(refused.log).toContain('amibake: install status 0');
  });
});
