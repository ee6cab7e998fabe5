/**
 * moto_server for the tests: started on 127.0.0.1 with a free port, per test file.
 *
 *   const moto = await startMoto();       // or useMoto() inside a describe/file
 *   moto.env                              // AWS_ENDPOINT_URL, fake credentials, region
 *   moto.ec2('eu-west-1')                 // SDK clients on it, per region
 *   await moto.reset();                   // forget every resource
 *   await moto.stop();
 *
 * startGate(moto) puts a controllable proxy in front of it: tests hold a call (the request
 * reaches moto, its answer does not reach the client until released), rewrite answers (an AMI
 * that stays `pending` or turns `failed`), and wait until the product has made a call. That is
 * how a phase is frozen to send a signal in it, without any test-only option in the product.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';

export const REGION = 'us-east-1';

export interface Moto {
  endpoint: string;
  port: number;
  /** Environment for a client (the SDK, a child process) to use this moto. */
  env: Record<string, string>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  /** moto's own output, for failing tests. */
  log(): string;
  /** An EC2 client on this moto (one per region). */
  ec2(region?: string): EC2Client;
  ssm(region?: string): SSMClient;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Variables that would point the SDK elsewhere than at `endpoint`. */
const CLEARED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ENDPOINT_URL_EC2',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_SSM',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];

export function awsEnv(endpoint: string, region = REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within 30 s:\n${log()}`);
}

/** The port moto_server reports once it listens (werkzeug: ` * Running on http://HOST:PORT`). */
function listening(child: ChildProcess, log: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`moto_server did not listen within 30 s:\n${log()}`)),
      30_000,
    );
    const check = () => {
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(log());
      if (m) done(undefined, Number(m[1]));
    };
    const exited = () => done(new Error(`moto_server exited (${child.exitCode}):\n${log()}`));
    const done = (err?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', exited);
      if (err) reject(err);
      else resolve(port!);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', exited);
  });
}

/**
 * Starts a moto_server. With `processEnv`, this process's SDK is pointed at it until stop(), so
 * that code building its own clients (the CLI, the post step) reaches it too.
 */
