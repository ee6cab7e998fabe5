/** The root volume, once the base image is known: the instance's block device, a summary row,
 *  and its part of the reuse digest (a change is a new bake, not a reuse). */
import type { Image } from '@aws-sdk/client-ec2';
import type { BakeContext } from '../bake/context.js';
import {
  describeRootVolume,
  rootBlockDeviceMapping,
  type RootVolumeNames,
  type RootVolumeOptions,
} from './volume.js';

export function applyRootVolume(v: RootVolumeOptions, names: RootVolumeNames) {
  return (ctx: BakeContext, base: Image): void => {
    ctx.blockDevices = [rootBlockDeviceMapping(v, base, names)];
    ctx.report.summary.push(['Root volume', describeRootVolume(ctx.blockDevices[0])]);
    ctx.digestParts['root-volume'] = [
      v.type,
      v.size,
      v.iops,
      v.throughput,
      v.encrypt ? (v.kmsKey ?? 'default') : 'plain',
    ]
      .map((x) => x ?? '')
      .join(',');
  };
}
