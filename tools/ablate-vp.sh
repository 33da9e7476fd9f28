#!/usr/bin/env bash
# The VP ablation sweep of issue 16 (plugins/tasks/NetLlm.Tasks.ViewportPrediction/README.md): the small VP recipe
# (llama-tiny-2x256 fully fine-tuned, residual head at scale 0.3, autoregressive training, wrapped angular MAE, one
# epoch at lr 1e-4) and one cell per ingredient switched back to the original's choice, three training seeds per cell,
# each run tested on the default setting (MAE in degrees, lower is better; persistence, vp.hold, is 9.7634).
#
#   tools/ablate-vp.sh OUT [CELL ...]
#
# Environment: NETLLM (the CLI; default: the Release build of this checkout), NETLLM_DATA_ROOT (the data root),
# SEEDS (default "1 2 3"), THREADS (torch threads for adapt and test, default 1).
# Cells (default: all): recipe mse angular-mse teacher lora absolute augment (the lora cell plus
# --augment yaw-rotation-mirror, the README's recipe that puts every seed below persistence on all four settings).
# Writes OUT/results.csv (one line per cell and seed: MAE on default, roll, pitch, yaw, adapt wall time, best epoch)
# and OUT/summary.md (mean ± sample std per cell). Runs that already have a result line are skipped, so an
# interrupted sweep continues where it stopped; two sweeps may share OUT only if they run different cells.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: tools/ablate-vp.sh OUT [CELL ...]}"
shift
netllm="${NETLLM:-$here/core/NetLlm.Cli/bin/Release/net10.0/netllm}"
seeds="${SEEDS:-1 2 3}"
threads="${THREADS:-1}"
: "${NETLLM_DATA_ROOT:?set NETLLM_DATA_ROOT to the data root (../shared/data beside this checkout)}"
cells=("$@")
if [ ${#cells[@]} -eq 0 ]; then
  cells=(recipe mse angular-mse teacher lora absolute augment)
fi

recipe="--residual-head --residual-scale 0.3 --loss angular-mae --mix-rate 1 --rank -1"
cell_options() {
  case "$1" in
    recipe) echo "$recipe" ;;
    mse) echo "${recipe/--loss angular-mae/--loss mse}" ;;
    angular-mse) echo "${recipe/--loss angular-mae/--loss angular-mse}" ;;
    teacher) echo "${recipe/--mix-rate 1/--mix-rate 0.04}" ;;
    lora) echo "${recipe/--rank -1/--rank 128}" ;;
    absolute) echo "${recipe/--residual-head --residual-scale 0.3 /}" ;;
    augment) echo "${recipe/--rank -1/--rank 128} --augment yaw-rotation-mirror" ;;
    *) echo "unknown cell '$1'" >&2; return 2 ;;
  esac
}

mkdir -p "$out/runs"
csv="$out/results.csv"
[ -f "$csv" ] || echo "cell,seed,mae_default,roll,pitch,yaw,adapt_s,best_epoch" > "$csv"
for cell in "${cells[@]}"; do
  opts="$(cell_options "$cell")"
  for seed in $seeds; do
    if grep -q "^$cell,$seed," "$csv"; then continue; fi
    run="$out/runs/$cell-$seed"
    rm -rf "$run"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$netllm" adapt --task vp --out "$run" --backbone llama-tiny-2x256 $opts --batch-size 16 --lr 1e-4 --warmup-steps 50 \
      --epochs 1 --seed "$seed" --threads "$threads" --progress none > "$run.adapt.log" 2>&1
    adapt_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    "$netllm" test --task vp --setting default --policy "$run" --threads "$threads" --progress none --json "$run.test.json" > /dev/null
    # The test JSON: results[0].metric (MAE) and its roll, pitch and yaw components.
    read -r mae roll pitch yaw < <(tr -d '\n ' < "$run.test.json" | sed -E 's/.*"results":\[\{[^]]*"metric":([-0-9.eE+]+),"components":\{"roll":([-0-9.eE+]+),"pitch":([-0-9.eE+]+),"yaw":([-0-9.eE+]+)\}.*/\1 \2 \3 \4/'; echo)
    best=$(tr -d '\n ' < "$run/run.json" | sed -nE 's/.*"best_epoch":([0-9]+|null).*/\1/p'; echo)
    echo "$cell,$seed,$mae,$roll,$pitch,$yaw,$adapt_s,${best:-}" >> "$csv"
    echo "$cell seed $seed: MAE $mae (roll $roll, pitch $pitch, yaw $yaw), adapt ${adapt_s}s"
  done
done

{
  echo "| cell | options (besides --lr 1e-4 --epochs 1 --batch-size 16) | MAE on default ± std (seeds) | roll / pitch / yaw | adapt wall s |"
  echo "|---|---|---:|---:|---:|"
  for cell in "${cells[@]}"; do
    awk -F, -v c="$cell" -v o="$(cell_options "$cell")" '
      $1 == c { n++; s += $3; ss += $3 * $3; r += $4; p += $5; y += $6; a += $7; v = v (v == "" ? "" : " / ") sprintf("%.4f", $3) }
      END { if (n == 0) exit; m = s / n; sd = n > 1 ? sqrt((ss - n * m * m) / (n - 1)) : 0;
            printf "| %s | `%s` | %.4f ± %.4f (%s) | %.2f / %.2f / %.2f | %.0f |\n", c, o, m, sd, v, r / n, p / n, y / n, a / n }' "$csv"
  done
} > "$out/summary.md"
cat "$out/summary.md"
