/**
 * The image source layout (`cloudinit/`, `fs/`, `script/compile.sh`, `script/install.sh`,
 * `script/test.sh`, `ami.env`):
 * finds its parts and reports every problem at once, each naming the file.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parseEnv } from '../core/envfile.js';
import { UserError } from '../core/errors.js';
import { imageName, imageVersion } from '../core/parse.js';
import { checkCloudConfig } from './cloudconfig.js';
import { RESERVED_FS_PATHS } from './fstgz.js';
import { GENERATED_NAMES } from './generated.js';

export const AMI_ENV = 'ami.env';
export const COMPILE_SH = 'script/compile.sh';
export const INSTALL_SH = 'script/install.sh';
/** Optional: the image test, run on an instance launched from the new AMI (test-userdata.ts). */
export const TEST_SH = 'script/test.sh';
/** Two digits, an underscore, a name; .cfg, .yml or .yaml (the latter two are renamed .cfg). */
export const CLOUDINIT_NAME = /^(\d\d_[A-Za-z0-9][\w.-]*)\.(cfg|yml|yaml)$/;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Names a file of the source in messages, from its path relative to the source root. */
export type Labeler = (rel: string) => string;

/** All problems of a source at once, one per line. */
export class SourceError extends UserError {
  override name = 'SourceError';
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `invalid image source:\n  ${problems.join('\n  ')}`);
  }
}

export interface CloudinitFile {
  rel: string;
  abs: string;
  /** Part filename in the user data: the file name with a .cfg extension. */
  partName: string;
  content: string;
}

