#!/usr/bin/env bash
# What forwarding costs: on the local 3-silo cluster (deploy/local-cluster.sh), sends the same wine request
# N times (default 2000, one connection, one after another) to a silo that holds wine and to one that does not
# (which forwards each request to a replica), and prints p50/p99 latency of both and the difference.
# Starts the cluster if it is not running and stops it again afterwards. Results: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
started=0
if ! deploy/local-cluster.sh status >/dev/null 2>&1; then
  deploy/local-cluster.sh start >/dev/null
  started=1
fi
trap 'if [ "$started" = 1 ]; then deploy/local-cluster.sh stop >/dev/null; fi' EXIT
token="$(cat .fleet-cluster/token)"
python3 - "$count" "$token" <<'PY'
import http.client, json, sys, time
count, token = int(sys.argv[1]), sys.argv[2]
ports = [8081, 8082, 8083]
body = open("samples/wine/request.json", "rb").read()

def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    return json.loads(c.getresponse().read())

# Wait for the placement: wine on 2 of the 3 silos.
deadline = time.time() + 60
while True:
    replicas = get(ports[0], "/api/v1/models/wine").get("replicas")
    if replicas and len(replicas) == 2:
        break
    if time.time() > deadline:
        sys.exit("wine was not placed on 2 silos within 60 s (is Fleet:Coordinator:ReplicationFactor 2?)")
    time.sleep(0.5)
holder = int(replicas[0]["url"].rstrip("/").rsplit(":", 1)[1])
other = next(p for p in ports if all(not r["url"].rstrip("/").endswith(f":{p}") for r in replicas))

def run(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times, served_by = [], set()
    for i in range(count + 200):
        t = time.perf_counter()
        c.request("POST", "/v2/models/wine/infer", body=body, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            sys.exit(f"port {port}: HTTP {r.status}")
        if i >= 200:  # warm-up excluded
            times.append((time.perf_counter() - t) * 1000)
            served_by.add(r.getheader("Fleet-Served-By"))
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99)], served_by

local = run(holder)
forwarded = run(other)
print(f"local     (:{holder}, holds wine): p50 {local[0]:.3f} ms, p99 {local[1]:.3f} ms")
print(f"forwarded (:{other}, does not):   p50 {forwarded[0]:.3f} ms, p99 {forwarded[1]:.3f} ms, served by {sorted(s for s in forwarded[2] if s)}")
print(f"forwarding adds p50 {forwarded[0] - local[0]:.3f} ms, p99 {forwarded[1] - local[1]:.3f} ms ({count} sequential requests each)")
PY
