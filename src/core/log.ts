/** The core logs through this interface so that the same code serves the action (workflow
 *  commands via @actions/core) and the CLI (plain stderr). */
import { inertBlock, neutralise } from './inert.js';

/** amibake's own lines can quote what the artifact carries (an S3 URL, a description, a digest
 *  claimed by vars.env): every line is neutralised, so no quoted text becomes a workflow command.
 *  amibake's own commands go through @actions/core's command functions, never through these. */
const plain = (m: string) => neutralise(m).join('\n');

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Collapsible section in the action log; a heading in the CLI. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Never print this value again (presigned URLs). */
  mask(secret: string): void;
  /**
   * Text from the build instance (console, install log): attacker-controlled. Printed as one
   * inert block (src/core/inert.ts): under the GitHub runner between `::stop-commands::TOKEN`
   * and `::TOKEN::` with a fresh token, every line neutralised. `title` (amibake's own words) is
   * printed before it, outside the block. Nothing else is printed inside a block, so amibake's own
   * commands (`::endgroup::`, `::add-mask::`, `::error::`) always reach the runner.
   */
  untrusted(text: string, title?: string): void;
}

/** `commands`: the output is read by the GitHub runner (GITHUB_ACTIONS=true), so instance text is
 *  fenced with stop-commands. */
export function createCliLogger(
  stream: NodeJS.WritableStream = process.stderr,
  verbose = false,
  commands = process.env.GITHUB_ACTIONS === 'true',
): Logger {
  const secrets: string[] = [];
  const scrub = (s: string) => secrets.reduce((acc, x) => acc.split(x).join('***'), s);
  const write = (s: string) => stream.write(scrub(s) + '\n');
  return {
    info: (m) => write(plain(m)),
    warn: (m) => write(plain(`warning: ${m}`)),
    debug: (m) => {
      if (verbose) write(plain(`debug: ${m}`));
    },
    async group(title, fn) {
      write(plain(`== ${title}`));
      return fn();
    },
    mask: (s) => {
      if (s) secrets.push(s);
    },
    untrusted(text, title) {
      if (title) write(plain(title));
      // One write: nothing of ours can land inside the block.
      write(inertBlock(text, commands).join('\n'));
    },
  };
}

export async function createActionLogger(): Promise<Logger> {
  const core = await import('@actions/core');
  return {
    // warning, debug and group titles are command data, escaped by @actions/core (one line).
    info: (m) => core.info(plain(m)),
    warn: (m) => core.warning(m),
    debug: (m) => core.debug(m),
    group: (title, fn) => core.group(title, fn),
    mask: (s) => core.setSecret(s),
    untrusted(text, title) {
      if (title) core.info(plain(title));
      core.info(inertBlock(text, true).join('\n'));
    },
  };
}
