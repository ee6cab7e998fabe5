/**
 * What the install and the test share: an instance that runs amibake's user data powers itself
 * off; the build waits for `stopped` while streaming its console, then reads the result it
 * reported (the uploaded result object, else the console line) and, on a failure, the end of its
 * log. Everything read from the instance is its own text: printed inert, parsed strictly.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describeInstance } from '../../aws/instances.js';
import { pollBackoff } from '../../aws/poll.js';
import { readObject } from '../../aws/staging.js';
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { ConsoleReader, consoleResult, parseResult, tail } from './console.js';
import type { BakeContext } from './context.js';

/** Bytes of the instance's log read back for its tail: the instance decides how big the log is. */
const TAIL_BYTES = 64 * 1024;
/** The result object is one `status=N` line; the instance could upload anything. */
const RESULT_BYTES = 4096;

/** Where the instance uploads its result and log (absent: the console alone). */
export interface ResultObjects {
  s3: S3Client;
  bucket: string;
  result: string;
  log: string;
}

export interface StopWait {
  /** The instance stopped by itself within the time allowed. */
  stopped: boolean;
  /** The last console text read (the tail shown when nothing better is left). */
  lastConsole: string;
}

/**
 * Polls the instance until `stopped`, streaming its console in a group titled `title`, for at
 * most `timeoutMs`. `onState` sees every state polled (the install's spans). An instance that
 * goes away on its own is an error: `what` names it.
 */
export async function untilStopped(
  ctx: BakeContext,
  o: {
    id: string;
    reader: ConsoleReader;
    timeoutMs: number;
    title: string;
    what: string;
    onState?: (state: string) => void;
  },
): Promise<StopWait> {
  const { cfg, deps } = ctx;
  const deadline = ctx.now() + o.timeoutMs;
  const next = pollBackoff(cfg.waitInstance * 1000);
  let lastConsole = '';
  const stopped = await deps.logger.group(o.title, async () => {
    for (;;) {
      const inst = await describeInstance(deps.ec2, o.id);
      const state = inst?.State?.Name ?? 'unknown';
      o.onState?.(state);
      lastConsole = (await o.reader.stream()) ?? lastConsole;
      if (state === 'stopped') return true;
      if (state === 'terminated' || state === 'shutting-down')
        throw new UserError(
          `the instance ${o.id} was terminated during ${o.what}: ${inst?.StateReason?.Message ?? 'no reason given'}`,
        );
      const left = deadline - ctx.now();
      if (left <= 0) return false;
      await ctx.sleep(Math.min(next(), left));
    }
  });
  return { stopped, lastConsole };
}

/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
export async function readStatus(
  ctx: BakeContext,
  reader: ConsoleReader,
  objects: ResultObjects | undefined,
): Promise<number | undefined> {
  const { deps, cfg } = ctx;
  if (objects) {
    const status = parseResult(
      await readObject(objects.s3, objects.bucket, objects.result, deps.logger, RESULT_BYTES),
    );
    if (status !== undefined) return status;
  }
  for (let i = 0; i < 3; i++) {
    const text = await reader.read();
    const status = text ? consoleResult(text) : undefined;
    if (status !== undefined) return status;
    if (i < 2) await ctx.sleep(cfg.waitInstance * 1000);
  }
  return undefined;
}

/** Prints the end of instance text as an inert block, before the error that refers to it: an
 *  error message is an `::error::` command, so it never carries instance text. */
export function showTail(logger: Logger, text: string | undefined, title: string): boolean {
  if (!text) return false;
  logger.untrusted(tail(text), title);
  return true;
}

/**
 * Shows the end of the instance's log (the uploaded one, else its console) and returns what was
 * shown (`log` or `console`), or undefined when there was nothing to show.
 */
export async function showLogTail(
  logger: Logger,
  o: { objects?: ResultObjects; reader: ConsoleReader; lastConsole: string; log: string },
): Promise<'log' | 'console' | undefined> {
  const log = o.objects
    ? await readObject(o.objects.s3, o.objects.bucket, o.objects.log, logger, TAIL_BYTES)
    : undefined;
  const text = log ?? ((await o.reader.read()) || o.lastConsole);
  const what = log ? 'log' : 'console';
  return showTail(logger, text, `Last lines of the ${what === 'log' ? o.log : 'console'}:`)
    ? what
    : undefined;
}
