#!/usr/bin/env bash
# Boots the guest of one named case and writes its data to tests/VfioKit.Tests/Data/guests/<case>/.
# The case's QEMU arguments are scripts/lab/cases/<case>.args (one argument per line); an optional
# scripts/lab/cases/<case>.append adds words to the guest kernel command line.
# Usage: case.sh CASE...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$root/tests/VfioKit.Tests/Data/guests"

(($# > 0)) || { echo "usage: case.sh CASE... (cases: scripts/lab/cases/*.args)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/initramfs.sh" --init "$here/guest-init.sh" --output "$work/init.cpio.gz"

for name in "$@"; do
  args="$here/cases/$name.args"
  [[ -r "$args" ]] || { echo "case.sh: no such case '$name' ($args)" >&2; exit 2; }
  append=""
  [[ -r "$here/cases/$name.append" ]] && append="$(tr '\n' ' ' <"$here/cases/$name.append" | sed 's/ *$//')"
  echo "case.sh: booting $name" >&2
  "$here/boot.sh" --args "$args" --output "$work/$name" --initrd "$work/init.cpio.gz" --append "$append"
  out="$data/$name"
  rm -rf "$out"
  mkdir -p "$out"
  grep -v -e '^#' -e '^$' "$args" >"$out/qemu.args"
  [[ -n "$append" ]] && printf '%s\n' "$append" >"$out/kernel.append"
  "$here/guest-data.sh" --boot "$work/$name" --output "$out"
done
