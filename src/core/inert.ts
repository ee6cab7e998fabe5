/**
 * Text from the build instance (its console, its install log) printed so that the GitHub runner
 * cannot take any of it for a workflow command.
 *
 * The runner (actions/runner, ActionCommandManager.cs and ActionCommand.cs) reads a step's output
 * line by line (.NET ReadLine: `\n`, `\r` or `\r\n` end a line) and acts on a line when
 *   - after `TrimStart()` (every char.IsWhiteSpace character: U+0085, U+00A0, U+2028, ...) it
 *     starts with `::name ...::` and `name` is a registered command, or
 *   - it holds `##[name ...]` anywhere (the legacy syntax), `name` registered.
 * `::stop-commands::TOKEN` turns all of that off until a line `::TOKEN::` (or `##[TOKEN]`): that
 * is the defence, with a token drawn after the text it guards was read, so the text cannot hold
 * it. Each line is also neutralised on its own (defence in depth: a runner that stopped honouring
 * stop-commands, or a token that leaked).
 */
import { randomBytes } from 'node:crypto';

/** Every character .NET's char.IsWhiteSpace accepts (what TrimStart strips), plus U+FEFF, which
 *  .NET Framework trimmed and JavaScript's \s matches, and U+180E, whitespace in older Unicode. */
const LEADING_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/;

/** The lines the runner sees in `text`. */
export function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** One line (no line break) made plain text for the runner: a zero-width space (not whitespace to
 *  .NET) in front of a leading `::`, and inside every `##[`. It reads the same in the log. */
export function neutraliseLine(line: string): string {
  const lead = LEADING_SPACE.exec(line)![0];
  let out = line.startsWith('::', lead.length) ? `${lead}\u200b${line.slice(lead.length)}` : line;
  out = out.split('##[').join('##\u200b[');
  return out;
}

/** `text` as neutralised lines (a trailing line break does not make an empty last line). */
export function neutralise(text: string): string[] {
  const lines = runnerLines(text.replace(/(\r\n|\r|\n)$/, ''));
  return lines.map(neutraliseLine);
}

/** A fresh stop-commands token: 128 random bits, hex (the runner compares it case-insensitively),
 *  never one that occurs in the text it guards. */
export function stopToken(guarded: string): string {
  for (;;) {
    const token = `amibake-${randomBytes(16).toString('hex')}`;
    if (!guarded.toLowerCase().includes(token)) return token;
  }
}

/** The lines of an inert block: `::stop-commands::TOKEN`, the neutralised text, `::TOKEN::`.
 *  Without `commands` (not under the GitHub runner), the neutralised text alone. */
export function inertBlock(text: string, commands: boolean): string[] {
  const lines = neutralise(text);
  if (!commands) return lines;
  const token = stopToken(text);
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}
