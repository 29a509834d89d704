#!/usr/bin/env bash
# Boots the guest-view test's own guest cases (tests/VfioKit.Tests/Data/qemu/guests/<case>/case.args,
# one QEMU argument per line) with the lab's boot.sh and writes the guest's data beside each case.args.
# Usage: topo-cases.sh [CASE...]   (default: every case)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cases="$root/tests/VfioKit.Tests/Data/qemu/guests"

names=("$@")
if ((${#names[@]} == 0)); then
  for dir in "$cases"/*/; do names+=("$(basename "$dir")"); done
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/initramfs.sh" --init "$here/guest-init.sh" --output "$work/init.cpio.gz"
for name in "${names[@]}"; do
  out="$cases/$name"
  [[ -r "$out/case.args" ]] || { echo "topo-cases.sh: no such case '$name'" >&2; exit 2; }
  echo "topo-cases.sh: booting $name" >&2
  "$here/boot.sh" --args "$out/case.args" --output "$work/$name" --initrd "$work/init.cpio.gz"
  "$here/guest-data.sh" --boot "$work/$name" --output "$out"
done
