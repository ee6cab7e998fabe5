/**
 * The prepare stage: image source in, userdata.gz / fs.tgz / vars.env out. Shared by
 * `amibake prepare`, action-prepare and `amibake try`. Everything is built in temporary folders
 * and moved into TARGET at the end, so a failure leaves TARGET as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BUILD_RESERVE } from '../core/contract.js';
import { msg, opt, UserError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { S3Location } from '../core/parse.js';
import * as io from '@actions/io';
import { gzipUserdata, renderMultipart, USERDATA_LIMIT, type Part } from '../core/userdata.js';
import { credentialWarning, scrubbedEnv } from './credentials.js';
import { buildFsTgz, type FsTgzResult } from './fstgz.js';
import { generatedParts, type FsMode, type GeneratedInput } from './generated.js';
import {
  inspectSource,
  readAmiEnv,
  SourceError,
  type Labeler,
  type SourceLayout,
  AMI_ENV,
  COMPILE_SH,
  TEST_SH,
} from './layout.js';
import { checkTestScript, renderTestUserdata, TEST_USERDATA_FILE } from './test-userdata.js';
import { checkUserVars, renderVars } from './vars.js';
import { copySource, runCompileScript, VARS_FILE_ENV } from './workdir.js';

export const USERDATA_FILE = 'userdata.gz';
export const FS_TGZ_FILE = 'fs.tgz';
export const VARS_FILE = 'vars.env';
/** Bytes of gzip'd user data prepare may use; the rest is the build stage's. */
export const USERDATA_BUDGET = USERDATA_LIMIT - BUILD_RESERVE;

/** The files went external (fs.tgz) and no S3 location was given: `amibake try` serves them
 *  itself, so it tells this error from the others by its class. */
export class NeedsS3Error extends UserError {
  override name = 'NeedsS3Error';
}

export interface PrepareInput {
  source: string;
  target: string;
  awsRegion: string;
  s3Url?: S3Location;
  logger: Logger;
  /** The caller's environment: checked for credentials, and the base of compile.sh's (scrubbed). */
  env?: NodeJS.ProcessEnv;
  /** Interrupts prepare (SIGINT/SIGTERM in the fronts): compile.sh is stopped, the temporary
   *  folders removed, TARGET left as it was, and prepare rejects with the reason. */
  signal?: AbortSignal;
}

