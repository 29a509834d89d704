#!/usr/bin/env bash
# The evidence for the QEMU front end's shell reader (docs/architecture.md, "QEMU front end"): whole-process
# time of `shfmt --to-json` (mvdan/sh, the maintained parser we could use instead) against `vfiokit lint`
# (which tokenizes, reads topology and tuning, predicts and runs every rule) on every QEMU script and
# argument file of the test data, and on a generated 360 KB script; plus the size of shfmt's JSON.
# Usage: bench/qemu-front-end.sh [VFIOKIT_BINARY]   (default: the NativeAOT binary ./vfiokit builds)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v shfmt >/dev/null 2>&1 || { echo "qemu-front-end: shfmt is missing (apt-get install shfmt)" >&2; exit 3; }
if [[ $# -ge 1 ]]; then bin="$1"; else "$here/vfiokit" version >/dev/null; bin="$here/.cache/aot/vfiokit"; fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mapfile -t files < <(find "$here/tests/VfioKit.Tests/Data" -type f \( -name '*.sh' -o -name '*.args' -o -path '*/qemu/*.txt' \) ! -name extract.sh | sort)

ms() { echo $(( ($2 - $1) / 1000000 )); }
time_all() { # time_all LABEL COMMAND...: runs COMMAND FILE for every file, prints the total in ms
  local label="$1"; shift
  local t0 t1
  t0=$(date +%s%N)
  for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
  t1=$(date +%s%N)
  printf '%-34s %5d files %7d ms total %6d ms/file\n' "$label" "${#files[@]}" "$(ms "$t0" "$t1")" "$(( $(ms "$t0" "$t1") / ${#files[@]} ))"
}
shfmt_json() { shfmt --to-json <"$1"; }
time_all "shfmt --to-json (parse only)" shfmt_json
time_all "vfiokit lint (whole lint)" "$bin" lint --fail-on none

# A long script: 360 KB of options, a $(...) in every other word.
python3 - "$out/big.sh" <<'PY'
import sys
parts = ['#!/bin/sh', 'qemu-system-x86_64 -machine q35 \\']
n = 0
while sum(map(len, parts)) < 360 * 1024:
    parts.append(f'  -object "memory-backend-file,id=m{n},size=64M,mem-path=$(cat /tmp/p{n})" -name \'vm {n}\' \\')
    n += 1
parts.append('  -device vfio-pci,host=0b:00.0,bus=pcie.0,addr=0x5 -m 4G')
open(sys.argv[1], 'w').write('\n'.join(parts) + '\n')
PY
for label in shfmt vfiokit; do
  t0=$(date +%s%N)
  if [[ $label == shfmt ]]; then shfmt --to-json <"$out/big.sh" >"$out/big.json"; else "$bin" lint --fail-on none "$out/big.sh" >/dev/null; fi
  t1=$(date +%s%N)
  printf '%-34s %7d ms\n' "$label on $(( $(stat -c %s "$out/big.sh") / 1024 )) KB" "$(ms "$t0" "$t1")"
done
printf 'shfmt JSON for the 360 KB script: %d KB (%dx the script)\n' "$(( $(stat -c %s "$out/big.json") / 1024 ))" "$(( $(stat -c %s "$out/big.json") / $(stat -c %s "$out/big.sh") ))"
