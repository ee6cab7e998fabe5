/** action-build with a disk artifact: the kind is found in the artifact, so the instance's inputs
 *  (base-ami, subnet, security-groups) are not required, and nothing is launched; an instance
 *  artifact still requires them, before any AWS call. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparedDigest } from '../../src/core/digest.js';
import { formatEnv, parseEnv } from '../../src/core/envfile.js';
import { run } from '../../src/fronts/action-build.js';
import { testUserdata } from '../test-phase/helpers.js';
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

  it('with a test (userdata-test.gz) requires subnet and security-groups for its instance, unless test is false', async () => {
    const a = await makeDiskArtifact(join(work, 'disk.raw'), { dir: join(work, 'disk-test') });
    // What prepare --disk writes for a source with script/test.sh: the file, its sum, the digest.
    const test = testUserdata();
    writeFileSync(join(a.dir, 'userdata-test.gz'), test);
    const varsPath = join(a.dir, 'vars.env');
    const { PREPARED_DIGEST: _claimed, ...vars } = parseEnv(readFileSync(varsPath, 'utf8'), varsPath);
    void _claimed;
    vars.TEST_USERDATA_SHA256 = createHash('sha256').update(test).digest('hex');
    const digest = preparedDigest({
      userdataSha256: vars.USERDATA_SHA256,
      fsMode: vars.FS_MODE as 'inline',
      testUserdataSha256: vars.TEST_USERDATA_SHA256,
    });
    writeFileSync(varsPath, formatEnv({ ...vars, PREPARED_DIGEST: digest }));

    const before = m.gate.calls.length;
    const r = await runInProcess(run, { inputs: actionInputs(m.ids, a.dir, noInstance), defaults: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/input 'subnet': is required: the artifact has a test \(userdata-test\.gz\)/);
    expect(r.stdout).toMatch(/input 'security-groups': is required: the artifact has a test/);
    expect(r.stdout).not.toMatch(/input 'base-ami'/);
    expect(m.gate.calls.slice(before)).toEqual([]);
    expect(m.gate.count('RunInstances')).toBe(0);

    // test: false: no test instance, so nothing more is required (and the disk is registered).
    const off = await runInProcess(run, {
      inputs: actionInputs(m.ids, a.dir, { ...noInstance, test: 'false' }),
      defaults: true,
    });
    expect({ code: off.code, stdout: off.stdout.split('\n').slice(-20).join('\n') }).toMatchObject({
      code: 0,
    });
    expect(off.outputs['test-status']).toBe('skipped');
    expect(m.gate.count('RunInstances')).toBe(0);
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
