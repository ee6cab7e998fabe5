/**
 * fs.tgz: the image files (`fs/` as the image root) plus install.sh, as a gzip'd ustar/pax archive
 * built by tar-stream and zlib, streamed file by file so memory stays flat whatever the tree size.
 * Reproducible: entries in byte order of their names (depth first), one fixed mtime, owner 0:0
 * (root/root) whatever the owner on disk, no hard links, gzip header without a timestamp, deflate
 * in fixed blocks (pgzip.ts: parallel, and the same bytes whatever the number of cores).
 * Modes are kept exactly, setuid/setgid/sticky included; symlinks are stored as symlinks, never followed.
 *
 * Why tar-stream and not node-tar (`tar` 7), measured by bench/fstgz-writers.mjs (BENCHMARKS.md): node-tar
 * is no faster here (0.94x the time, within the noise) and cannot write this archive: it has no way to
 * name the group (gname stays empty where fs.tgz says root), puts atime and ctime in the ustar prefix
 * field, and formats the numeric fields otherwise, so every header and the archive's digest would change.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, createWriteStream, lstatSync, openSync, readFileSync } from 'node:fs';
import { open, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { INSTALL_SH_GUEST_PATH } from '../core/contract.js';
import { UserError } from '../core/errors.js';
import { ParallelGzip } from './pgzip.js';

/** Where install.sh travels in the archive: the contract's guest path, relative to the root
 *  (the spec's reserved path; /var/run is /run, tmpfs). */
export const INSTALL_SH_PATH = INSTALL_SH_GUEST_PATH.slice(1);
/** Paths in fs/ that the guest uses for its own staged files. */
export const RESERVED_FS_PATHS = [
  'var/run/fs.tgz',
  INSTALL_SH_PATH,
  'run/fs.tgz',
  'run/install.sh',
  'run/amibake',
];

const S_IFMT = 0o170000;
/**
 * Files up to this size are read in one synchronous call, and the walk's lstat is synchronous: a
 * system call each (microseconds, from the page cache), where each promise-based call is a round
 * trip through the libuv thread pool, queued behind the deflate blocks that keep that pool busy
 * (pgzip.ts). Per file, those round trips (lstat, open, read, close) left the event loop idle half
 * the time on a tree of 4,000 files. Larger files are streamed, so memory stays bounded.
 */
const SMALL_FILE = 256 << 10;
/** fs/ is read in place when there is no compile.sh (no copy): a file replaced by a symlink after
 *  the walk saw a file is refused as changed, never followed out of fs/. */
const READ_NOFOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;
const BUFFER = 2 << 20;
const MODE_BITS = 0o7777;

export interface FsTgzOptions {
  /** The image root (`fs/`); may be absent. */
  fsDir?: string;
  /** `script/install.sh`, stored at INSTALL_SH_PATH. */
  installSh?: string;
  out: string;
  /** gzip level (default 6, GNU gzip's default). */
  level?: number;
  /** mtime of every entry, seconds since the epoch (default: SOURCE_DATE_EPOCH, else 0). */
  mtime?: number;
  /** How files are named in errors: `label(relativePath)`. */
  label?: (rel: string) => string;
  /** Stops between files; buildFsTgz then rejects with the reason. */
  signal?: AbortSignal;
}

export interface FsTgzResult {
  sha256: string;
  /** Bytes of fs.tgz. */
  size: number;
  /** Entries archived (files, directories, symlinks). */
  entries: number;
  /** Bytes of file content archived. */
  contentBytes: number;
}

interface Entry {
  rel: string;
  abs: string;
  mode: number;
  size: number;
  type: 'file' | 'directory' | 'symlink';
  /** install.sh: may be a symlink the source layout checked (fs/ content never is followed). */
  follow?: boolean;
}

