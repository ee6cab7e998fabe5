/** The core logs through this interface so that the same code serves the action (workflow
 *  commands via @actions/core) and the CLI (plain stderr). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Collapsible section in the action log; a heading in the CLI. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Never print this value again (presigned URLs). */
  mask(secret: string): void;
}

export function createCliLogger(stream: NodeJS.WritableStream = process.stderr, verbose = false): Logger {
  const secrets: string[] = [];
  const scrub = (s: string) => secrets.reduce((acc, x) => acc.split(x).join('***'), s);
  const write = (s: string) => stream.write(scrub(s) + '\n');
  return {
    info: (m) => write(m),
    warn: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (verbose) write(`debug: ${m}`);
    },
    async group(title, fn) {
      write(`== ${title}`);
      return fn();
    },
    mask: (s) => {
      if (s) secrets.push(s);
    },
  };
}

export async function createActionLogger(): Promise<Logger> {
  const core = await import('@actions/core');
  return {
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    debug: (m) => core.debug(m),
    group: (title, fn) => core.group(title, fn),
    mask: (s) => core.setSecret(s),
  };
}
