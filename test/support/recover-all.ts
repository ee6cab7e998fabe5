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
import { STARTED_KEY, startedPhases } from '../../src/engine/state.js';
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
  // A state saved by a bake names the phases it started: only those recover, as in the post step
  // (an instance bake's and a disk upload's image phases keep the AMI under the same keys, and a
  // state written by hand for one must not be read by the other's recovery).
  const started = read()[STARTED_KEY] ? new Set(startedPhases(read())) : undefined;
  return recoverPhases(
    [...REGISTRY.values()].filter((p) => !started || started.has(p.id)),
    read,
    {
      ...o,
      images: o.images ?? false,
      clientFor: clientsByRegion(region ? { region, ec2: o.ec2 } : undefined),
    },
    emptyReport(),
  );
}
