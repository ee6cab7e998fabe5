import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CopyImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../src/core/errors.js';
import { copyToRegions, planCopies, type CopyInput, type CopyState } from '../../src/features/copy/copy.js';
import { parseCopyState, recoverCopies, serializeCopyState } from '../../src/features/copy/recovery.js';
import { TAG } from '../../src/aws/tags.js';
import { makeImage, recordingLogger } from './helpers.js';
import { useMoto } from '../support/moto.js';

const tags = (digest: string): Tag[] => [
  { Key: 'team', Value: 'platform' },
  { Key: TAG.family, Value: 'web' },
  { Key: TAG.version, Value: '1' },
  { Key: TAG.digest, Value: digest },
  { Key: TAG.baseAmi, Value: 'ami-0123456789abcdef0' },
];
const tagMap = (t?: Tag[]) => Object.fromEntries((t ?? []).map((x) => [x.Key, x.Value]));

describe('planning copies', () => {
  const names = { regions: 'BUILDAMI_COPY_REGIONS', kmsKeys: 'BUILDAMI_COPY_KMS_KEYS' };
  it('drops the build region and duplicates, and gives each region its key', () => {
    expect(
      planCopies({
        sourceRegion: 'us-east-1',
        regions: ['eu-west-1', 'us-east-1', 'ap-northeast-1', 'eu-west-1'],
        encrypt: false,
        kmsKeys: { 'ap-northeast-1': 'alias/tokyo' },
        names,
      }),
    ).toEqual([
      { region: 'eu-west-1', encrypted: false },
      { region: 'ap-northeast-1', encrypted: true, kmsKeyId: 'alias/tokyo' },
    ]);
    expect(
      planCopies({ sourceRegion: 'us-east-1', regions: ['eu-west-1'], encrypt: true, kmsKeys: {}, names }),
    ).toEqual([{ region: 'eu-west-1', encrypted: true }]);
  });

  it('refuses a key for a region that gets no copy', () => {
    expect(() =>
      planCopies({
        sourceRegion: 'us-east-1',
        regions: ['eu-west-1'],
        encrypt: true,
        kmsKeys: { 'us-west-2': 'alias/x' },
        names,
      }),
    ).toThrow('BUILDAMI_COPY_KMS_KEYS: us-west-2 is not among BUILDAMI_COPY_REGIONS (eu-west-1)');
  });
});

