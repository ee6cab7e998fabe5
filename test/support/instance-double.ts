/**
 * Plays the temporary instance against moto, following the stage contract the way the guest
 * script does: it finds the instance amibake launched, reads its user data back from EC2
 * (DescribeInstanceAttribute), parses the MIME parts like cloud-init (write_files of every
 * part), downloads fs.tgz through the presigned URL and checks its sha256 against prepared.env
 * (or the inline copy), PUTs the result and the log through the presigned URLs, and calls
 * StopInstances (moto never stops an instance by itself).
 *
 *   const double = startInstanceDouble({ endpoint: moto.endpoint, behaviour: 'succeed' });
 *   ... run the build ...
 *   const play = await double.played();   // what the "instance" saw
 *   await double.stop();
 *
 * Behaviours: succeed (status 0), fail (status 3 and an install log), silent (stops without a
 * result), hang (never stops), hold (waits for release(), then succeeds). A test instance (tagged
 * `amibake:role=test`, launched from the new AMI) plays `test` when given, else `behaviour`.
 */
import { createHash } from 'node:crypto';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import {
  PREPARED_ENV,
  PREPARED_VARS,
  SBOM_CONTENT_TYPE,
  STAGE_ENV,
  STAGE_VARS,
} from '../../src/core/contract.js';
import { parseEnv } from '../../src/core/envfile.js';
import { REGION } from './moto.js';

export type Behaviour = 'succeed' | 'fail' | 'silent' | 'hang' | 'hold';

export interface WriteFile {
  path: string;
  content: string;
  permissions?: string;
  /** The raw bytes, decoded as cloud-init would (b64, gz+b64). */
  bytes: Buffer;
}

export interface UserdataPart {
  filename: string;
  contentType: string;
  mergeType?: string;
  body: string;
  config: Record<string, unknown> | null;
}

export interface Play {
  instanceId: string;
  /** The instance's `amibake:role` tag (`test`), absent on the build instance. */
  role?: string;
  userdataBytes: number;
  parts: UserdataPart[];
  writeFiles: WriteFile[];
  prepared: Record<string, string>;
  stage: Record<string, string>;
  stageFile?: WriteFile;
  /** sha256 of the fs.tgz the instance got (presigned URL or inline), if any. */
  fsSha256?: string;
  fsOk?: boolean;
  status?: number;
  resultPut?: number;
  sbomPut?: number;
  logPut?: number;
  stopped: boolean;
  /** Tags of the instance's volumes, as seen while it runs. */
  volumeTags: Record<string, string>[];
  errors: string[];
}

/** Parses amibake's user data the way cloud-init reads a multipart message. */
export function parseUserdata(gz: Buffer): UserdataPart[] {
  const text = gunzipSync(gz).toString('utf8');
  const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/m.exec(text);
  if (!m) throw new Error('not a multipart message');
  const sep = `--${m[1]}`;
  const chunks = text.split(sep).slice(1);
  const parts: UserdataPart[] = [];
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    const body = chunk.replace(/^\n/, '');
    const split = body.indexOf('\n\n');
    const head = body.slice(0, split);
    const content = body.slice(split + 2);
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1];
    const contentType = header('Content-Type')?.split(';')[0] ?? '';
    const filename = /filename="([^"]+)"/.exec(header('Content-Disposition') ?? '')?.[1] ?? '';
    parts.push({
      filename,
      contentType,
      mergeType: header('Merge-Type'),
      body: content,
      config: contentType === 'text/cloud-config' ? (parseYaml(content) as Record<string, unknown>) : null,
    });
  }
  return parts;
}

export function writeFilesOf(parts: UserdataPart[]): WriteFile[] {
  const out: WriteFile[] = [];
  for (const p of parts) {
    const list = (p.config?.write_files ?? []) as {
      path: string;
      content?: string;
      encoding?: string;
      permissions?: string;
    }[];
    for (const f of list) {
      const raw = f.content ?? '';
      const enc = (f.encoding ?? '').toLowerCase();
      let bytes: Buffer;
      if (enc === 'b64' || enc === 'base64') bytes = Buffer.from(raw, 'base64');
      else if (enc === 'gz+b64' || enc === 'gzip+base64' || enc === 'gz+base64')
        bytes = gunzipSync(Buffer.from(raw, 'base64'));
      else bytes = Buffer.from(raw, 'utf8');
      out.push({ path: f.path, content: bytes.toString('utf8'), permissions: f.permissions, bytes });
    }
  }
  return out;
}

export interface DoubleOptions {
  endpoint: string;
  region?: string;
  behaviour: Behaviour;
  /** How the test instance plays (default: `behaviour`). */
  test?: Behaviour;
  /** Status reported by `fail` (default 3). */
  failStatus?: number;
  log?: string;
  pollMs?: number;
  /** The package inventory a successful play PUTs to AMIBAKE_SBOM_URL (none when unset). */
  sbom?: string | Buffer;
}

