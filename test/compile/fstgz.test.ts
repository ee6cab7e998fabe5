/** fs.tgz as tar-stream's decoder and GNU tar read it back: exact modes, root ownership, symlinks,
 *  order, fixed mtime, byte-identical output. */
import { describe, expect, it, jest } from '@jest/globals';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { buildFsTgz } from '../../src/compile/fstgz.js';
import { tempDir, writeTree } from './helpers.js';

// Real processes (tar, sh, python3, node bundles) on a CI machine that runs every suite at once.
jest.setTimeout(60_000);

interface Header {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
  mtime: number;
  linkname?: string | null;
  body: string;
}

async function entries(tgz: string): Promise<Header[]> {
  const out: Header[] = [];
  const ex = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({
          name: h.name,
          type: h.type ?? '',
          mode: h.mode ?? -1,
          uid: h.uid ?? -1,
          gid: h.gid ?? -1,
          uname: h.uname,
          gname: h.gname,
          mtime: (h.mtime?.getTime() ?? -1) / 1000,
          linkname: h.linkname,
          body: Buffer.concat(chunks).toString(),
        });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(gunzipSync(readFileSync(tgz)));
  await done;
  return out;
}

function sampleTree(): string {
  const fs = writeTree(tempDir('amibake-fs-'), {
    'etc/app.conf': { content: 'key=value\n', mode: 0o640 },
    'etc/shadow-like': { content: 'secret', mode: 0o000 },
    'usr/local/bin/suid': { content: '#!/bin/sh\n', mode: 0o4755 },
    'usr/local/bin/sgid': { content: '#!/bin/sh\n', mode: 0o2711 },
    'srv/tmp': { dir: 0o1777 },
    'srv/team': { dir: 0o2775 },
    'srv/team/shared': { content: 'g+w o+w', mode: 0o666 },
    'srv/empty': { content: '', mode: 0o644 },
    'opt/link-abs': { symlink: '/etc/passwd' },
    'opt/link-dangling': { symlink: '../no/such/file' },
    'opt/link-dir': { symlink: '../etc' },
    B: 'upper',
    a: { dir: 0o755 },
    'a.txt': 'dot',
    'a/b': 'slash',
    [`deep/${'d'.repeat(120)}/${'f'.repeat(90)}`]: 'long name',
    'srv/utf8/café.txt': 'é',
  });
  chownSync(join(fs, 'etc/app.conf'), 1000, 1000);
  chownSync(join(fs, 'srv/team'), 1000, 1000);
  chmodSync(join(fs, 'srv/team'), 0o2775); // chown clears set-id bits
  return fs;
}

