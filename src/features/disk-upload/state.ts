/** The disk path's own state keys (the AMI's are the bake's: src/features/bake/state.ts). */
export const DISK_STATE = {
  /** StartSnapshot's ClientToken, saved before the call: also the snapshot's
   *  `amibake:client-token` tag, by which a snapshot whose id never came back is found. */
  snapshotToken: 'amibake_snapshot_token',
  snapshotId: 'amibake_snapshot_id',
  /** The AMI's `amibake:client-token` tag, saved before RegisterImage: an AMI of the saved name
   *  is this bake's only with it (the launch's token is never saved on the disk path). */
  registerToken: 'amibake_register_token',
} as const;
