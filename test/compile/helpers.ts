/** Shared by the prepare tests: temporary folders, sources written from a table, the guest script run
 *  against a temporary root, and a loopback HTTP server standing in for presigned S3 URLs. */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { guestScript } from '../../src/compile/generated.js';

export function tempDir(prefix = 'amibake-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export type TreeEntry =
  string | Buffer | { content: string | Buffer; mode?: number } | { symlink: string } | { dir: number };

/** Writes files (and `{ symlink }`, `{ dir: mode }`) under ROOT; keys are relative paths. */
export function writeTree(root: string, tree: Record<string, TreeEntry>): string {
  for (const [rel, entry] of Object.entries(tree)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) writeFileSync(path, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, path);
    else if ('dir' in entry) {
      mkdirSync(path, { recursive: true });
      chmodSync(path, entry.dir);
    } else {
      writeFileSync(path, entry.content);
      if (entry.mode !== undefined) chmodSync(path, entry.mode);
    }
  }
  return root;
}

/** A minimal valid source plus `tree`. */
export function makeSource(tree: Record<string, TreeEntry> = {}, dir = tempDir('amibake-src-')): string {
  return writeTree(dir, { 'ami.env': 'NAME=test-image\nVERSION=1.0.0\n', ...tree });
}

export { recordingLogger } from '../support/logger.js';

/** The guest script exactly as the user data carries it. */
export function writeGuestScript(dir: string): string {
  const path = join(dir, 'amibake.sh');
  writeFileSync(path, guestScript(), { mode: 0o700 });
  return path;
}

export interface GuestRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sh amibake.sh CMD` against ROOT (asynchronously: the HTTP server lives in this process). */
export function runGuest(
  script: string,
  root: string,
  cmd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<GuestRun> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      [script, cmd],
      {
        env: {
          PATH: process.env.PATH,
          AMIBAKE_ROOT: root,
          AMIBAKE_CONSOLE: join(root, 'console'),
          AMIBAKE_RESULT_WAIT: '0',
          ...env,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** A PATH holding only the tools the guest script uses (minus `without`), as on a small base image. */
export function toolPath(dir: string, without: string[] = []): string {
  const tools = [
    'sh',
    'cat',
    'cp',
    'rm',
    'mkdir',
    'chmod',
    'mv',
    'tar',
    'gzip',
    'sha256sum',
    'cut',
    'tr',
    'grep',
    'sed',
    'df',
    'awk',
    'sleep',
    'tail',
    'shred',
    'find',
    'sync',
    'curl',
    'python3',
  ];
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const t of tools) {
    if (without.includes(t)) continue;
    const real = t === 'python3' ? '/usr/bin/python3' : realpathSync(`/usr/bin/${t}`);
    symlinkSync(real, join(bin, t));
  }
  return bin;
}

export interface Recorded {
  method: string;
  url: string;
  body: Buffer;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  base: string;
  requests: Recorded[];
  /** Serves BODY for GET PATH (path without the query). */
  serve(path: string, body: Buffer, status?: number): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, { body: Buffer; status: number }>();
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks),
        headers: req.headers,
      });
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'PUT') {
        res.writeHead(200).end();
        return;
      }
      const route = routes.get(path);
      if (!route) res.writeHead(404).end('not found');
      else res.writeHead(route.status).end(route.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    serve: (path, body, status = 200) => routes.set(path, { body, status }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
