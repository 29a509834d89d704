#!/usr/bin/env bash
# Boot-to-report time of `vfiokit probe` on a typical config (GPU + audio behind a root port, a virtio disk
# and NIC: tests/VfioKit.Tests/Data/probe/gpu-root-port.sh) under the accelerator probe picks (KVM where
# /dev/kvm works, else TCG; printed), against the lab's by-hand recipe (../shared/LAB.md section 2: a
# shell-built initramfs, the bzImage, the same devices, the same accelerator) in the same run.
# Usage: bench/probe.sh [RUNS]   (default 7; prints hyperfine's table, the medians go into docs/BENCHMARKS.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-7}"
cd "$here"

scripts/install-deps.sh
kernel="${VFIOKIT_LAB_KERNEL:-$here/.cache/lab/vmlinuz}"
config="$here/tests/VfioKit.Tests/Data/probe/gpu-root-port.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Build the native binary once, and unpack the kernel into the probe's cache once, outside the timing.
./vfiokit probe "$config" --kernel "$kernel" --json >"$work/first.json"
accel="$(jq -r .accelerator.name "$work/first.json")"

# The by-hand recipe: busybox, an /init that dumps every function with od, packed by cpio and gzip.
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys"
cp /bin/busybox "$work/root/bin/busybox"
cat >"$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys
for d in /sys/bus/pci/devices/*; do
  echo "DEV $(basename "$d") $(cat "$d/vendor") $(cat "$d/device") $(cat "$d/class")"
  od -An -tx1 -v "$d/config" | tr -d '\n'; echo
done
poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip >"$work/init.cpio.gz")

by_hand=(qemu-system-x86_64 -M q35 -accel "$accel" -m 256 -nodefaults -display none -monitor none -serial stdio -no-reboot
  -kernel "$kernel" -initrd "$work/init.cpio.gz" -append "console=ttyS0 quiet panic=-1"
  -device "pcie-root-port,id=gpu_port,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,multifunction=on,x-speed=16,x-width=16"
  -device "bochs-display,bus=gpu_port,addr=0x0.0,multifunction=on" -device "qemu-xhci,bus=gpu_port,addr=0x0.1"
  -device "pcie-root-port,id=disk_port,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1"
  -device "virtio-blk-pci,drive=d0,bus=disk_port" -blockdev "driver=null-co,node-name=d0"
  -device "pcie-root-port,id=net_port,chassis=3,slot=3,bus=pcie.0,addr=0x1c.2" -device "virtio-net-pci,bus=net_port")
printf -v by_hand_text '%q ' "${by_hand[@]}"
printf -v probe_text '%q ' ./vfiokit probe "$config" --kernel "$kernel" --json

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/'), $(qemu-system-x86_64 --version | head -n 1)"
jq -r '.accelerator | "accelerator: \(.name) (\(.reason))"' "$work/first.json"
hyperfine --runs "$runs" --warmup 1 --export-json "$work/probe.json" \
  --command-name "vfiokit probe (boot to report)" "$probe_text >/dev/null" \
  --command-name "by hand (LAB.md recipe, bzImage)" "$by_hand_text >/dev/null 2>&1"
jq -r '.results[] | "\(.command): median \(.median | . * 100 | round / 100) s (min \(.min | . * 100 | round / 100), max \(.max | . * 100 | round / 100), \(.times | length) runs)"' "$work/probe.json"
