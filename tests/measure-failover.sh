#!/usr/bin/env bash
# Reruns the replica and coordinator failure drills (three silo processes and a redis-server on loopback each) and
# prints their "measured:" lines: SIGKILL and SIGSTOP of a replica host under client load, and the coordinator's silo
# killed between recording and applying a rollback. Usage: tests/measure-failover.sh [RUNS] (default 3).
# Results: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
command -v redis-server >/dev/null || { echo "measure-failover.sh: redis-server is needed (tests/run.sh installs it)" >&2; exit 2; }
dotnet build tests/Fleet.Tests -v q -nologo >/dev/null
for run in $(seq 1 "$runs"); do
  echo "run $run of $runs"
  dotnet test tests/Fleet.Tests --no-build --filter "FullyQualifiedName~ReplicaFailoverTests" --logger "console;verbosity=detailed" 2>&1 \
    | grep -E "measured:|Failed Fleet|Passed Fleet" | sed 's/^ *//'
done
