#!/bin/sh
# Runs as root on the build instance once fs/ is in place. The files arrive owned by root:
# change owners and enable services here.
set -eu
chmod 0755 /srv/www
systemctl enable amibake-web.service
