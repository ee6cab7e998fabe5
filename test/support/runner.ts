/**
 * Runs a bundled entry (dist/<entry>/index.js) the way the GitHub runner does: inputs as
 * INPUT_<NAME> variables, file commands through GITHUB_STATE / GITHUB_OUTPUT /
 * GITHUB_STEP_SUMMARY / GITHUB_ENV files, and for a post step the main step's saved state as
 * STATE_<name> variables.
 *
 *   const main = startAction('build', { inputs: {...}, env: moto.env });
 *   const r = await main.done;                      // { code, signal, outputs, state, summary, ... }
 *   const post = await runAction('build-post', { env: moto.env, state: r.state });
 *
 * runInProcess(run, opts) runs an entry function of src/fronts the same way inside the test
 * process (no bundle needed; a module the test does not mock is the real one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { MotoIds } from './world.js';

/** The repository (from import.meta.url: jest's ESM runtime leaves import.meta.dirname undefined). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

export function distEntry(entry: string): string {
  return join(process.env.AMIBAKE_DIST ?? join(ROOT, 'dist'), entry, 'index.js');
}

export interface RunOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** STATE_* of a post step: the main step's saved state. */
  state?: Record<string, string>;
  args?: string[];
  cwd?: string;
  /** Pass action.yml's defaults for the inputs not given, as the runner does. */
  defaults?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Values the step masked (`::add-mask::`). */
  masked: string[];
}

export interface Running {
  child: ChildProcess;
  /** Everything written so far on stdout and stderr. */
  output(): string;
  /** Resolves when the output matches `re`. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<RunResult>;
}

/** Parses a file-command file: `name<<DELIM\nvalue\nDELIM` blocks (and legacy `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]);
      out[name] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/** Workflow command data escaping (what the runner undoes). */
export function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The runner's name for an input variable: spaces to `_`, upper case (dashes stay). */
export function inputVar(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function baseEnv(): Record<string, string> {
  // Only what a runner provides; nothing of the test process's own AWS configuration.
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT', 'NODE_OPTIONS'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

/** The step's file-command files, in a fresh folder that also serves as RUNNER_TEMP. */
function stepFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'amibake-runner-'));
  const files = {
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return { dir, files };
}

/** What the runner gives an action step: file commands, run ids, INPUT_* and STATE_*. */
function actionEnv(dir: string, files: Record<string, string>, opts: RunOptions): Record<string, string> {
  const env: Record<string, string> = {
    ...files,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: opts.cwd ?? process.cwd(),
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTION: `amibake-${randomUUID().slice(0, 8)}`,
  };
  for (const [k, v] of Object.entries(opts.inputs ?? {})) env[inputVar(k)] = v;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;
  return env;
}

/** What a step left in its file-command files and printed. */
function stepResult(
  files: Record<string, string>,
  out: { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string },
): RunResult {
  const read = (f: string) => readFileSync(f, 'utf8');
  return {
    ...out,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    summary: read(files.GITHUB_STEP_SUMMARY),
    masked: [...out.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => unescapeData(m[1])),
  };
}

export function start(command: string[], opts: RunOptions & { action: boolean }): Running {
  const { dir, files } = stepFiles();
  const env: Record<string, string> = { ...baseEnv() };
  if (opts.action) Object.assign(env, actionEnv(dir, files, opts));
  Object.assign(env, opts.env);

  const child = spawn(command[0], command.slice(1), {
    cwd: opts.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...watchers])
      if (w.re.test(stdout + stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on('data', (b: Buffer) => ((stdout += b.toString()), check()));
  child.stderr!.on('data', (b: Buffer) => ((stderr += b.toString()), check()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);

  const done = new Promise<RunResult>((resolveDone) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveDone(stepResult(files, { code, signal, stdout, stderr }));
    });
  });
  return {
    child,
    output: () => stdout + stderr,
    waitForOutput(re, timeoutMs = 20_000) {
      return new Promise<void>((res, rej) => {
        const t = setTimeout(
          () => rej(new Error(`no output matching ${re} within ${timeoutMs} ms:\n${stdout}${stderr}`)),
          timeoutMs,
        );
        watchers.push({
          re,
          resolve: () => {
            clearTimeout(t);
            res();
          },
        });
        check();
      });
    },
    done,
  };
}

/** The defaults the action.yml of `entry` (prepare, build, build-post) declares for its inputs. */
export function actionDefaults(entry: string): Record<string, string> {
  const action = entry === 'prepare' ? 'action-prepare' : 'action-build';
  const yml = parse(readFileSync(join(ROOT, action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(yml.inputs ?? {})
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, String(input.default)]),
  );
}

/** Starts dist/<entry>/index.js as an action step. */
export function startAction(entry: string, opts: RunOptions = {}): Running {
  const inputs = opts.defaults ? { ...actionDefaults(entry), ...opts.inputs } : opts.inputs;
  return start([process.execPath, distEntry(entry)], { ...opts, inputs, action: true });
}

export function runAction(entry: string, opts: RunOptions = {}): Promise<RunResult> {
  return startAction(entry, opts).done;
}

/** Starts the CLI bundle (`amibake ARGS`) as any CI would. */
export function startCli(args: string[], opts: RunOptions = {}): Running {
  return start([process.execPath, distEntry('cli'), ...args], { ...opts, action: false });
}

/**
 * Runs an action's entry function (`run` of src/fronts/action-*.ts) in this process as the runner
 * would start its bundle: the same INPUT_* / GITHUB_* / STATE_* variables on top of this process's
 * environment, stdout captured (workflow commands), process.exitCode as the exit code. The
 * environment, the working folder and process.exitCode are restored afterwards.
 */
export async function runInProcess(run: () => Promise<void>, opts: RunOptions = {}): Promise<RunResult> {
  const { dir, files } = stepFiles();
  const saved = { ...process.env };
  const cwd = process.cwd();
  const write = process.stdout.write;
  let stdout = '';
  Object.assign(process.env, actionEnv(dir, files, opts), opts.env);
  if (opts.cwd) process.chdir(opts.cwd);
  process.exitCode = undefined;
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof write;
  try {
    await run();
    return stepResult(files, { code: Number(process.exitCode ?? 0), signal: null, stdout, stderr: '' });
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
    process.chdir(cwd);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

export function buildEnv(ids: MotoIds, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BUILDAMI_BASEAMI: ids.baseAmi,
    BUILDAMI_SUBNET: ids.subnet,
    BUILDAMI_SECURITYGROUPS: ids.securityGroup,
    BUILDAMI_WAIT_INSTANCE: '1',
    BUILDAMI_WAIT_AMI: '1',
    ...extra,
  };
}

/**
 * action-build's inputs for a bake of `dir` on moto's network, polling every second; `extra`
 * adds or overrides inputs, and an input set to undefined is left out (as the runner leaves an
 * input the workflow does not set and the action.yml does not default).
 */
export function actionInputs(
  ids: MotoIds,
  dir: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    directory: dir,
    'base-ami': ids.baseAmi,
    subnet: ids.subnet,
    'security-groups': ids.securityGroup,
    'wait-instance': '1',
    'wait-ami': '1',
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}
