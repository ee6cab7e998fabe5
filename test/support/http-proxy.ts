/**
 * A forward HTTP proxy on loopback for the VM suite: the isolated guest reaches it through a
 * guestfwd rule and apt uses it (Acquire::http::Proxy) to fetch from Debian's mirror, the one
 * host this machine may reach besides loopback. Plain-HTTP requests in absolute form and CONNECT
 * tunnels, to the allowed hosts only; everything else gets 403. Every request is recorded, so a
 * test can tell that the guest really went through it.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyRequest {
  method: string;
  url: string;
  status: number;
}

export interface HttpProxy {
  port: number;
  requests: ProxyRequest[];
  close(): Promise<void>;
}

export const DEBIAN_MIRROR_HOST = 'deb.debian.org';

export async function startHttpProxy(allowedHosts: string[] = [DEBIAN_MIRROR_HOST]): Promise<HttpProxy> {
  const requests: ProxyRequest[] = [];
  const sockets = new Set<Socket>();
  const allowed = (host: string) => allowedHosts.includes(host.toLowerCase());

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', status });
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      record(400);
      res.writeHead(400).end('absolute URL expected\n');
      return;
    }
    if (
      target.protocol !== 'http:' ||
      !allowed(target.hostname) ||
      !['GET', 'HEAD'].includes(req.method ?? '')
    ) {
      record(403);
      res.writeHead(403).end('not allowed by the test proxy\n');
      return;
    }
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    delete headers['proxy-connection'];
    const upstream = request(
      {
        host: target.hostname,
        port: target.port || 80,
        path: target.pathname + target.search,
        method: req.method,
        headers,
      },
      (up) => {
        record(up.statusCode ?? 502);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      record(502);
      if (!res.headersSent) res.writeHead(502);
      res.end(`upstream error: ${err.message}\n`);
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(onRequest);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    if (!allowed(host) || port !== '443') {
      requests.push({ method: 'CONNECT', url: req.url ?? '', status: 403 });
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const up = connect(443, host, () => {
      requests.push({ method: 'CONNECT', url: req.url ?? '', status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    const end = () => {
      up.destroy();
      client.destroy();
    };
    up.on('error', end);
    client.on('error', end);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
