#!/usr/bin/env bash
# The suite's fuzz campaigns (tests/VfioKit.Tests/Hostile/FuzzTests.cs) run longer: per format (libvirt XML,
# QEMU argv and scripts, Proxmox, host snapshots) the same seeded inputs as CI, up to COUNT inputs or
# SECONDS, whichever comes first, each format in its own test host so its peak RSS (VmHWM) is its own.
# Prints one row per format: inputs run, crashes (an exception other than the documented input error,
# or an input allocating over 256 MiB), hangs (an input over 5 s), fixes declined, slowest input, peak RSS.
# Usage: bench/fuzz.sh [COUNT] [SECONDS_PER_FORMAT] [SEED] [FIRST] [FORMAT...]
# FIRST starts each campaign at input FIRST (a run cut short by SECONDS is continued with the inputs it did not
# reach); FORMAT is one or more of libvirt, qemu, proxmox, host-snapshot (default: all four).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-100000}"
seconds="${2:-600}"
seed="${3:-11}"
first="${4:-0}"
declare -A campaign=([libvirt]=Mutated_libvirt_domains [qemu]=Mutated_QEMU_scripts [proxmox]=Mutated_Proxmox_configs [host-snapshot]=Mutated_host_snapshots)
formats=("${@:5}")
((${#formats[@]})) || formats=(libvirt qemu proxmox host-snapshot)
for f in "${formats[@]}"; do
  [[ -n ${campaign[$f]-} ]] || { echo "fuzz: unknown format '$f' (libvirt, qemu, proxmox, host-snapshot)" >&2; exit 2; }
done

command -v dotnet >/dev/null 2>&1 || { echo "fuzz: dotnet is missing" >&2; exit 3; }
# Under the repository: the tests find their data (tests/VfioKit.Tests/Data) above their binary.
mkdir -p "$here/.cache"
work="$(mktemp -d "$here/.cache/fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Its own build output, so the campaign can run while the tree is rebuilt.
dotnet build "$here/tests/VfioKit.Tests" -c Release -nologo -v quiet -o "$work/bin" >/dev/null
report="$work/report.tsv"
echo "nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), seed $seed, inputs $first to $((first + count - 1)) or ${seconds} s per format"
for format in "${formats[@]}"; do
  test="${campaign[$format]}"
  # A failing campaign still writes its row; the table below is the result either way.
  VFIOKIT_FUZZ_COUNT="$count" VFIOKIT_FUZZ_SECONDS="$seconds" VFIOKIT_FUZZ_SEED="$seed" VFIOKIT_FUZZ_FIRST="$first" VFIOKIT_FUZZ_REPORT="$report" \
    dotnet test "$work/bin/VfioKit.Tests.dll" --filter "FullyQualifiedName~Hostile.FuzzTests.$test" >"$work/$test.log" 2>&1 ||
    { echo "fuzz: $test failed:" >&2; grep -A8 'Error Message' "$work/$test.log" >&2 || tail -20 "$work/$test.log" >&2; }
done
printf '%-14s %8s %8s %6s %6s %9s %12s %9s\n' format inputs crashes hangs declined slowest_ms max_alloc_MiB peak_RSS_MiB
awk -F'\t' '{ printf "%-14s %8d %8d %6d %6d %9d %12d %9d\n", $1, $3, $4, $5, $6, $7, $8, $9 }' "$report"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
