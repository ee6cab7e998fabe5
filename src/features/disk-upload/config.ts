/** What the disk path needs of the build's configuration (never of the artifact), and what its
 *  phases hand each other during one run. */
import type { EBSClient } from '@aws-sdk/client-ebs';
import type { RootVolumeOptions } from '../volume/volume.js';
import type { DiskArtifact } from './artifact.js';
import type { Architecture, BootMode } from './options.js';

export interface DiskSettings {
  bootMode: BootMode;
  architecture: Architecture;
  concurrency: number;
  timeoutSnapshotSeconds: number;
  volume: RootVolumeOptions;
  imdsV2: boolean;
  /** Test seam: the EBS client (default: one for the build region). */
  ebs?: EBSClient;
}

/** Filled in by the phases as they run: the verified disk, the volume size, the snapshot. */
export interface DiskRun {
  disk?: DiskArtifact;
  volumeGiB?: number;
  snapshotId?: string;
  /** The upload's figures, for the summary. */
  sent?: number;
  zero?: number;
}

/** The AMI's root device: what EC2's own Linux AMIs use, and what the GRUB of the disk ignores
 *  (it boots by UUID/PARTUUID, so xvda, nvme0n1 and vda all work). */
export const ROOT_DEVICE = '/dev/xvda';
