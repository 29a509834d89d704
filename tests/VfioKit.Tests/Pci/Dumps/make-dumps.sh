#!/usr/bin/env bash
# Boots one throwaway q35 guest under TCG (see ../../../../../shared/LAB.md, section 2) with many kinds
# of PCI Express functions, reads every function's config space from the guest's sysfs and writes it
# in `lspci -xxxx` form to qemu-q35.txt beside this script. The decoder tests compare their decoding
# of that file with `lspci -F qemu-q35.txt -vv`. Rerun to regenerate: ./make-dumps.sh [KERNEL]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
kernel="${1:-${VFIOKIT_LAB_KERNEL:-$root/.cache/lab/vmlinuz}}"
[[ -r "$kernel" ]] || { echo "make-dumps.sh: no guest kernel at $kernel (run scripts/install-deps.sh)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/initramfs/bin"
cp "$(command -v busybox)" "$work/initramfs/bin/busybox"
cat > "$work/initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys
mount -t proc proc /proc
mount -t sysfs sysfs /sys
for d in /sys/bus/pci/devices/*; do
  echo "DEV $(basename "$d") $(cat "$d/class")"
  od -An -tx1 -v "$d/config" | tr -d '\n'; echo
done
poweroff -f
INIT
chmod +x "$work/initramfs/init"
(cd "$work/initramfs" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/init.cpio.gz"

# Root ports of both models and speeds, a switch, a PCIe-to-PCI bridge with a PCI bridge behind it,
# endpoints with SR-IOV/ATS/DSN/AER, an RCiEP and a multifunction GPU-like slot.
timeout 300 qemu-system-x86_64 -M q35 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$work/init.cpio.gz" -append "console=ttyS0 quiet panic=-1" \
  -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,multifunction=on \
  -device e1000e,bus=rp1,addr=0x0.0,multifunction=on \
  -device nvme,serial=x,drive=d0,bus=rp1,addr=0x0.1 -drive if=none,id=d0,file=/dev/null,format=raw \
  -device ioh3420,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1 \
  -device virtio-net-pci,bus=rp2,disable-legacy=on,ats=on \
  -device pcie-root-port,id=rp3,chassis=3,slot=3,bus=pcie.0,addr=0x1c.2,x-speed=16,x-width=16 \
  -device x3130-upstream,id=up1,bus=rp3 \
  -device xio3130-downstream,id=dn1,bus=up1,chassis=4,slot=4 \
  -device virtio-vga,bus=dn1,addr=0x0.0,multifunction=on \
  -device ich9-intel-hda,bus=dn1,addr=0x0.1 \
  -device pcie-root-port,id=rp5,chassis=5,slot=5,bus=pcie.0,addr=0x1c.3,x-speed=8,x-width=8 \
  -device pcie-pci-bridge,id=pb1,bus=rp5 \
  -device pci-bridge,id=b2,bus=pb1,chassis_nr=6,addr=0x1 \
  -device e1000,bus=b2,addr=0x2 \
  -device e1000e,bus=pcie.0,addr=0x5 \
  | tr -d '\r' > "$work/console.txt"

# "DEV 0000:01:00.0 0x020000" then one line of hex bytes -> "01:00.0 class 020000" and 16-byte rows.
awk '
  /^DEV / { split($2, a, ":"); name = a[2] ":" a[3]; cls = substr($3, 3); getline bytes; n = split(bytes, b, " ")
            if (n < 64) next
            printf "%s Class %s\n", name, cls
            for (i = 0; i < n; i += 16) {
              printf (i < 256 ? "%02x:" : "%03x:"), i
              for (j = 1; j <= 16 && i + j <= n; j++) printf " %s", b[i + j]
              printf "\n"
            }
            printf "\n" }' "$work/console.txt" > "$work/qemu-q35.txt"
count="$(grep -c '^[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7] ' "$work/qemu-q35.txt" || true)"
[[ "$count" -gt 0 ]] || { echo "make-dumps.sh: the guest reported no PCI devices" >&2; tail -n 40 "$work/console.txt" >&2; exit 1; }
cp "$work/qemu-q35.txt" "$here/qemu-q35.txt"
echo "make-dumps.sh: $count functions written to $here/qemu-q35.txt"
