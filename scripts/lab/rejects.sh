#!/usr/bin/env bash
# Asks QEMU itself which configurations it refuses: each scripts/lab/rejects/<name>.args is started
# paused (-S: no guest runs) with its monitor on stdin, which says `info pci` and `quit`. QEMU either
# exits with an error before its monitor starts (refused) or answers and quits with status 0 (accepted).
# Writes tests/VfioKit.Tests/Data/guests/rejected/: results.tsv (name, verdict accepted|refused, QEMU's
# first stderr line or "-"), <name>.args (the arguments) and, when accepted, <name>.info-pci.txt.
# Usage: rejects.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/tests/VfioKit.Tests/Data/guests/rejected"

command -v qemu-system-x86_64 >/dev/null || { echo "rejects.sh: qemu-system-x86_64 is missing (apt-get install qemu-system-x86)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'info pci\nquit\n' >"$work/monitor"

printf 'name\tverdict\tmessage\n' >"$out/results.tsv"
for a in "$here"/rejects/*.args; do
  name="$(basename "$a" .args)"
  grep -v -e '^#' -e '^$' "$a" >"$out/$name.args"
  mapfile -t args <"$out/$name.args"
  verdict=accepted
  timeout 120 qemu-system-x86_64 -accel tcg -S -display none -monitor stdio -serial none -parallel none "${args[@]}" \
    <"$work/monitor" >"$work/stdout" 2>"$work/stderr" || verdict=refused
  message="$( (grep -v '^$' "$work/stderr" || true) | head -n 1 | tr '\t' ' ')"
  printf '%s\t%s\t%s\n' "$name" "$verdict" "${message:--}" >>"$out/results.tsv"
  if [[ "$verdict" == accepted ]]; then
    # The echo of each command carries the line editor's escape sequences: match the prompts only.
    tr -d '\r' <"$work/stdout" | sed -n '/^(qemu) i/,/^(qemu) q/p' | sed '1d;$d' >"$out/$name.info-pci.txt"
  fi
done
