#!/usr/bin/env bash
# Whole-process wall time of `vfiokit plan` (the NativeAOT binary) on the largest test topology (AMD EPYC 7451:
# 96 CPUs, 8 NUMA nodes, 16 L3 domains), read from its sysfs dump, next to `lscpu -p --sysroot` on the same
# dump (util-linux reading the same files) and `vfiokit plan` on a 4-CPU dump, in the same hyperfine run.
# Prints the medians and the ratio to lscpu per round, then the median ratio.
# Usage: bench/plan.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
runs="${2:-30}"

for tool in hyperfine lscpu awk sort; do
  command -v "$tool" >/dev/null 2>&1 || { echo "plan: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 3; }
done

"$here/vfiokit" version >/dev/null
bin="$here/.cache/aot/vfiokit"
[[ -x "$bin" ]] || { echo "plan: no binary at $bin" >&2; exit 3; }

epyc="$here/tests/VfioKit.Tests/Data/topologies/x86_64-epyc_7451"
small="$here/tests/VfioKit.Tests/Data/topologies/x86_64-dell_e4310"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The commands, each run without a shell (-N); names for the CSV rows.
big_cmd="$bin plan --vcpus 16 --memory 16G --root $epyc --json"
small_cmd="$bin plan --vcpus 2 --root $small --json"
# Default columns: a comma in the command would break the CSV columns.
lscpu_cmd="lscpu -p --sysroot $epyc"

median_of() { awk -F, -v c="$2" 'NR > 1 && $1 == c { print $4 }' "$1"; }
ms() { awk -v x="$1" 'BEGIN { printf "%.2f", x * 1000 }'; }

ratios=()
for ((r = 1; r <= rounds; r++)); do
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-csv "$work/round.csv" \
    "$big_cmd" "$small_cmd" "$lscpu_cmd" >/dev/null 2>&1
  big="$(median_of "$work/round.csv" "$big_cmd")"
  tiny="$(median_of "$work/round.csv" "$small_cmd")"
  ref="$(median_of "$work/round.csv" "$lscpu_cmd")"
  ratio="$(awk -v a="$big" -v b="$ref" 'BEGIN { printf "%.3f", a / b }')"
  printf 'round %d: plan EPYC 96 CPUs %s ms, plan 4 CPUs %s ms, lscpu --sysroot EPYC %s ms, ratio %s\n' \
    "$r" "$(ms "$big")" "$(ms "$tiny")" "$(ms "$ref")" "$ratio"
  ratios+=("$ratio")
done

median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "median ratio vfiokit plan (EPYC, 96 CPUs) / lscpu --sysroot: $median ($rounds rounds of $runs runs, $(nproc) CPUs, $(date -u +%F))"
