#!/bin/sh
# Stands for downloading a release: 384 KiB of incompressible bytes, the same on every run (so the
# prepared output is reproducible), and their checksum for install.sh.
set -eu
mkdir -p fs/opt/bigapp/data
node -e '
const { createHash } = require("node:crypto");
const blocks = [];
for (let i = 0; i < 12288; i++) blocks.push(createHash("sha256").update(`amibake-big-payload:${i}`).digest());
process.stdout.write(Buffer.concat(blocks));
' >fs/opt/bigapp/data/payload.bin
(cd fs/opt/bigapp/data && sha256sum payload.bin >payload.bin.sha256)
echo "PAYLOAD_SHA256=$(cut -d ' ' -f 1 fs/opt/bigapp/data/payload.bin.sha256)" >>"$AMIBAKE_VARS"
