#!/bin/sh
# Runs shellcheck over the project's shell: what runs on instances and in the VM base image is POSIX sh
# (no bashisms on an image whose /bin/sh is dash or busybox); the setup and CI scripts are bash.
# Used by .ci/run and scripts/setup.sh --run.
set -eu
cd "$(dirname "$0")/.."
shellcheck -s sh src/compile/guest/amibake.sh src/vm/guest/base-customize.sh scripts/shellcheck.sh
shellcheck -s bash scripts/setup.sh .ci/run
