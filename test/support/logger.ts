/**
 * Logger doubles. recordingLogger() stands in for the logger of a module under test and keeps
 * what it was told; captureLogger() is the CLI's real logger writing into a string, for tests of
 * what a user would read.
 */
import { createCliLogger, type Logger } from '../../src/core/log.js';

export interface RecordingLogger extends Logger {
  /** Every line, warnings as `warning: ...` and groups as `== title`. */
  lines: string[];
  warnings: string[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    text: () => lines.join('\n'),
    info: (m) => void lines.push(m),
    warn: (m) => {
      warnings.push(m);
      lines.push(`warning: ${m}`);
    },
    debug: () => undefined,
    group: async (title, fn) => {
      lines.push(`== ${title}`);
      return fn();
    },
    mask: () => undefined,
    untrusted: (text, title) => {
      if (title) lines.push(title);
      lines.push(text);
    },
  };
}

/** The CLI's logger, printing into a string (secrets masked as the CLI masks them). */
export function captureLogger(): { logger: Logger; text: () => string } {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  // Plain text whatever the test runs in (no stop-commands fences even under GitHub Actions).
  return { logger: createCliLogger(stream, true, false), text: () => text };
}
