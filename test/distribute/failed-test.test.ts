/**
 * Defence in depth: the copy/share and publish phases refuse an AMI tagged amibake:test=failed
 * even when nothing before them did (reuse refuses it first in a real bake), before any AWS call.
 */
import { describe, expect, test } from '@jest/globals';
import type { Image } from '@aws-sdk/client-ec2';
import { TAG } from '../../src/aws/tags.js';
import type { BakeContext } from '../../src/features/bake/context.js';
import { publishPhase } from '../../src/features/copy/publish.js';
import { distributePhase } from '../../src/features/distribute/phase.js';

const image = (verdict?: string): Image => ({
  ImageId: 'ami-0123456789abcdef0',
  State: 'available',
  Tags: verdict ? [{ Key: TAG.test, Value: verdict }] : [],
});

// Any AWS call throws: the refusal must come first.
const noAws = new Proxy({}, { get: () => () => Promise.reject(new Error('an AWS call was made')) });
const ctxWith = (img: Image) =>
  ({
    cfg: { region: 'us-east-1', amiName: 'web-server-1.0.0' },
    deps: { ec2: noAws, logger: { info() {}, warn() {}, group: (_: string, f: () => unknown) => f() } },
    reused: img,
    amis: { 'us-east-1': img.ImageId },
    report: { outputs: {}, fileVars: {}, summary: [] },
    span() {},
  }) as unknown as BakeContext;

describe('an AMI that failed its test', () => {
  test('is not copied or shared', async () => {
    const phase = publishPhase({
      copies: [{ region: 'eu-west-1' }] as never,
      settings: {} as never,
      timeoutCopy: 60,
    });
    await expect(phase.run(ctxWith(image('failed')))).rejects.toThrow(
      /ami-0123456789abcdef0 \(web-server-1\.0\.0\) of an earlier bake failed its test \(amibake:test=failed\) and is never copied or shared/,
    );
  });

  test('is not published', async () => {
    const phase = distributePhase({ ssm: ['/golden/web'] });
    await expect(phase.run(ctxWith(image('failed')))).rejects.toThrow(/never published: deregister it/);
  });
});
