/** Install: waits for the instance to stop by itself, streaming its console, then reads the
 *  install result (the uploaded result object, else the console line). */
import { UserError, opt } from '../../core/errors.js';
import { ConsoleReader } from './console.js';
import type { BakeContext, BakePhase } from './context.js';
import { readStatus, showLogTail, showTail, untilStopped, type ResultObjects } from './until-stopped.js';

/** Waits for the instance to stop by itself, streaming its console, then reads the install result. */
export const install: BakePhase = {
  id: 'install',
  title: 'Install (until stopped)',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId!;
    const reader = new ConsoleReader(deps.ec2, id, deps.logger);
    // The instance's states as seen: each one reached starts the span it begins.
    const spans = new InstanceSpans(ctx);
    const { stopped, lastConsole } = await untilStopped(ctx, {
      id,
      reader,
      timeoutMs: cfg.timeoutInstance * 1000,
      title: `Install output (console of ${id})`,
      what: 'the install',
      onState: (state) => spans.saw(state),
    });
    if (!stopped) {
      const text = (await reader.read()) || lastConsole;
      const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
      throw new UserError(
        `the instance ${id} did not stop within ${cfg.timeoutInstance} s` +
          (shown ? '; its last console lines are printed above' : ''),
      );
    }
    const objects: ResultObjects | undefined = ctx.staging && { s3: deps.s3, ...ctx.staging };
    ctx.installStatus = await readStatus(ctx, reader, objects);
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
      const shown = await showLogTail(deps.logger, { objects, reader, lastConsole, log: 'install log' });
      const what = shown === 'log' ? 'install log' : 'console';
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
