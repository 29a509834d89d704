#!/usr/bin/env bash
# `vfiokit fix --diff` (the NativeAOT binary) on generated QEMU launch scripts of about 360 KB and 4 MiB (the
# largest input vfiokit accepts) whose two fixes are at opposite ends: an x-vga=on on a GPU at the top and one
# at the bottom (VK112, OVMF), with -smbios OEM-string lines between them. Whole process, under
# /usr/bin/time -v: wall time and peak RSS per run, the median of ROUNDS runs. Each diff is checked: it applies
# with patch(1) to give exactly what `fix` prints, and its last line ends in a newline.
# Usage: bench/diff.sh [ROUNDS]        VFIOKIT=/path/to/vfiokit bench/diff.sh   (default: the ./vfiokit launcher's binary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"

for tool in /usr/bin/time patch awk sort cmp; do
  command -v "$tool" >/dev/null 2>&1 || { echo "diff: $tool is missing (apt-get install time patch)" >&2; exit 3; }
done

if [[ -n "${VFIOKIT:-}" ]]; then
  bin="$VFIOKIT"
else
  "$here/vfiokit" version >/dev/null
  bin="$here/.cache/aot/vfiokit"
fi
[[ -x "$bin" ]] || { echo "diff: no binary at $bin" >&2; exit 3; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A launch script of about $2 bytes: GPU 1 (x-vga=on) first, filler, GPU 2 (x-vga=on) last.
generate() {
  local out="$1" bytes="$2"
  {
    printf '#!/bin/bash\n'
    printf 'qemu-system-x86_64 -machine q35 -cpu host -m 8G \\\n'
    printf '  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \\\n'
    printf '  -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \\\n'
    printf '  -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0,x-vga=on \\\n'
    awk -v bytes="$bytes" 'BEGIN { line = "  -smbios type=11,value=vfiokit-bench-filler-%08d \\\n"; n = int((bytes - 600) / (length(sprintf(line, 0)))); for (i = 0; i < n; i++) printf line, i }'
    printf '  -device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0 \\\n'
    printf '  -device vfio-pci,host=0000:0c:00.0,bus=rp2,addr=0x0,x-vga=on\n'
  } >"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "binary: $bin; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %H:%M') UTC"
# 360 KiB, and 4 MiB less 1 KiB (vfiokit refuses input over 4 MiB).
for size in 368640 4193280; do
  script="$work/vm-$size.sh"
  generate "$script" "$size"
  "$bin" fix "$script" >"$work/fixed" 2>"$work/err" || { echo "diff: fix failed on $script:" >&2; cat "$work/err" >&2; exit 1; }
  # `fix` alone beside `fix --diff`: the difference is what the diff costs; CPU time (user + system) beside
  # wall time, since on a shared machine wall time mostly measures the other processes.
  for mode in fix diff; do
    times=()
    cpu=()
    rss=()
    for ((r = 1; r <= rounds; r++)); do
      args=(fix)
      [[ "$mode" == diff ]] && args+=(--diff)
      /usr/bin/time -v -o "$work/time" "$bin" "${args[@]}" "$script" >"$work/$mode" 2>"$work/err" || {
        echo "diff: ${args[*]} failed on $script:" >&2; cat "$work/err" >&2; exit 1; }
      times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")")
      cpu+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$work/time")")
      rss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time")")
    done
    printf '%8d bytes, %6d lines, %-10s median wall %s s (runs: %s), median CPU %s s, median peak RSS %s MB (runs: %s)\n' \
      "$(wc -c <"$script")" "$(wc -l <"$script")" "${args[*]}:" \
      "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}" "$(printf '%s\n' "${cpu[@]}" | median)" \
      "$(printf '%s\n' "${rss[@]}" | median)" "${rss[*]}"
  done
  # The diff is exact: the original patched with it is what `fix` prints; it ends in a newline.
  cp "$script" "$work/patched"
  patch -s "$work/patched" "$work/diff"
  cmp -s "$work/patched" "$work/fixed" || { echo "diff: the diff does not give fix's output for $script" >&2; exit 1; }
  [[ "$(tail -c 1 "$work/diff" | od -An -c | tr -d ' ')" == '\n' ]] || { echo "diff: the diff's last line has no newline" >&2; exit 1; }
  echo "          the diff: $(grep -c '^@@' "$work/diff") hunks, applies with patch to give fix's output, ends in a newline"
done
