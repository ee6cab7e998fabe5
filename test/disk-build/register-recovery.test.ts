/**
 * The disk path's registration whose answer was lost: the post step finds the AMI by the name and
 * the client token the register phase saved before RegisterImage (the launch's token is never
 * saved on the disk path), deregisters it with its snapshot, and names the AMI when none shows up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  RegisterImageCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { TAG } from '../../src/aws/tags.js';
import type { RecoverDeps } from '../../src/features/bake/context.js';
import { STATE } from '../../src/features/bake/state.js';
import { recoverRegistered } from '../../src/features/disk-upload/register.js';
import { DISK_STATE } from '../../src/features/disk-upload/state.js';
import { captureLogger } from '../support/logger.js';
import { REGION, useMoto } from '../support/moto.js';

const m = useMoto({ beforeAll, afterAll });

/** An AMI registered as the register phase does, tagged with `token`. */
async function registered(ec2: EC2Client, name: string, token: string): Promise<string> {
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }));
  const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }));
  const tags = [{ Key: TAG.clientToken, Value: token }];
  const { ImageId } = await ec2.send(
    new RegisterImageCommand({
      Name: name,
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snap.SnapshotId! } }],
      TagSpecifications: [{ ResourceType: 'image', Tags: tags }],
    }),
  );
  // moto keeps no TagSpecifications of RegisterImage: the tags as EC2 puts them.
  await ec2.send(new CreateTagsCommand({ Resources: [ImageId!], Tags: tags }));
  return ImageId!;
}

const deps = (ec2: EC2Client): RecoverDeps => ({
  ec2,
  quick: ec2,
  clientFor: () => ec2,
  logger: captureLogger().logger,
  wait: false,
  imageLookupSeconds: 1,
  terminateSeconds: 5,
  sleep: () => Promise.resolve(),
});

describe('a disk registration whose answer was lost', () => {
  it('deregisters the AMI of the saved name and register token, and only that one', async () => {
    const ec2 = m.moto.ec2();
    const ours = await registered(ec2, 'disk-web-1.0.0', 'token-ours');
    const other = await registered(ec2, 'disk-web-2.0.0', 'token-other');
    const report = await recoverRegistered(
      { [STATE.imageName]: 'disk-web-1.0.0', [DISK_STATE.registerToken]: 'token-ours' },
      deps(ec2),
    );
    expect(report).toMatchObject({ problems: [], discardedImage: ours });
    const left = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect((left.Images ?? []).map((i) => i.ImageId)).toEqual([other]);
  });

  it('leaves an AMI of the name with another token, and says the registration was not found', async () => {
    const ec2 = m.moto.ec2();
    const foreign = await registered(ec2, 'disk-web-3.0.0', 'token-someone-else');
    const report = await recoverRegistered(
      { [STATE.imageName]: 'disk-web-3.0.0', [DISK_STATE.registerToken]: 'token-ours' },
      deps(ec2),
    );
    expect(report.problems).toEqual([
      `the AMI named disk-web-3.0.0 (${TAG.clientToken} token-ours), whose registration started, was not found: if it appears, deregister it`,
    ]);
    const left = await ec2.send(new DescribeImagesCommand({ ImageIds: [foreign] }));
    expect(left.Images?.[0]?.State).toBe('available');
  });
});