export async function startMoto(opts: { processEnv?: boolean } = {}): Promise<Moto> {
  let out = '';
  // Port 0: moto binds a port of the kernel's choosing and reports it. A port picked beforehand
  // (listen, close, hand over) can be taken in between by another test file's moto, and two files
  // would then share one moto, each resetting the other's state in the middle of its tests.
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.on('error', (err) => {
    out += `cannot start moto_server: ${err.message} (pip install 'moto[server]')\n`;
    child.emit('exit');
  });
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const port = await listening(child, () => out);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitReady(endpoint, child, () => out);
  const env = awsEnv(endpoint);
  const restore = opts.processEnv ? applyEnv(env) : () => undefined;
  const clients = new Map<string, EC2Client>();
  return {
    endpoint,
    port,
    env,
    log: () => out,
    ec2(region = REGION) {
      if (!clients.has(region)) clients.set(region, new EC2Client({ region, endpoint }));
      return clients.get(region)!;
    },
    ssm: (region = REGION) => new SSMClient({ region, endpoint }),
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset: HTTP ${res.status}`);
    },
    async stop() {
      restore();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Points this process's SDK at `endpoint` (returns a function restoring the environment). */
export function applyEnv(env: Record<string, string>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const k of [...CLEARED, ...Object.keys(env)]) saved[k] = process.env[k];
  for (const k of CLEARED) delete process.env[k];
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Jest helper: one moto for the file, the process environment pointed at it. */
export function useMoto(hooks: {
  beforeAll: (fn: () => Promise<void>, timeout?: number) => void;
  afterAll: (fn: () => Promise<void>) => void;
}): { readonly moto: Moto } {
  const holder = {} as { moto: Moto };
  let restore: (() => void) | undefined;
  hooks.beforeAll(async () => {
    holder.moto = await startMoto();
    restore = applyEnv(holder.moto.env);
  }, 40_000);
  hooks.afterAll(async () => {
    restore?.();
    await holder.moto?.stop();
  });
  return holder;
}

// ---- the gate ----

export interface Call {
  /** EC2 query action (`RunInstances`), JSON-protocol operation (SSM's `GetParameter`, from
   *  X-Amz-Target), or `S3:<METHOD> <path>` for S3 requests. */
  action: string;
  body: string;
  at: number;
  /** Signed with an Authorization header: the product's own SDK call (a presigned URL used by
   *  the instance has its signature in the query string instead). */
  signed: boolean;
  /** Answered by an interceptor, without reaching moto. */
  intercepted?: boolean;
}

/** What an interceptor answers instead of moto; `hang` never answers at all. */
export type Reply = { status: number; headers?: Record<string, string>; body: string } | 'hang';

export interface Hold {
  /** Resolves when a matching call has reached moto and its answer is being held. */
  reached: Promise<Call>;
  release(): void;
}

export interface Gate {
  endpoint: string;
  env: Record<string, string>;
  calls: Call[];
  /** Holds the answer of the next call of `action` (moto has already executed it). */
  hold(action: string): Hold;
  /** Consulted before each request is forwarded: a reply replaces moto's answer (the request never
   *  reaches moto), undefined lets it through. Until the returned function is called. */
  intercept(fn: (call: Call) => Reply | undefined): () => void;
  /** Rewrites the answers of `action` until the returned function is called; `fn` sees the
   *  request too, and may answer later (what a fuller fake would have done with it first). */
  rewrite(action: string, fn: (body: string, request: string) => string | Promise<string>): () => void;
  /** Resolves once `count` calls of `action` (in total) have been answered by moto. */
  waitFor(action: string, count?: number, timeoutMs?: number): Promise<void>;
  count(action: string): number;
  stop(): Promise<void>;
}

function actionOf(req: IncomingMessage, body: string): string {
  const m = /(?:^|&)Action=([A-Za-z]+)/.exec(body) ?? /[?&]Action=([A-Za-z]+)/.exec(req.url ?? '');
  if (m) return m[1];
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && /^\w+\.\w+$/.test(target)) return target.split('.')[1];
  return `S3:${req.method} ${(req.url ?? '').split('?')[0]}`;
}

/**
 * Jest helper: a recording gate in front of `m`'s moto for the hooks' scope (a file or a
 * describe; pass beforeEach/afterEach for a fresh gate per test). With `processEnv`, this
 * process's SDK goes through it too, so in-process bakes are recorded; without, only what is
 * given `gate.env` (a bundle, the CLI) is.
 */
export function useGate(
  m: { readonly moto: Moto },
  hooks: {
    beforeAll: (fn: () => Promise<void>) => void;
    afterAll: (fn: () => Promise<void>) => void;
  },
  opts: { processEnv?: boolean } = {},
): { readonly gate: Gate } {
  const holder = {} as { gate: Gate };
  let restore: (() => void) | undefined;
  hooks.beforeAll(async () => {
    holder.gate = await startGate(m.moto);
    if (opts.processEnv) restore = applyEnv(holder.gate.env);
  });
  hooks.afterAll(async () => {
    restore?.();
    restore = undefined;
    await holder.gate?.stop();
  });
  return holder;
}

export async function startGate(target: Moto): Promise<Gate> {
  const calls: Call[] = [];
  const holds: {
    action: string;
    call?: Call;
    reached: (c: Call) => void;
    released: Promise<void>;
    release: () => void;
  }[] = [];
  const rewrites: { action: string; fn: (b: string, request: string) => string | Promise<string> }[] = [];
  const interceptors: ((call: Call) => Reply | undefined)[] = [];
  const hung: ServerResponse[] = [];
  const waiters: { action: string; count: number; resolve: () => void }[] = [];
  const count = (action: string) => calls.filter((c) => c.action === action).length;

  const record = (call: Call) => {
    calls.push(call);
    for (const w of waiters.filter((w) => w.action === call.action && count(call.action) >= w.count))
      w.resolve();
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const action = actionOf(req, body);
      const signed = typeof req.headers.authorization === 'string';
      for (const fn of interceptors) {
        const call: Call = { action, body, at: Date.now(), signed, intercepted: true };
        const reply = fn(call);
        if (!reply) continue;
        record(call);
        if (reply === 'hang') {
          hung.push(res);
          return;
        }
        res.writeHead(reply.status, {
          'content-length': String(Buffer.byteLength(reply.body)),
          ...reply.headers,
        });
        res.end(reply.body);
        return;
      }
      const up = request(
        { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', async () => {
            let payload = Buffer.concat(out);
            for (const r of rewrites)
              if (r.action === action) payload = Buffer.from(await r.fn(payload.toString('utf8'), body));
            const call = { action, body, at: Date.now(), signed };
            record(call);
            const hold = holds.find((h) => h.action === action && !h.call);
            if (hold) {
              hold.call = call;
              hold.reached(call);
              await hold.released;
            }
            const headers = { ...upRes.headers, 'content-length': String(payload.length) };
            delete headers['transfer-encoding'];
            try {
              res.writeHead(upRes.statusCode ?? 500, headers);
              res.end(payload);
            } catch {
              // the client is gone (killed while the answer was held)
            }
          });
        },
      );
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(raw);
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: awsEnv(endpoint),
    calls,
    count,
    hold(action) {
      let release!: () => void;
      let reached!: (c: Call) => void;
      const released = new Promise<void>((r) => (release = r));
      const reachedP = new Promise<Call>((r) => (reached = r));
      holds.push({ action, reached, released, release });
      return { reached: reachedP, release };
    },
    intercept(fn) {
      interceptors.push(fn);
      return () => {
        const i = interceptors.indexOf(fn);
        if (i >= 0) interceptors.splice(i, 1);
      };
    },
    rewrite(action, fn) {
      const entry = { action, fn };
      rewrites.push(entry);
      return () => {
        const i = rewrites.indexOf(entry);
        if (i >= 0) rewrites.splice(i, 1);
      };
    },
    waitFor(action, n = 1, timeoutMs = 20_000) {
      if (count(action) >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${n} ${action} call(s) within ${timeoutMs} ms; calls: ${calls.map((c) => c.action).join(', ')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          action,
          count: n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      for (const h of holds) h.release();
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** DescribeImages answers rewritten so that every image shows `state` (and a reason when failed). */
export function imageState(state: 'pending' | 'failed'): (body: string) => string {
  return (body) =>
    body.replace(/<imageState>available<\/imageState>/g, (m) =>
      state === 'failed'
        ? `<imageState>failed</imageState><stateReason><code>Server.InternalError</code><message>Snapshot creation failed</message></stateReason>`
        : m.replace('available', 'pending'),
    );
}

/**
 * Once the next CreateImage has been answered, DescribeImages shows every image in `state` (the
 * new AMI fails, or stays pending past the AMI timeout). Returns the undo.
 */
export function imageTurns(gate: Gate, state: 'pending' | 'failed'): () => void {
  let undo = () => {};
  let undone = false;
  gate
    .waitFor('CreateImage', gate.count('CreateImage') + 1)
    .then(() => {
      if (!undone) undo = gate.rewrite('DescribeImages', imageState(state));
    })
    .catch(() => undefined); // no CreateImage: the test's own assertions say so
  return () => {
    undone = true;
    undo();
  };
}
