/**
 * Errors the user can fix. The domain names an option by its key (`opt('baseAmi')` in a
 * `msg` template); only a front knows what the user calls it (`input 'base-ami'`, `BUILDAMI_BASEAMI`)
 * and renders the message with `err.render(nameFor)`. The default `message` shows the key itself.
 */

/** An option named in a message, by key. */
export interface OptionRef {
  option: string;
  /** The positional argument that may give it instead (the CLI says so). */
  argument?: string;
}
export type Part = string | OptionRef;
/** How a front calls an option. */
export type NameFor = (key: string, ref?: OptionRef) => string;

export const opt = (key: string, argument?: string): OptionRef =>
  argument ? { option: key, argument } : { option: key };

const isRef = (v: unknown): v is OptionRef =>
  typeof v === 'object' && v !== null && typeof (v as OptionRef).option === 'string';

/** A message template: option refs stay parts, part lists holding a ref are spliced in, the rest
 *  is text (as in a template literal). */
export function msg(strings: TemplateStringsArray, ...values: unknown[]): Part[] {
  const out: Part[] = [strings[0]];
  values.forEach((v, i) => {
    if (isRef(v)) out.push(v);
    else if (Array.isArray(v) && v.some(isRef)) out.push(...(v as Part[]));
    else out.push(String(v));
    out.push(strings[i + 1]);
  });
  return out.filter((p) => p !== '');
}

/** Parts that name no option, as one string (what a caller passing names as text gets back). */
export function compact(parts: Part[]): string | Part[] {
  return parts.every((p) => typeof p === 'string') ? parts.join('') : parts;
}

export function render(parts: string | readonly Part[], nameFor: NameFor = (k) => k): string {
  return typeof parts === 'string' ? parts : parts.map((p) => (isRef(p) ? nameFor(p.option, p) : p)).join('');
}

/** An error the user can fix: printed as-is, without a stack trace, and the process exits non-zero. */
export class UserError extends Error {
  override name = 'UserError';
  protected parts: Part[];
  constructor(message: string | Part[]) {
    super(render(message));
    this.parts = typeof message === 'string' ? [message] : message;
  }

  /** The message as parts: option refs for a front to render. */
  get messageParts(): Part[] {
    return [...this.parts];
  }

  render(nameFor: NameFor): string {
    return render(this.parts, nameFor);
  }

  /** The names `message` renders the option refs with (a front's, or machinery that knows the
   *  front: readOptions); the keys themselves until then. */
  protected names?: NameFor;

  /** Renders `message` with a front's names from now on (the refs stay, for `render`). */
  named(nameFor: NameFor): this {
    this.names = nameFor;
    this.message = this.render(nameFor);
    return this;
  }

  /** Adds text to the message (what recovery left), keeping the option refs. */
  append(text: string): this {
    this.parts = [...this.parts, text];
    this.message = this.render(this.names ?? ((k) => k));
    return this;
  }
}

/** One or more options were invalid; each problem names its option by key. */
export class OptionError extends UserError {
  override name = 'OptionError';
  readonly items: Part[][];
  constructor(problems: (string | Part[])[]) {
    const items = problems.map((p) => (typeof p === 'string' ? [p] : p));
    super(OptionError.join(items.map((p) => render(p))));
    this.items = items;
  }

  /** The problems as text, rendered like `message`. */
  get problems(): string[] {
    return this.items.map((p) => render(p, this.names));
  }

  private static join(problems: string[]): string {
    return problems.length === 1 ? problems[0] : `invalid options:\n  ${problems.join('\n  ')}`;
  }

  override render(nameFor: NameFor): string {
    const text = OptionError.join(this.items.map((p) => render(p, nameFor)));
    // Text appended after construction (recovery's leftovers) follows.
    return text + render(this.parts.slice(1), nameFor);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The message of `err` as a front shows it: option keys rendered with `nameFor`. */
export function renderError(err: unknown, nameFor: NameFor): string {
  return err instanceof UserError ? err.render(nameFor) : errorMessage(err);
}

/** `err`, its message rendered with a front's names when it is a UserError (a front rethrows it). */
export function named<E>(err: E, nameFor: NameFor): E {
  if (err instanceof UserError) err.named(nameFor);
  return err;
}
