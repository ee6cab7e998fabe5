/** Install: waits for the instance to stop by itself, streaming its console, then reads the
 *  install result (the uploaded result object, else the console line). */
import { describeInstance } from '../../aws/instances.js';
import { pollBackoff } from '../../aws/poll.js';
import { readObject } from '../../aws/staging.js';
import { UserError, opt } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { ConsoleReader, consoleResult, parseResult, tail } from './console.js';
import type { BakeContext, BakePhase } from './context.js';

/** Waits for the instance to stop by itself, streaming its console, then reads the install result. */
export const install: BakePhase = {
  id: 'install',
  title: 'Install (until stopped)',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    const reader = new ConsoleReader(deps.ec2, id, deps.logger);
    const deadline = ctx.now() + cfg.timeoutInstance * 1000;
    const next = pollBackoff(cfg.waitInstance * 1000);
    let lastConsole = '';
    // The instance's states as seen: each one reached starts the span it begins.
    const spans = new InstanceSpans(ctx);
    const stopped = await deps.logger.group(`Install output (console of ${id})`, async () => {
      for (;;) {
        const inst = await describeInstance(deps.ec2, id);
        const state = inst?.State?.Name ?? 'unknown';
        spans.saw(state);
        lastConsole = (await reader.stream()) ?? lastConsole;
        if (state === 'stopped') return true;
        if (state === 'terminated' || state === 'shutting-down')
          throw new UserError(
            `the instance ${id} was terminated during the install: ${inst?.StateReason?.Message ?? 'no reason given'}`,
          );
        const left = deadline - ctx.now();
        if (left <= 0) return false;
        await ctx.sleep(Math.min(next(), left));
      }
    });
    if (!stopped) {
      const text = (await reader.read()) || lastConsole;
      const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
      throw new UserError(
        `the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
          (shown ? '; its last console lines are printed above' : ''),
      );
    }
    ctx.installStatus = await readStatus(ctx, reader);
    if (ctx.installStatus === undefined) {
      if (!cfg.allowNoResult) {
        const text = (await reader.read()) || lastConsole;
        const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
        throw new UserError([
          `the instance ${id} stopped without reporting an install result (no result object, no ` +
            `AMIBAKE-RESULT console line). If the base image cannot report one, set `,
          opt('allowNoResult'),
          ' to trust the stop' + (shown ? '; its last console lines are printed above' : ''),
        ]);
      }
      // A log line names no option: only errors carry option keys for a front to render.
      deps.logger.warn(`no install result from ${id}: trusting the stop, as configured`);
      return;
    }
    if (ctx.installStatus !== 0) {
      const log = ctx.staging
        ? await readObject(deps.s3, ctx.staging.bucket, ctx.staging.log, deps.logger, TAIL_BYTES)
        : undefined;
      const text = log ?? ((await reader.read()) || lastConsole);
      const what = log ? 'install log' : 'console';
      const shown = showTail(deps.logger, text, `Last lines of the ${what}:`);
      throw new UserError(
        `the install failed (status ${ctx.installStatus}); no AMI was created` +
          (shown ? `. The last lines of the ${what} are printed above` : ''),
      );
    }
    deps.logger.info(`install succeeded (status 0)`);
  },
};

/**
 * The spans of the install wait, from the states the polls see: until running ("launch to
 * running": the wait starts as RunInstances answers), running until stopping (the install), and
 * stopping until stopped. A poll that misses a state (a short stop between two polls) folds its
 * span into the one before; the time is not lost, only not told apart.
 */
class InstanceSpans {
  private current = '';
  constructor(private readonly ctx: BakeContext) {
    this.begin('running');
  }

  saw(state: string): void {
    if (state === 'running' && this.current === 'running') this.begin('install');
    else if ((state === 'stopping' || state === 'shutting-down') && this.current !== 'stop')
      this.begin('stop');
    else if (state === 'stopped' || state === 'terminated') this.ctx.endSpan();
  }

  private begin(span: keyof typeof SPAN_TITLES): void {
    this.current = span;
    this.ctx.span(span, SPAN_TITLES[span], { wait: true });
  }
}

const SPAN_TITLES = { running: 'Launch to running', install: 'Install', stop: 'Stop' } as const;

/** Bytes of the install log read back for its tail: the instance decides how big the log is. */
const TAIL_BYTES = 64 * 1024;
/** The result object is one `status=N` line; the instance could upload anything. */
const RESULT_BYTES = 4096;

/** Prints the end of instance text as an inert block, before the error that refers to it: an
 *  error message is an `::error::` command, so it never carries instance text. */
function showTail(logger: Logger, text: string | undefined, title: string): boolean {
  if (!text) return false;
  logger.untrusted(tail(text), title);
  return true;
}

/** The uploaded result when there is one, else the console line. The console is posted with a
 *  delay on some instance types, so it is read a few times. */
async function readStatus(ctx: BakeContext, reader: ConsoleReader): Promise<number | undefined> {
  const { deps, cfg } = ctx;
  if (ctx.staging) {
    const status = parseResult(
      await readObject(deps.s3, ctx.staging.bucket, ctx.staging.result, deps.logger, RESULT_BYTES),
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