describe('copies against moto', () => {
  const m = useMoto({ beforeAll, afterAll });
  let source: string;
  const clientFor = (r: string) => m.moto.ec2(r);
  const input = (over: Partial<CopyInput> = {}): CopyInput => ({
    clientFor,
    sourceRegion: 'us-east-1',
    sourceImageId: source,
    name: 'web-1',
    description: 'web 1',
    digest: 'sha256:one',
    copies: [
      { region: 'eu-west-1', encrypted: false },
      { region: 'ap-northeast-1', encrypted: false },
    ],
    tags: tags('sha256:one'),
    token: 'run-42-1',
    timeoutSeconds: 30,
    pollSeconds: 1,
    log: recordingLogger(),
    ...over,
  });

  beforeEach(async () => {
    await m.moto.reset();
    source = (await makeImage(m.moto.ec2('us-east-1'), 'web-1')).imageId;
  });

  async function imagesNamed(region: string, name: string): Promise<Image[]> {
    const out = await m.moto
      .ec2(region)
      .send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    return out.Images ?? [];
  }

  it('copies to every region, tags each copy and its snapshots, and journals each step', async () => {
    const states: CopyState[] = [];
    const out = await copyToRegions(input({ journal: (s) => states.push(s) }));
    expect(Object.keys(out).sort()).toEqual(['ap-northeast-1', 'eu-west-1']);
    for (const region of ['eu-west-1', 'ap-northeast-1']) {
      const [copy] = await imagesNamed(region, 'web-1');
      expect(copy.ImageId).toBe(out[region].imageId);
      expect(tagMap(copy.Tags)).toEqual(tagMap(tags('sha256:one')));
      const snaps = copy.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
      expect(out[region].snapshots).toEqual(snaps);
      const desc = await m.moto.ec2(region).send(new DescribeSnapshotsCommand({ SnapshotIds: snaps }));
      for (const s of desc.Snapshots!) expect(tagMap(s.Tags)).toEqual(tagMap(tags('sha256:one')));
    }
    // Saved before the calls (requested, no id), then with ids, then done.
    expect(states[0].copies.map((c) => [c.region, c.status, c.imageId])).toEqual([
      ['eu-west-1', 'requested', undefined],
      ['ap-northeast-1', 'requested', undefined],
    ]);
    const last = states[states.length - 1];
    expect(last.copies.map((c) => c.status)).toEqual(['tagged', 'tagged']);
    expect(last.copies.map((c) => c.imageId)).toEqual([
      out['eu-west-1'].imageId,
      out['ap-northeast-1'].imageId,
    ]);
    expect(new Set(last.copies.map((c) => c.clientToken)).size).toBe(2);
    expect(parseCopyState(serializeCopyState(last))).toEqual(last);
  });

  it('a re-run of the same bake reuses its copies instead of copying again', async () => {
    const first = await copyToRegions(input());
    const log = recordingLogger();
    const again = await copyToRegions(input({ log }));
    expect(again['eu-west-1']).toMatchObject({ imageId: first['eu-west-1'].imageId, reused: true });
    expect(await imagesNamed('eu-west-1', 'web-1')).toHaveLength(1);
    expect(log.text()).toMatch(/eu-west-1: ami-\w+ is this bake's copy already, reusing it/);
  });

  it('an AMI of that name from another bake stops everything before any copy', async () => {
    await copyToRegions(input({ copies: [{ region: 'eu-west-1', encrypted: false }] }));
    const err = await copyToRegions(input({ digest: 'sha256:two', tags: tags('sha256:two') })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(
      /eu-west-1 already has ami-\w+ named "web-1" \(available, digest sha256:one\)/,
    );
    expect(await imagesNamed('ap-northeast-1', 'web-1')).toHaveLength(0);
  });

  it('recovery finishes tagging an available copy the bake never tagged, found by id or by name', async () => {
    const eu = m.moto.ec2('eu-west-1');
    const ap = m.moto.ec2('ap-northeast-1');
    const a = await eu.send(
      new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'web-1' }),
    );
    await ap.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'web-1' }));
    const state: CopyState = {
      sourceRegion: 'us-east-1',
      sourceImageId: source,
      tags: tags('sha256:one'),
      copies: [
        { region: 'eu-west-1', name: 'web-1', clientToken: 't-0', imageId: a.ImageId, status: 'requested' },
        // Interrupted between CopyImage and its answer: no id saved.
        { region: 'ap-northeast-1', name: 'web-1', clientToken: 't-1', status: 'requested' },
        // Never started.
        { region: 'us-west-2', name: 'web-1', clientToken: 't-2', status: 'requested' },
        // Finished: left alone.
        {
          region: 'sa-east-1',
          name: 'web-1',
          clientToken: 't-3',
          imageId: 'ami-0000000000000beef',
          status: 'tagged',
        },
      ],
    };
    const log = recordingLogger();
    const reports = await recoverCopies(state, clientFor, log);
    expect(reports.map((r) => [r.region, r.action])).toEqual([
      ['eu-west-1', 'tagged'],
      ['ap-northeast-1', 'tagged'],
      ['us-west-2', 'absent'],
    ]);
    for (const region of ['eu-west-1', 'ap-northeast-1']) {
      const [copy] = await imagesNamed(region, 'web-1');
      expect(tagMap(copy.Tags)[TAG.digest]).toBe('sha256:one');
      const snaps = await m.moto
        .ec2(region)
        .send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.BlockDeviceMappings![0].Ebs!.SnapshotId!] }));
      expect(tagMap(snaps.Snapshots![0].Tags)[TAG.family]).toBe('web');
    }
    expect(log.warnings).toEqual([]);
  });
});

/** The saved state of one copy to eu-west-1 that was requested and not seen finished. */
const requestedCopy = (sourceImageId: string): CopyState => ({
  sourceRegion: 'us-east-1',
  sourceImageId,
  tags: [],
  copies: [
    {
      region: 'eu-west-1',
      name: 'web-1',
      clientToken: 't',
      imageId: 'ami-0000000000000c0de',
      status: 'requested',
    },
  ],
});

