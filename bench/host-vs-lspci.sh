#!/usr/bin/env bash
# Whole-process wall time of `vfiokit host` (the NativeAOT binary) against `lspci -vvv` on this machine,
# measured in the same run with hyperfine: many short rounds, the commands' order rotating, each round the
# ratio of the two medians; prints every round and the median ratio (goal: <= 1.0, vfiokit no slower than
# lspci). `vfiokit host --json` is timed in the same rounds against the same lspci median. Short rotating
# rounds keep load from other processes from favouring one side.
# Also prints the ratio of CPU time (user + system, hyperfine's means), which load on a shared machine
# disturbs far less than wall time.
# Usage: bench/host-vs-lspci.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-15}"
runs="${2:-10}"

for tool in hyperfine lspci awk sort; do
  command -v "$tool" >/dev/null 2>&1 || { echo "host-vs-lspci: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 3; }
done

# The launcher builds the NativeAOT binary when it is missing or stale; then time the binary itself.
"$here/vfiokit" version >/dev/null
bin="$here/.cache/aot/vfiokit"
[[ -x "$bin" ]] || { echo "host-vs-lspci: no binary at $bin" >&2; exit 3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ratios=()
cpu_ratios=()
json_ratios=()
for ((r = 1; r <= rounds; r++)); do
  # -N: no intermediate shell; -i: `vfiokit host` exits 1 on a host that is not ready, which is not an error here.
  case $((r % 3)) in
    1) order=("$bin host" "lspci -vvv" "$bin host --json") ;;
    2) order=("lspci -vvv" "$bin host --json" "$bin host") ;;
    *) order=("$bin host --json" "$bin host" "lspci -vvv") ;;
  esac
  hyperfine -N -i --style none --warmup 2 --runs "$runs" --export-csv "$work/round.csv" "${order[@]}" >/dev/null 2>&1
  # CSV: command,mean,stddev,median,user,system,min,max (seconds)
  vf="$(awk -F, 'NR > 1 && $1 ~ /vfiokit host$/ { print $4 }' "$work/round.csv")"
  ls="$(awk -F, 'NR > 1 && $1 == "lspci -vvv" { print $4 }' "$work/round.csv")"
  vf_cpu="$(awk -F, 'NR > 1 && $1 ~ /vfiokit host$/ { print $5 + $6 }' "$work/round.csv")"
  ls_cpu="$(awk -F, 'NR > 1 && $1 == "lspci -vvv" { print $5 + $6 }' "$work/round.csv")"
  js="$(awk -F, 'NR > 1 && $1 ~ /vfiokit host --json$/ { print $4 }' "$work/round.csv")"
  json_ratio="$(awk -v a="$js" -v b="$ls" 'BEGIN { printf "%.3f", a / b }')"
  ratio="$(awk -v a="$vf" -v b="$ls" 'BEGIN { printf "%.3f", a / b }')"
  cpu_ratio="$(awk -v a="$vf_cpu" -v b="$ls_cpu" 'BEGIN { printf "%.3f", a / b }')"
  printf 'round %d: wall vfiokit host %.2f ms, lspci -vvv %.2f ms, ratio %s; cpu %.2f ms vs %.2f ms, ratio %s; --json %.2f ms, ratio %s\n' "$r" \
    "$(awk -v x="$vf" 'BEGIN{print x*1000}')" "$(awk -v x="$ls" 'BEGIN{print x*1000}')" "$ratio" \
    "$(awk -v x="$vf_cpu" 'BEGIN{print x*1000}')" "$(awk -v x="$ls_cpu" 'BEGIN{print x*1000}')" "$cpu_ratio" \
    "$(awk -v x="$js" 'BEGIN{print x*1000}')" "$json_ratio"
  ratios+=("$ratio")
  cpu_ratios+=("$cpu_ratio")
  json_ratios+=("$json_ratio")
done

median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median="$(median_of "${ratios[@]}")"
cpu_median="$(median_of "${cpu_ratios[@]}")"
json_median="$(median_of "${json_ratios[@]}")"
devices="$(find /sys/bus/pci/devices -mindepth 1 -maxdepth 1 | wc -l)"
echo "median ratio vfiokit host / lspci -vvv: wall $median, cpu $cpu_median, --json wall $json_median ($rounds rounds of $runs runs, $devices PCI functions, $(nproc) CPUs, $(date -u +%F))"