describe('fs.tgz', () => {
  it('keeps modes exactly (set-id, sticky, group/other write, 0000) with owner root whatever the owner on disk', async () => {
    const fs = sampleTree();
    const out = join(tempDir(), 'fs.tgz');
    await buildFsTgz({ fsDir: fs, out });
    const byName = new Map((await entries(out)).map((e) => [e.name, e]));
    const m = (n: string) => byName.get(n)?.mode;
    expect(m('etc/app.conf')).toBe(0o640);
    expect(m('etc/shadow-like')).toBe(0o000);
    expect(m('usr/local/bin/suid')).toBe(0o4755);
    expect(m('usr/local/bin/sgid')).toBe(0o2711);
    expect(m('srv/tmp/')).toBe(0o1777);
    expect(m('srv/team/')).toBe(0o2775);
    expect(m('srv/team/shared')).toBe(0o666);
    for (const e of byName.values()) {
      expect([e.name, e.uid, e.gid, e.uname, e.gname]).toEqual([e.name, 0, 0, 'root', 'root']);
    }
    expect(byName.get('srv/team/shared')?.body).toBe('g+w o+w');
    expect(byName.get('srv/empty')?.body).toBe('');
  });

  it('stores symlinks as symlinks, never following them, wherever they point', async () => {
    const out = join(tempDir(), 'fs.tgz');
    await buildFsTgz({ fsDir: sampleTree(), out });
    const links = (await entries(out)).filter((e) => e.type === 'symlink');
    expect(links.map((e) => [e.name, e.linkname, e.body])).toEqual([
      ['opt/link-abs', '/etc/passwd', ''],
      ['opt/link-dangling', '../no/such/file', ''],
      ['opt/link-dir', '../etc', ''],
    ]);
  });

  it('lists entries depth first in byte order of names, with one fixed mtime, then install.sh', async () => {
    const fs = sampleTree();
    const dir = tempDir();
    writeFileSync(join(dir, 'install.sh'), 'echo hi\n', { mode: 0o644 });
    const out = join(dir, 'fs.tgz');
    await buildFsTgz({ fsDir: fs, out, installSh: join(dir, 'install.sh'), mtime: 1_700_000_000 });
    const list = await entries(out);
    const names = list.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual(['B', 'a/', 'a/b', 'a.txt']);
    expect(names.at(-1)).toBe('var/run/install.sh');
    expect(list.at(-1)?.mode).toBe(0o700);
    expect(new Set(list.map((e) => e.mtime))).toEqual(new Set([1_700_000_000]));
    // GNU tar reads the same thing (long and UTF-8 names through pax headers).
    const gnu = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(gnu).toEqual(names);
    expect(gnu).toContain(`deep/${'d'.repeat(120)}/${'f'.repeat(90)}`);
    expect(gnu).toContain('srv/utf8/café.txt');
  });

  it('is byte-identical when built again, whatever the files’ times on disk', async () => {
    const fs = sampleTree();
    const dir = tempDir();
    const a = await buildFsTgz({ fsDir: fs, out: join(dir, 'a.tgz') });
    utimesSync(join(fs, 'etc/app.conf'), new Date(), new Date(2001, 1, 1));
    const b = await buildFsTgz({ fsDir: fs, out: join(dir, 'b.tgz') });
    expect(readFileSync(join(dir, 'a.tgz')).equals(readFileSync(join(dir, 'b.tgz')))).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    // gzip header without a timestamp
    expect(readFileSync(join(dir, 'a.tgz')).readUInt32LE(4)).toBe(0);
    const c = await buildFsTgz({ fsDir: fs, out: join(dir, 'c.tgz'), mtime: 1 });
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('uses SOURCE_DATE_EPOCH as the mtime when set', async () => {
    const { defaultMtime } = await import('../../src/compile/fstgz.js');
    expect(defaultMtime({ SOURCE_DATE_EPOCH: '1234' })).toBe(1234);
    expect(defaultMtime({})).toBe(0);
    expect(defaultMtime({ SOURCE_DATE_EPOCH: 'soon' })).toBe(0);
  });

  it('reports its size and sha256 as written', async () => {
    const out = join(tempDir(), 'fs.tgz');
    const r = await buildFsTgz({ fsDir: sampleTree(), out });
    const bytes = readFileSync(out);
    expect(r.size).toBe(bytes.length);
    expect(r.sha256).toBe(execFileSync('sha256sum', [out], { encoding: 'utf8' }).split(' ')[0]);
    expect(r.contentBytes).toBeGreaterThan(0);
  });

  it('refuses a reserved path and a FIFO, naming the file', async () => {
    const reserved = writeTree(tempDir(), { 'var/run/install.sh': 'x' });
    await expect(buildFsTgz({ fsDir: reserved, out: join(tempDir(), 'x.tgz') })).rejects.toThrow(
      'fs/var/run/install.sh: reserved path',
    );
    const fifo = tempDir();
    execFileSync('mkfifo', [join(fifo, 'pipe')]);
    await expect(buildFsTgz({ fsDir: fifo, out: join(tempDir(), 'x.tgz') })).rejects.toThrow(
      'fs/pipe: not a regular file, directory or symlink',
    );
  });

  it('is byte-identical whatever the size of the thread pool that deflates it, and GNU tar reads it back', async () => {
    // Several deflate blocks (pgzip.ts), in files of every size, random and text.
    const tree: Record<string, { content: Buffer; mode: number }> = {};
    for (let i = 0; i < 40; i++) {
      const size = (i * 37_337) % 300_000;
      tree[`d${i % 3}/f${i}`] = {
        content: i % 2 ? randomBytes(size) : Buffer.from('text line\n'.repeat(size / 10)),
        mode: 0o644,
      };
    }
    tree['big.bin'] = { content: randomBytes(1_500_000), mode: 0o600 };
    const fs = writeTree(tempDir('amibake-fs-'), tree);
    const dir = tempDir();
    const script = join(dir, 'build.mjs');
    await build({
      stdin: {
        contents: `import { buildFsTgz } from './src/compile/fstgz.ts';
          const r = await buildFsTgz({ fsDir: process.argv[2], out: process.argv[3] });
          console.log(r.sha256);`,
        resolveDir: resolve('.'),
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);",
      },
    });
    const run = (threads: string, out: string) =>
      execFileSync(process.execPath, [script, fs, join(dir, out)], {
        encoding: 'utf8',
        env: { ...process.env, UV_THREADPOOL_SIZE: threads },
      }).trim();
    const one = run('1', 'one.tgz');
    const four = run('4', 'four.tgz');
    expect(readFileSync(join(dir, 'one.tgz')).equals(readFileSync(join(dir, 'four.tgz')))).toBe(true);
    expect(four).toBe(one);
    expect(readFileSync(join(dir, 'one.tgz')).length).toBeGreaterThan(3 << 20);
    // gunzip and GNU tar read it; what they extract is the tree, byte for byte.
    execFileSync('gzip', ['-t', join(dir, 'one.tgz')]);
    const listing = execFileSync('tar', ['-tzvf', join(dir, 'one.tgz')], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rw------- root\/root +1500000 .* big\.bin$/m);
    const into = tempDir();
    execFileSync('tar', ['-xzf', join(dir, 'one.tgz'), '-C', into]);
    for (const [rel, e] of Object.entries(tree))
      expect([rel, readFileSync(join(into, rel)).equals(e.content)]).toEqual([rel, true]);
  });
});