export interface SourceLayout {
  root: string;
  cloudinit: CloudinitFile[];
  fsDir?: string;
  compileSh?: string;
  installSh?: string;
  testSh?: string;
  amiEnv?: string;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether ROOT/REL exists, not looking through symlinked folders (those are image content). */
async function existsNoFollow(root: string, rel: string): Promise<boolean> {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const st = await lstatOrUndefined(join(root, ...parts.slice(0, i)));
    if (!st) return false;
    if (i < parts.length && !st.isDirectory()) return false;
  }
  return true;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A symlink under cloudinit/ or script/, or for fs/ or ami.env themselves, must point inside the
 *  source: prepare reads what it points to (a link to the host's files would ship them). */
async function checkLink(realRoot: string, abs: string, rel: string, label: Labeler, problems: string[]) {
  let target: string;
  try {
    target = await realpath(abs);
  } catch {
    problems.push(`${label(rel)}: broken symlink`);
    return false;
  }
  if (!inside(realRoot, target)) {
    problems.push(`${label(rel)}: symlink points outside the image source (${target})`);
    return false;
  }
  return true;
}

/** script/ is copied with its symlinks resolved: each must stay in the source and none may lead back
 *  to a folder it is in (`ancestors`: real paths of the folders above). */
async function checkScriptTree(
  realRoot: string,
  root: string,
  rel: string,
  label: Labeler,
  problems: string[],
  ancestors: string[] = [],
) {
  const abs = join(root, rel);
  const st = await lstat(abs);
  if (st.isSymbolicLink() && !(await checkLink(realRoot, abs, rel, label, problems))) return;
  if (!(await stat(abs)).isDirectory()) return;
  const real = await realpath(abs);
  if (ancestors.includes(real)) {
    problems.push(`${label(rel)}: symlink loop (it leads back to a folder that contains it)`);
    return;
  }
  for (const name of (await readdir(abs)).sort())
    await checkScriptTree(realRoot, root, `${rel}/${name}`, label, problems, [...ancestors, real]);
}

/** Parents of the reserved paths: a symlink or file there in fs/ would replace the instance's own
 *  (`/var/run -> /run`) and leave nowhere to stage fs.tgz and install.sh. */
const RESERVED_PARENTS = ['var', 'var/run', 'run'];

async function listCloudinit(realRoot: string, root: string, label: Labeler, problems: string[]) {
  const dir = join(root, 'cloudinit');
  const st = await lstatOrUndefined(dir);
  if (!st) return [];
  if (st.isSymbolicLink() && !(await checkLink(realRoot, dir, 'cloudinit', label, problems))) return [];
  if (!(await stat(dir)).isDirectory()) {
    problems.push(`${label('cloudinit')}: must be a folder`);
    return [];
  }
  const files: CloudinitFile[] = [];
  const byPart = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue; // .gitkeep and editor files
    const rel = `cloudinit/${name}`;
    const abs = join(dir, name);
    const lst = await lstat(abs);
    if (lst.isSymbolicLink() && !(await checkLink(realRoot, abs, rel, label, problems))) continue;
    const m = CLOUDINIT_NAME.exec(name);
    if (!m) {
      problems.push(
        `${label(rel)}: cloud-config files must be named NN_name.cfg, .yml or .yaml (two digits, an underscore, then letters, digits, '.', '-' or '_')`,
      );
      continue;
    }
    if (!(await stat(abs)).isFile()) {
      problems.push(`${label(rel)}: must be a file (cloudinit/ is not read recursively)`);
      continue;
    }
    const partName = `${m[1]}.cfg`;
    if (GENERATED_NAMES.includes(partName)) {
      problems.push(`${label(rel)}: reserved name (amibake generates ${partName})`);
      continue;
    }
    const other = byPart.get(partName);
    if (other) {
      problems.push(
        `${label(rel)}: same name as ${label(other)} (use one extension per name: both become ${partName})`,
      );
      continue;
    }
    byPart.set(partName, rel);
    let content: string;
    try {
      // The part is sent as UTF-8: anything else would reach cloud-init as replacement characters.
      content = UTF8.decode(await readFile(abs));
    } catch {
      problems.push(`${label(rel)}: not valid UTF-8 text`);
      continue;
    }
    files.push({ rel, abs, partName, content });
  }
  return files;
}

/** Inspects a source folder (the user's, or the work folder after compile.sh). ami.env is read
 *  separately (readAmiEnv): compile.sh may still write it. */
export async function inspectSource(root: string, label: Labeler): Promise<SourceLayout> {
  const problems: string[] = [];
  const rootSt = await lstatOrUndefined(root);
  if (!rootSt || !(await stat(root)).isDirectory()) throw new SourceError([`${label('')}: not a folder`]);
  const realRoot = await realpath(root);
  const layout: SourceLayout = { root, cloudinit: [] };

  layout.cloudinit = await listCloudinit(realRoot, root, label, problems);
  for (const f of layout.cloudinit) {
    const check = checkCloudConfig(f.content, label(f.rel));
    problems.push(...check.problems);
    if (check.empty) f.content = '';
  }
  layout.cloudinit = layout.cloudinit.filter((f) => f.content !== '');

  if (await lstatOrUndefined(join(root, 'script'))) {
    await checkScriptTree(realRoot, root, 'script', label, problems);
    for (const [rel, key] of [
      [COMPILE_SH, 'compileSh'],
      [INSTALL_SH, 'installSh'],
      [TEST_SH, 'testSh'],
    ] as const) {
      const abs = join(root, rel);
      const st = await stat(abs).catch(() => undefined);
      if (!st) continue;
      if (!st.isFile()) problems.push(`${label(rel)}: must be a file`);
      else layout[key] = abs;
    }
  }

  const fsDir = join(root, 'fs');
  const fsSt = await lstatOrUndefined(fsDir);
  if (fsSt && (!fsSt.isSymbolicLink() || (await checkLink(realRoot, fsDir, 'fs', label, problems)))) {
    if (!(await stat(fsDir).catch(() => undefined))?.isDirectory())
      problems.push(`${label('fs')}: must be a folder`);
    else {
      layout.fsDir = fsDir;
      const replaced: string[] = [];
      for (const r of RESERVED_PARENTS) {
        if (replaced.some((p) => r.startsWith(`${p}/`))) continue;
        const st = await lstatOrUndefined(join(fsDir, r));
        if (!st || st.isDirectory()) continue;
        replaced.push(r);
        problems.push(
          `${label(`fs/${r}`)}: must be a folder if present: this ${st.isSymbolicLink() ? 'symlink' : 'file'} ` +
            `would replace the instance's /${r} (amibake stages its files in /run and /var/run). Leave it ` +
            `out: every base image has /${r}`,
        );
      }
      for (const r of RESERVED_FS_PATHS) {
        if (await existsNoFollow(fsDir, r))
          problems.push(
            `${label(`fs/${r}`)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`,
          );
      }
    }
  }

  const amiEnv = join(root, AMI_ENV);
  const amiSt = await lstatOrUndefined(amiEnv);
  if (amiSt && (!amiSt.isSymbolicLink() || (await checkLink(realRoot, amiEnv, AMI_ENV, label, problems)))) {
    if (!(await stat(amiEnv)).isFile()) problems.push(`${label(AMI_ENV)}: must be a file`);
    else layout.amiEnv = amiEnv;
  }

  if (problems.length) throw new SourceError(problems);
  return layout;
}

/** The ami.env keys the build stage needs. */
export const AMI_ENV_KEYS = ['NAME', 'VERSION'] as const;

/** Reads ami.env: every key, NAME and VERSION required and valid as an AMI name and version. */
export async function readAmiEnv(path: string | undefined, label: Labeler): Promise<Record<string, string>> {
  const l = label(AMI_ENV);
  if (!path)
    throw new SourceError([`${l}: missing (it must set NAME and VERSION, the AMI's name and version)`]);
  const text = await readFile(path, 'utf8');
  let vars: Record<string, string>;
  try {
    vars = parseEnv(text, l);
  } catch (err) {
    throw new SourceError([(err as Error).message]);
  }
  const problems: string[] = [];
  const lineOf = (key: string) => {
    const i = text.split('\n').findIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}=`).test(line));
    return i >= 0 ? `${l}:${i + 1}` : l;
  };
  const parsers = { NAME: imageName, VERSION: imageVersion };
  for (const key of AMI_ENV_KEYS) {
    if (vars[key] === undefined || vars[key] === '') {
      problems.push(`${l}: ${key} is missing (the build stage names the AMI after NAME and VERSION)`);
      continue;
    }
    try {
      parsers[key](vars[key]);
    } catch (err) {
      problems.push(`${lineOf(key)}: ${key} ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new SourceError(problems);
  return vars;
}
