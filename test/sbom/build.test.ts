/**
 * The build's side of the package inventory against moto, with the instance double uploading it
 * through the presigned URL: a valid SBOM is saved, output and tagged; an oversize or malformed
 * one is refused with a warning and the bake still succeeds; without an S3 location it is skipped.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TAG } from '../../src/aws/tags.js';
import { named } from '../../src/core/errors.js';
import { cliSource } from '../../src/core/options.js';
import { BUILD_OUTPUTS } from '../../src/core/outputs.js';
import { MemoryState } from '../../src/engine/state.js';
import type { BakeResult } from '../../src/features/bake/context.js';
import { outputFileText } from '../../src/features/bake/report.js';
import { MAX_SBOM_BYTES } from '../../src/features/sbom/validate.js';
import { namesFor, readOptions, type BuildOptions } from '../../src/pipeline/options.js';
import { createBake } from '../../src/pipeline/session.js';
import { useBake } from '../support/bake-harness.js';
import { captureLogger } from '../support/logger.js';
import { makePrepared } from '../bake/fixture.js';
import { BUCKET, buildEnv, ec2For, objects, ownImages, tempDir } from '../bake/helpers.js';

jest.setTimeout(60_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach });
const S3URL = `s3://${BUCKET}/images/web-server/fs.tgz`;

/** An inventory as the guest writes it (CycloneDX 1.5, deb purls). */
function inventory(
  components = [
    ['bash', '5.2.15-2+b7'],
    ['cloud-init', '22.4.2-1'],
  ],
): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-12-02T01:00:00Z',
      component: { type: 'operating-system', name: 'debian', version: '12' },
    },
    components: components.map(([name, version]) => ({
      type: 'library',
      name,
      version,
      purl: `pkg:deb/debian/${name}@${version}?arch=amd64`,
    })),
  });
}

interface Run {
  result?: BakeResult;
  error?: Error;
  log: string;
}

/** A bake in this process with `workDir` where the fronts would put it. */
async function bake(
  s3Url: string | undefined,
  workDir: string,
  tweaks: Partial<BuildOptions> = {},
): Promise<Run> {
  const f = await makePrepared({ fsMode: 'inline', s3Url });
  const { logger, text } = captureLogger();
  const env = buildEnv(m.ids);
  try {
    // The core takes any positive wait; the options table only whole seconds.
    const opts = {
      ...readOptions('build', cliSource({ ...process.env, ...env })),
      waitInstance: 0.2,
      waitAmi: 0.2,
      ...tweaks,
    };
    const b = await createBake(
      opts,
      { userdata: f.userdataPath },
      {
        trustArtifactLocation: true,
        logger,
        state: new MemoryState(),
        env: { ...process.env, ...env },
        workDir,
      },
    );
    return { result: await b.run(), log: text() };
  } catch (error) {
    return { error: named(error as Error, namesFor('cli', 'build')), log: text() };
  }
}

async function amiTags(): Promise<Record<string, string>> {
  const [image] = await ownImages(ec2For(m.moto.endpoint));
  return Object.fromEntries(image.Tags!.map((t) => [t.Key!, t.Value!]));
}

describe('the package inventory read back by the build', () => {
  test('a valid SBOM: saved in the work folder, output `sbom`, the AMI tagged with its sha256', async () => {
    const body = inventory();
    m.play('succeed', { sbom: body });
    const work = tempDir();
    const r = await bake(S3URL, work);
    expect(r.error).toBeUndefined();
    expect((await m.double!.played()).sbomPut).toBe(200);
    // Staged beside the result and the log, named for the bake.
    expect((await objects(m.moto.endpoint)).filter((k) => k.endsWith('.sbom.json'))).toEqual([
      expect.stringMatching(/^images\/web-server\/amibake-[0-9a-f-]+\.sbom\.json$/),
    ]);

    const path = r.result!.report.outputs[BUILD_OUTPUTS.sbom.name];
    expect(dirname(dirname(path))).toBe(work);
    expect(path).toMatch(/web-server-1\.0\.0\.sbom\.json$/);
    const saved = readFileSync(path);
    expect(saved.toString()).toBe(body);
    const sha = createHash('sha256').update(saved).digest('hex');
    expect((await amiTags())[TAG.sbom]).toBe(sha);
    expect(outputFileText(r.result!)).toContain(`SBOM='${path}'`);
    expect(r.log).toContain('package inventory: 2 components');
    expect(r.result!.timings.map((t) => t.phase)).toEqual(
      expect.arrayContaining(['install', 'sbom', 'image']),
    );
  });

  test.each([
    ['not JSON', '{"bomFormat": "CycloneDX", ', /not UTF-8 JSON/],
    [
      'another format',
      JSON.stringify({ bomFormat: 'SPDX', specVersion: '1.5', components: [] }),
      /bomFormat/,
    ],
    ['specVersion 2', inventory().replace('"1.5"', '"2.0"'), /specVersion/],
    [
      'a component without a version',
      inventory().replace(',"version":"22.4.2-1"', ''),
      /component 1 has no string version/,
    ],
    [
      'components not a list',
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: {} }),
      /not a list/,
    ],
    ['a JSON list', '[]', /not a JSON object/],
  ])(
    'malformed (%s): refused with a warning, no output, no tag, the bake succeeds',
    async (_n, body, why) => {
      m.play('succeed', { sbom: body });
      const work = tempDir();
      const r = await bake(S3URL, work);
      expect(r.error).toBeUndefined();
      expect((await m.double!.played()).sbomPut).toBe(200);
      expect(r.log).toMatch(/warning.*package inventory is not a CycloneDX SBOM of the expected shape/);
      expect(r.log).toMatch(why);
      expect(r.result!.report.outputs[BUILD_OUTPUTS.sbom.name]).toBeUndefined();
      expect(await amiTags()).not.toHaveProperty([TAG.sbom]);
      expect(readdirSync(work)).toEqual([]);
    },
  );

  test('oversize: refused with a warning after reading at most the cap', async () => {
    // Valid JSON past the cap: only the size refuses it.
    const pad = ' '.repeat(MAX_SBOM_BYTES);
    m.play('succeed', { sbom: inventory().replace('{', `{${pad}`) });
    const r = await bake(S3URL, tempDir());
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(new RegExp(`warning.*larger than ${MAX_SBOM_BYTES} bytes: refused`));
    expect(r.result!.report.outputs[BUILD_OUTPUTS.sbom.name]).toBeUndefined();
    expect(await amiTags()).not.toHaveProperty([TAG.sbom]);
  });

  test('none uploaded: a warning, the bake succeeds', async () => {
    m.play('succeed');
    const r = await bake(S3URL, tempDir());
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/warning.*the instance uploaded no package inventory/);
    expect(r.result!.report.outputs[BUILD_OUTPUTS.sbom.name]).toBeUndefined();
  });

  test('no S3 location: no URL for the instance, the SBOM skipped', async () => {
    m.play('succeed', { sbom: inventory() });
    const work = tempDir();
    // No result object either: the instance double prints no console line, so the stop is trusted.
    const r = await bake(undefined, work, { allowNoResult: true });
    expect(r.error).toBeUndefined();
    const p = await m.double!.played();
    expect(p.stage).not.toHaveProperty(['AMIBAKE_SBOM_URL']);
    expect(p.sbomPut).toBeUndefined();
    expect(r.log).toContain('no presigned URL for the package inventory, SBOM skipped');
    expect(r.result!.report.outputs[BUILD_OUTPUTS.sbom.name]).toBeUndefined();
    expect(existsSync(work) && readdirSync(work)).toEqual([]);
  });
});
