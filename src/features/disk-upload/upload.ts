/**
 * Upload snapshot: StartSnapshot (its client token saved before the call, its id as soon as it
 * answers), the disk's blocks written with PutSnapshotBlock, CompleteSnapshot, then the wait until
 * EC2 reports the snapshot completed. Every block is checked against the manifest's checksum as
 * it is sent: a mismatch is an altered artifact and stops the upload before anything is
 * registered. Its recovery deletes the snapshot unless a finished AMI owns it.
 */
import { setMaxListeners } from 'node:events';
import { UserError, errorMessage, msg, opt } from '../../core/errors.js';
import { createEbs } from '../../aws/clients.js';
import { BlockChecksumError, completeSnapshot, putBlocks, startSnapshot } from '../../aws/ebs-direct.js';
import { refusedByAws } from '../../aws/errors.js';
import { deadlineIn, realSleep, retryUntil } from '../../aws/retry.js';
import { SnapshotWaitError, deleteSnapshot, snapshotsByToken, waitCompleted } from '../../aws/snapshots.js';
import { CancelledError } from '../../engine/engine.js';
import type { Saved } from '../../engine/phase.js';
import type { BakePhase, CleanupReport, RecoverDeps } from '../bake/context.js';
import { STATE } from '../bake/state.js';
import { imageTags } from '../bake/tags.js';
import { openBlocks } from './artifact.js';
import type { DiskRun, DiskSettings } from './config.js';
import { DISK_STATE } from './state.js';

const DEFAULT_DELETE_SECONDS = 60;
/** A StartSnapshot whose answer was lost shows in DescribeSnapshots eventually. */
const DEFAULT_LOOKUP_SECONDS = 15;

/** The phase as recovery knows it (no configuration needed). */
export const diskUploadRecovery = {
  id: 'disk-upload',
  title: 'Upload snapshot',
  // The AMI's done flag too: a snapshot a finished AMI owns is the result, never removed.
  state: [DISK_STATE.snapshotToken, DISK_STATE.snapshotId, STATE.imageDone],
  recover: recoverSnapshot,
};

export function diskUploadPhase(s: DiskSettings, run: DiskRun): BakePhase {
  return {
    ...diskUploadRecovery,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const disk = run.disk!;
      const ebs = s.ebs ?? createEbs(cfg.region);
      if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
      // Saved before the call: a lost answer is found by this tag.
      deps.state.save(DISK_STATE.snapshotToken, ctx.clientToken);
      let snapshotId: string;
      try {
        snapshotId = await ctx.track(
          startSnapshot(
            ebs,
            {
              volumeSizeGiB: run.volumeGiB!,
              tags: imageTags(ctx.tags),
              description: `amibake ${cfg.amiName} (disk ${disk.recipe})`,
              encrypted: s.volume.encrypt,
              kmsKeyArn: s.volume.kmsKey,
              timeoutMinutes: Math.ceil(s.timeoutSnapshotSeconds / 60),
              clientToken: ctx.clientToken,
            },
            ctx.signal,
          ),
        );
      } catch (err) {
        // Refused: no snapshot was made, recovery has none to look for.
        if (refusedByAws(err)) deps.state.save(DISK_STATE.snapshotToken, '');
        throw err;
      }
      deps.state.save(DISK_STATE.snapshotId, snapshotId);
      run.snapshotId = snapshotId;
      deps.logger.info(`uploading ${disk.manifest.blocks.length} blocks to ${snapshotId}`);
      // Every block in flight listens to the cancel: not a leak.
      setMaxListeners(Math.max(s.concurrency * 2, 10) + 10, ctx.signal);
      const { blocks, close } = await openBlocks(disk);
      const started = ctx.now();
      let upload;
      try {
        upload = await putBlocks(ebs, snapshotId, blocks, {
          concurrency: s.concurrency,
          abortSignal: ctx.signal,
          onBlock: (_, sent) => {
            if (sent % 512 === 0) deps.logger.info(`${sent} of ${blocks.length} blocks written`);
          },
        });
      } catch (err) {
        if (err instanceof BlockChecksumError)
          throw new UserError(
            `${disk.blocksPath}: block ${err.index} does not hash to the manifest's checksum (${err.actual}, manifest ${err.expected}): the disk was altered after prepare; refused`,
          );
        if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
        throw err;
      } finally {
        await close();
      }
      const seconds = Math.max((ctx.now() - started) / 1000, 0.001);
      deps.logger.info(
        `${upload.sent} blocks (${(upload.bytes / 2 ** 20).toFixed(0)} MiB) written in ${seconds.toFixed(1)} s, ${upload.zero} zero blocks skipped`,
      );
      run.sent = upload.sent;
      run.zero = upload.zero;
      await completeSnapshot(ebs, snapshotId, upload, ctx.signal);
      ctx.span('completed', 'Until completed', { wait: true });
      try {
        await waitCompleted(deps.ec2, snapshotId, {
          timeoutSeconds: s.timeoutSnapshotSeconds,
          intervalSeconds: Math.min(cfg.waitAmi, 15),
          abortSignal: ctx.signal,
        });
      } catch (err) {
        if (err instanceof SnapshotWaitError) {
          if (err.kind === 'aborted') throw new CancelledError('the bake was cancelled');
          throw new UserError(
            err.kind === 'timeout' ? msg`${opt('timeoutSnapshot')}: ${err.message}` : err.message,
          );
        }
        throw err;
      }
      ctx.endSpan();
      ctx.report.summary.push([
        'Snapshot',
        `${snapshotId}: ${upload.sent} blocks written, ${upload.zero} zero`,
      ]);
      deps.logger.info(`${snapshotId} is completed`);
    },
  };
}

/** Deletes the bake's snapshot (found by id, or by its client-token tag when StartSnapshot's
 *  answer was lost), unless a finished AMI owns it. Idempotent; reports what is left by id. */
export async function recoverSnapshot(st: Saved, o: RecoverDeps): Promise<Partial<CleanupReport>> {
  const problems: string[] = [];
  const token = st[DISK_STATE.snapshotToken];
  if (!token || st[STATE.imageDone]) return { problems };
  const sleep = o.sleep ?? realSleep;
  let ids: string[];
  const known = st[DISK_STATE.snapshotId];
  if (known) ids = [known];
  else {
    try {
      ids =
        (await retryUntil(
          async () => {
            const found = await snapshotsByToken(o.ec2, token);
            return found.length ? found.map((f) => f.SnapshotId!) : undefined;
          },
          {
            deadline: deadlineIn(o.lookupSeconds ?? DEFAULT_LOOKUP_SECONDS),
            sleep,
            onError: (err) => o.logger.debug(`DescribeSnapshots: ${errorMessage(err)}; retrying`),
          },
        )) ?? [];
    } catch (err) {
      problems.push(
        `StartSnapshot was sent and not answered, and the snapshots tagged amibake:client-token=${token} could not be listed (${errorMessage(err)}): any is left`,
      );
      return { problems };
    }
  }
  for (const id of ids) {
    try {
      await retryUntil(() => deleteSnapshot(o.ec2, id), {
        deadline: deadlineIn(o.terminateSeconds ?? DEFAULT_DELETE_SECONDS),
        sleep,
        fatal: refusedByAws,
        onError: (err) => o.logger.debug(`DeleteSnapshot ${id}: ${errorMessage(err)}; retrying`),
      });
      o.logger.info(`deleted the unfinished snapshot ${id}`);
    } catch (err) {
      problems.push(`the snapshot ${id} of the interrupted upload is left: ${errorMessage(err)}`);
    }
  }
  return { problems };
}
