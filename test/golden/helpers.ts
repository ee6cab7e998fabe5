/** Test helpers: a source AMI in moto (and the shared logger double). */
import { jest } from '@jest/globals';
import { CreateImageCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { OptionError } from '../../src/core/errors.js';
import type { Front } from '../../src/core/options.js';
import { namesFor } from '../../src/pipeline/options.js';
import { BASE_AMI } from '../bake/helpers.js';

// A fresh moto region loads hundreds of default AMIs on first use: slow on a busy machine.
jest.setTimeout(30_000);

export { BASE_AMI };
export { recordingLogger, type RecordingLogger } from '../support/logger.js';

/** An instance and an AMI made from it, as the build would leave them. */
export async function makeImage(
  ec2: EC2Client,
  name: string,
): Promise<{ imageId: string; instanceId: string }> {
  const run = await ec2.send(new RunInstancesCommand({ ImageId: BASE_AMI, MinCount: 1, MaxCount: 1 }));
  const instanceId = run.Instances![0].InstanceId!;
  const img = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: name }));
  return { imageId: img.ImageId!, instanceId };
}

/** The problems an option check reports (none when it passes). */
/** The problems `fn` throws, named as `front` names the options (else by option key). */
export function problemsOf(fn: () => unknown, front?: Front): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof OptionError) return (front ? err.named(namesFor(front, 'build')) : err).problems;
    throw err;
  }
  return [];
}
