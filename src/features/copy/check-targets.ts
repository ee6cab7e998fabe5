/**
 * Check copy regions: after the preflight (the digest is known), before anything is launched, an
 * AMI of the same name from another bake in a copy region would fail the copy only after the
 * whole bake. A reused bake skips this (nothing is launched; the copy checks again).
 */
import type { BakePhase } from '../bake/context.js';
import { checkCopyTargets, type PlannedCopy } from './copy.js';

export function copyTargetsPhase(copies: PlannedCopy[]): BakePhase {
  return {
    id: 'golden-copy-targets',
    title: 'Check copy regions',
    async run(ctx) {
      await checkCopyTargets({ clientFor: ctx.clientFor, copies, name: ctx.cfg.amiName, digest: ctx.digest });
    },
  };
}
