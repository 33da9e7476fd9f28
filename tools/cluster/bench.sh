#!/usr/bin/env bash
# Measures a netllm cluster on this machine (issue 18's closing note): starts redis-server and N silo processes,
# runs an eval grid with --cluster, and prints the wall time next to the local eval of the same grid.
#   bash tools/cluster/bench.sh SILOS -- EVAL-ARGS...      (EVAL-ARGS without --report and --cluster)
# Needs a built netllm (dotnet build -c Release) and redis-server (tools/cluster/install.sh).
set -euo pipefail
silos="$1"; shift; [ "$1" = "--" ] && shift
repo="$(cd "$(dirname "$0")/../.." && pwd)"
netllm="$repo/core/NetLlm.Cli/bin/Release/net10.0/netllm"
work="$(mktemp -d /tmp/netllm-cluster-bench.XXXXXX)"
port=$((20000 + RANDOM % 20000))
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 & pids+=($!)
sleep 1
cat >"$work/cluster.json" <<JSON
{ "clustering": "redis", "redis": "127.0.0.1:$port", "clusterId": "bench-$port", "serviceId": "bench-$port", "workers": 1, "artifacts": "$work" }
JSON
for i in $(seq 1 "$silos"); do
  "$netllm" cluster silo --cluster "$work/cluster.json" --silo-port $((port + 10 + i)) --gateway-port $((port + 100 + i)) >"$work/silo$i.log" 2>&1 & pids+=($!)
done
for i in $(seq 1 "$silos"); do
  until grep -q "silo ready" "$work/silo$i.log"; do sleep 0.5; done
done
start=$(date +%s.%N)
"$netllm" eval "$@" --report "$work/cluster" --no-plots --progress none --cluster "$work/cluster.json" >/dev/null 2>"$work/eval.log"
mid=$(date +%s.%N)
"$netllm" eval "$@" --report "$work/local" --no-plots --progress none >/dev/null 2>&1
end=$(date +%s.%N)
items=$(($(wc -l <"$work/cluster/cluster.csv") - 1))
item_seconds=$(awk -F, 'NR > 1 { s += $5 } END { printf "%.2f", s }' "$work/cluster/cluster.csv")
same=$(cmp -s "$work/cluster/results.json" "$work/local/results.json" && echo "equal" || echo "DIFFERENT")
echo "silos=$silos items=$items cluster_wall_s=$(awk "BEGIN { printf \"%.2f\", $mid - $start }") local_wall_s=$(awk "BEGIN { printf \"%.2f\", $end - $mid }") sum_item_command_s=$item_seconds results.json=$same"
