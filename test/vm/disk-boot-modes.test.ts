/**
 * The bootable disk base boots by its own bootloader under both firmware kinds an AMI can be
 * registered for: BIOS (SeaBIOS, GRUB i386-pc in the BIOS boot partition) and UEFI (OVMF, GRUB
 * x86_64-efi at the removable path), each up to cloud-init's final stage. Built (or taken from
 * the cache) first; its layout is checked without booting.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, which } from '../../src/vm/exec.js';
import { Ext4Image } from '../../src/vm/ext4.js';
import { BOOT_DISK_MIB, ensureBootDisk, LAYOUT, PART_TYPE, type BootDisk } from '../../src/vm/boot-disk.js';
import { OVMF_CODE, OVMF_VARS, runMachine } from '../../src/vm/machine.js';
import { partitions, rootFsOffset } from '../../src/vm/user-image.js';
import { tempDir } from '../compile/helpers.js';
import { cannotRun, describeUnless } from './harness.js';

const MINUTE = 60_000;
const MiB = 1 << 20;

async function cannotBoot(): Promise<string | undefined> {
  const reason = await cannotRun();
  if (reason) return reason;
  for (const t of ['sfdisk', 'mkfs.fat', 'mdir'])
    if (!(await which(t))) return `missing ${t}: run scripts/setup.sh`;
  for (const f of [OVMF_CODE, OVMF_VARS]) {
    if (!(await exec('test', ['-r', f], { allowFail: true })).code) continue;
    return `missing ${f} (apt install ovmf): run scripts/setup.sh`;
  }
  return undefined;
}

const maybe = describeUnless(await cannotBoot(), 'bootable disk base tests');

/** cloud-init's last words, and ours from the final stage. */
const USER_DATA = Buffer.from(
  '#cloud-config\n' +
    'runcmd:\n' +
    '  - [sh, -c, \'echo "AMIBAKE-BOOT-MODE $(test -d /sys/firmware/efi && echo uefi || echo bios)" > /dev/console\']\n' +
    'power_state:\n  mode: poweroff\n  condition: true\n',
);

maybe('the bootable disk base', () => {
  const work = tempDir('amibake-boot-modes-');
  let disk: BootDisk;
  beforeAll(async () => {
    disk = await ensureBootDisk({
      onBuild: (p) => process.stderr.write(`building ${p}\n`),
    });
  }, 30 * MINUTE);
  afterAll(async () => {
    if (!process.env.AMIBAKE_VM_KEEP) await rm(work, { recursive: true, force: true });
  });

  it('is a GPT disk: BIOS boot, EFI system with BOOTX64.EFI, ext4 root with GRUB booting root=UUID', async () => {
    const parts = await partitions(disk.path);
    expect(parts.map((p) => [p.index, p.offset / MiB])).toEqual([
      [1, LAYOUT.bios.start],
      [2, LAYOUT.esp.start],
      [3, LAYOUT.root.start],
    ]);
    expect(parts[2].offset + parts[2].size).toBe((BOOT_DISK_MIB - 1) * MiB);
    const types = (await exec('sfdisk', ['--part-type', disk.path, '1'])).stdout.toString().trim();
    expect(types).toBe(PART_TYPE.bios);
    const esp = await exec('mdir', ['-b', '-i', `${disk.path}@@${LAYOUT.esp.start * MiB}`, '::/EFI/BOOT'], {
      env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
    });
    expect(esp.stdout.toString()).toMatch(/BOOTX64\.EFI/i);
    expect(await rootFsOffset(disk.path)).toBe(LAYOUT.root.start * MiB);
    const root = new Ext4Image(disk.path, LAYOUT.root.start * MiB);
    const grubCfg = (await root.readFile('/boot/grub/grub.cfg')).toString();
    const fstab = (await root.readFile('/etc/fstab')).toString();
    const uuid = /^UUID=([0-9a-f-]{36}) \/ ext4 /m.exec(fstab)?.[1];
    expect(uuid).toBeDefined();
    expect(grubCfg).toContain(`root=UUID=${uuid} `);
    expect(grubCfg).toContain('console=ttyS0');
    expect(grubCfg).not.toMatch(/root=\/dev\//);
    // The one-time GRUB installer removed itself; the EC2 datasource is on.
    expect(await root.stat('/usr/local/sbin/amibake-install-grub')).toBeUndefined();
    expect((await root.readFile('/etc/cloud/cloud.cfg.d/02_amibake-disk.cfg')).toString()).toContain('Ec2');
    expect(disk.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it(
    'boots under BIOS and under UEFI by its own GRUB, to cloud-init final stage',
    async () => {
      const boot = async (firmware: 'bios' | 'uefi') => {
        const lines: string[] = [];
        const started = Date.now();
        const r = await runMachine({
          userData: USER_DATA,
          base: { image: disk.path },
          dir: join(work, firmware),
          firmware,
          network: 'isolated',
          timeoutMs: 20 * MINUTE,
          onConsole: (l) => lines.push(l),
        });
        process.stderr.write(
          `${firmware}: powered off after ${Math.round((Date.now() - started) / 1000)} s\n`,
        );
        return { r, text: lines.join('\n') };
      };
      // Side by side: two VMs take about as long as one on two cores.
      const [bios, uefi] = await Promise.all([boot('bios'), boot('uefi')]);
      for (const [mode, { r, text }] of [
        ['bios', bios],
        ['uefi', uefi],
      ] as const) {
        const context = `${mode}\n${text.split('\n').slice(-60).join('\n')}`;
        expect({ poweredOff: r.poweredOff, context }).toEqual({ poweredOff: true, context });
        expect(text).toMatch(/Cloud-init v\. \S+ finished at/);
        expect(text).toContain(`AMIBAKE-BOOT-MODE ${mode}`);
        // Its own bootloader: the command line GRUB passed, the root by UUID.
        expect(text).toMatch(/Command line: BOOT_IMAGE=\S*vmlinuz\S* root=UUID=[0-9a-f-]{36} /);
      }
    },
    45 * MINUTE,
  );
});
