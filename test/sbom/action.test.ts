/**
 * action-build hands the package inventory on as a workflow artifact of its own, through the real
 * @actions/artifact client and a local Actions results service (blobs in Azurite), against moto
 * with the instance double uploading the SBOM. In-process, as the runner would start the step.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DefaultArtifactClient } from '@actions/artifact';
import { run as build } from '../../src/fronts/action-build.js';
import { useBake } from '../support/bake-harness.js';
import { startResultsService, type ResultsService } from '../support/results-service.js';
import { runInProcess } from '../support/runner.js';
import { makePrepared } from '../bake/fixture.js';
import { actionInputs, BUCKET, tempDir } from '../bake/helpers.js';

jest.setTimeout(120_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
let results: ResultsService;

beforeAll(async () => {
  results = await startResultsService();
}, 60_000);
afterAll(async () => results?.stop());

const SBOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  components: [
    {
      type: 'library',
      name: 'cloud-init',
      version: '22.4.2-1',
      purl: 'pkg:deb/debian/cloud-init@22.4.2-1?arch=all',
    },
  ],
});

describe('action-build and the package inventory', () => {
  test('uploads the saved SBOM as the artifact <AMI name>-sbom, byte for byte; output and summary name it', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed', { sbom: SBOM });
    const main = await runInProcess(build, {
      inputs: actionInputs(m.ids, f.dir, { 'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz` }),
      env: { ...m.moto.env, ...results.jobEnv('build') },
    });
    expect({ code: main.code, stdout: main.stdout }).toMatchObject({ code: 0 });
    expect(main.stdout).not.toMatch(/::warning::/);
    // Saved under the step's RUNNER_TEMP, as the other files the action writes.
    const path = main.outputs.sbom;
    expect(path).toMatch(/amibake-runner-[^/]+\/amibake-sbom-[^/]+\/web-server-1\.0\.0\.sbom\.json$/);
    expect(readFileSync(path, 'utf8')).toBe(SBOM);
    expect(main.summary).toContain('Package inventory');

    const stored = results.artifacts().filter((a) => a.name === 'web-server-1.0.0-sbom');
    expect(stored).toEqual([expect.objectContaining({ finalized: true, runId: results.runId })]);
    // A later job of the run downloads exactly that file.
    const into = tempDir();
    const got = await runInProcess(
      async () => {
        const client = new DefaultArtifactClient();
        const { artifact } = await client.getArtifact('web-server-1.0.0-sbom');
        await client.downloadArtifact(artifact.id, { path: into });
      },
      { env: results.jobEnv('consumer') },
    );
    expect(got.code).toBe(0);
    expect(readdirSync(into)).toEqual(['web-server-1.0.0.sbom.json']);
    expect(readFileSync(join(into, 'web-server-1.0.0.sbom.json'), 'utf8')).toBe(SBOM);
  });

  test('no inventory: no sbom output, no artifact', async () => {
    const f = await makePrepared({ fsMode: 'inline' });
    m.play('succeed');
    const before = results.artifacts().length;
    const main = await runInProcess(build, {
      inputs: actionInputs(m.ids, f.dir, { 'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz` }),
      env: { ...m.moto.env, ...results.jobEnv('build') },
    });
    expect(main.code).toBe(0);
    expect(main.outputs.sbom).toBeUndefined();
    expect(main.stdout).toMatch(/^::warning::the instance uploaded no package inventory/m);
    expect(results.artifacts().length).toBe(before);
  });
});
