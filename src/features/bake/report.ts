/** What a bake hands on: action outputs, the sourceable output file, the summary table. */
import { writeFile } from 'node:fs/promises';
import { formatEnv } from '../../core/envfile.js';
import { UserError, errorMessage, msg, opt } from '../../core/errors.js';
import type { BakeResult } from './context.js';
import { timingRows, timingsJson } from './timings.js';

export function outputFileText(r: BakeResult): string {
  return formatEnv({
    AMI_ID: r.amiId,
    AMI_NAME: r.amiName,
    REGION: r.region,
    ...r.report.fileVars,
    TIMINGS: timingsJson(r.timings),
  });
}

export async function writeOutputFile(path: string, r: BakeResult): Promise<void> {
  try {
    await writeFile(path, outputFileText(r));
  } catch (err) {
    throw new UserError(msg`${opt('outputFile')}: cannot write ${path}: ${errorMessage(err)}`);
  }
}

/** Rows of the bake's summary: [label, value]. */
export function summaryRows(r: BakeResult): [string, string][] {
  const rows: [string, string][] = [
    [
      'AMI',
      r.report.dryRun
        ? 'none (dry run)'
        : r.reused
          ? `${r.amiId} (reused: already baked from the same content)`
          : r.amiId,
    ],
    ['Name', r.amiName],
    ['Region', r.region],
    ['Base AMI', r.baseAmi],
    ['Instance type', r.instanceType],
  ];
  if (r.instanceId)
    rows.push([
      'Build instance',
      `${r.instanceId} (${r.terminated ? 'terminated' : 'termination not confirmed: see the warnings'})`,
    ]);
  if (r.snapshots.length) rows.push(['Snapshots', r.snapshots.join(', ')]);
  rows.push(...r.report.summary);
  rows.push(...timingRows(r.timings));
  return rows;
}

export function summaryText(r: BakeResult): string {
  const rows = summaryRows(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
