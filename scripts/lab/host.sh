#!/usr/bin/env bash
# Boots the guest of one host snapshot and stores the guest's own sysfs/procfs files (those a host
# model reads, real layout, relative symlinks) as tests/VfioKit.Tests/Data/hosts/<name>/, with the
# QEMU arguments beside it as hosts/<name>.qemu.args.
# Inputs: scripts/lab/hosts/<name>.args (one QEMU argument per line), optional <name>.append (guest
# kernel command line words, one per line) and <name>.modules (kernel modules of the guest kernel's
# package to load in order, e.g. vfio-pci and its dependencies).
# Usage: host.sh NAME...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$root/tests/VfioKit.Tests/Data/hosts"
kernel="${VFIOKIT_LAB_KERNEL:-$root/.cache/lab/vmlinuz}"

(($# > 0)) || { echo "usage: host.sh NAME... (hosts: scripts/lab/hosts/*.args)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The modules must come from the same kernel package as the kernel: <pkg>/boot/vmlinuz-V, <pkg>/lib/modules/V.
real_kernel="$(readlink -f "$kernel")"
version="$(basename "$real_kernel")"
version="${version#vmlinuz-}"
module_dir="$(dirname "$real_kernel")/../lib/modules/$version"

for name in "$@"; do
  args="$here/hosts/$name.args"
  [[ -r "$args" ]] || { echo "host.sh: no such host '$name' ($args)" >&2; exit 2; }
  append=""
  [[ -r "$here/hosts/$name.append" ]] && append="$(tr '\n' ' ' <"$here/hosts/$name.append" | sed 's/ *$//')"
  modules=()
  if [[ -r "$here/hosts/$name.modules" ]]; then
    while IFS= read -r m; do
      [[ -n "$m" ]] || continue
      ko="$(find "$module_dir" -name "$m.ko" -print -quit 2>/dev/null || true)"
      [[ -n "$ko" ]] || { echo "host.sh: module $m.ko not found under $module_dir" >&2; exit 1; }
      modules+=(--module "$ko")
    done <"$here/hosts/$name.modules"
  fi
  "$here/initramfs.sh" --init "$here/guest-init.sh" --output "$work/$name.cpio.gz" "${modules[@]}"
  echo "host.sh: booting $name" >&2
  if ! "$here/boot.sh" --args "$args" --output "$work/$name" --initrd "$work/$name.cpio.gz" --append "$append"; then
    mkdir -p "$root/.cache/lab"
    cp "$work/$name/console.log" "$root/.cache/lab/$name.failed.log" 2>/dev/null || true
    echo "host.sh: $name failed; its console is in .cache/lab/$name.failed.log" >&2
    exit 1
  fi
  rm -rf "${data:?}/$name"
  mkdir -p "$data"
  cp -a "$work/$name/snapshot" "$data/$name"
  grep -v -e '^#' -e '^$' "$args" >"$data/$name.qemu.args"
done
