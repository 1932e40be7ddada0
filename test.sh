#!/usr/bin/env bash
# Runs the whole test suite. Where PostgreSQL's server programs are installed, it first starts a
# throwaway PostgreSQL on loopback so that the persistence and scope tests run on it as well as on
# SQLite; ZL_TEST_POSTGRES (a connection string without a database) points at a server of your own
# instead. Ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

pg_pid_dir=""
cleanup() {
  if [ -n "$pg_pid_dir" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$pg_pid_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_pid_dir"
  fi
}
trap cleanup EXIT

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${ZL_TEST_POSTGRES:-}" ] && [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
  pg_pid_dir=$(mktemp -d /tmp/zl-pg-XXXXXX)
  chmod 755 "$pg_pid_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_pid_dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  as_pg "$PGBIN/initdb" -D "$pg_pid_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$pg_pid_dir/data" -l "$pg_pid_dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_pid_dir -c fsync=off -c max_connections=200" -w start >/dev/null
  export ZL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
  echo "test.sh: throwaway PostgreSQL on 127.0.0.1:$port"
fi

log=$(mktemp)
set +e
dotnet test Zongliang.slnx "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The HJ 212 library once more without AVX-512 and GFNI: the scalar CRC and the byte-at-a-time
# data-area walk that processors without them use.
DOTNET_EnableAVX512=0 DOTNET_EnableGFNI=0 dotnet test tests/Zongliang.Hj212.Tests "$@" 2>&1 | tee -a "$log"
scalar=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$scalar
set -e

# Sum the per-project summaries of Microsoft.Testing.Platform into one closing line.
passed=$(awk '/^ *succeeded: *[0-9]+/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '/^ *failed: *[0-9]+/ {s+=$2} END {print s+0}' "$log")
skipped=$(awk '/^ *skipped: *[0-9]+/ {s+=$2} END {print s+0}' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
