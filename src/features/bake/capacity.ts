/**
 * Capacity fallback: RunInstances over ordered instance types and subnets. On a capacity refusal
 * (InsufficientInstanceCapacity, Unsupported: see CAPACITY_CODES) the next type in the same
 * subnet is tried, then every type in the next subnet; any other error ends the fallback at once
 * (an AccessDenied or a malformed request is not capacity). Each attempt has its own client token
 * (a token is bound to one request's parameters), saved in state before its call: an attempt whose
 * answer was lost may have launched an instance, and recovery looks up every saved token
 * (src/features/bake/instance-recovery.ts). The build's launch and the test phase's launch share it.
 */
import { RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { UserError, errorMessage, msg, opt, type Part } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { errorCode, refusedByAws } from '../../aws/errors.js';
import { isCapacityError, runInstancesInput, type LaunchSpec } from '../../aws/instances.js';
import { CancelledError } from '../../engine/engine.js';
import type { Saved } from '../../engine/phase.js';
import type { StateStore } from '../../engine/state.js';

/** The state keys of one launched instance (the build's, the test's). */
export interface LaunchKeys {
  /** Every attempt's client token, comma-separated in order, each saved before its call. */
  tokens: string;
  /** `started` before each call (and after an error that may have come after a launch),
   *  `returned` after the answer, `failed` when AWS refused every attempt. */
  launch: string;
  /** The instance id, once RunInstances answered. */
  id: string;
  /** Set once the instance is known to be terminated. */
  terminated: string;
  /** A key holding the first token alone, looked up too (the build's `amibake_client_token`,
   *  saved before the launch for the staging keys and the AMI's recovery). */
  token?: string;
}

export interface FallbackPlan {
  /** Instance types in order of preference (at least one). */
  types: string[];
  /** Subnets in order of preference; empty: one round without a subnet (the default VPC). */
  subnets: string[];
  /** The first attempt's client token; attempt n (n ≥ 2) uses `<token>-<n>` (attemptToken). */
  token: string;
  keys: LaunchKeys;
  /** How the log and errors call the instance ("the build instance"). */
  what: string;
  /** The options the exhausted-capacity error names (default: instanceType and subnet). */
  names?: { types: Part; subnets: Part };
}

/** What the launcher needs of a phase's context (a BakeContext has it all). */
export interface LaunchContext {
  deps: { ec2: EC2Client; state: StateStore; logger: Logger };
  signal: AbortSignal;
  track<T>(call: Promise<T>): Promise<T>;
}

/** The launch request without what the fallback chooses per attempt. */
export type LaunchRequest = Omit<LaunchSpec, 'instanceType' | 'subnet' | 'clientToken'>;

export interface Attempt {
  instanceType: string;
  subnet?: string;
  clientToken: string;
  /** The AWS error code of a refused attempt; absent for the one that launched. */
  code?: string;
}

export interface Launched {
  instanceId: string;
  instanceType: string;
  subnet?: string;
  clientToken: string;
  /** Every attempt in order, the launching one last. */
  attempts: Attempt[];
}

/** RunInstances client tokens are at most 64 ASCII characters. */
const TOKEN_MAX = 64;

/** The client token of attempt `n` (1-based): the first keeps `token` itself (the tag and the
 *  staging keys use it), the others get a suffix. */
export function attemptToken(token: string, n: number): string {
  if (n === 1) return token.slice(0, TOKEN_MAX);
  const suffix = `-${n}`;
  return `${token.slice(0, TOKEN_MAX - suffix.length)}${suffix}`;
}

/** The client tokens saved under `keys` (every attempt made or about to be made). */
export function savedTokens(st: Saved, keys: Pick<LaunchKeys, 'tokens' | 'token'>): string[] {
  const tokens = (st[keys.tokens] ?? '').split(',').filter(Boolean);
  const first = keys.token ? st[keys.token] : undefined;
  return [...new Set(first ? [first, ...tokens] : tokens)];
}

const where = (a: Pick<Attempt, 'instanceType' | 'subnet'>) =>
  `${a.instanceType} in ${a.subnet ?? 'the default subnet'}`;

/**
 * Launches one instance of `request`, trying the plan's types in the first subnet, then in the
 * next subnet, and so on, while AWS answers with a capacity error. Saves `keys.tokens` (all
 * tokens so far) and `keys.launch` before each call, `keys.id` after the answer.
 */
export async function launchWithFallback(
  ctx: LaunchContext,
  request: LaunchRequest,
  plan: FallbackPlan,
): Promise<Launched> {
  const { ec2, state, logger } = ctx.deps;
  const { keys } = plan;
  if (!plan.types.length) throw new Error(`no instance type to launch ${plan.what} with`);
  const subnets: (string | undefined)[] = plan.subnets.length ? plan.subnets : [undefined];
  const order = subnets.flatMap((subnet) => plan.types.map((instanceType) => ({ instanceType, subnet })));
  const attempts: Attempt[] = [];
  const tokens: string[] = [];
  for (const [i, choice] of order.entries()) {
    if (ctx.signal.aborted) throw new CancelledError('the bake was cancelled');
    const attempt: Attempt = { ...choice, clientToken: attemptToken(plan.token, i + 1) };
    attempts.push(attempt);
    tokens.push(attempt.clientToken);
    // Before the call: whoever recovers must know this token even if the answer never comes.
    state.save(keys.tokens, tokens.join(','));
    state.save(keys.launch, 'started');
    const input = runInstancesInput({ ...request, ...choice, clientToken: attempt.clientToken });
    let id: string | undefined;
    try {
      id = (await ctx.track(ec2.send(new RunInstancesCommand(input)))).Instances?.[0]?.InstanceId;
    } catch (err) {
      const next = order[i + 1];
      if (isCapacityError(err)) {
        // A capacity refusal launched nothing (an SDK retry with the same token would have
        // answered with the instance): until the next call, recovery has nothing to look for.
        attempt.code = errorCode(err);
        state.save(keys.launch, 'failed');
        if (next) {
          logger.warn(
            `RunInstances ${where(attempt)}: ${attempt.code} (${errorMessage(err)}); trying ${where(next)}`,
          );
          continue;
        }
        // Every choice refused for capacity: nothing was launched by any attempt.
        const names = plan.names ?? { types: opt('instanceType'), subnets: opt('subnet') };
        throw new UserError(
          msg`no capacity for ${plan.what}: ${attempts.map((a) => `${where(a)} (${a.code})`).join(', ')}; nothing was launched. List more instance types (${names.types}) or subnets in other availability zones (${names.subnets}), or try again later`,
        );
      }
      // Only a refusal means nothing was launched; after a 5xx, throttling or a lost answer the
      // instance may exist, and recovery looks for it by its token for a while ('started').
      if (refusedByAws(err)) state.save(keys.launch, 'failed');
      throw new UserError(`RunInstances (${where(attempt)}): ${errorMessage(err)}`);
    }
    if (!id) throw new Error('RunInstances returned no instance');
    state.save(keys.id, id);
    state.save(keys.launch, 'returned');
    return { instanceId: id, ...choice, clientToken: attempt.clientToken, attempts };
  }
  throw new Error('unreachable: the fallback plan has no attempt');
}
