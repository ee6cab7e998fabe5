/**
 * Recovery of everything a saved state names, whatever phases started: every phase of the
 * registry, in the order recovery runs them (src/engine/recovery.ts); a phase without its keys does
 * nothing. Tests use it to recover a state they wrote by hand (the post step recovers only the
 * started phases: src/pipeline/recovery.ts).
 */
import type { Logger } from '../../src/core/log.js';
import { clientsByRegion } from '../../src/aws/clients.js';
import { recoverPhases } from '../../src/engine/recovery.js';
import type { Saved } from '../../src/engine/phase.js';
import { emptyReport, type CleanupReport, type RecoverDeps } from '../../src/features/bake/context.js';
import { STATE } from '../../src/features/bake/state.js';
import type { Budget } from '../../src/pipeline/recovery.js';
import { REGISTRY } from '../../src/pipeline/registry.js';

export interface CleanupOptions extends Budget {
  ec2: RecoverDeps['ec2'];
  quick: RecoverDeps['quick'];
  logger: Logger;
  /** The saved state, or a function reading it afresh before each phase. */
  state: Saved | (() => Saved);
}

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
