#!/usr/bin/env bash
# Time from the arrival of exceeding data to the warning on the dashboard (issue: ≤ 2 s at the demo
# city's load plus the load test's devices). A Release build of the web host on a scratch SQLite
# database with the demo city judges its history; then, optionally while `zl loadtest` runs (the
# arguments go to it; none: no load), a logger delivers one hour of SO2 at twice the limit (six 2051 frames) for
# an outlet whose logger was silent, and a signed-in inspector's dashboard is polled every 50 ms
# until its open-case count goes up, and the database until the warning with its case is there.
# ZL_SIMULATE_DEVICES=N also runs `zl simulate` for N demo devices with 6 hours of backfill (minute
# data, so outlets are recomputed all the time). Prints one JSON line per probe (one per silent outlet).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/zl-warn-XXXXXX)
server=""
load=""
trap '[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null; [ -n "$load" ] && kill "$load" 2>/dev/null; [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; rm -rf "$out"' EXIT
for p in src/Zongliang.Web src/Zongliang.Cli; do dotnet build -c Release "$p" -v q -nologo >/dev/null; done
export Database__DataDirectory="$out/data" Hj212__Port=${ZL_LOAD_PORT:-5212} Hj212__QueueCapacity=50000
http_port=${ZL_HTTP_PORT:-5380}
(cd "$out" && dotnet "$OLDPWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" db seed-demo >/dev/null)
(cd src/Zongliang.Web && exec dotnet bin/Release/net10.0/Zongliang.Web.dll --Urls "http://127.0.0.1:$http_port" --Serilog:MinimumLevel:Default Warning) > "$out/server.log" 2>&1 &
server=$!
db="$out/data/zongliang.db"
# Ready when the catch-up has judged the history of every outlet with data.
for _ in $(seq 1 240); do
  n=$(sqlite3 "$db" "SELECT (SELECT COUNT(DISTINCT OutletId) FROM HourAggregates) >= (SELECT COUNT(DISTINCT OutletId) FROM Readings) AND (SELECT COUNT(*) FROM HourAggregates) > 0" 2>/dev/null || echo 0)
  [ "$n" = "1" ] && break
  sleep 1
done
sleep 3
ulimit -n 65536 2>/dev/null || true
sim=""
if [ -n "${ZL_SIMULATE_DEVICES:-}" ]; then
  (cd "$out" && exec dotnet "$OLDPWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" simulate --port "$Hj212__Port" --devices "$ZL_SIMULATE_DEVICES" --backfill 6 --interval 5 --duration 120) > "$out/sim.log" 2>&1 &
  sim=$!
fi
if [ "$#" -gt 0 ]; then
  (cd "$out" && exec dotnet "$OLDPWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" loadtest --port "$Hj212__Port" --verify false "$@") > "$out/load.json" 2>"$out/load.err" &
  load=$!
  sleep 15 # the connections are open and sending
fi
python3 - "$db" "$http_port" "$Hj212__Port" "$PWD/src/Zongliang.Cli/bin/Release/net10.0/zl.dll" "$out" <<'PY'
import json, re, socket, sqlite3, subprocess, sys, time, urllib.request, http.cookiejar
from datetime import datetime, timedelta, timezone

db, http_port, hj_port, zl, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
base = f"http://127.0.0.1:{http_port}"

def crc(data):
    c = 0xFFFF
    for b in data:
        c = (c >> 8) ^ b
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    return f"{c:04X}"

def frame(seg):
    raw = seg.encode()
    return f"##{len(raw):04d}{seg}{crc(raw)}\r\n".encode()

jar = http.cookiejar.CookieJar()
web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
web.open(urllib.request.Request(base + "/api/v1/session", json.dumps({"userName": "inspect", "password": "Demo@2026"}).encode(),
                                {"Content-Type": "application/json"})).read()
def open_cases():
    html = web.open(base + "/?handler=Dashboard").read().decode()
    return int(re.search(r'id="open-cases">(\d+)<', html).group(1))

con = sqlite3.connect(db)
rows = con.execute("""
  SELECT h.OutletId, h.HourUtc, d.Mn, d.AccessPassword, f.""" + '"Limit"' + """, COALESCE(o.ReferenceOxygen, 9)
  FROM HourAggregates h JOIN Devices d ON d.OutletId = h.OutletId AND d.State = 3 AND length(d.Mn) = 24
  JOIN OutletFactors f ON f.OutletId = h.OutletId AND f.FactorCode = 'a21026'
  JOIN Outlets o ON o.Id = h.OutletId
  WHERE h.FactorCode = 'a21026' AND h.Received = 0 AND h.Stopped = 0 ORDER BY h.OutletId, h.HourUtc""").fetchall()
con.close()
gaps, seen = [], set()
by = {}
for outlet, hour, mn, pw, limit, o2 in rows:
    by.setdefault((outlet, mn, pw, float(limit), float(o2)), []).append(datetime.fromisoformat(hour.replace(" ", "T")[:19]))
for key, hours in by.items():
    s = set(hours)
    for h in hours:
        if all(h + timedelta(hours=i) in s for i in range(3)):
            gaps.append((key, h)); break
qn = 0
# Access passwords are encrypted at rest: each probe's logger is given a known one, as an operator
# would with `zl device password`, and the listener's next reload of its device list is awaited.
pw = "B212w1"  # HJ 212-2017 table 4: up to 6 letters or digits
for (outlet, mn, _, limit, o2), first in gaps[:5]:
    subprocess.run(["dotnet", zl, "device", "password", "--mn", mn], input=pw + "\n", text=True, cwd=out, check=True, capture_output=True)
time.sleep(12)  # the listener's device list is reloaded every 10 s
for (outlet, mn, _, limit, o2), first in gaps[:5]:
    before = open_cases()
    sock = socket.create_connection(("127.0.0.1", hj_port))
    reader = sock.makefile("rb")
    for k in range(6):
        at = first + timedelta(minutes=10 * k) + timedelta(hours=8)  # Beijing time
        qn += 1
        cp = f"DataTime={at:%Y%m%d%H%M%S};a21026-Avg={limit * 2:.1f},a21026-Flag=N;a19001-Avg={o2:.1f},a19001-Flag=N;a00000-Avg=25.0,a00000-Flag=N"
        sock.sendall(frame(f"QN={at:%Y%m%d%H%M%S}{qn:03d};ST=32;CN=2051;PW={pw};MN={mn};Flag=5;CP=&&{cp}&&"))
        answer = reader.readline()
        assert b"CN=9014" in answer, answer
    acked = time.monotonic()
    stored, shown = None, None
    probe = sqlite3.connect(db, timeout=5)
    start = first.strftime("%Y-%m-%d %H:%M:%S")
    while (stored is None or shown is None) and time.monotonic() - acked < 60:
        if stored is None and probe.execute("SELECT 1 FROM Warnings WHERE OutletId = ? AND Kind = 1 AND Subject = 'a21026' AND StartUtc = ? AND CaseId IS NOT NULL",
                                           (outlet, start)).fetchone():
            stored = time.monotonic() - acked
        if shown is None and open_cases() > before:
            shown = time.monotonic() - acked
        time.sleep(0.05)
    probe.close()
    sock.close()
    ms = lambda s: None if s is None else round(s * 1000)
    print(json.dumps({"outlet": outlet, "ackToWarningWithCaseMs": ms(stored), "ackToDashboardMs": ms(shown)}), flush=True)
PY
if [ -n "$load" ]; then wait "$load" || true; load=""; cat "$out/load.json"; fi
