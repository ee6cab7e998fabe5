/**
 * What the GitHub runner would act on in a step's output: an emulation of actions/runner's
 * command processing (src/Runner.Worker/ActionCommandManager.cs, src/Runner.Common/ActionCommand.cs,
 * the line reading of src/Runner.Sdk/ProcessInvoker.cs), written from that source:
 *
 *   - lines end at `\n`, `\r` or `\r\n` (.NET StreamReader.ReadLine);
 *   - a line is tried as `::name props::data` after `TrimStart()` (every char.IsWhiteSpace
 *     character), then as `##[name props]data` found anywhere in the line;
 *   - only registered command names parse (case-insensitive); `stop-commands` turns processing
 *     off until a command named as its data (the token, registered for the while) comes.
 *
 *   const cmds = runnerCommands(result.stdout);   // [{ command, data, line, index }]
 */

/** char.IsWhiteSpace in .NET (Core): what String.TrimStart() removes. */
const DOTNET_WHITESPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

/** The commands the runner registers (its IActionCommandExtension implementations). */
export const REGISTERED = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
];

export interface RunnerCommand {
  /** As written (the runner matches names case-insensitively). */
  command: string;
  properties: Record<string, string>;
  data: string;
  /** The raw output line. */
  line: string;
  /** Its index in the output's lines. */
  index: number;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

/** `name key=value…` of either syntax (`pairs` splits what follows the name): the command and
 *  its properties, a pair without a key or a value dropped; undefined when the runner has no such
 *  command. */
function commandOf(
  info: string,
  registered: Set<string>,
  pairs: (rest: string) => string[],
): Pick<RunnerCommand, 'command' | 'properties'> | undefined {
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const p of pairs(info.slice(space + 1)).filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0 && eq < p.length - 1) properties[p.slice(0, eq)] = p.slice(eq + 1);
    }
  return { command, properties };
}

function parseV2(line: string, registered: Set<string>): Omit<RunnerCommand, 'line' | 'index'> | undefined {
  const message = line.replace(DOTNET_WHITESPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const head = commandOf(message.slice(2, end), registered, (rest) => rest.trim().split(','));
  return head && { ...head, data: unescapeData(message.slice(end + 2)) };
}

function parseLegacy(
  line: string,
  registered: Set<string>,
): Omit<RunnerCommand, 'line' | 'index'> | undefined {
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const rb = line.indexOf(']', at);
  if (rb < 0) return undefined;
  const head = commandOf(line.slice(at + 3, rb), registered, (rest) => rest.split(';'));
  return head && { ...head, data: line.slice(rb + 1) };
}

/** The commands the runner would act on in `output` (one stream of the step), in order:
 *  `stop-commands` and its resume token included, commands ignored while stopped left out. */
export function runnerCommands(output: string): RunnerCommand[] {
  const registered = new Set([...REGISTERED, 'stop-commands']);
  let stopToken: string | undefined;
  const out: RunnerCommand[] = [];
  output.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (!line || (!line.includes('##[') && !line.includes('::'))) return;
    const cmd = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!cmd) return;
    const name = cmd.command.toLowerCase();
    if (stopToken !== undefined) {
      // An empty token never resumes (the runner checks IsNullOrEmpty first).
      if (!stopToken || name !== stopToken) return;
      registered.delete(stopToken);
      stopToken = undefined;
      out.push({ ...cmd, line, index });
      return;
    }
    if (name === 'stop-commands') {
      stopToken = cmd.data.toLowerCase();
      registered.add(stopToken);
    }
    out.push({ ...cmd, line, index });
  });
  return out;
}
