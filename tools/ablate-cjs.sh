#!/usr/bin/env bash
# The CJS ablation sweep of issue 16 (README, Results): NetLLM imitating Decima on the default setting (200 jobs,
# 50 executors). One pool of Decima's trajectories (24 episodes from seed 101: workloads no test uses), then one adapt
# per cell and training seed on llama-tiny-2x256 (--always-stage, batch 16, lr 3e-4, 50 warm-up steps, STEPS
# optimiser steps), each run tested by sampling, as Decima does, on the workloads of seeds 1-5 (average JCT in s, lower
# is better; Decima is 53.07 on them, Fair 59.38).
#
#   tools/ablate-cjs.sh OUT [CELL ...]
#
# Environment: NETLLM (the CLI; default: the Release build of this checkout), NETLLM_DATA_ROOT (the data root),
# SEEDS (training seeds, default "1 2 3"), TEST_SEEDS (default "1 2 3 4 5"), STEPS (default 600), THREADS (torch
# threads for adapt and test, default 1).
# Cells (default: all): full (the whole backbone trains), lora (LoRA r=128 on q/v, the original's), frozen (rank 0:
# encoder, embeddings and heads train alone), pool4 (full, on a pool of 4 Decima episodes from the same seed: the
# pool size of the earlier README run), w10 (full, context window 10 instead of 20), layers4 (full, llama-4x256),
# stories (full, the pretrained stories260K of ../models beside the data root), stories-random (full, its shape with
# random weights). No encoder-off cell: CJS's one slot, the graph encoder, answers a DagEncoding rather than a tensor, so
# `--encoder state_encoder=off` is refused, and without it the policy would see no state at all.
# Writes OUT/results.csv (one line per cell and training seed: mean JCT over the test seeds, each test seed's JCT,
# adapt wall time, ms per decision in test, simulator included) and OUT/summary.md (mean ± sample std per cell).
# Runs that already have a result line are skipped, so an interrupted sweep continues where it stopped; two sweeps
# may share OUT only if they run different cells.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: tools/ablate-cjs.sh OUT [CELL ...]}"
shift
netllm="${NETLLM:-$here/core/NetLlm.Cli/bin/Release/net10.0/netllm}"
seeds="${SEEDS:-1 2 3}"
test_seeds="${TEST_SEEDS:-1 2 3 4 5}"
steps="${STEPS:-600}"
threads="${THREADS:-1}"
: "${NETLLM_DATA_ROOT:?set NETLLM_DATA_ROOT to the data root (../shared/data beside this checkout)}"
stories="$(cd "$NETLLM_DATA_ROOT/.." && pwd)/models/stories260K"
cells=("$@")
if [ ${#cells[@]} -eq 0 ]; then
  cells=(full lora frozen pool4 w10 layers4 stories stories-random)
fi

cell_options() {
  case "$1" in
    full|pool4) echo "--backbone llama-tiny-2x256 --rank -1" ;;
    lora) echo "--backbone llama-tiny-2x256 --rank 128" ;;
    frozen) echo "--backbone llama-tiny-2x256 --rank 0" ;;
    w10) echo "--backbone llama-tiny-2x256 --rank -1 --w 10" ;;
    layers4) echo "--backbone llama-4x256 --rank -1" ;;
    stories) echo "--model $stories --rank -1" ;;
    stories-random) echo "--model $stories --random-init --rank -1" ;;
    *) echo "unknown cell '$1'" >&2; return 2 ;;
  esac
}

cell_pool() {
  case "$1" in
    pool4) echo "$out/pool-4.safetensors" ;;
    *) echo "$out/pool.safetensors" ;;
  esac
}

collect() { # FILE EPISODES
  [ -f "$1" ] && return 0
  "$netllm" collect --task cjs --policy cjs.decima --episodes "$2" --seed 101 --threads "$threads" --progress none \
    --out "$1" > "$1.log" 2>&1
}

mkdir -p "$out/runs"
csv="$out/results.csv"
[ -f "$csv" ] || echo "cell,seed,jct_mean,jct_per_test_seed,adapt_s,ms_per_decision" > "$csv"
for cell in "${cells[@]}"; do
  opts="$(cell_options "$cell")"
  pool="$(cell_pool "$cell")"
  case "$cell" in pool4) collect "$pool" 4 ;; *) collect "$pool" 24 ;; esac
  for seed in $seeds; do
    if grep -q "^$cell,$seed," "$csv"; then continue; fi
    run="$out/runs/$cell-$seed"
    rm -rf "$run"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$netllm" adapt --task cjs --pool "$pool" --out "$run" --always-stage $opts --batch-size 16 --lr 3e-4 \
      --warmup-steps 50 --max-steps "$steps" --seed "$seed" --threads "$threads" --progress none > "$run.adapt.log" 2>&1
    adapt_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    jcts=""
    total_s=0
    total_steps=0
    for t in $test_seeds; do
      json="$run.test-$t.json"
      "$netllm" test --task cjs --setting default --policy "$run" --seed "$t" --threads "$threads" --progress none --json "$json" > /dev/null
      # The test JSON: results[0].metric (average JCT), .run.steps (decisions) and .seconds (wall time of the run).
      read -r jct n secs < <(tr -d '\n ' < "$json" | sed -E 's/.*"results":\[\{[^]]*"metric":([-0-9.eE+]+),.*"run":\{"episodes":[0-9]+,"steps":([0-9]+)[^}]*\},"seconds":([-0-9.eE+]+)\}.*/\1 \2 \3/'; echo)
      jcts="$jcts${jcts:+ }$(printf '%.4f' "$jct")"
      total_s=$(awk -v a="$total_s" -v b="$secs" 'BEGIN { print a + b }')
      total_steps=$((total_steps + n))
    done
    mean=$(echo "$jcts" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.4f", s / NF }')
    ms=$(awk -v s="$total_s" -v n="$total_steps" 'BEGIN { printf "%.2f", 1000 * s / n }')
    echo "$cell,$seed,$mean,$jcts,$adapt_s,$ms" >> "$csv"
    echo "$cell seed $seed: average JCT $mean s ($jcts), adapt ${adapt_s}s, $ms ms per decision"
  done
done

{
  echo "| cell | options (besides --always-stage --batch-size 16 --lr 3e-4 --max-steps $steps) | average JCT on default ± std over training seeds (each: mean over test seeds) | adapt wall s | ms per decision |"
  echo "|---|---|---:|---:|---:|"
  for cell in "${cells[@]}"; do
    awk -F, -v c="$cell" -v o="$(cell_options "$cell") --pool $(basename "$(cell_pool "$cell")")" '
      $1 == c { n++; s += $3; ss += $3 * $3; a += $5; l += $6; v = v (v == "" ? "" : " / ") sprintf("%.2f", $3) }
      END { if (n == 0) exit; m = s / n; sd = n > 1 ? sqrt((ss - n * m * m) / (n - 1)) : 0;
            printf "| %s | `%s` | %.2f ± %.2f (%s) | %.0f | %.2f |\n", c, o, m, sd, v, a / n, l / n }' "$csv"
  done
} > "$out/summary.md"
cat "$out/summary.md"
