/**
 * What the GitHub runner would do with a step's output, for tests that feed it attacker-controlled
 * text. The runner reads the output line by line (split at \n, \r\n or \r) and acts on a line as a
 * workflow command when, after trimming whitespace (.NET's Char.IsWhiteSpace: Unicode spaces and
 * U+0085 included), it starts with `::`, or when it holds `##[` anywhere (the old v1 syntax).
 * Between `::stop-commands::TOKEN` and a line that is exactly `::TOKEN::` it acts on nothing.
 */

/** .NET's whitespace, which the runner trims: JavaScript's \s lacks U+0085 (NEL). */
const EDGE_SPACE = /^[\s\u0085]+|[\s\u0085]+$/g;

/** The lines of `stdout` the runner would act on as commands, as they were written. */
export function runnerCommands(stdout: string): string[] {
  const acted: string[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(EDGE_SPACE, '');
    if (stopToken !== undefined) {
      if (trimmed === `::${stopToken}::`) {
        acted.push(line);
        stopToken = undefined;
      }
      continue;
    }
    if (trimmed.startsWith('::')) {
      acted.push(line);
      const stop = /^::stop-commands::(.*)$/.exec(trimmed);
      // An empty token does not stop anything (the runner refuses it).
      if (stop && stop[1]) stopToken = stop[1];
      continue;
    }
    if (line.includes('##[')) acted.push(line);
  }
  return acted;
}
