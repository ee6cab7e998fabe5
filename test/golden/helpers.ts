/** Test helpers: a logger that records what it was told, and a source AMI in moto. */
import { CreateImageCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { Logger } from '../../src/core/log.js';
import { BASE_AMI } from '../bake/helpers.js';

export { BASE_AMI };

export interface RecordingLogger extends Logger {
  lines: string[];
  warnings: string[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    text: () => lines.join('\n'),
    info: (m) => void lines.push(m),
    warn: (m) => {
      warnings.push(m);
      lines.push(`warning: ${m}`);
    },
    debug: () => undefined,
    group: async (title, fn) => {
      lines.push(`== ${title}`);
      return fn();
    },
    mask: () => undefined,
    untrusted: (text, title) => {
      if (title) lines.push(title);
      lines.push(text);
    },
  };
}

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
