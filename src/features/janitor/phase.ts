/** Sweep leaked instances before the bake: the janitor serves other bakes, so its failure is a
 *  warning and a summary row, never this bake's error. */
import { errorMessage } from '../../core/errors.js';
import type { Duration } from '../../core/duration.js';
import type { BakePhase } from '../bake/context.js';
import { formatSweep, sweep } from './sweep.js';

export function sweepPhase(o: { age: Duration; dryRun: boolean }): BakePhase {
  return {
    id: 'golden-sweep',
    title: 'Sweep leaked instances',
    async run(ctx) {
      const { cfg, deps } = ctx;
      try {
        const report = await sweep({
          ec2: deps.ec2,
          region: cfg.region,
          olderThanMs: o.age.ms,
          dryRun: o.dryRun,
          log: deps.logger,
          now: new Date(ctx.now()),
        });
        ctx.report.summary.push(['Janitor', formatSweep(report)]);
      } catch (err) {
        deps.logger.warn(`sweep: ${errorMessage(err)}`);
        ctx.report.summary.push(['Janitor', `failed: ${errorMessage(err)}`]);
      }
    },
  };
}
