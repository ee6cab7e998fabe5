/**
 * Recovery of the copies from their journal (the saved state): each copy the journal shows
 * unfinished is finished (tagged) when available, else removed with its snapshots.
 */
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { ClientFor } from '../../aws/clients.js';
import { findByName as findOwnImageByName, findImage, tagImageAndSnapshots } from '../../aws/images.js';
import { removeCopy, type CopyState } from './copy.js';

export type RecoveryAction = 'tagged' | 'removed' | 'absent' | 'kept';

export interface RecoveryReport {
  region: string;
  imageId?: string;
  action: RecoveryAction;
  detail: string;
}

/**
 * For the post step (or a signal handler): each copy the journal shows unfinished is either
 * available (its tagging is finished, it stays) or not (it is deregistered with its snapshots).
 * Never throws; running it twice changes nothing the second time. A copy that could be neither
 * finished nor removed is reported `kept` with its id (or its name): the caller turns it into an
 * error, so that nothing is left unreported.
 */
export async function recoverCopies(
  state: CopyState,
  clientFor: ClientFor,
  log: Logger,
): Promise<RecoveryReport[]> {
  const reports: RecoveryReport[] = [];
  for (const rec of state.copies) {
    if (rec.status !== 'requested') continue;
    const report: RecoveryReport = { region: rec.region, imageId: rec.imageId, action: 'absent', detail: '' };
    try {
      const ec2 = clientFor(rec.region);
      const image = rec.imageId ? await findImage(ec2, rec.imageId) : await findOwnImageByName(ec2, rec.name);
      if (!image || image.State === 'deregistered') {
        report.detail = 'no copy was made';
      } else if (image.State === 'available') {
        report.imageId = image.ImageId;
        const snaps = await tagImageAndSnapshots(ec2, image, state.tags);
        report.action = 'tagged';
        report.detail = `finished tagging ${image.ImageId}${snaps.length ? ` and ${snaps.join(', ')}` : ''}`;
      } else {
        report.imageId = image.ImageId;
        const removal = await removeCopy(ec2, image.ImageId!, log);
        report.action = removal.problems.length ? 'kept' : 'removed';
        report.detail = removal.problems.length
          ? `could not remove ${image.ImageId} (${image.State}), left in ${rec.region}: ${removal.problems.join('; ')}`
          : `removed ${image.State} copy ${image.ImageId}${removal.snapshots.length ? ` and ${removal.snapshots.join(', ')}` : ''}`;
      }
    } catch (err) {
      report.action = 'kept';
      // Named by id (or by name when CopyImage's answer never came): what is left must be findable.
      report.detail =
        `recovery failed: ${errorMessage(err)}; ` +
        `${report.imageId ?? rec.imageId ?? `the copy named ${rec.name}`} may be left in ${rec.region}`;
      report.imageId ??= rec.imageId;
    }
    if (report.action === 'kept') log.warn(`copy to ${rec.region}: ${report.detail}`);
    else log.info(`copy to ${rec.region}: ${report.detail}`);
    reports.push(report);
  }
  return reports;
}

/** The state as saved (JSON), and back; a malformed value recovers nothing rather than failing. */
export function serializeCopyState(state: CopyState): string {
  return JSON.stringify(state);
}

export function parseCopyState(raw: string | undefined): CopyState | undefined {
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as CopyState;
    return Array.isArray(s?.copies) && Array.isArray(s.tags) ? s : undefined;
  } catch {
    return undefined;
  }
}
