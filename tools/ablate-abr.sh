#!/usr/bin/env bash
# The ABR ablation sweep of issue 16 (README, "Ablations"): one cell per ingredient of the small NetLLM recipe
# (RobustMPC-only pool, llama-tiny-2x256, LoRA r=128, w=20, bfloat16, checkpoint chosen on 40 training-trace
# episodes, tested with --argmax on the default setting), three training seeds per cell.
#
#   tools/ablate-abr.sh OUT [CELL ...]
#
# Environment: NETLLM (the CLI; default: the Release build of this checkout), NETLLM_DATA_ROOT (the data root),
# SEEDS (default "1 2 3"), THREADS (torch threads for adapt, default 2; tests use 1).
# Cells (default: all): base frozen full rank8 w10 layers4 stories stories-random and off-<slot> for each encoder slot
# (off-last_bitrate off-buffer off-throughput off-delay off-chunk_sizes off-remaining).
# Writes OUT/results.csv (one line per cell and seed: QoE, adapt wall time, test wall time per decision, best epoch)
# and OUT/summary.md (mean ± sample std per cell). Runs that already have a result line are skipped, so an
# interrupted sweep continues where it stopped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: tools/ablate-abr.sh OUT [CELL ...]}"
shift
netllm="${NETLLM:-$here/core/NetLlm.Cli/bin/Release/net10.0/netllm}"
seeds="${SEEDS:-1 2 3}"
threads="${THREADS:-2}"
data="${NETLLM_DATA_ROOT:?set NETLLM_DATA_ROOT to the data root (../shared/data beside this checkout)}"
stories="$(cd "$data/.." && pwd)/models/stories260K"
slots="last_bitrate buffer throughput delay chunk_sizes remaining"
cells=("$@")
if [ ${#cells[@]} -eq 0 ]; then
  cells=(base frozen full stories stories-random rank8 w10)
  for s in $slots; do cells+=("off-$s"); done
  cells+=(layers4)
fi

cell_options() {
  case "$1" in
    base) echo "--backbone llama-tiny-2x256" ;;
    frozen) echo "--backbone llama-tiny-2x256 --rank 0" ;;
    full) echo "--backbone llama-tiny-2x256 --rank -1" ;;
    rank8) echo "--backbone llama-tiny-2x256 --rank 8" ;;
    w10) echo "--backbone llama-tiny-2x256 --w 10" ;;
    layers4) echo "--backbone llama-4x256" ;;
    stories) echo "--model $stories" ;;
    stories-random) echo "--model $stories --random-init" ;;
    off-*) echo "--backbone llama-tiny-2x256 --encoder ${1#off-}=off" ;;
    *) echo "unknown cell '$1'" >&2; return 2 ;;
  esac
}

mkdir -p "$out/runs"
pool="$out/pool-mpc.safetensors"
if [ ! -f "$pool" ]; then
  "$netllm" collect --task abr --policy abr.mpc --out "$pool" --seed 1 --progress none
fi

csv="$out/results.csv"
[ -f "$csv" ] || echo "cell,seed,qoe_default,adapt_s,decision_ms,best_epoch" > "$csv"
for cell in "${cells[@]}"; do
  opts="$(cell_options "$cell")"
  for seed in $seeds; do
    if grep -q "^$cell,$seed," "$csv"; then continue; fi
    run="$out/runs/$cell-$seed"
    rm -rf "$run"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$netllm" adapt --task abr --pool "$pool" --out "$run" $opts --batch-size 16 --lr 3e-4 --warmup-steps 50 \
      --max-steps 800 --dtype bfloat16 --seed "$seed" --threads "$threads" --eval-episodes 40 \
      --traces abr/traces/train/fcc-train --video abr/videos/video1_sizes --progress none > "$run.adapt.log" 2>&1
    adapt_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    "$netllm" test --task abr --setting default --policy "$run" --argmax --threads 1 --progress none --json "$run.test.json" > /dev/null
    # The test JSON: results[0].metric (mean QoE) and seconds over n_traces x 48 decisions.
    read -r qoe seconds traces < <(tr -d '\n ' < "$run.test.json" | sed -E 's/.*"results":\[\{[^]]*"metric":([-0-9.eE+]+).*"n_traces":([0-9]+).*"seconds":([0-9.eE+-]+)\}\],"artifacts".*/\1 \3 \2/'; echo)
    decision_ms=$(awk -v s="$seconds" -v n="$traces" 'BEGIN { printf "%.3f", s * 1000 / (n * 48) }')
    best=$(tr -d '\n ' < "$run/run.json" | sed -nE 's/.*"best_epoch":([0-9]+|null).*/\1/p'; echo)
    echo "$cell,$seed,$qoe,$adapt_s,$decision_ms,${best:-}" >> "$csv"
    echo "$cell seed $seed: QoE $qoe, adapt ${adapt_s}s, ${decision_ms} ms/decision"
  done
done

{
  echo "| cell | options | mean QoE (default) ± std | seeds | adapt wall s | ms per decision |"
  echo "|---|---|---:|---:|---:|---:|"
  for cell in "${cells[@]}"; do
    awk -F, -v c="$cell" -v o="$(cell_options "$cell" | sed "s#$stories#stories260K#")" '
      $1 == c { n++; s += $3; ss += $3 * $3; a += $4; d += $5; v = v (v == "" ? "" : " / ") sprintf("%.4f", $3) }
      END { if (n == 0) exit; m = s / n; sd = n > 1 ? sqrt((ss - n * m * m) / (n - 1)) : 0;
            printf "| %s | `%s` | %.4f ± %.4f (%s) | %d | %.0f | %.2f |\n", c, o, m, sd, v, n, a / n, d / n }' "$out/results.csv"
  done
} > "$out/summary.md"
cat "$out/summary.md"
