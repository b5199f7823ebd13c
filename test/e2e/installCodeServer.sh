#!/usr/bin/env bash
# Installs real VS Code (code-server, from npm) into a cache outside the checkout, once.
# Prints the code-server binary path. Offline-safe: nothing is downloaded but npm packages.
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.100.3}   # VS Code 1.100.3; the last code-server for Node 20
CACHE=${ALEMBIC_GUARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alembic-guard-e2e}
CS="$CACHE/code-server-$CS_VERSION/node_modules/.bin/code-server"
if "$CS" --version >/dev/null 2>&1; then echo "$CS"; exit 0; fi

mkdir -p "$CACHE/code-server-$CS_VERSION" "$CACHE/tmp"
cd "$CACHE/code-server-$CS_VERSION"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the tarball:
# seed it with Debian's rg.
export TMPDIR="$CACHE/tmp"
RGC="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RGC" "$TMPDIR/rgseed"
cp "$(command -v rg)" "$TMPDIR/rgseed/rg"
tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rgseed" rg
# unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty runs `npx node-gyp`.
if ! npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund "code-server@$CS_VERSION" > install.log 2>&1; then
  tail -40 install.log >&2
  exit 1
fi
"$CS" --version >/dev/null
echo "$CS"
