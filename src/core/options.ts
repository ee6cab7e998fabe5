/**
 * The options machinery. Each feature declares its slice of options (src/features/<f>/options.ts,
 * src/compile/options.ts); the composition root (src/pipeline/options.ts) assembles them into the
 * one table that drives the action inputs (kebab-case), the CLI environment variables, defaults,
 * validation, action.yml and the option tables of docs/*.md (`npm run docs`). The domain names an
 * option by its key only; `nameFor` is how a front calls it.
 */
import { OptionError, msg, opt, type NameFor, type OptionRef, type Part } from './errors.js';
import { integer, type Parser } from './parse.js';

/** `sweep` is the janitor (`amibake sweep`), which needs none of the build's required options. */
export type Stage = 'prepare' | 'build' | 'sweep';

export interface OptionDef<T, S extends Stage = Stage> {
  /** Action input name; absent for CLI-only options. */
  input?: string;
  /** CLI environment variable; absent for action-only options. */
  env?: string;
  stages: readonly S[];
  description: string;
  /** Raw default, parsed like user input, and shown in the docs. */
  default?: string;
  required?: boolean;
  parse: Parser<T>;
}

/** Keeps `default` and `required` in the type, so StageOptions knows which values are always set. */
export function option<T, const S extends Stage, const X extends { default?: string; required?: boolean }>(
  def: OptionDef<T, S> & X,
): OptionDef<T, S> & X {
  return def;
}

/** A number of seconds between `min` and `max`. */
export const seconds = (min: number, max: number) => integer(min, max, 'seconds');

/** A table of options (or a feature's slice of one), by key. */
export type OptionTable = Record<string, OptionDef<unknown, Stage>>;

type ValueOf<D> =
  D extends OptionDef<infer T, Stage>
    ? D extends { default: string } | { required: true }
      ? T
      : T | undefined
    : never;
type KeysFor<T extends OptionTable, S extends Stage> = {
  [K in keyof T]: S extends T[K]['stages'][number] ? K : never;
}[keyof T];
/** The parsed options of a stage: what `readOptions` returns. */
export type StageOptions<T extends OptionTable, S extends Stage> = { [K in KeysFor<T, S>]: ValueOf<T[K]> };
/** The parsed values of a slice, whatever the stage. */
export type SliceOptions<T extends OptionTable> = { [K in keyof T]: ValueOf<T[K]> };

export type Front = 'action' | 'cli';

export interface ReadOptionsSource {
  front: Front;
  /** Returns the raw value ('' or undefined when unset). */
  get: (def: OptionDef<unknown>) => string | undefined;
  /** Values given another way (CLI positional arguments), taking precedence over get(). */
  overrides?: Partial<Record<string, string | undefined>>;
}

/** Reads and validates every option of a stage; reports all problems at once, each naming its
 *  option by key (OptionError; the front renders the names). */
export function readOptions<T extends OptionTable, S extends Stage>(
  table: T,
  stage: S,
  source: ReadOptionsSource,
): StageOptions<T, S> {
  const out: Record<string, unknown> = {};
  const problems: Part[][] = [];
  for (const [key, def] of Object.entries(table)) {
    if (!(def.stages as readonly Stage[]).includes(stage)) continue;
    const onFront = source.front === 'action' ? def.input : def.env;
    const given = source.overrides?.[key] ?? (onFront ? source.get(def) : undefined);
    const raw = given !== undefined && given.trim() !== '' ? given : def.default;
    if (raw === undefined) {
      if (def.required) problems.push(msg`${opt(key)}: is required`);
      out[key] = undefined;
      continue;
    }
    try {
      out[key] = def.parse(raw);
    } catch (err) {
      problems.push(msg`${opt(key)}: ${(err as Error).message}`);
    }
  }
  // The source knows its front: the problems read as the user wrote the options.
  if (problems.length) throw new OptionError(problems).named(nameFor(table, source.front, stage));
  return out as StageOptions<T, S>;
}

/** How the front calls an option (for messages): `input 'base-ami'` or `BUILDAMI_BASEAMI`; an
 *  option the front lacks is named the way the other front calls it. */
function nameOf(def: OptionDef<unknown> | undefined, key: string, front: Front): string {
  if (!def) return key;
  if (front === 'action' && def.input) return `input '${def.input}'`;
  if (front === 'cli' && def.env) return def.env;
  return def.input ? `input '${def.input}'` : (def.env ?? key);
}

/**
 * The names of a front at a stage, for `err.render(nameFor(...))`. On the action, an option of
 * another stage is the other action's (`action-prepare's input 's3-url'`); on the CLI, an option
 * that a positional argument may also give says so.
 */
export function nameFor(table: OptionTable, front: Front, stage: Stage): NameFor {
  return (key: string, ref?: OptionRef) => {
    const def = table[key];
    const name = nameOf(def, key, front);
    if (front === 'action' && def && !(def.stages as readonly Stage[]).includes(stage))
      return `action-${def.stages[0]}'s ${name}`;
    if (front === 'cli' && ref?.argument)
      return def?.env ? `${name} (or the ${ref.argument} argument)` : ref.argument;
    return name;
  };
}

export function cliSource(env: NodeJS.ProcessEnv = process.env, overrides?: ReadOptionsSource['overrides']) {
  return {
    front: 'cli' as const,
    get: (def: OptionDef<unknown>) => (def.env ? env[def.env] : undefined),
    overrides,
  };
}
