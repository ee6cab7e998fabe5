/**
 * An in-process EBS direct endpoint on loopback that holds a client to the real API's contract,
 * which moto does not check (moto reports 512-byte blocks and takes any checksum): 512 KiB
 * blocks only, DataLength equal to the body, the base64 SHA256 of the body as Checksum with
 * ChecksumAlgorithm SHA256, CompleteSnapshot's ChangedBlocksCount equal to the blocks written and
 * its LINEAR aggregate right. It records what it was sent and how many blocks were in flight at
 * once, and can fail PutSnapshotBlock from the Nth call on.
 *
 *   const ebs = await startFakeEbs();
 *   new EBSClient({ endpoint: ebs.endpoint, ... })
 *   ebs.snapshots.get(id)                 // { start, blocks, completed, ... }
 *   ebs.maxInFlight                       // the highest concurrency seen
 *   ebs.failPutsFrom(3, 500)              // from the 3rd PutSnapshotBlock on: HTTP 500
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const EBS_BLOCK = 524_288;

export interface FakeSnapshot {
  id: string;
  start: Record<string, unknown>;
  blocks: Map<number, Buffer>;
  status: 'pending' | 'completed' | 'error';
  /** Why the fake refused a call on it, one line each. */
  refused: string[];
  completion?: Record<string, string | undefined>;
}

export interface FakeEbs {
  endpoint: string;
  snapshots: Map<string, FakeSnapshot>;
  /** Every call: method and path. */
  calls: string[];
  readonly maxInFlight: number;
  /** Milliseconds each PutSnapshotBlock is held before it is answered (to see concurrency). */
  putDelayMs: number;
  failPutsFrom(n: number, status: number, type?: string): void;
  stop(): Promise<void>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest();

export async function startFakeEbs(): Promise<FakeEbs> {
  const snapshots = new Map<string, FakeSnapshot>();
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let puts = 0;
  let failFrom: { n: number; status: number; type: string } | undefined;
  let seq = 0;
  const state = { putDelayMs: 0 };

  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };
  const refuse = (res: ServerResponse, snap: FakeSnapshot | undefined, why: string) => {
    snap?.refused.push(why);
    reply(
      res,
      400,
      { message: why, Reason: 'INVALID_PARAMETER' },
      { 'x-amzn-errortype': 'ValidationException' },
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0];
    calls.push(`${req.method} ${path}`);
    const h = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/snapshots') {
      const start = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      const id = `snap-${(++seq).toString(16).padStart(17, '0')}`;
      snapshots.set(id, { id, start, blocks: new Map(), status: 'pending', refused: [] });
      return reply(res, 201, {
        SnapshotId: id,
        BlockSize: EBS_BLOCK,
        Status: 'pending',
        VolumeSize: start.VolumeSize,
        Tags: start.Tags,
      });
    }
    if (req.method === 'PUT' && (m = /^\/snapshots\/([^/]+)\/blocks\/(\d+)$/.exec(path))) {
      const snap = snapshots.get(m[1]);
      if (!snap)
        return reply(
          res,
          404,
          { message: 'no such snapshot' },
          { 'x-amzn-errortype': 'ResourceNotFoundException' },
        );
      puts++;
      if (failFrom && puts >= failFrom.n)
        return reply(res, failFrom.status, { message: 'injected' }, { 'x-amzn-errortype': failFrom.type });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (state.putDelayMs) await new Promise((r) => setTimeout(r, state.putDelayMs));
        const index = Number(m[2]);
        if (snap.status !== 'pending') return refuse(res, snap, `block ${index}: snapshot is ${snap.status}`);
        if (body.length !== EBS_BLOCK)
          return refuse(res, snap, `block ${index}: ${body.length} bytes, not ${EBS_BLOCK}`);
        if (h('x-amz-Data-Length') !== String(EBS_BLOCK))
          return refuse(res, snap, `block ${index}: DataLength ${h('x-amz-Data-Length')}`);
        if (h('x-amz-Checksum-Algorithm') !== 'SHA256')
          return refuse(res, snap, `block ${index}: ChecksumAlgorithm ${h('x-amz-Checksum-Algorithm')}`);
        if (h('x-amz-Checksum') !== sha(body).toString('base64'))
          return refuse(res, snap, `block ${index}: checksum ${h('x-amz-Checksum')} is not the body's`);
        snap.blocks.set(index, body);
        return reply(
          res,
          201,
          {},
          { 'x-amz-Checksum': h('x-amz-Checksum')!, 'x-amz-Checksum-Algorithm': 'SHA256' },
        );
      } finally {
        inFlight--;
      }
    }
    if (req.method === 'POST' && (m = /^\/snapshots\/completion\/([^/]+)$/.exec(path))) {
      const snap = snapshots.get(m[1]);
      if (!snap)
        return reply(
          res,
          404,
          { message: 'no such snapshot' },
          { 'x-amzn-errortype': 'ResourceNotFoundException' },
        );
      const completion = {
        count: h('x-amz-ChangedBlocksCount'),
        checksum: h('x-amz-Checksum'),
        algorithm: h('x-amz-Checksum-Algorithm'),
        aggregation: h('x-amz-Checksum-Aggregation-Method'),
      };
      snap.completion = completion;
      if (completion.count !== String(snap.blocks.size))
        return refuse(
          res,
          snap,
          `ChangedBlocksCount ${completion.count}, ${snap.blocks.size} blocks written`,
        );
      if (completion.checksum !== undefined) {
        const linear = createHash('sha256');
        for (const i of [...snap.blocks.keys()].sort((a, b) => a - b))
          linear.update(sha(snap.blocks.get(i)!));
        if (completion.aggregation !== 'LINEAR' || completion.algorithm !== 'SHA256')
          return refuse(res, snap, `aggregation ${completion.aggregation} ${completion.algorithm}`);
        if (completion.checksum !== linear.digest('base64'))
          return refuse(res, snap, `aggregate checksum ${completion.checksum} is not LINEAR of the blocks`);
      }
      snap.status = 'completed';
      return reply(res, 202, { Status: 'completed' });
    }
    reply(res, 404, { message: `not served: ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  // Longer than a client keeps an idle connection: the server never closes one under a request.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    snapshots,
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    get putDelayMs() {
      return state.putDelayMs;
    },
    set putDelayMs(v: number) {
      state.putDelayMs = v;
    },
    failPutsFrom(n, status, type = status >= 500 ? 'InternalServerException' : 'ValidationException') {
      puts = 0;
      failFrom = { n, status, type };
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
