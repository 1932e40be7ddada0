#!/usr/bin/env bash
# The load scenario of the HJ 212 listener: a Release build of the web host on a scratch SQLite
# database with the demo city, then `zl loadtest` against it on loopback. Arguments go to
# `zl loadtest` (default: 5000 devices, 20000 frames/s, 30 s). Prints the load test's JSON line.
# PostgreSQL instead: set ZL_LOAD_POSTGRES to a connection string of an empty database.
# The client runs its socket completions on the socket thread (no hop through the thread pool) and its
# idle pool threads do not spin (as the server's, see Zongliang.Web.csproj), so
# that it takes less of the CPU it shares with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- --devices 5000 --rate 20000 --duration 30 --warmup 5
out=$(mktemp -d /tmp/zl-load-XXXXXX)
server=""
trap '[ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; grep -h "Stored" "$out/server.log" >&2 || true; rm -rf "$out"' EXIT
for p in src/Zongliang.Web src/Zongliang.Cli; do dotnet build -c Release "$p" -v q -nologo >/dev/null; done

export Database__DataDirectory="$out/data" Hj212__Port=${ZL_LOAD_PORT:-5212}
if [ -n "${ZL_LOAD_POSTGRES:-}" ]; then
  export Database__Provider=PostgreSql ConnectionStrings__Zongliang="$ZL_LOAD_POSTGRES"
fi
(cd "$out" && dotnet "$OLDPWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" db seed-demo >/dev/null)
(cd src/Zongliang.Web && exec dotnet bin/Release/net10.0/Zongliang.Web.dll --Urls http://127.0.0.1:0 --Serilog:MinimumLevel:Default Warning --Serilog:MinimumLevel:Override:Zongliang.Web.Features.Ingestion.IngestWriter Information) > "$out/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  (exec 3<>/dev/tcp/127.0.0.1/"$Hj212__Port") 2>/dev/null && break
  sleep 0.5
done
ulimit -n 65536 2>/dev/null || true
(cd "$out" && DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$OLDPWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" loadtest --port "$Hj212__Port" --server-pid "$server" "$@")