describe('copies that do not finish (moto copies instantly, so mocked)', () => {
  const pending = (id: string): Image => ({
    ImageId: id,
    Name: 'web-1',
    State: 'pending',
    BlockDeviceMappings: [],
  });

  function setup(state: 'pending' | 'failed') {
    const mock = mockClient(EC2Client);
    mock.on(DescribeImagesCommand, { Owners: ['self'] }).resolves({ Images: [] });
    mock.on(CopyImageCommand).resolves({ ImageId: 'ami-0000000000000c0de' });
    mock.on(CreateTagsCommand).resolves({});
    mock.on(DescribeImagesCommand, { ImageIds: ['ami-0000000000000c0de'] }).resolves({
      Images: [
        {
          ...pending('ami-0000000000000c0de'),
          State: state,
          StateReason:
            state === 'failed' ? { Code: 'Client.Error', Message: 'snapshot copy failed' } : undefined,
        },
      ],
    });
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-00000000000000001' }] });
    mock.on(DeregisterImageCommand).resolves({});
    mock.on(DeleteSnapshotCommand).resolves({});
    return mock;
  }
  const base = (over: Partial<CopyInput>): CopyInput => ({
    clientFor: () => new EC2Client({ region: 'eu-west-1' }),
    sourceRegion: 'us-east-1',
    sourceImageId: 'ami-00000000000000005',
    name: 'web-1',
    digest: 'd',
    copies: [{ region: 'eu-west-1', encrypted: true, kmsKeyId: 'alias/eu' }],
    tags: [{ Key: TAG.family, Value: 'web' }],
    token: 'tok',
    timeoutSeconds: 2,
    pollSeconds: 1,
    log: recordingLogger(),
    ...over,
  });

  it('asks for an encrypted copy with the region’s key, tags in the request and at once', async () => {
    const mock = setup('failed');
    await copyToRegions(base({})).catch(() => undefined);
    expect(mock.commandCalls(CopyImageCommand)[0].args[0].input).toMatchObject({
      SourceImageId: 'ami-00000000000000005',
      SourceRegion: 'us-east-1',
      Name: 'web-1',
      Encrypted: true,
      KmsKeyId: 'alias/eu',
      ClientToken: 'tok-0',
      CopyImageTags: false,
      TagSpecifications: [
        { ResourceType: 'image', Tags: [{ Key: TAG.family, Value: 'web' }] },
        { ResourceType: 'snapshot', Tags: [{ Key: TAG.family, Value: 'web' }] },
      ],
    });
    expect(mock.commandCalls(CreateTagsCommand)[0].args[0].input.Resources).toEqual([
      'ami-0000000000000c0de',
    ]);
    mock.restore();
  });

  it('a failed copy is deregistered with its snapshots and fails with its reason', async () => {
    const mock = setup('failed');
    const states: CopyState[] = [];
    const err = await copyToRegions(base({ journal: (s) => states.push(s) })).catch((e) => e);
    expect(err.message).toBe('copy failed in eu-west-1: ami-0000000000000c0de failed: snapshot copy failed');
    expect(mock.commandCalls(DeregisterImageCommand)[0].args[0].input.ImageId).toBe('ami-0000000000000c0de');
    expect(mock.commandCalls(DeleteSnapshotCommand)[0].args[0].input.SnapshotId).toBe(
      'snap-00000000000000001',
    );
    expect(states[states.length - 1].copies[0].status).toBe('removed');
    mock.restore();
  });

  it('a copy still pending at the timeout is removed too', async () => {
    const mock = setup('pending');
    const err = await copyToRegions(base({})).catch((e) => e);
    expect(err.message).toMatch(/eu-west-1: ami-0000000000000c0de still pending after 2 s/);
    expect(mock.commandCalls(DeregisterImageCommand)).toHaveLength(1);
    mock.restore();
  }, 15_000);

  it('recovery removes a copy that is still pending, with the snapshots it does not list yet', async () => {
    const mock = setup('pending');
    const log = recordingLogger();
    const state = requestedCopy('ami-00000000000000005');
    const [report] = await recoverCopies(state, () => new EC2Client({ region: 'eu-west-1' }), log);
    expect(report).toMatchObject({ action: 'removed', imageId: 'ami-0000000000000c0de' });
    expect(report.detail).toMatch(/removed pending copy ami-0000000000000c0de and snap-00000000000000001/);
    expect(mock.commandCalls(DescribeSnapshotsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'description', Values: ['*ami-0000000000000c0de*'] },
    ]);
    expect(mock.commandCalls(DeleteSnapshotCommand)).toHaveLength(1);
    mock.restore();
  });

  it('recovery only warns when AWS refuses', async () => {
    const mock = mockClient(EC2Client);
    mock
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));
    const log = recordingLogger();
    const state = requestedCopy('ami-1');
    const [report] = await recoverCopies(
      state,
      () => new EC2Client({ region: 'eu-west-1', maxAttempts: 1 }),
      log,
    );
    expect(report.action).toBe('kept');
    expect(log.warnings).toEqual([
      'copy to eu-west-1: recovery failed: Rate exceeded; ami-0000000000000c0de may be left in eu-west-1',
    ]);
    expect(report.imageId).toBe('ami-0000000000000c0de');
    mock.restore();
  });
});
