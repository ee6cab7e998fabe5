/** The instance's serial console: streamed into the log while waiting, and the fallback channel
 *  for the install result (the `AMIBAKE-RESULT status=<n>` line). */
import { GetConsoleOutputCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { RESULT_LINE_RE } from '../../core/contract.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';

/** What `next` adds to `prev`. GetConsoleOutput returns a window (the latest 64 KB) that moves
 *  as the console grows, so the new text is found after the longest overlap with the end of
 *  what was already shown. */
export function consoleDelta(prev: string, next: string): string {
  if (!prev) return next;
  if (next.startsWith(prev)) return next.slice(prev.length);
  if (prev.endsWith(next) || prev.includes(next)) return '';
  // The end of prev, as long a piece as possible, found in next: the text after it is new.
  for (let len = Math.min(prev.length, next.length, 4096); len >= 64; len = Math.floor(len / 2)) {
    const at = next.lastIndexOf(prev.slice(-len));
    if (at >= 0) return next.slice(at + len);
  }
  return next;
}

export function parseResult(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^status=(\d+)\s*$/m.exec(text) ?? RESULT_LINE_RE.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The last result line wins: a console holds every boot of the instance. */
export function consoleResult(text: string): number | undefined {
  const re = new RegExp(RESULT_LINE_RE.source, 'gm');
  let status: number | undefined;
  for (const m of text.matchAll(re)) status = Number(m[1]);
  return status;
}

/** The last `lines` lines of `text` (instance text: print it with Logger.untrusted). */
export function tail(text: string, lines = 40): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

/** Reads the console. `Latest` is asked for first (Nitro types); types that do not support it
 *  answer with an error, and the plain call is used from then on. */
export class ConsoleReader {
  private latest = true;
  private shown = '';
  constructor(
    private readonly ec2: EC2Client,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {}

  async read(): Promise<string | undefined> {
    try {
      const out = await this.ec2.send(
        new GetConsoleOutputCommand({ InstanceId: this.instanceId, Latest: this.latest || undefined }),
      );
      return out.Output ? Buffer.from(out.Output, 'base64').toString('utf8') : '';
    } catch (err) {
      if (this.latest) {
        this.latest = false;
        this.logger.debug(`GetConsoleOutput Latest=true: ${errorMessage(err)}; reading without it`);
        return this.read();
      }
      this.logger.debug(`GetConsoleOutput: ${errorMessage(err)}`);
      return undefined;
    }
  }

  /** Prints what the console added since the last call (as instance text: inert). */
  async stream(): Promise<string | undefined> {
    const text = await this.read();
    if (text === undefined) return undefined;
    const delta = consoleDelta(this.shown, text);
    // Whole lines only: a line still being written is shown on the next call.
    const cut = delta.lastIndexOf('\n');
    if (cut >= 0) {
      // The instance's text: one inert block per read, its stop-commands token drawn after the
      // text was read.
      this.logger.untrusted(delta.slice(0, cut).replace(/\r/g, ''));
      this.shown = text.slice(0, text.length - (delta.length - cut - 1));
    }
    return text;
  }
}
