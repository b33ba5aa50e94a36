#!/usr/bin/env bash
# Measures fault -> decision and fault -> mitigation on one embedded Fleet server, with the probe and coordinator
# settings you give (default: Fleet's defaults). Three faults, each on a fresh model (version 1 good, version 2 live):
#   weights   version 2 serves version 1's weights on this host (POST /api/v1/faults): the golden probe fails
#   artifact  version 2's stored file is overwritten with other bytes: the artifact check fails
#   nan       version 2 answers NaN for large tumours (samples/testing/breast-cancer-nan.onnx): output violations
# A client sends a request every 20 ms throughout and counts the answers that were not 200.
#
# Usage: tests/measure-probes.sh [--Fleet:Probes:Interval=00:00:01 ...]     (settings go to the server)
#        FLEET_NO_BUILD=1 skips the Release build. Needs curl and python3.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$root/src/Fleet.Server/bin/Release/net10.0/Fleet.Server.dll"
cli="$root/src/Fleet.Cli/bin/Release/net10.0/fleet.dll"
work="$(mktemp -d)"
server_pid=""

cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ "${FLEET_NO_BUILD:-}" != 1 ]]; then
    echo "building src/Fleet.Server and src/Fleet.Cli (Release)..." >&2
    dotnet build -c Release "$root/src/Fleet.Server" -v q -nologo >/dev/null
    dotnet build -c Release "$root/src/Fleet.Cli" -v q -nologo >/dev/null
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
settings=("$@")
dotnet "$dll" --urls "$url" --Fleet:DataDirectory="$work/data" --Fleet:SamplesDirectory="$root/samples" \
    --Fleet:FaultInjection:Enabled=true --Logging:LogLevel:Default=Warning "${settings[@]}" >"$work/server.log" 2>&1 &
server_pid=$!

now() { date +%s.%N; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fleet() { dotnet "$cli" --server "$url" "$@"; }

for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/v2/health/ready")" == 200 ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done

# model sample v2-file -> sha256 of version 1 (version 2 is live, version 1 its last-known-good)
setup() {
    local model=$1 sample=$2 v2=$3 v1sha
    fleet models register "$model" --task classification >/dev/null
    v1sha="$(fleet versions add "$model" "$root/samples/$sample/model.onnx" --version 1 \
        --reference "$root/samples/$sample/reference_labeled.csv" --label-column target --output json | json "d['sha256']")"
    fleet versions add "$model" "$v2" --version 2 --reference "$root/samples/$sample/reference_labeled.csv" --label-column target >/dev/null
    fleet promote "$model" 1 >/dev/null
    fleet promote "$model" 2 >/dev/null
    until [[ "$(curl -s "$url/v2/models/$model/ready" | json "d.get('version')")" == 2 ]]; do sleep 0.1; done
    echo "$v1sha"
}

# Sends REQUEST to MODEL every 20 ms into FILE (one line per answer: "time status version fallback-or-direct").
client() {
    local model=$1 request=$2 file=$3 answer
    while true; do
        answer="$(curl -s -o /dev/null -w '%{http_code} %header{fleet-model-version} [%header{fleet-fallback}]' \
            -X POST "$url/v2/models/$model/infer" -H 'Content-Type: application/json' --data-binary "@$request")"
        read -r status version fallback <<<"$answer"
        printf '%s %s %s %s\n' "$(date +%s.%N)" "$status" "${version:--}" "$([[ "$fallback" == "[]" ]] && echo direct || echo fallback)" >>"$file"
        sleep 0.02
    done
}

# Waits for MODEL's rollback decision, then reports fault -> decision and fault -> version 1 answering directly.
report() {
    local name=$1 model=$2 t0=$3 answers=$4 loop=$5 decided mitigated failed total
    until decided="$(curl -s "$url/api/v1/decisions?model=$model" | json "next((d['time'] for d in d['decisions'] if d['action']=='rollback' and d['status']=='done'), '')")" && [[ -n "$decided" ]]; do
        sleep 0.1
    done
    until mitigated="$(awk '$3 == "1" && $4 == "direct" {print $1; exit}' "$answers")" && [[ -n "$mitigated" ]]; do sleep 0.1; done
    kill "$loop"
    wait "$loop" 2>/dev/null || true
    failed="$(awk '$2 != "200"' "$answers" | wc -l)"
    total="$(wc -l <"$answers")"
    python3 -c "
from datetime import datetime
decided = datetime.fromisoformat('$decided').timestamp()
print(f'{\"$name\":<10} fault->decision {decided - $t0:6.2f} s   fault->last-known-good answering {$mitigated - $t0:6.2f} s   requests {$total}, failed {$failed}')"
}

echo "settings: ${settings[*]:-(defaults)}"

# 1. Swapped weights on this host.
sha="$(setup m-weights wine "$root/samples/testing/wine-v2.onnx")"
client m-weights "$root/samples/wine/request.json" "$work/weights" & loop=$!
sleep 1
t0="$(now)"
curl -s -X POST "$url/api/v1/faults" -H 'Content-Type: application/json' \
    -d "{\"model\":\"m-weights\",\"version\":\"2\",\"kind\":\"weights\",\"artifact_sha256\":\"$sha\"}" >/dev/null
report weights m-weights "$t0" "$work/weights" "$loop"

# 2. Artifact overwritten on disk (a copy of wine-v2 with its own SHA-256, so no other model shares the file).
python3 -c "
import sys, uuid
tag = ('measure ' + uuid.uuid4().hex).encode()
open('$work/wine-v2-copy.onnx', 'wb').write(open('$root/samples/testing/wine-v2.onnx', 'rb').read() + bytes([0x32, len(tag)]) + tag)"
setup m-artifact wine "$work/wine-v2-copy.onnx" >/dev/null
sha2="$(curl -s "$url/api/v1/models/m-artifact/versions/2" | json "d['sha256']")"
client m-artifact "$root/samples/wine/request.json" "$work/artifact" & loop=$!
sleep 1
t0="$(now)"
cp "$root/samples/wine/model.onnx" "$work/data/artifacts/sha256/${sha2:0:2}/$sha2.onnx"
report artifact m-artifact "$t0" "$work/artifact" "$loop"

# 3. A version that answers NaN for part of the input space goes live; the client sends such inputs.
setup m-nan breast-cancer "$root/samples/testing/breast-cancer-nan.onnx" >/dev/null
python3 -c "import json; json.dump(json.load(open('$root/samples/testing/breast-cancer-nan.json'))['request'], open('$work/nan-request.json', 'w'))"
t0="$(now)"
client m-nan "$work/nan-request.json" "$work/nan" & loop=$!
report nan m-nan "$t0" "$work/nan" "$loop"
