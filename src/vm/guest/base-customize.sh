#!/bin/sh
# mmdebstrap customize hook for amibake's VM base image: "$1" is the root of the new tree.
# The image plays a freshly launched cloud instance: cloud-init from a NoCloud seed, static
# network via systemd-networkd, nothing that slows a software-emulated boot.
set -eu
root="$1"

# Only the NoCloud seed disk, no probing of cloud metadata services that are not there.
mkdir -p "$root/etc/cloud/cloud.cfg.d"
cat > "$root/etc/cloud/cloud.cfg.d/01_amibake-vm.cfg" <<'CFG'
datasource_list: [ NoCloud, None ]
# One host key type: generating RSA keys under software emulation takes seconds.
ssh_genkeytypes: [ ed25519 ]
CFG

# A system locale, so cloud-init's locale module has nothing to generate (no `locales` package).
echo 'LANG=C.UTF-8' > "$root/etc/default/locale"
echo 'amibake' > "$root/etc/hostname"
chmod 644 "$root/etc/hostname" "$root/etc/default/locale"
echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"

# cloud-init renders its network-config for systemd-networkd (no ifupdown, no netplan). The
# address is static IPv4: waiting for IPv6 too costs seconds under emulation.
chroot "$root" systemctl enable systemd-networkd.service
mkdir -p "$root/etc/systemd/system/systemd-networkd-wait-online.service.d"
cat > "$root/etc/systemd/system/systemd-networkd-wait-online.service.d/amibake.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any -4 --timeout=60
UNIT

# Periodic jobs and the VGA console have no place in a minutes-long boot.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer getty@tty1.service

# The image must look unbooted: no machine id, no host keys (cloud-init makes new ones).
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root"/etc/ssh/ssh_host_*
