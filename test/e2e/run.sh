#!/usr/bin/env bash
# Real VS Code stage: the SQL grammar against VS Code's own grammars, the UI scenario in
# code-server with the packaged .vsix, and the extension-host suite with the real vscode API.
# Each step prints "N passed, N failed"; the stage fails if any step does.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CS=$(bash test/e2e/installCodeServer.sh) || { echo "could not install code-server"; echo "0 passed, 1 failed"; exit 1; }
EXTENSIONS="$(dirname "$(dirname "$(readlink -f "$CS")")")/lib/vscode/extensions"
[ -d "$EXTENSIONS" ] || EXTENSIONS="$(dirname "$CS")/../code-server/lib/vscode/extensions"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/alembic-guard-e2e-XXXXXX")
ARTIFACTS=${E2E_ARTIFACTS:-$ROOT/test/e2e/artifacts}
mkdir -p "$ARTIFACTS"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
cleanup() { bash test/e2e/stopCodeServer.sh "$RUN/ui"; bash test/e2e/stopCodeServer.sh "$RUN/it"; rm -rf "$RUN"; }
trap cleanup EXIT
rc=0

echo "== SQL injection grammar with VS Code's Python and SQL grammars"
node out/test/e2e/sqlGrammar.js "$EXTENSIONS" || rc=1

echo "== UI scenario: code-server $("$CS" --version | head -1) with dist/alembic-guard.vsix, driven by Chromium"
cp -r test/fixtures/sample-project "$RUN/ws-ui"
PORT=$(free_port)
if bash test/e2e/startCodeServer.sh "$CS" "$PORT" "$RUN/ui" "$ROOT/dist/alembic-guard.vsix"; then
  node out/test/e2e/uiScenario.js "$PORT" "$RUN/ws-ui" "$ARTIFACTS" || rc=1
else
  echo "0 passed, 1 failed"; rc=1
fi
bash test/e2e/stopCodeServer.sh "$RUN/ui"

echo "== Extension tests inside the real extension host"
cp -r test/fixtures/sample-project "$RUN/ws-it"
PORT=$(free_port)
if bash test/e2e/startCodeServer.sh "$CS" "$PORT" "$RUN/it" none; then
  node out/test/e2e/extensionHostRunner.js "$PORT" "$ROOT" "$ROOT/out/test/e2e/suite/index.js" "$RUN/ws-it" "$ARTIFACTS/05-extension-host.png" || rc=1
else
  echo "0 passed, 1 failed"; rc=1
fi
exit $rc
