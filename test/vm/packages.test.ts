/**
 * A guest installs packages as a build instance does: cloud-config `packages:` fetches from
 * Debian's mirror. The machine reaches nothing but loopback (and the mirror from the host), so the
 * guest is isolated and apt goes through a host-side HTTP proxy on loopback, forwarded into the
 * guest: the same install path as a bake, with apt's proxy setting.
 */
import { afterAll, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { prepare } from '../../src/compile/prepare.js';
import { localBake } from '../../src/fronts/local-bake.js';
import { BaseImage } from '../../src/vm/machine.js';
import { HOST_ALIAS_IP } from '../../src/vm/seed.js';
import { tempDir, writeTree } from '../compile/helpers.js';
import { startHttpProxy } from '../support/http-proxy.js';
import { recordingLogger } from '../support/logger.js';
import { cannotRun, describeUnless } from './harness.js';

const maybe = describeUnless(await cannotRun(), 'package install tests');
const MINUTE = 60_000;
const PROXY_GUEST_PORT = 3128;

maybe('packages in an isolated guest, through a loopback proxy', () => {
  const work = tempDir('amibake-packages-');
  afterAll(async () => {
    if (!process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it(
    'installs cloud-config packages from the Debian mirror through the proxy, before install.sh runs',
    async () => {
      const source = writeTree(join(work, 'source'), {
        'ami.env': 'NAME=packages-test\nVERSION=1\n',
        'cloudinit/20_packages.cfg':
          '#cloud-config\n' +
          `apt:\n  proxy: http://${HOST_ALIAS_IP}:${PROXY_GUEST_PORT}\n` +
          'package_update: true\n' +
          'packages:\n  - hello\n',
        // packages: runs in cloud-init's config stage, install.sh in its final stage.
        'script/install.sh': {
          content: '#!/bin/sh\nset -eu\nhello > /etc/hello-output\n',
          mode: 0o755,
        },
      });
      const prepared = await prepare({
        source,
        target: join(work, 'target'),
        awsRegion: 'eu-west-1',
        logger: recordingLogger(),
        env: {},
      });
      const proxy = await startHttpProxy();
      const base = await BaseImage.open(join(work, 'vm'));
      try {
        const consoleLines: string[] = [];
        const r = await localBake({
          userdataPath: prepared.userdataPath,
          fsTgzPath: prepared.fsTgzPath,
          base,
          dir: join(work, 'vm', 'machine'),
          network: 'isolated',
          forwards: [{ guestPort: PROXY_GUEST_PORT, hostPort: proxy.port }],
          timeoutMs: 25 * MINUTE,
          onConsole: (l) => consoleLines.push(l),
        });
        const context = `${r.problems.join('\n')}\n${consoleLines.slice(-80).join('\n')}\n${r.log ?? ''}`;
        expect({ status: r.status, problems: r.problems, context }).toEqual({
          status: 0,
          problems: [],
          context,
        });
        // apt went through the proxy, and the package came from the mirror.
        const debs = proxy.requests.filter((q) =>
          /\/pool\/main\/h\/hello\/hello_[^/]+_amd64\.deb$/.test(q.url),
        );
        expect(debs.map((q) => [q.method, q.status])).toEqual([['GET', 200]]);
        expect(proxy.requests.some((q) => /\/dists\/bookworm\/.*Release$/.test(q.url))).toBe(true);
        // Installed on the disk, and run by install.sh.
        const bin = await r.machine.disk.stat('/usr/bin/hello');
        expect(bin?.type).toBe('file');
        expect((await r.machine.disk.readFile('/etc/hello-output')).toString()).toBe('Hello, world!\n');
      } finally {
        await proxy.close();
        await base.dispose();
      }
    },
    30 * MINUTE,
  );
});
