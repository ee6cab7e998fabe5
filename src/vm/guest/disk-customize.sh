#!/bin/sh
# mmdebstrap customize hook, second part, for the bootable disk base (runs after base-customize.sh
# on the same tree): the image must boot on EC2 by its own bootloader, not by qemu's -kernel.
set -eu
root="$1"

# NoCloud for the local boots (a seed disk labelled cidata), Ec2 for the instances launched from
# the AMI; None last so a boot with neither still completes.
cat > "$root/etc/cloud/cloud.cfg.d/02_amibake-disk.cfg" <<'CFG'
datasource_list: [ NoCloud, Ec2, None ]
CFG

# GRUB: no menu delay, the serial console first (EC2's get-console-output and qemu's -serial
# both read ttyS0), the NIC named eth0/ens5 as the kernel names it.
mkdir -p "$root/etc/default/grub.d"
cat > "$root/etc/default/grub.d/50-amibake.cfg" <<'CFG'
GRUB_TIMEOUT=0
GRUB_TIMEOUT_STYLE=hidden
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200n8 fsck.mode=skip"
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --speed=115200"
GRUB_DISABLE_OS_PROBER=true
CFG
chmod 644 "$root/etc/cloud/cloud.cfg.d/02_amibake-disk.cfg" "$root/etc/default/grub.d/50-amibake.cfg"
mkdir -p "$root/boot/efi"
