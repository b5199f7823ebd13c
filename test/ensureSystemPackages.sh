#!/usr/bin/env bash
# The Debian packages the real-tools stages need: PostgreSQL and Alembic for the fix
# round trips, Chromium and code-server's build needs for real VS Code. Installs what is
# missing when run as root (apt-get), otherwise names the command to run.
set -euo pipefail
need=()
command -v python3 >/dev/null || need+=(python3)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
command -v alembic >/dev/null || need+=(alembic)
/usr/bin/python3 -c 'import alembic, sqlalchemy, psycopg2' >/dev/null 2>&1 || need+=(python3-alembic python3-sqlalchemy python3-psycopg2)
command -v chromium >/dev/null || need+=(chromium fonts-dejavu-core)
command -v rg >/dev/null || need+=(ripgrep)            # seeds code-server's ripgrep download
command -v curl >/dev/null || need+=(curl)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)   # code-server's kerberos module builds from source
command -v runuser >/dev/null || need+=(util-linux)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
