#!/usr/bin/env bash
# Usage: stopCodeServer.sh RUNDIR: ends code-server's whole process group (extension host,
# file watcher and pty host included); a lone kill would leave the watcher running.
RUN=$1
pid=$(cat "$RUN/server.pid" 2>/dev/null) || exit 0
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || exit 0; sleep 0.1; done
kill -KILL -- "-$pid" 2>/dev/null
exit 0
