/**
 * The janitor: the one leak a post step cannot prevent is a runner killed outright. It terminates
 * build instances (tagged `amibake:run`) older than a given age in one region and reports them.
 */
import { paginateDescribeInstances, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { errorCode } from './aws.js';
import { formatMs } from './duration.js';
import { TAG } from './tags.js';

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface SweptInstance {
  instanceId: string;
  state: string;
  launched: string;
  run: string;
  name: string;
}

export interface SweepReport {
  region: string;
  olderThan: string;
  /** Terminated (or, in a dry run, would be). */
  swept: SweptInstance[];
  /** amibake instances still younger than the age. */
  spared: number;
  failed: { instanceId: string; error: string }[];
  dryRun: boolean;
}

export interface SweepInput {
  ec2: EC2Client;
  region: string;
  olderThanMs: number;
  log: Logger;
  dryRun?: boolean;
  /** Never these (the caller's own instance). */
  exclude?: string[];
  now?: Date;
}

export async function sweep(i: SweepInput): Promise<SweepReport> {
  const now = i.now ?? new Date();
  const cutoff = now.getTime() - i.olderThanMs;
  const report: SweepReport = {
    region: i.region,
    olderThan: formatMs(i.olderThanMs),
    swept: [],
    spared: 0,
    failed: [],
    dryRun: !!i.dryRun,
  };
  for await (const page of paginateDescribeInstances(
    { client: i.ec2, pageSize: 1000 },
    {
      Filters: [
        { Name: 'tag-key', Values: [TAG.run] },
        { Name: 'instance-state-name', Values: LIVE_STATES },
      ],
    },
  ))
    for (const r of page.Reservations ?? [])
      for (const inst of r.Instances ?? []) {
        const id = inst.InstanceId!;
        if (i.exclude?.includes(id)) continue;
        const launched = inst.LaunchTime ? new Date(inst.LaunchTime) : undefined;
        if (!launched || launched.getTime() > cutoff) {
          report.spared++;
          continue;
        }
        const tag = (k: string) => inst.Tags?.find((t) => t.Key === k)?.Value ?? '';
        report.swept.push({
          instanceId: id,
          state: inst.State?.Name ?? '',
          launched: launched.toISOString(),
          run: tag(TAG.run),
          name: tag('Name'),
        });
      }

  if (!i.dryRun)
    for (let n = 0; n < report.swept.length; n += 1000) {
      const ids = report.swept.slice(n, n + 1000).map((s) => s.instanceId);
      try {
        await i.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      } catch (err) {
        // One bad id fails the whole call; retry one by one to terminate the rest.
        for (const id of ids)
          try {
            await i.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
          } catch (e) {
            if (errorCode(e) !== 'InvalidInstanceID.NotFound')
              report.failed.push({ instanceId: id, error: errorMessage(e) });
          }
        i.log.debug(`batch termination failed (${errorMessage(err)}), retried one by one`);
      }
    }
  const failedIds = new Set(report.failed.map((f) => f.instanceId));
  for (const s of report.swept)
    if (!failedIds.has(s.instanceId))
      i.log.info(
        `${i.dryRun ? 'would terminate' : 'terminated'} ${s.instanceId} (${s.state}, launched ${s.launched}${s.run ? `, run ${s.run}` : ''})`,
      );
  for (const f of report.failed) i.log.warn(`could not terminate ${f.instanceId}: ${f.error}`);
  return report;
}

export function formatSweep(r: SweepReport): string {
  const verb = r.dryRun ? 'would terminate' : 'terminated';
  return (
    `sweep ${r.region}: ${verb} ${r.swept.length - r.failed.length} amibake instance(s) older than ${r.olderThan}` +
    `${r.failed.length ? `, ${r.failed.length} failed` : ''}, ${r.spared} younger left alone`
  );
}
