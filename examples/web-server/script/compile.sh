#!/bin/sh
# Runs on the prepare machine, in a copy of this folder (never with cloud credentials).
# It may add files under fs/ and cloudinit/, and variables to vars.env through $AMIBAKE_VARS.
set -eu
. ./ami.env
printf '%s %s\n' "$NAME" "$VERSION" >fs/srv/www/version.txt
echo "WEB_PORT=80" >>"$AMIBAKE_VARS"
