/** The bake's state keys (src/engine/state.ts): saved before each risky call, read back by
 *  recovery. Values are strings; absent means "not started". */
export const STATE = {
  /** The build region: the post step's clients are made for it (saved by the pipeline). */
  region: 'amibake_region',
  /** RunInstances ClientToken, also the `amibake:client-token` tag of the instance. */
  clientToken: 'amibake_client_token',
  /** Every RunInstances attempt's client token, comma-separated (the first is clientToken, the
   *  others the capacity fallback's: ./capacity.ts), each saved before its call. */
  clientTokens: 'amibake_client_tokens',
  /** `started` before RunInstances (and after an error that may have come after the launch),
   *  `returned` after its answer, `failed` after AWS refused it (nothing was launched). */
  launch: 'amibake_launch',
  instanceId: 'amibake_instance_id',
  /** Set once the instance is known to be terminated. */
  terminated: 'amibake_terminated',
  /** Saved before CreateImage, so an interrupted creation can be found by name; emptied when AWS
   *  refused the call (no AMI was made). */
  imageName: 'amibake_image_name',
  imageId: 'amibake_image_id',
  /** Set once the AMI is available and fully tagged: it is the bake's result, never cleaned up. */
  imageDone: 'amibake_image_done',
} as const;

/** The instance's keys: the launch phase saves them, terminate and recovery read them. */
export const INSTANCE_STATE = [
  STATE.clientToken,
  STATE.clientTokens,
  STATE.launch,
  STATE.instanceId,
  STATE.terminated,
] as const;
/** The AMI's keys; its recovery also reads the client token (an AMI of that name is ours only with it). */
export const IMAGE_STATE = [STATE.imageName, STATE.imageId, STATE.imageDone, STATE.clientToken] as const;