export interface PrepareResult {
  /** Absolute path of TARGET. */
  target: string;
  /** Absolute paths of the files written to TARGET (what the action uploads). */
  files: string[];
  userdataPath: string;
  varsPath: string;
  /** Only when the files went external. */
  fsTgzPath?: string;
  /** Only when the source has script/test.sh: the image test's user data. */
  testUserdataPath?: string;
  sizes: { userdata: number; fsTgz?: number; fsContent?: number; testUserdata?: number };
  fsMode: FsMode;
  external: boolean;
  /** The variables written to vars.env. */
  vars: Record<string, string>;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isInside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

function renderUserdata(user: SourceLayout['cloudinit'], generated: Part[]): Buffer {
  const parts: Part[] = [...user.map((f) => ({ filename: f.partName, content: f.content })), ...generated];
  parts.sort((a, b) => Buffer.compare(Buffer.from(a.filename), Buffer.from(b.filename)));
  return gzipUserdata(renderMultipart(parts));
}

/** Moves FILE into DIR/NAME atomically (a rename within DIR after a copy when they are on different
 *  file systems: @actions/io's mv only renames, and fails across file systems). */
async function moveInto(file: string, dir: string, name: string): Promise<void> {
  const dest = join(dir, name);
  try {
    await rename(file, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const tmp = join(dir, `.${name}.amibake-tmp`);
    await copyFile(file, tmp);
    await rename(tmp, dest);
    await unlink(file);
  }
}

export async function prepare(input: PrepareInput): Promise<PrepareResult> {
  const { logger } = input;
  const env = input.env ?? process.env;
  const source = input.source;
  const sourceAbs = resolve(source);
  const targetAbs = resolve(input.target);
  const label: Labeler = (rel) => (rel ? join(source, rel) : source);
  // The CLI takes TARGET as its second argument, the action as an input.
  const targetName = opt('target', 'TARGET');

  const warning = credentialWarning(env);
  if (warning) logger.warn(warning);

  let layout = await inspectSource(sourceAbs, label);
  const tstat = await stat(targetAbs).catch(() => undefined);
  if (tstat && !tstat.isDirectory())
    throw new UserError(msg`${targetName}: ${input.target} exists and is not a folder`);
  for (const sub of ['cloudinit', 'fs', 'script']) {
    if (isInside(join(sourceAbs, sub), targetAbs))
      throw new UserError(msg`${targetName}: ${input.target} is inside the image source's ${sub}/`);
  }
  // Without compile.sh nothing can change ami.env: check it before any work.
  if (!layout.compileSh) await readAmiEnv(layout.amiEnv, label);

  const scratch = await mkdtemp(join(tmpdir(), 'amibake-prepare-'));
  try {
    const out = join(scratch, 'out');
    await mkdir(out);
    let compiled: Record<string, string> = {};
    let amiLabel: Labeler = label;
    const generatedBase: GeneratedInput = {
      fsMode: 'none',
      region: input.awsRegion,
      s3Url: input.s3Url?.url,
    };

    if (layout.compileSh) {
      const work = join(scratch, 'work');
      await copySource(sourceAbs, work, label);
      input.signal?.throwIfAborted();
      // compile.sh sees the generated files (the spec's work folder); they are regenerated afterwards
      // with what only the finished fs/ can tell (inline fs.tgz, checksums).
      await mkdir(join(work, 'cloudinit'), { recursive: true });
      const generated = generatedParts(generatedBase);
      for (const p of generated) await writeFile(join(work, 'cloudinit', p.filename), p.content);
      const varsFile = join(scratch, 'compile-vars.env');
      const compileEnv: NodeJS.ProcessEnv = {
        ...scrubbedEnv(env),
        AWSREGION: input.awsRegion,
        [VARS_FILE_ENV]: varsFile,
        AMIBAKE_SOURCE: sourceAbs,
        // The node that runs amibake, last: a compile.sh may use it wherever prepare runs.
        PATH: [env.PATH, dirname(process.execPath)].filter(Boolean).join(':'),
      };
      delete compileEnv.S3URL;
      if (input.s3Url) compileEnv.S3URL = input.s3Url.url;
      compiled = await logger.group(`${label(COMPILE_SH)}`, () =>
        runCompileScript({
          work,
          script: join(work, COMPILE_SH),
          env: compileEnv,
          varsFile,
          logger,
          label,
          signal: input.signal,
        }),
      );
      for (const p of generated) await rm(join(work, 'cloudinit', p.filename), { force: true });
      const fromScript = (rel: string) =>
        rel && !existsSync(join(sourceAbs, rel))
          ? `${join(source, rel)} (written by ${label(COMPILE_SH)})`
          : label(rel);
      layout = await inspectSource(work, fromScript);
      const before = await readFile(join(sourceAbs, AMI_ENV)).catch(() => undefined);
      const after = layout.amiEnv ? await readFile(layout.amiEnv) : undefined;
      if (before && after && !before.equals(after))
        amiLabel = (rel) =>
          rel === AMI_ENV ? `${label(AMI_ENV)} (as ${label(COMPILE_SH)} left it)` : label(rel);
      else amiLabel = fromScript;
    }

    const ami = await readAmiEnv(layout.amiEnv, amiLabel);
    const amiExtra = Object.fromEntries(Object.entries(ami).filter(([k]) => k !== 'NAME' && k !== 'VERSION'));
    const problems = [
      ...checkUserVars(amiExtra, amiLabel(AMI_ENV), new Set()),
      ...checkUserVars(compiled, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`, new Set(Object.keys(ami))),
    ];
    if (problems.length) throw new SourceError(problems);

    // fs.tgz: gzip -6 first; when it is small enough to be a candidate for inline, the few bytes
    // level 9 saves matter, and rebuilding a small archive costs nothing.
    let fsResult: FsTgzResult | undefined;
    const fsTgz = join(out, FS_TGZ_FILE);
    if (layout.fsDir || layout.installSh) {
      const fsLabel = (rel: string) =>
        rel.startsWith('var/run/install.sh') ? label('script/install.sh') : label(`fs/${rel}`);
      const build = (level: number) =>
        buildFsTgz({
          fsDir: layout.fsDir,
          installSh: layout.installSh,
          out: fsTgz,
          level,
          label: fsLabel,
          signal: input.signal,
        });
      fsResult = await build(6);
      if (fsResult.entries === 0)
        fsResult = undefined; // an empty fs/ and no install.sh
      else if (fsResult.size <= USERDATA_BUDGET * 1.25) fsResult = await build(9);
    }

    let fsMode: FsMode = fsResult ? 'external' : 'none';
    let userdata: Buffer | undefined;
    const gen = (mode: FsMode, inlineFs?: Buffer) =>
      generatedParts({
        ...generatedBase,
        fsMode: mode,
        fsSha256: fsResult?.sha256,
        fsSize: fsResult?.size,
        inlineFs,
      });
    if (fsResult && fsResult.size <= USERDATA_BUDGET) {
      const inline = renderUserdata(layout.cloudinit, gen('inline', await readFile(fsTgz)));
      if (inline.length <= USERDATA_BUDGET) {
        fsMode = 'inline';
        userdata = inline;
      }
    }
    if (!userdata) {
      userdata = renderUserdata(layout.cloudinit, gen(fsMode));
      if (userdata.length > USERDATA_BUDGET) {
        const biggest = [...layout.cloudinit]
          .sort((a, b) => b.content.length - a.content.length)
          .slice(0, 3)
          .map((f) => `${label(f.rel)} (${Buffer.byteLength(f.content)} bytes)`);
        throw new UserError(
          `the user data is ${userdata.length} bytes gzip'd, more than the ${USERDATA_BUDGET} prepare may use ` +
            `(${USERDATA_LIMIT} minus ${BUILD_RESERVE} for the build stage). Move content from cloudinit/ into ` +
            `fs/ (files) or script/install.sh (commands). Largest cloud-config files: ${biggest.join(', ')}`,
        );
      }
    }
    if (fsMode === 'external' && !input.s3Url) {
      throw new NeedsS3Error(
        msg`${opt('s3Url')}: is required: the files do not fit in the user data (fs.tgz is ${fsResult?.size} bytes; the whole user data may use ${USERDATA_BUDGET} bytes gzip'd), so the build stage stages fs.tgz in S3. Set it to s3://bucket/path/fs.tgz`,
      );
    }

    // script/test.sh: the image test's own user data, held to the same budget and form.
    let testUserdata: Buffer | undefined;
    if (layout.testSh) {
      const checked = checkTestScript(await readFile(layout.testSh), amiLabel(TEST_SH));
      if (checked.problem !== undefined) throw new SourceError([checked.problem]);
      testUserdata = renderTestUserdata(checked.text!, amiLabel(TEST_SH));
    }

    const { text: varsText, vars } = renderVars({
      region: input.awsRegion,
      s3Url: input.s3Url?.url,
      ami,
      compiled,
      fsMode,
      fsSha256: fsResult?.sha256,
      fsSize: fsResult?.size,
      userdataSha256: sha256(userdata),
      testUserdataSha256: testUserdata && sha256(testUserdata),
    });
    await writeFile(join(out, USERDATA_FILE), userdata);
    if (testUserdata) await writeFile(join(out, TEST_USERDATA_FILE), testUserdata);
    await writeFile(join(out, VARS_FILE), varsText);

    // Into place: TARGET gets exactly this run's files; a stale fs.tgz from an earlier run goes.
    input.signal?.throwIfAborted();
    await mkdir(targetAbs, { recursive: true });
    const names = [
      USERDATA_FILE,
      VARS_FILE,
      ...(fsMode === 'external' ? [FS_TGZ_FILE] : []),
      ...(testUserdata ? [TEST_USERDATA_FILE] : []),
    ];
    for (const name of names) await moveInto(join(out, name), targetAbs, name);
    if (fsMode !== 'external') await rm(join(targetAbs, FS_TGZ_FILE), { force: true });
    if (!testUserdata) await rm(join(targetAbs, TEST_USERDATA_FILE), { force: true });

    const result: PrepareResult = {
      target: targetAbs,
      files: names.map((n) => join(targetAbs, n)),
      userdataPath: join(targetAbs, USERDATA_FILE),
      varsPath: join(targetAbs, VARS_FILE),
      fsTgzPath: fsMode === 'external' ? join(targetAbs, FS_TGZ_FILE) : undefined,
      testUserdataPath: testUserdata ? join(targetAbs, TEST_USERDATA_FILE) : undefined,
      sizes: {
        userdata: userdata.length,
        fsTgz: fsResult?.size,
        fsContent: fsResult?.contentBytes,
        testUserdata: testUserdata?.length,
      },
      fsMode,
      external: fsMode === 'external',
      vars,
    };
    logger.info(summary(result, input.target));
    return result;
  } finally {
    // @actions/io's rmRF retries while compile.sh's last children (stopped by a cancel) still write.
    await io.rmRF(scratch);
  }
}

function summary(r: PrepareResult, target: string): string {
  const fs =
    r.fsMode === 'none'
      ? 'no files (no fs/ and no install.sh)'
      : `fs.tgz ${r.sizes.fsTgz} bytes (${r.sizes.fsContent} bytes of files) ${
          r.fsMode === 'inline'
            ? 'inline in the user data'
            : `external: ${join(target, FS_TGZ_FILE)}, staged at ${r.vars.S3URL}`
        }`;
  return (
    `prepared ${r.vars.NAME} ${r.vars.VERSION} in ${target}: userdata.gz ${r.sizes.userdata} of ${USERDATA_BUDGET} bytes; ` +
    `${fs}; ${r.testUserdataPath ? `${TEST_USERDATA_FILE} ${r.sizes.testUserdata} bytes (script/test.sh); ` : ''}` +
    `vars.env PREPARED_DIGEST=${r.vars.PREPARED_DIGEST}`
  );
}
