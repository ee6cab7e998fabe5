/** The disk path's own state keys (the AMI's are the bake's: src/features/bake/state.ts). */
export const DISK_STATE = {
  /** StartSnapshot's ClientToken, saved before the call: also the snapshot's
   *  `amibake:client-token` tag, by which a snapshot whose id never came back is found. */
  snapshotToken: 'amibake_snapshot_token',
  snapshotId: 'amibake_snapshot_id',
} as const;
