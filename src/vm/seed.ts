/**
 * The NoCloud seed: a small vfat disk labelled `cidata` (built with mkfs.vfat and mtools, no
 * mounting) holding meta-data, user-data (the gzip'd user data as-is: cloud-init decompresses
 * it), network-config and, optionally, vendor-data.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as io from '@actions/io';
import { stringify as stringify12 } from 'yaml';
import { exec } from './exec.js';

/** The guest's fixed address on qemu's user-mode network, and the host's alias on it. */
export const GUEST_MAC = '52:54:00:12:34:56';
export const GUEST_IP = '10.0.2.15';
export const GATEWAY_IP = '10.0.2.2';
/** Services on the host's loopback appear to the guest at this address (qemu guestfwd). */
export const HOST_ALIAS_IP = '10.0.2.100';
/** qemu's user-mode DNS server (with NAT; an isolated guest has none). */
export const DNS_IP = '10.0.2.3';

/** cloud-init reads YAML 1.1 (PyYAML): a MAC address unquoted is a base-60 integer there, `on` a boolean. */
const stringify = (value: unknown) => stringify12(value, { version: '1.1' });

export interface SeedContent {
  instanceId: string;
  hostname?: string;
  userData: Buffer;
  /** A cloud-config (or any user-data format) for the image's vendor, kept apart from the user data. */
  vendorData?: string;
  /** Give the guest qemu's DNS server (a NAT network); without, the guest resolves nothing and
   *  fails fast rather than waiting on a server it cannot reach. */
  nameservers?: boolean;
}

/** Static v1 config: names the NIC eth0 by its MAC, so it works whatever the image's renderer. */
export function networkConfig(nameservers = false): string {
  return stringify({
    version: 1,
    config: [
      {
        type: 'physical',
        name: 'eth0',
        mac_address: GUEST_MAC,
        subnets: [
          {
            type: 'static',
            address: `${GUEST_IP}/24`,
            gateway: GATEWAY_IP,
            ...(nameservers ? { dns_nameservers: [DNS_IP] } : {}),
          },
        ],
      },
    ],
  });
}

export async function makeSeed(path: string, content: SeedContent): Promise<void> {
  const dir = await mkdtemp(`${path}.d-`);
  try {
    const files: Record<string, string | Buffer> = {
      'meta-data': stringify({
        'instance-id': content.instanceId,
        'local-hostname': content.hostname ?? 'amibake',
      }),
      'user-data': content.userData,
      'network-config': networkConfig(content.nameservers),
    };
    if (content.vendorData !== undefined) files['vendor-data'] = content.vendorData;
    let bytes = 0;
    for (const [name, data] of Object.entries(files)) {
      await writeFile(join(dir, name), data);
      bytes += Buffer.byteLength(data);
    }
    // mkfs.vfat counts 1 KiB blocks; leave room for the FAT and directory entries.
    const blocks = Math.max(1024, Math.ceil(bytes / 1024) * 2 + 512);
    await rm(path, { force: true });
    await exec('mkfs.vfat', ['-n', 'CIDATA', '-C', path, String(blocks)]);
    await exec('mcopy', ['-o', '-i', path, ...Object.keys(files).map((f) => join(dir, f)), '::'], {
      env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
    });
  } finally {
    await io.rmRF(dir);
  }
}
