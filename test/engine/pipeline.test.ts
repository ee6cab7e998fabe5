/** The composition root: the phase list follows from the configuration, and a feature with
 *  nothing to do adds no phase. */
import { describe, expect, test } from '@jest/globals';
import { cliSource } from '../../src/core/options.js';
import { goldenConfig } from '../../src/pipeline/config.js';
import { readOptions } from '../../src/pipeline/options.js';
import { bakePhases } from '../../src/pipeline/phases.js';
import { REGISTRY } from '../../src/pipeline/registry.js';
import { LAUNCHING } from '../support/phases.js';

const required = {
  BUILDAMI_BASEAMI: 'ami-0123456789abcdef0',
  BUILDAMI_SECURITYGROUPS: 'sg-0123456789abcdef0',
  BUILDAMI_SUBNET: 'subnet-0123456789abcdef0',
};
const ids = (env: Record<string, string>) =>
  bakePhases(goldenConfig(readOptions('build', cliSource({ ...required, ...env })), 'us-east-1')).map(
    (p) => p.id,
  );

describe('the phases of a bake', () => {
  test('the plain bake: base image, preflight, the bake, then publishing', () => {
    expect(ids({})).toEqual(['golden-base', 'preflight', ...LAUNCHING, 'golden-publish']);
  });

  test('each feature adds its phase only when it has something to do', () => {
    const all = ids({ BUILDAMI_COPY_REGIONS: 'eu-west-1', BUILDAMI_KEEP_LAST: '3', BUILDAMI_SWEEP: 'true' });
    expect(all).toEqual([
      'golden-base',
      'golden-sweep',
      'preflight',
      'golden-copy-targets',
      ...LAUNCHING,
      'golden-publish',
      'golden-retention',
    ]);
  });

  test('a dry run launches nothing: no stage, launch, image or publishing phase', () => {
    expect(
      ids({ BUILDAMI_DRY_RUN: 'true', BUILDAMI_COPY_REGIONS: 'eu-west-1', BUILDAMI_KEEP_LAST: '2' }),
    ).toEqual(['golden-base', 'preflight', 'golden-dry-run']);
  });

  test('a disk artifact is uploaded and registered: no stage, launch, install, image or terminate', () => {
    const disk = (env: Record<string, string>) =>
      bakePhases(
        goldenConfig(readOptions('build', cliSource({ ...required, ...env })), 'us-east-1'),
        'disk',
      ).map((p) => p.id);
    expect(disk({})).toEqual(['disk-verify', 'disk-upload', 'disk-register', 'golden-publish']);
    expect(
      disk({ BUILDAMI_COPY_REGIONS: 'eu-west-1', BUILDAMI_KEEP_LAST: '3', BUILDAMI_SWEEP: 'true' }),
    ).toEqual([
      'golden-sweep',
      'disk-verify',
      'golden-copy-targets',
      'disk-upload',
      'disk-register',
      'golden-publish',
      'golden-retention',
    ]);
    // A dry run verifies the disk and the reuse, and uploads nothing.
    expect(disk({ BUILDAMI_DRY_RUN: 'true' })).toEqual(['disk-verify']);
  });

  test('the registry knows every phase that can recover, with the keys it saves', () => {
    const env = { BUILDAMI_COPY_REGIONS: 'eu-west-1', BUILDAMI_KEEP_LAST: '3', BUILDAMI_SWEEP: 'true' };
    // An artifact with a test, of both kinds: every phase that can recover is in the list.
    const g = goldenConfig(readOptions('build', cliSource({ ...required, ...env })), 'us-east-1', {
      hasTest: true,
    });
    const phases = [...bakePhases(g), ...bakePhases(g, 'disk')];
    const recoverable = phases.filter((p) => p.recover);
    expect([...new Set(recoverable.map((p) => p.id))].sort()).toEqual([...REGISTRY.keys()].sort());
    for (const p of recoverable) {
      const known = REGISTRY.get(p.id)!;
      // The same recovery and keys as the running phase (the post step has only these).
      expect(known.recover).toBe(p.recover);
      expect(known.state).toEqual(p.state);
      expect(p.state?.length).toBeGreaterThan(0);
    }
  });
});
