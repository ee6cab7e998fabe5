/**
 * Publications run one after the other; none is undone (a parameter or a template version that
 * points at a good AMI is what was asked for). When one fails, the error says which were made and
 * which were not, so that the user can finish by hand or re-run (a re-run reuses the AMI and
 * publishes again: every publication is safe to repeat).
 */
import { UserError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';

export interface Publication {
  /** What it publishes, for the error: "SSM parameter /x in us-east-1". */
  what: string;
  /** Publishes; returns the log line of what it did. */
  run(): Promise<string>;
}

export async function publishAll(items: Publication[], log: Logger, amis: string): Promise<void> {
  const done: string[] = [];
  for (const [i, item] of items.entries()) {
    let line: string;
    try {
      line = await item.run();
    } catch (err) {
      const rest = items.slice(i + 1).map((p) => p.what);
      throw new UserError(
        `publishing ${amis} failed at ${item.what}: ${errorMessage(err)}\n` +
          `  published: ${done.join('; ') || 'nothing'}\n` +
          `  not published: ${[item.what, ...rest].join('; ')}\n` +
          'publishing is not undone; a re-run reuses the AMI and publishes again',
      );
    }
    done.push(item.what);
    log.info(line);
  }
}
