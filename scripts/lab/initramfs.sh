#!/usr/bin/env bash
# Builds a gzip-compressed newc initramfs: busybox-static as /bin/busybox (and /bin/sh), the given
# script as /init, and optional kernel modules under /lab (loaded by the init in the order given).
# Usage: initramfs.sh --init FILE --output FILE.cpio.gz [--module FILE.ko]...
set -euo pipefail

init="" output="" modules=()
while (($# > 0)); do
  case "$1" in
    --init) init="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --module) modules+=("$2"); shift 2 ;;
    *) echo "initramfs.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$init" && -n "$output" ]] || { echo "usage: initramfs.sh --init FILE --output FILE.cpio.gz [--module FILE.ko]..." >&2; exit 2; }
[[ -r "$init" ]] || { echo "initramfs.sh: cannot read init script '$init'" >&2; exit 2; }

busybox="${VFIOKIT_LAB_BUSYBOX:-/bin/busybox}"
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  echo "initramfs.sh: '$busybox' is not a static busybox (apt-get install busybox-static)" >&2
  exit 2
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,out,lab}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$init" "$stage/init"
chmod 0755 "$stage/init"
# The kernel opens /dev/console for /init before anything is mounted; only root can make the node.
if ((EUID == 0)); then mknod -m 0600 "$stage/dev/console" c 5 1; fi
for m in "${modules[@]}"; do
  [[ -r "$m" ]] || { echo "initramfs.sh: cannot read module '$m'" >&2; exit 2; }
  cp "$m" "$stage/lab/"
  name="$(basename "$m")"
  echo "${name%.ko}" >>"$stage/lab/modules"
done

mkdir -p "$(dirname "$output")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0 | gzip -n -9) >"$output.tmp"
mv "$output.tmp" "$output"
