/**
 * A local Actions results service: the Twirp ArtifactService (github.actions.results.api.v1) that
 * @actions/artifact v2+ calls, on 127.0.0.1, with the artifacts' blobs in Azurite. The real client
 * uploads and downloads through it unchanged: the artifact hand-off between two jobs of one run,
 * with no mock.
 *
 *   const results = await startResultsService();
 *   runInProcess(prepare, { env: results.jobEnv('prepare') })   // uploads
 *   runInProcess(build, { env: results.jobEnv('build') })       // finds and downloads
 *   results.artifacts()                                         // what was stored
 *   await results.stop();
 *
 * What the client does, and what is served (node_modules/@actions/artifact/lib/internal):
 * - It reads ACTIONS_RESULTS_URL (only its origin) and ACTIONS_RUNTIME_TOKEN, a JWT whose `scp`
 *   claim holds `Actions.Results:<workflow run backend id>:<job run backend id>`; it decodes the
 *   claim without checking the signature and sends the token as a bearer token. The service takes
 *   a call only with a token it issued, for the run and job the request names.
 * - upload: CreateArtifact (a SAS URL that may create and write the blob), the zip PUT to Azurite
 *   in blocks, FinalizeArtifact (size and sha256; the artifact gets its id and becomes visible).
 * - getArtifact(name): ListArtifacts with name_filter; downloadArtifact(id): ListArtifacts with
 *   id_filter, then GetSignedArtifactURL (a read-only SAS URL) and a GET of the zip.
 * Artifacts are visible to every job of their run and to no other run, as on GitHub.
 * Twirp's JSON: proto field names, int64 as strings, wrappers as bare values, errors as
 * { code, msg } with the matching HTTP status.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  type BlockBlobClient,
} from '@azure/storage-blob';
import { startAzurite, type Azurite } from './azurite.js';

const SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CONTAINER = 'actions-results';
/** The RPCs that write: the caller's own job only. */
const WRITES = new Set(['CreateArtifact', 'FinalizeArtifact']);

export interface StoredArtifact {
  id: number;
  name: string;
  runId: string;
  jobId: string;
  blobName: string;
  size: number;
  /** `sha256:<hex>` as the client reported it at finalize. */
  digest?: string;
  finalized: boolean;
  createdAt: Date;
}

