#!/bin/sh
# The payload arrived intact (fs.tgz's sha256 was checked before extraction; this checks the file).
set -eu
cd /opt/bigapp/data
sha256sum -c payload.bin.sha256
