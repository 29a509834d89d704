#!/usr/bin/env bash
# Speed of the PCI config-space decoder on the lab's guest dumps: in-process time per config space and
# per dump file (bench/PciDecode), beside the whole-process time of `lspci -F DUMP -vv` on the same
# files as a yardstick (hyperfine when present, else a plain loop). Usage: bench/pci-decode.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mapfile -t dumps < <(find "$here/tests/VfioKit.Tests/Data/guests" "$here/tests/VfioKit.Tests/Pci/Dumps" -name '*.txt' \
  \( -name lspci.txt -o -path '*/Pci/Dumps/*' \) | sort)
[[ ${#dumps[@]} -gt 0 ]] || { echo "pci-decode: no dumps found" >&2; exit 3; }

dotnet run -c Release --project "$here/bench/PciDecode" -- "${dumps[@]}"

start=$(date +%s%N)
runs=20
for ((i = 0; i < runs; i++)); do
  for d in "${dumps[@]}"; do lspci -F "$d" -vv >/dev/null 2>&1; done
done
end=$(date +%s%N)
awk -v ns="$((end - start))" -v n="$((runs * ${#dumps[@]}))" \
  'BEGIN { printf "lspci -F DUMP -vv (whole process, same dumps): %.0f us per dump file\n", ns / n / 1000 }'
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
