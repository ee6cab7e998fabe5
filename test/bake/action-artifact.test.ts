/**
 * action-build's default source: the prepare job's artifact, by name, from the same run. The
 * artifact service is GitHub's, so @actions/artifact is mocked; the bake runs in-process against
 * moto with the instance double.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { useMoto } from '../support/moto.js';
import { inputVar, parseFileCommands } from '../support/runner.js';
import { makePrepared, type Fixture } from './fixture.js';
import { BUCKET, ec2For, instances, motoIds, ownImages, tempDir, type MotoIds } from './helpers.js';

jest.setTimeout(60_000);

let artifactDir = '';
const getArtifact = jest.fn(async (name: string) => {
  if (name !== 'amibake') throw new Error(`Artifact not found for name: ${name}`);
  return { artifact: { id: 4242, name, size: 1 } };
});
const downloadArtifact = jest.fn(async (id: number, options?: { path?: string }) => {
  mkdirSync(options!.path!, { recursive: true });
  for (const f of readdirSync(artifactDir)) copyFileSync(join(artifactDir, f), join(options!.path!, f));
  return { downloadPath: options!.path };
});
jest.unstable_mockModule('@actions/artifact', () => ({
  DefaultArtifactClient: class {
    getArtifact = getArtifact;
    downloadArtifact = downloadArtifact;
  },
}));
const { run } = await import('../../src/fronts/action-build.js');

const m = useMoto({ beforeAll, afterAll });
let ids: MotoIds;
let double: InstanceDouble | undefined;
let files: Record<string, string>;
let saved: NodeJS.ProcessEnv;

beforeEach(async () => {
  await m.moto.reset();
  ids = await motoIds(m.moto.endpoint);
  saved = { ...process.env };
  const dir = tempDir();
  files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  Object.assign(process.env, files, { RUNNER_TEMP: dir, GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' });
  const inputs: Record<string, string> = {
    'base-ami': ids.baseAmi,
    subnet: ids.subnet,
    'security-groups': ids.securityGroup,
    'wait-instance': '1',
    'wait-ami': '1',
    // The action takes the bucket it writes to from its own inputs only.
    'build-s3-url': `s3://${BUCKET}/a/fs.tgz`,
  };
  for (const [k, v] of Object.entries(inputs)) process.env[inputVar(k)] = v;
}, 30_000);
afterEach(async () => {
  process.env = saved;
  process.exitCode = undefined;
  await double?.stop();
  double = undefined;
});

async function artifact(): Promise<Fixture> {
  const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${BUCKET}/a/fs.tgz` });
  artifactDir = f.dir;
  return f;
}

describe('action-build with the prepare artifact', () => {
  test('downloads the artifact by name from this run and bakes from it', async () => {
    await artifact();
    double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'succeed' });
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(getArtifact).toHaveBeenCalledWith('amibake');
    expect(downloadArtifact.mock.calls[0][0]).toBe(4242);
    expect(downloadArtifact.mock.calls[0][1]!.path).toBe(join(process.env.RUNNER_TEMP!, 'amibake-4242'));
    const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    const [image] = await ownImages(ec2For(m.moto.endpoint));
    expect(outputs['ami-id']).toBe(image.ImageId);
    const [inst] = await instances(ec2For(m.moto.endpoint));
    expect(inst.Tags!.find((t) => t.Key === 'amibake:run')?.Value).toBe('77-2');
    expect((await double.played()).fsOk).toBe(true);
  });

  test('an artifact that is not there names the input, nothing launched', async () => {
    await artifact();
    process.env[inputVar('artifact-name')] = 'other-name';
    await run();
    expect(process.exitCode).toBe(1);
    expect(getArtifact).toHaveBeenLastCalledWith('other-name');
    expect(await instances(ec2For(m.moto.endpoint))).toEqual([]);
  });
});
