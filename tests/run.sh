#!/usr/bin/env bash
# Runs every test project in Fleet.sln. Installs what the tests need first (redis-server for the
# cluster-mode tests, prometheus-alertmanager for the alerting tests; each starts its own on a free loopback port), then prints one closing
# line "N passed, N failed" with the totals over all test projects. Extra arguments go to `dotnet test`
# (for example: tests/run.sh --filter "FullyQualifiedName~Registry").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${missing[*]} (the cluster-mode and alerting tests start real ones on loopback)..."
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

results="$root/TestResults"
rm -rf "$results"
started=$(date +%s)
set +e
dotnet test Fleet.sln --logger "trx;LogFilePrefix=fleet" --results-directory "$results" "$@"
status=$?
set -e

passed=0
failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

echo "tests/run.sh: ${#trx_files[@]} test projects in $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "${#trx_files[@]}" -eq 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