export interface InstanceDouble {
  /** Resolves with the first play once it is over (stopped, or reported for hang/hold). */
  played(): Promise<Play>;
  /** Resolves with the id of the first instance seen running. */
  launched(): Promise<string>;
  plays: Play[];
  release(): void;
  stop(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** HTTP the way the guest script does it (curl --retry 5): a network error or a 5xx is retried.
 *  moto_server under load answers a 500 now and then; an instance would retry too. */
async function http(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, init);
      if (res.status < 500 || attempt === 5) return res;
    } catch (err) {
      if (attempt === 5) throw err;
    }
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

export function startInstanceDouble(opts: DoubleOptions): InstanceDouble {
  // Retries like any SDK client: moto_server is threaded, and a describe racing a launch or a
  // stop of the bake under test can fail once. A play that gave up would never stop the instance.
  const ec2 = new EC2Client({ region: opts.region ?? REGION, endpoint: opts.endpoint, maxAttempts: 6 });
  const seen = new Set<string>();
  const plays: Play[] = [];
  let stopped = false;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let onPlayed!: (p: Play) => void;
  const firstPlay = new Promise<Play>((r) => (onPlayed = r));
  let onLaunched!: (id: string) => void;
  const firstLaunch = new Promise<string>((r) => (onLaunched = r));

  async function play(instanceId: string, role: string | undefined): Promise<Play> {
    const behaviour = role === 'test' ? (opts.test ?? opts.behaviour) : opts.behaviour;
    const p: Play = {
      instanceId,
      role,
      userdataBytes: 0,
      parts: [],
      writeFiles: [],
      prepared: {},
      stage: {},
      stopped: false,
      volumeTags: [],
      errors: [],
    };
    plays.push(p);
    try {
      const attr = await ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
      );
      const gz = Buffer.from(attr.UserData?.Value ?? '', 'base64');
      p.userdataBytes = gz.length;
      const vols = await ec2.send(
        new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
      );
      p.volumeTags = (vols.Volumes ?? []).map((v) =>
        Object.fromEntries((v.Tags ?? []).map((t) => [t.Key!, t.Value!])),
      );
      p.parts = parseUserdata(gz);
      p.writeFiles = writeFilesOf(p.parts);
      const prepared = p.writeFiles.find((f) => f.path === PREPARED_ENV);
      if (prepared) p.prepared = parseEnv(prepared.content, PREPARED_ENV);
      p.stageFile = p.writeFiles.find((f) => f.path === STAGE_ENV);
      if (p.stageFile) p.stage = parseEnv(p.stageFile.content, STAGE_ENV);

      // fetch: the presigned URL, else the inline copy; checked like the guest checks it.
      const fsUrl = p.stage[STAGE_VARS.fsUrl];
      let fs: Buffer | undefined;
      if (fsUrl) {
        const res = await http(fsUrl);
        if (!res.ok) p.errors.push(`GET fs.tgz: HTTP ${res.status}`);
        else fs = Buffer.from(await res.arrayBuffer());
      } else {
        fs = p.writeFiles.find((f) => f.path === '/var/run/fs.tgz')?.bytes;
      }
      if (fs) {
        p.fsSha256 = sha256(fs);
        p.fsOk = p.fsSha256 === p.prepared[PREPARED_VARS.fsSha256];
        if (!p.fsOk) p.errors.push(`fs.tgz sha256 ${p.fsSha256} != ${p.prepared[PREPARED_VARS.fsSha256]}`);
      }

      if (behaviour === 'hang') return p;
      if (behaviour === 'hold') await released;
      if (stopped) return p;

      if (behaviour !== 'silent') {
        p.status = p.errors.length ? 1 : behaviour === 'fail' ? (opts.failStatus ?? 3) : 0;
        const log =
          opts.log ??
          ['Cloud-init v. 22.4.2 running', 'installing packages', ...p.errors]
            .concat(p.status ? ['E: Unable to locate package does-not-exist', 'install.sh failed'] : ['done'])
            .concat([`AMIBAKE-RESULT status=${p.status}`])
            .join('\n') + '\n';
        const put = async (url: string | undefined, body: string) =>
          url ? (await http(url, { method: 'PUT', body })).status : undefined;
        // As the guest: the inventory after a successful install, with the type its URL is signed with.
        const sbomUrl = p.stage[STAGE_VARS.sbomUrl];
        if (opts.sbom !== undefined && p.status === 0 && sbomUrl)
          p.sbomPut = (
            await http(sbomUrl, {
              method: 'PUT',
              body: opts.sbom,
              headers: { 'Content-Type': SBOM_CONTENT_TYPE },
            })
          ).status;
        p.logPut = await put(p.stage[STAGE_VARS.logUrl], log);
        p.resultPut = await put(p.stage[STAGE_VARS.resultUrl], `status=${p.status}\n`);
      }
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
      p.stopped = true;
    } catch (err) {
      p.errors.push(String(err));
      // The guest's finish always powers the instance off, whatever failed before.
      if (behaviour !== 'hang' && !stopped && !p.stopped)
        await ec2
          .send(new StopInstancesCommand({ InstanceIds: [instanceId] }))
          .then(() => (p.stopped = true))
          .catch((e) => p.errors.push(`stop: ${String(e)}`));
    }
    return p;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const out = await ec2.send(
          new DescribeInstancesCommand({
            Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }],
          }),
        );
        for (const r of out.Reservations ?? [])
          for (const i of r.Instances ?? []) {
            if (!i.InstanceId || seen.has(i.InstanceId)) continue;
            seen.add(i.InstanceId);
            onLaunched(i.InstanceId);
            const role = i.Tags?.find((t) => t.Key === 'amibake:role')?.Value;
            void play(i.InstanceId, role).then(onPlayed);
          }
      } catch {
        // moto restarting or stopping
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
    }
  })();

  return {
    played: () => firstPlay,
    launched: () => firstLaunch,
    plays,
    release,
    async stop() {
      stopped = true;
      release();
      await loop;
      ec2.destroy();
    },
  };
}
