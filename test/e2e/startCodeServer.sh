#!/usr/bin/env bash
# Usage: startCodeServer.sh CODE_SERVER PORT RUNDIR [VSIX|none]
# Starts code-server on 127.0.0.1:PORT with fresh state in RUNDIR (writes RUNDIR/server.pid),
# optionally with a .vsix installed; waits until it answers /healthz.
set -euo pipefail
CS=$1; PORT=$2; RUN=$3; VSIX=${4:-none}
rm -rf "$RUN"; mkdir -p "$RUN"/{user-data/User,extensions,xdg-config,xdg-data,xdg-cache,tmp}
export EXTENSIONS_GALLERY='{}'   # no marketplace queries
export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data" XDG_CACHE_HOME="$RUN/xdg-cache" TMPDIR="$RUN/tmp"
cat > "$RUN/user-data/User/settings.json" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.startupEditor": "none",
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "npm.autoDetect": "off",
  "editor.hover.delay": 200,
  "typescript.disableAutomaticTypeAcquisition": true
}
JSON
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
COMMON=(--config "$RUN/config.yaml" --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions")
if [ "$VSIX" != none ]; then "$CS" "${COMMON[@]}" --install-extension "$VSIX" > "$RUN/install-ext.log" 2>&1; fi
setsid "$CS" "${COMMON[@]}" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened > "$RUN/server.log" 2>&1 &
echo $! > "$RUN/server.pid"
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then exit 0; fi
  kill -0 "$(cat "$RUN/server.pid")" 2>/dev/null || { echo "code-server died:" >&2; cat "$RUN/server.log" >&2; exit 1; }
  sleep 0.1
done
echo "code-server did not answer on port $PORT" >&2
exit 1
