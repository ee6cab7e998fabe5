/** action-build with a disk artifact: the kind is found in the artifact, so the instance's inputs
 *  (base-ami, subnet, security-groups) are not required, and nothing is launched; an instance
 *  artifact still requires them, before any AWS call. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/fronts/action-build.js';
import { makePrepared } from '../bake/fixture.js';
import { useBake } from '../support/bake-harness.js';
import { makeDiskArtifact, makeRawDisk } from '../support/disk-artifact.js';
import { actionInputs, runInProcess } from '../support/runner.js';

jest.setTimeout(120_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { processEnv: true });
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'amibake-disk-action-'));
  makeRawDisk(join(work, 'disk.raw'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const noInstance = { 'base-ami': undefined, subnet: undefined, 'security-groups': undefined };

describe('action-build with a disk artifact', () => {
  it('registers the AMI without the instance inputs, and launches nothing', async () => {
    const a = await makeDiskArtifact(join(work, 'disk.raw'), { dir: join(work, 'disk') });
    const r = await runInProcess(run, { inputs: actionInputs(m.ids, a.dir, noInstance), defaults: true });
    expect({ code: r.code, stdout: r.stdout.split('\n').slice(-20).join('\n') }).toMatchObject({ code: 0 });
    expect(r.outputs['ami-id']).toMatch(/^ami-/);
    expect(r.outputs['instance-id']).toBe('');
    expect(m.gate.count('RunInstances')).toBe(0);
    expect(m.gate.count('RegisterImage')).toBe(1);
  });

  it('still requires them for an instance artifact, before any AWS call', async () => {
    const p = await makePrepared({ dir: join(work, 'instance') });
    const before = m.gate.calls.length;
    const r = await runInProcess(run, { inputs: actionInputs(m.ids, p.dir, noInstance), defaults: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/input 'base-ami': is required/);
    expect(r.stdout).toMatch(/input 'subnet': is required/);
    expect(m.gate.calls.slice(before)).toEqual([]);
  });
});
