#!/usr/bin/env bash
# Issue 19's measurements on a random Llama-2-7B-shaped checkpoint (6.74 B parameters, bfloat16, two shards):
#
#   tools/measure-7b.sh DIR [NETLLM]
#
# writes the checkpoint into DIR once (`netllm backbone init --preset llama-2-7b`, seed 1), then times
# `backbone info` and a 32-token `backbone forward` in bfloat16 on 2 threads (whole processes: wall time and peak RSS
# from GNU time; the forward both with mapped and with copied weights), and runs `netllm bench backbone --model DIR`
# (load, first output, KV-cached decision, one LoRA step, memory; JSON in DIR/bench-backbone.json). NETLLM defaults to
# this checkout's Release build. Needs about 13 GiB of disk and 17 GiB of RAM; run it on a quiet machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: tools/measure-7b.sh DIR [NETLLM]}"
netllm="${2:-$here/core/NetLlm.Cli/bin/Release/net10.0/netllm}"
timer=/usr/bin/time
[ -x "$timer" ] || { echo "GNU time is needed for peak RSS: apt-get install -y time" >&2; exit 2; }

measure() { # label, command...
  local label="$1"; shift
  local log; log="$(mktemp)"
  "$timer" -f "%e %M" -o "$log" "$@" > /dev/null
  read -r wall kib < "$log"
  rm -f "$log"
  awk -v l="$label" -v w="$wall" -v k="$kib" 'BEGIN { printf "%-28s %8.1f s wall  %7.2f GiB peak RSS\n", l, w, k / 1048576 }'
}

if [ ! -f "$dir/model.safetensors.index.json" ]; then
  measure "backbone init (write)" "$netllm" backbone init --preset llama-2-7b --out "$dir" --dtype bfloat16 --max-shard-gb 10 --seed 1 --threads 2
fi

embeds="$dir/inputs-embeds-32.npy"
if [ ! -f "$embeds" ]; then
  command -v python3 > /dev/null || { echo "python3 is needed to write the 32-token input: apt-get install -y python3" >&2; exit 2; }
  # [1, 32, 4096] float32 drawn from N(0, 0.02), seed 1 (standard library only).
  python3 - "$embeds" <<'PY'
import random, struct, sys
random.seed(1)
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 32, 4096), }"
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%df" % (32 * 4096), *(random.gauss(0, 0.02) for _ in range(32 * 4096))))
PY
fi

measure "backbone info" "$netllm" backbone info --model "$dir" --json
measure "backbone forward, 32 tokens" "$netllm" backbone forward --model "$dir" --inputs-embeds "$embeds" --dtype bfloat16 --threads 2 --out "$dir/out.npy"
measure "backbone forward, copied" "$netllm" backbone forward --model "$dir" --inputs-embeds "$embeds" --dtype bfloat16 --threads 2 --copy-weights --out "$dir/out-copied.npy"
cmp -s "$dir/out.npy" "$dir/out-copied.npy" || { echo "mapped and copied weights gave different outputs" >&2; exit 1; }
measure "bench backbone --model" "$netllm" bench backbone --model "$dir" --threads 2 --json "$dir/bench-backbone.json"
python3 - "$dir/bench-backbone.json" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["suites"]["backbone"]["cases"]:
    print(f"{c['model'] or c['preset']}: load {c['load_s']} s, first output {c['time_to_first_output_s']} s "
          f"(peak {c['peak_rss_to_first_output_over_weights']}x weights), forward {c['forward_s']} s, "
          f"decision {c['decision_ms_kv_cache']} ms, LoRA step {c['train_step_s']} s (peak {c['train_peak_rss_mb'] / 1024:.2f} GiB)")
PY
