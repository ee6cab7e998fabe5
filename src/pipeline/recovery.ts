/**
 * Recovery without a running bake: the action's post step, another process. The started phases
 * and their saved keys are read back, and the phases looked up in the registry.
 */
import type { Logger } from '../core/log.js';
import { clientsByRegion, createEc2 } from '../aws/clients.js';
import { recoverSaved } from '../engine/recovery.js';
import type { Saved } from '../engine/phase.js';
import {
  emptyReport,
  type CleanupReport,
  type RecoverDeps,
  type RecoveryBudget,
} from '../features/bake/context.js';
import { STATE } from '../features/bake/state.js';
import { REGISTRY } from './registry.js';

/** The post step's and the tests' budget: see RecoveryBudget. */
export type Budget = RecoveryBudget;

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