export interface ResultsService {
  /** ACTIONS_RESULTS_URL */
  url: string;
  /** This run's workflow-run backend id. */
  runId: string;
  /** The variables the runner gives a job of this run (or of `runId`, another run). */
  jobEnv(job: string, runId?: string): Record<string, string>;
  /** Every artifact, finalized or not. */
  artifacts(): StoredArtifact[];
  /** The RPCs served, in order (`CreateArtifact`, ...). */
  calls: string[];
  /** The blob behind a finalized artifact of this run (to read or to tamper with). */
  blob(name: string): BlockBlobClient;
  stop(): Promise<void>;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWT of the runner's shape: the client only decodes it; the signature is a placeholder. */
function runtimeToken(runId: string, jobId: string): string {
  const claims = {
    scp: `Actions.GenericRead:${randomUUID()} Actions.Results:${runId}:${jobId}`,
    jti: randomUUID(),
  };
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(claims)}.unsigned`;
}

type Json = Record<string, unknown>;

export async function startResultsService(): Promise<ResultsService> {
  const blobs: Azurite = await startAzurite();
  const container = blobs.service.getContainerClient(CONTAINER);
  await container.create().catch(async (err) => {
    await blobs.stop();
    throw err;
  });
  const runId = randomUUID();
  const tokens = new Map<string, { runId: string; jobId: string }>();
  const stored: StoredArtifact[] = [];
  const calls: string[] = [];
  let nextId = 1000;

  const sasUrl = (blobName: string, permissions: string) => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      blobs.credential,
    );
    return `${container.getBlockBlobClient(blobName).url}?${sas.toString()}`;
  };

  /**
   * The caller's run and job, from its bearer token. A write (Create/Finalize) must name the
   * caller's own run and job; a read names the run only (GetSignedArtifactURL sends the ids of the
   * job that uploaded the artifact, as ListArtifacts listed them).
   */
  const caller = (req: IncomingMessage, body: Json, write: boolean) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const who = token ? tokens.get(token) : undefined;
    if (!who) throw new TwirpError(401, 'unauthenticated', 'no valid runtime token');
    if (
      body.workflow_run_backend_id !== who.runId ||
      (write && body.workflow_job_run_backend_id !== who.jobId)
    )
      throw new TwirpError(403, 'permission_denied', 'the token is for another run or job');
    return who;
  };

  const listed = (a: StoredArtifact) => ({
    workflow_run_backend_id: a.runId,
    workflow_job_run_backend_id: a.jobId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt.toISOString(),
    ...(a.digest ? { digest: a.digest } : {}),
  });

  const rpcs: Record<string, (who: { runId: string; jobId: string }, body: Json) => Json> = {
    CreateArtifact(who, body) {
      const name = String(body.name ?? '');
      if (!name) throw new TwirpError(400, 'invalid_argument', 'name is required');
      if (stored.some((a) => a.runId === who.runId && a.name === name && a.finalized))
        throw new TwirpError(409, 'already_exists', `an artifact named ${name} exists in this run`);
      const blobName = `${who.runId}/${who.jobId}/${name}.zip`;
      stored.push({ id: 0, name, ...who, blobName, size: 0, finalized: false, createdAt: new Date() });
      return { ok: true, signed_upload_url: sasUrl(blobName, 'cw') };
    },
    FinalizeArtifact(who, body) {
      const a = stored.find((x) => x.runId === who.runId && x.jobId === who.jobId && x.name === body.name);
      if (!a || a.finalized)
        throw new TwirpError(404, 'not_found', `no artifact ${String(body.name)} to finalize`);
      Object.assign(a, {
        id: ++nextId,
        size: Number(body.size ?? 0),
        digest: typeof body.hash === 'string' ? body.hash : undefined,
        finalized: true,
      });
      return { ok: true, artifact_id: String(a.id) };
    },
    ListArtifacts(who, body) {
      const found = stored.filter(
        (a) =>
          a.finalized &&
          a.runId === who.runId &&
          (body.name_filter === undefined || a.name === body.name_filter) &&
          (body.id_filter === undefined || String(a.id) === String(body.id_filter)),
      );
      return { artifacts: found.map(listed) };
    },
    GetSignedArtifactURL(who, body) {
      const a = stored.find((x) => x.finalized && x.runId === who.runId && x.name === body.name);
      if (!a) throw new TwirpError(404, 'not_found', `no artifact ${String(body.name)} in this run`);
      return { signed_url: sasUrl(a.blobName, 'r') };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: Json) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    try {
      const m = new RegExp(`^/twirp/${SERVICE.replace(/\./g, '\\.')}/(\\w+)$`).exec(req.url ?? '');
      const rpc = m ? rpcs[m[1]] : undefined;
      if (req.method !== 'POST' || !rpc)
        throw new TwirpError(404, 'bad_route', `no route ${req.method} ${req.url}`);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      calls.push(m![1]);
      reply(200, rpc(caller(req, body, WRITES.has(m![1])), body));
    } catch (err) {
      if (err instanceof TwirpError) reply(err.status, { code: err.code, msg: err.message });
      else reply(500, { code: 'internal', msg: String(err) });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

  return {
    url,
    runId,
    calls,
    jobEnv(job, run = runId) {
      const jobId = `${job}-${randomUUID()}`;
      const token = runtimeToken(run, jobId);
      tokens.set(token, { runId: run, jobId });
      return { ACTIONS_RESULTS_URL: url, ACTIONS_RUNTIME_TOKEN: token };
    },
    artifacts: () => stored.map((a) => ({ ...a })),
    blob(name) {
      const a = stored.find((x) => x.finalized && x.runId === runId && x.name === name);
      if (!a) throw new Error(`no artifact ${name} in run ${runId}`);
      return container.getBlockBlobClient(a.blobName);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await blobs.stop();
    },
  };
}
