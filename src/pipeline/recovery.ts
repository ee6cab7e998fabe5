/**
 * Recovery without a running bake: the action's post step (another process: the started phases
 * and their saved keys are read back, the phases looked up in the registry), and `cleanup`, which
 * recovers every phase of the registry from a given state (each does nothing without its keys).
 */
import type { Logger } from '../core/log.js';
import { clientsByRegion, createEc2 } from '../aws/clients.js';
import type { Sleep } from '../aws/retry.js';
import { recoverPhases, recoverSaved } from '../engine/recovery.js';
import type { Saved } from '../engine/phase.js';
import {
  emptyReport,
  leftoverMessage,
  type CleanupReport,
  type RecoverDeps,
} from '../features/bake/context.js';
import { STATE } from '../features/bake/state.js';
import { REGISTRY } from './registry.js';

export interface Budget {
  /** Wait until the instance is seen terminated. */
  wait: boolean;
  lookupSeconds?: number;
  terminateSeconds?: number;
  imageLookupSeconds?: number;
  waitSeconds?: number;
  delaySeconds?: number;
  /** Also deal with an AMI whose creation started but did not finish. */
  images?: boolean;
  sleep?: Sleep;
}

function depsFor(saved: Saved, logger: Logger, budget: Budget): RecoverDeps {
  const region = saved[STATE.region]!;
  const ec2 = createEc2(region);
  return {
    ec2,
    quick: createEc2(region, 2),
    clientFor: clientsByRegion({ region, ec2 }),
    logger,
    images: true,
    ...budget,
  };
}

/** The post step: recovers the phases main started, from the saved state (`get` is
 *  core.getState). Undefined when nothing was started that has anything to recover. */
export async function recoverPostStep(
  get: (key: string) => string | undefined,
  logger: Logger,
  budget: Budget,
): Promise<CleanupReport | undefined> {
  if (!get(STATE.region)) return undefined;
  const done = await recoverSaved({
    registry: REGISTRY,
    get,
    shared: [STATE.region],
    deps: (saved) => depsFor(saved, logger, budget),
    report: emptyReport,
  });
  return done?.report;
}

export interface CleanupOptions extends Budget {
  ec2: RecoverDeps['ec2'];
  quick: RecoverDeps['quick'];
  logger: Logger;
  /** The saved state, or a function reading it afresh before each phase. */
  state: Saved | (() => Saved);
}

/** Recovers everything a state names, whatever phases started: every phase of the registry, in
 *  the order recovery runs them (src/engine/recovery.ts); a phase without its keys does nothing. */
export function cleanup(o: CleanupOptions): Promise<CleanupReport> {
  const read = typeof o.state === 'function' ? o.state : () => o.state as Saved;
  const region = read()[STATE.region];
  return recoverPhases(
    [...REGISTRY.values()],
    read,
    {
      ...o,
      images: o.images ?? false,
      clientFor: clientsByRegion(region ? { region, ec2: o.ec2 } : undefined),
    },
    emptyReport(),
  );
}

export { leftoverMessage };
