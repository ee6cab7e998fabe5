/**
 * The S3 side of the stage contract for a local bake: a plain HTTP server on the host's loopback
 * that hands the guest fs.tgz and takes its result and install log, at URLs that look to the guest
 * like presigned ones (a random, unguessable path it must not leave on the disk).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST_ALIAS_IP } from './seed.js';

/** Port of the stage server as the guest sees it, on HOST_ALIAS_IP (forwarded to the real port). */
export const GUEST_STAGE_PORT = 8080;
const MAX_BODY = 16 * 1024 * 1024;

export interface StageServer {
  /** Real port on 127.0.0.1. */
  port: number;
  /** The secret path component of every URL. */
  token: string;
  urls: { fsUrl?: string; resultUrl: string; logUrl: string };
  /** What the guest reported (undefined until it did). */
  result(): string | undefined;
  log(): string | undefined;
  /** Times fs.tgz was served. */
  fsServed(): number;
  close(): Promise<void>;
}

export async function startStageServer(opts: {
  fsTgz?: string;
  onRequest?: (what: string) => void;
}): Promise<StageServer> {
  const token = randomBytes(24).toString('hex');
  let result: string | undefined;
  let log: string | undefined;
  let served = 0;
  const fsSize = opts.fsTgz ? (await stat(opts.fsTgz)).size : 0;

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
        if (n > MAX_BODY) req.destroy(new Error('body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const [, tok, name] = (req.url ?? '').split('?')[0].split('/');
    if (tok !== token) {
      res.writeHead(403).end();
      return;
    }
    if (req.method === 'GET' && name === 'fs.tgz' && opts.fsTgz) {
      served++;
      opts.onRequest?.(`fs.tgz downloaded (${fsSize} bytes)`);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(fsSize) });
      createReadStream(opts.fsTgz).pipe(res);
      return;
    }
    if (req.method === 'PUT' && (name === 'result' || name === 'log')) {
      const body = await readBody(req);
      if (name === 'result') result = body;
      else log = body;
      opts.onRequest?.(
        name === 'result' ? `result received: ${body.trim()}` : `install log received (${body.length} bytes)`,
      );
      res.writeHead(200).end();
      return;
    }
    res.writeHead(404).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${HOST_ALIAS_IP}:${GUEST_STAGE_PORT}/${token}`;
  return {
    port,
    token,
    urls: {
      fsUrl: opts.fsTgz ? `${base}/fs.tgz` : undefined,
      resultUrl: `${base}/result`,
      logUrl: `${base}/log`,
    },
    result: () => result,
    log: () => log,
    fsServed: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `status=<n>` as the guest uploads it. */
export function parseResult(body: string | undefined): number | undefined {
  const m = /^status=(\d+)\s*$/m.exec(body ?? '');
  return m ? Number(m[1]) : undefined;
}
