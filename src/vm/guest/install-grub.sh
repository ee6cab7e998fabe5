#!/bin/sh
# Run once as the kernel's init (init=) in the bootable base's first boot: installs GRUB on the disk
# for both firmware kinds and writes its menu, then powers off. The disk has no loop device on the
# host side: this guest, which sees it as /dev/vda, is what writes its bootloaders.
# Partitions: 1 BIOS boot (GRUB i386-pc's core image), 2 EFI system, 3 the ext4 root.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

install() {
  set -eu
  # The initramfs hands over /proc, /sys and /dev already mounted.
  mountpoint -q /proc || mount -t proc proc /proc
  mountpoint -q /sys || mount -t sysfs sysfs /sys
  mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
  mount -o remount,rw /
  modprobe vfat 2>/dev/null || true
  mount -t vfat /dev/vda2 /boot/efi
  # update-grub writes root=UUID=... only when the by-uuid link exists (udev is not running).
  uuid=$(blkid -s UUID -o value /dev/vda3)
  mkdir -p /dev/disk/by-uuid
  ln -sf ../../vda3 "/dev/disk/by-uuid/$uuid"
  grub-install --target=i386-pc /dev/vda
  # --removable: EFI/BOOT/BOOTX64.EFI, the path firmware boots without an NVRAM entry (an AMI
  # has none); --no-nvram: no efibootmgr.
  grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram
  update-grub
  grep -q "root=UUID=$uuid" /boot/grub/grub.cfg
  test -s /boot/efi/EFI/BOOT/BOOTX64.EFI
  umount /boot/efi
  rm -f /usr/local/sbin/amibake-install-grub
  sync
}

# Not `if (install)`: errexit is off inside an if's condition, even in a subshell.
(install)
status=$?
sync
mount -o remount,ro / 2>/dev/null || true
echo "AMIBAKE-GRUB status=$status" > /dev/console
# Power off at once (no service manager runs): sysrq's 'o'.
echo o > /proc/sysrq-trigger
sleep 60
