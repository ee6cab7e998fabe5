#!/usr/bin/env bash
# One command for a fresh Debian or Ubuntu machine: installs what the test suites need, then
# (with --run) runs what CI runs. .ci/run calls it for its installs, so the two cannot drift.
#
#   scripts/setup.sh          apt packages, moto_server, Node 24 for the bundle tests, npm ci
#   scripts/setup.sh --run    the same, then lint, typecheck, layer rules, shellcheck, the dist/
#                             check, npm test, npm run test:vm (the VM suite boots qemu: root, ~15 min)
#
# Idempotent: what is installed already is left alone (apt and pip only for what is missing).
# A system Node older than package.json's engines (Debian 12's nodejs is 18) is not replaced: the
# engines' Node is fetched beside it (scripts/fetch-node.sh) and put first on the PATH here.
# The tools each suite checks are listed in scripts/system-deps.json; every apt package named
# there is in APT_PACKAGES below (test/tooling/setup.test.ts checks).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

run=
for arg in "$@"; do
  case $arg in
  --run) run=1 ;;
  -h | --help)
    # The header: the comment lines after the shebang.
    sed -n '2,/^[^#]/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "setup.sh: unknown argument '$arg' (use --run or --help)" >&2
    exit 2
    ;;
  esac
done

step() { printf '\n=== %s\n' "$*"; }

# cloud-init: the default suite reads user data with Debian's cloud-init library; shellcheck: the
# guest script; qemu, mmdebstrap, e2fsprogs, mtools, dosfstools, socat, zstd, fdisk, syslinux: the
# VM suite and `amibake try`; ovmf: UEFI boots of the bootable disk base; python3-venv: moto's fallback install; the rest: the guest script's
# tools (curl, tar, dash) and moto's native dependency.
APT_PACKAGES=(
  cloud-init shellcheck dash curl tar coreutils
  qemu-system-x86 qemu-utils mmdebstrap debootstrap e2fsprogs mtools dosfstools socat zstd fdisk
  syslinux syslinux-common ovmf
  python3-cffi-backend python3-venv
)

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup.sh: not root and no sudo: run as root, or install yourself: $*" >&2
    return 1
  fi
}

step "system packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all installed: ${APT_PACKAGES[*]}"
else
  echo "installing ${missing[*]}"
  log=$(mktemp)
  if ! { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -20 "$log"
    echo "setup.sh: apt-get install failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

step "moto_server"
# pip where it may install (a pyenv or virtualenv python); else a venv of its own, linked onto the PATH
# (Debian's python refuses pip installs outside a venv: PEP 668).
if ! command -v moto_server >/dev/null 2>&1; then
  if ! pip install --quiet 'moto[server]' 2>/dev/null && ! python3 -m pip install --quiet 'moto[server]' 2>/dev/null; then
    venv=${XDG_CACHE_HOME:-$HOME/.cache}/amibake/moto-venv
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'moto[server]'
    if [ "$(id -u)" = 0 ]; then bin=/usr/local/bin; else bin=$HOME/.local/bin; fi
    mkdir -p "$bin"
    ln -sf "$venv/bin/moto_server" "$bin/moto_server"
    command -v moto_server >/dev/null 2>&1 || echo "setup.sh: moto_server is in $bin: add it to PATH" >&2
  fi
fi
moto_server --version 2>/dev/null || python3 -c 'import moto; print("moto", moto.__version__)'

step "node"
# The oldest Node that package.json's engines admits (read without Node: there may be none yet).
engines_min=$(sed -n 's/.*"node": *">= *\([0-9][0-9]*\).*/\1/p' package.json)
# scripts/fetch-node.sh fetches a Node release with `npm pack`: Debian's nodejs and npm are enough
# for that, whatever their age.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian's nodejs and npm (to fetch Node $engines_min)"
  as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt "$engines_min" ]; then
  # Debian 12's nodejs is 18: Node $engines_min from the npm registry, first on the PATH for the rest
  # of this script (the `node` that npm's scripts, jest and the bundle tests run).
  node_dir=$(dirname "$(sh scripts/fetch-node.sh "$engines_min")")
  export PATH="$node_dir:$PATH"
  echo "Node $(node --version) is in $node_dir (the system's is $node_major); for your shell:"
  echo "  export PATH=\"$node_dir:\$PATH\""
fi
node --version
# The bundle tests run the bundles on Node 24 (action.yml's runtime) and on the oldest Node of
# package.json's engines: scripts/fetch-node.sh keeps both in its cache (no network once there).
echo "node 24: $(sh scripts/fetch-node.sh 24)"
echo "node $engines_min: $(sh scripts/fetch-node.sh "$engines_min")"

step "npm ci"
npm ci --no-audit --no-fund

if [ -z "$run" ]; then
  echo
  echo "ready: npm test (unit, ~7 min), npm run test:vm (VM, root), or scripts/setup.sh --run for everything"
  if [ -n "${node_dir:-}" ]; then echo "(first put Node $engines_min on your PATH: export PATH=\"$node_dir:\$PATH\")"; fi
  exit 0
fi

# What CI runs (.ci/run adds jest's JSON reports and a summary line).
failed=()
step "lint"
npm run -s lint || failed+=(lint)
step "typecheck"
npm run -s typecheck || failed+=(typecheck)
step "layer rules"
npm run -s depcruise || failed+=(depcruise)
step "shellcheck"
sh scripts/shellcheck.sh || failed+=(shellcheck)
step "dist/ is built from the committed source"
npm run -s check-dist || failed+=(check-dist)
step "tests: npm test"
npm test || failed+=(test)
step "tests: npm run test:vm"
npm run test:vm || failed+=(test:vm)
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all passed"
