/**
 * The hand-off at the heart of the two-job design, with no mock: action-prepare uploads the
 * prepared files with the real @actions/artifact client to a local Actions results service (its
 * Twirp ArtifactService, blobs in Azurite), and action-build, in another job of the same run,
 * finds the artifact by name, downloads it and bakes from it against moto, the instance double
 * playing the instance. Both steps run in-process as the runner would start them.
 */
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DefaultArtifactClient } from '@actions/artifact';
import { run as prepare } from '../../src/fronts/action-prepare.js';
import { run as build } from '../../src/fronts/action-build.js';
import { parseUserdata } from '../support/instance-double.js';
import { useBake } from '../support/bake-harness.js';
import { startResultsService, type ResultsService } from '../support/results-service.js';
import { runInProcess, type RunResult } from '../support/runner.js';
import { noAwsCallCheck } from '../security/artifact-support.js';
import { makePrepared } from '../bake/fixture.js';
import { actionInputs, BUCKET, ec2For, instances, ownImages, tempDir } from '../bake/helpers.js';

jest.setTimeout(120_000);
const m = useBake({ beforeAll, afterAll, beforeEach, afterEach }, { gate: true });
const noAwsCall = noAwsCallCheck(m, m);
let results: ResultsService;
let prepared: { step: RunResult; target: string };

beforeAll(async () => {
  results = await startResultsService();
}, 60_000);
afterAll(async () => results?.stop());

/** The prepare job: examples/web-server, uploaded as the artifact `amibake` of this run. */
async function prepareJob(): Promise<{ step: RunResult; target: string }> {
  const target = join(tempDir(), 'prepared');
  const step = await runInProcess(prepare, {
    inputs: {
      source: resolve('examples/web-server'),
      target,
      'aws-region': 'us-east-1',
      'artifact-name': 'amibake',
    },
    env: results.jobEnv('prepare'),
  });
  expect({ code: step.code, stdout: step.stdout }).toMatchObject({ code: 0 });
  return { step, target };
}

/** The build job: no directory input, so the prepared files come from the artifact. */
const buildJob = (env: Record<string, string>, artifactName = 'amibake') =>
  runInProcess(build, {
    inputs: actionInputs(m.ids, '', {
      directory: undefined,
      'artifact-name': artifactName,
      // The action takes the bucket it writes to from its own inputs only.
      'build-s3-url': `s3://${BUCKET}/amibake/fs.tgz`,
    }),
    env: { ...m.gate.env, GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2', ...env },
  });

describe('the prepare artifact from one job to the next, through the real client', () => {
  test('prepare uploads, build downloads the same files and bakes from them', async () => {
    prepared = await prepareJob();
    const [stored] = results.artifacts().filter((a) => a.name === 'amibake');
    expect(stored).toMatchObject({ finalized: true, runId: results.runId });
    expect(prepared.step.outputs['artifact-id']).toBe(String(stored.id));
    expect(stored.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const double = m.play('succeed');
    const main = await buildJob(results.jobEnv('build'));
    expect({ code: main.code, stdout: main.stdout }).toMatchObject({ code: 0 });
    expect(results.calls).toEqual([
      'CreateArtifact',
      'FinalizeArtifact',
      'ListArtifacts', // getArtifact(name)
      'ListArtifacts', // downloadArtifact(id)
      'GetSignedArtifactURL',
    ]);

    // The build job holds exactly the files the prepare job wrote, byte for byte.
    const downloaded = /downloaded the artifact "amibake" to (.+)$/m.exec(main.stdout)![1];
    expect(downloaded).toMatch(new RegExp(`amibake-${stored.id}$`));
    const names = readdirSync(prepared.target).sort();
    expect(readdirSync(downloaded).sort()).toEqual(names);
    for (const f of names)
      expect(readFileSync(join(downloaded, f)).equals(readFileSync(join(prepared.target, f)))).toBe(true);

    // ... and the instance booted with that user data.
    const play = await double.played();
    const parts = parseUserdata(readFileSync(join(prepared.target, 'userdata.gz')));
    expect(play.parts).toEqual(expect.arrayContaining(parts));
    expect({ fsOk: play.fsOk, status: play.status }).toEqual({ fsOk: true, status: 0 });
    const [image] = await ownImages(ec2For(m.moto.endpoint));
    expect(main.outputs).toMatchObject({ 'ami-id': image.ImageId, 'ami-name': 'amibake-web-server-1.0.0' });
    const [inst] = await instances(ec2For(m.moto.endpoint));
    expect(inst.Tags!.find((t) => t.Key === 'amibake:run')?.Value).toBe('77-2');
  });

  test('an artifact that is not there, or is another run’s, is refused naming the input; nothing launched', async () => {
    prepared ??= await prepareJob();
    const missing = await buildJob(results.jobEnv('build'), 'other-name');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /^::error::input 'artifact-name': no artifact "other-name" in this workflow run/m,
    );

    // The same name in another workflow run: artifacts are scoped to their run.
    const foreign = await buildJob(results.jobEnv('build', 'another-run'));
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toMatch(
      /^::error::input 'artifact-name': no artifact "amibake" in this workflow run/m,
    );
    expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
  });

  test('an artifact whose blob was replaced in storage is refused before any AWS call', async () => {
    prepared ??= await prepareJob();
    // Another zip, made by the same client: the prepare's vars.env with other user data.
    const forged = tempDir();
    for (const f of readdirSync(prepared.target)) copyFileSync(join(prepared.target, f), join(forged, f));
    const backdoor = await makePrepared({ files: { 'etc/motd': 'a backdoor\n' } });
    writeFileSync(join(forged, 'userdata.gz'), backdoor.userdata);
    await runInProcess(
      async () => {
        const files = readdirSync(forged).map((f) => join(forged, f));
        await new DefaultArtifactClient().uploadArtifact('forged', files, forged);
      },
      { env: results.jobEnv('attacker') },
    );
    const zip = await results.blob('forged').downloadToBuffer();
    await results
      .blob('amibake')
      .uploadData(zip, { blobHTTPHeaders: { blobContentType: 'application/zip' } });

    const main = await noAwsCall(() => buildJob(results.jobEnv('build')));
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /^::error::.*userdata\.gz: sha256 [0-9a-f]{64} does not match USERDATA_SHA256 in .*vars\.env .*: the files do not come from the same prepare run/m,
    );
  });
});
