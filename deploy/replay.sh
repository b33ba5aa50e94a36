#!/usr/bin/env bash
# Replays the rows of a CSV against a model, one Open Inference Protocol request per row with the id
# PREFIX-<row>, so the predictions can be labeled later (`fleet feedback`). Numeric columns only; the label
# column (if named) is not sent but written with the ids to --labels-out. --scale multiplies every feature
# (a crude drift), --rows limits how many rows are sent.
#
#   deploy/replay.sh breast-cancer samples/breast-cancer/data.csv --label-column target --labels-out labels.csv
#   deploy/replay.sh breast-cancer samples/breast-cancer/data.csv --label-column target --scale 1.3 --prefix shifted
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 2 ] || usage
model=$1 csv=$2; shift 2
server=${FLEET_SERVER:-http://127.0.0.1:8080} rows=0 scale=1 prefix="replay-$(date +%s)" label="" labels_out="" datatype=FP32
while [ $# -gt 0 ]; do
  case $1 in
    --server) server=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --label-column) label=$2; shift 2 ;;
    --labels-out) labels_out=$2; shift 2 ;;
    --datatype) datatype=$2; shift 2 ;;
    *) echo "replay.sh: unknown option $1" >&2; usage ;;
  esac
done
[ -r "$csv" ] || { echo "replay.sh: cannot read $csv" >&2; exit 2; }
input=$(curl -sf "$server/v2/models/$model") || { echo "replay.sh: model $model not found at $server" >&2; exit 1; }
input=$(sed -n 's/.*"inputs":\[{"name":"\([^"]*\)".*/\1/p' <<<"$input")

requests=$(mktemp)
trap 'rm -f "$requests"' EXIT
awk -F, -v label="$label" -v scale="$scale" -v prefix="$prefix" -v max="$rows" -v input="$input" -v type="$datatype" -v labels="$labels_out" '
  NR == 1 { for (i = 1; i <= NF; i++) if ($i == label) skip = i; if (labels != "") print "id,label" > labels; next }
  max > 0 && NR - 1 > max { exit }
  {
    data = ""; n = 0
    for (i = 1; i <= NF; i++) if (i != skip) { data = data (n++ ? "," : "") ($i * scale) }
    id = prefix "-" (NR - 2)
    printf "{\"id\":\"%s\",\"inputs\":[{\"name\":\"%s\",\"shape\":[1,%d],\"datatype\":\"%s\",\"data\":[%s]}]}\n", id, input, n, type, data
    if (labels != "" && skip) print id "," $skip > labels
  }' "$csv" > "$requests"

sent=0 failed=0
while IFS= read -r body; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$server/v2/models/$model/infer" -H 'Content-Type: application/json' -d "$body")
  if [ "$status" = 200 ]; then sent=$((sent + 1)); else failed=$((failed + 1)); fi
done < "$requests"
echo "replay.sh: $model: $sent requests answered 200, $failed failed (ids $prefix-0..)${labels_out:+; labels in $labels_out}"
[ "$failed" -eq 0 ]