function byteOrder(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** Depth-first walk in byte order of names; directories before their content. */
async function* walk(root: string, rel: string, label: (rel: string) => string): AsyncGenerator<Entry> {
  const dir = rel ? join(root, rel) : root;
  const names = (await readdir(dir, { encoding: 'buffer' })).sort(byteOrder);
  for (const raw of names) {
    const name = raw.toString('utf8');
    const childRel = rel ? `${rel}/${name}` : name;
    if (!Buffer.from(name, 'utf8').equals(raw))
      throw new UserError(`${label(childRel)}: file name is not valid UTF-8`);
    const abs = join(root, childRel);
    const st = lstatSync(abs); // synchronous: see SMALL_FILE
    const mode = st.mode & (S_IFMT | MODE_BITS);
    if (st.isDirectory()) {
      yield { rel: childRel, abs, mode, size: 0, type: 'directory' };
      yield* walk(root, childRel, label);
    } else if (st.isFile()) {
      yield { rel: childRel, abs, mode, size: st.size, type: 'file' };
    } else if (st.isSymbolicLink()) {
      yield { rel: childRel, abs, mode, size: 0, type: 'symlink' };
    } else {
      throw new UserError(
        `${label(childRel)}: not a regular file, directory or symlink (devices, sockets and FIFOs cannot be archived)`,
      );
    }
  }
}

function isReserved(rel: string): boolean {
  return RESERVED_FS_PATHS.some((r) => rel === r || rel.startsWith(`${r}/`));
}

export function defaultMtime(env: NodeJS.ProcessEnv = process.env): number {
  const s = env.SOURCE_DATE_EPOCH;
  return s && /^\d+$/.test(s) ? Number(s) : 0;
}

export async function buildFsTgz(opts: FsTgzOptions): Promise<FsTgzResult> {
  const label = opts.label ?? ((rel: string) => `fs/${rel}`);
  const mtime = new Date((opts.mtime ?? defaultMtime()) * 1000);
  // Buffers let reading (and the many small stat/open calls) run ahead while zlib compresses: the
  // pipeline then runs at the speed of deflate. Bounded, so memory does not grow with the tree.
  const pack = tar.pack({ highWaterMark: BUFFER } as object);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  // Deflate in fixed blocks on the thread pool, every core at once, same bytes whatever their number.
  const written = pipeline(
    pack,
    new ParallelGzip({ level: opts.level ?? 6 }),
    tap,
    createWriteStream(opts.out),
  );
  let entries = 0;
  let contentBytes = 0;

  const add = (e: Entry, name: string) =>
    new Promise<void>((resolve, reject) => {
      const header = {
        name: e.type === 'directory' ? `${name}/` : name,
        type: e.type,
        // With the file type bits the mode is never 0, which tar-stream would replace by a default.
        mode: e.mode,
        size: e.size,
        mtime,
        uid: 0,
        gid: 0,
        uname: 'root',
        gname: 'root',
      };
      const done = (err?: Error | null) => {
        if (!err) return resolve();
        reject(
          /size mismatch/i.test(err.message) || (err as NodeJS.ErrnoException).code === 'ELOOP'
            ? new UserError(`${label(e.rel)}: changed while it was being archived`)
            : err,
        );
      };
      if (e.type === 'symlink') {
        readlink(e.abs).then((target) => {
          pack.entry({ ...header, linkname: target }, done);
        }, reject);
        return;
      }
      if (e.type === 'directory' || e.size === 0) {
        if (e.type === 'file') pack.entry(header, Buffer.alloc(0), done);
        else pack.entry(header, done);
        return;
      }
      if (e.size <= SMALL_FILE) {
        let content: Buffer;
        try {
          const fd = openSync(e.abs, e.follow ? constants.O_RDONLY : READ_NOFOLLOW);
          try {
            content = readFileSync(fd);
          } finally {
            closeSync(fd);
          }
        } catch (err) {
          return done(err as Error);
        }
        // A file that changed after the walk measured it (the streamed path's size mismatch).
        if (content.length !== e.size) return done(new Error('size mismatch'));
        pack.entry(header, content, done);
        return;
      }
      const sink = pack.entry(header, done);
      sink.on('error', done);
      open(e.abs, e.follow ? constants.O_RDONLY : READ_NOFOLLOW).then((fh) => {
        const rs = fh.createReadStream({ end: e.size - 1, highWaterMark: 1 << 20 });
        rs.on('error', (err) => sink.destroy(err));
        rs.pipe(sink);
      }, done);
    });

  try {
    if (opts.fsDir) {
      for await (const e of walk(opts.fsDir, '', label)) {
        opts.signal?.throwIfAborted();
        if (isReserved(e.rel))
          throw new UserError(
            `${label(e.rel)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`,
          );
        await add(e, e.rel);
        entries++;
        contentBytes += e.size;
      }
    }
    if (opts.installSh) {
      const st = await stat(opts.installSh);
      await add(
        {
          rel: INSTALL_SH_PATH,
          abs: opts.installSh,
          mode: (st.mode & S_IFMT) | 0o700,
          size: st.size,
          type: 'file',
          follow: true,
        },
        INSTALL_SH_PATH,
      );
      entries++;
      contentBytes += st.size;
    }
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  }
  await written;
  return { sha256: hash.digest('hex'), size, entries, contentBytes };
}
