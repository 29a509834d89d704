#!/usr/bin/env bash
# Turns what boot.sh collected into the committed form of a guest case:
#   lspci.txt      every device's whole config space as `lspci -xxxx` prints it (the text `lspci -F`
#                  reads): "BB:DD.F name" then "00: xx xx ..." rows of 16 bytes, 256 or 4096 bytes as
#                  the guest's sysfs gave them (conventional PCI devices have 256), a blank line after each
#   lspci-vv.txt   this machine's `lspci -F lspci.txt -vv`, for reference
#   sysfs.tsv      per device: address vendor device class current_link_speed current_link_width
#                  max_link_speed max_link_width numa_node ("-" where the attribute is absent)
#   devices.tsv    QEMU's own view (monitor `info pci`): address, vendor, device, qdev id ("-" if none)
#   qemu-info-pci.txt  the monitor's `info pci` text as it was
# Usage: guest-data.sh --boot DIR --output DIR
set -euo pipefail

boot="" output=""
while (($# > 0)); do
  case "$1" in
    --boot) boot="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    *) echo "guest-data.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$boot" && -n "$output" ]] || { echo "usage: guest-data.sh --boot DIR --output DIR" >&2; exit 2; }
snap="$boot/snapshot"
[[ -d "$snap/sys/bus/pci/devices" ]] || { echo "guest-data.sh: no sys/bus/pci/devices in '$snap'" >&2; exit 1; }
mkdir -p "$output"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

attr() { # attr DEVICE_DIR NAME: the attribute's first line, or "-"
  if [[ -f "$1/$2" ]]; then
    local v
    v="$(head -n 1 "$1/$2")"
    printf '%s' "${v:--}"
  else
    printf '%s' "-"
  fi
}

raw="$work/raw.txt"
: >"$raw"
printf 'address\tvendor\tdevice\tclass\tcurrent_link_speed\tcurrent_link_width\tmax_link_speed\tmax_link_width\tnuma_node\n' >"$output/sysfs.tsv"
mapfile -t devices < <(find "$snap/sys/bus/pci/devices" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)
for a in "${devices[@]}"; do
  d="$snap/sys/bus/pci/devices/$a"
  [[ -f "$d/config" ]] || { echo "guest-data.sh: $a has no config" >&2; exit 1; }
  # lspci names domain 0 devices without the domain.
  {
    printf '%s x\n' "${a#0000:}"
    od -An -tx1 -v -w16 "$d/config" | awk '{ printf "%02x:%s\n", (NR - 1) * 16, $0 }'
    echo
  } >>"$raw"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$(attr "$d" vendor)" "$(attr "$d" device)" "$(attr "$d" class)" \
    "$(attr "$d" current_link_speed)" "$(attr "$d" current_link_width)" "$(attr "$d" max_link_speed)" \
    "$(attr "$d" max_link_width)" "$(attr "$d" numa_node)" >>"$output/sysfs.tsv"
done
# Let pciutils write the final text, so the names and layout are exactly lspci's own.
lspci -F "$raw" -xxxx >"$output/lspci.txt"
# (lspci -vv tries libkmod for driver names, which a dump does not need: that warning is dropped.)
lspci -F "$output/lspci.txt" -vv >"$output/lspci-vv.txt" 2> >(grep -v "Unable to load libkmod" >&2)

# Check: the bytes lspci wrote back equal the guest's config files, device by device.
for a in "${devices[@]}"; do
  want="$(od -An -tx1 -v -w16 "$snap/sys/bus/pci/devices/$a/config" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
  got="$(awk -v dev="${a#0000:}" '
    /^[0-9a-f]+:[0-9a-f]+\.[0-7] / { on = (index($0, dev " ") == 1); next }
    /^$/ { on = 0; next }
    on { sub(/^[0-9a-f]+: /, ""); print }' "$output/lspci.txt" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
  [[ "$want" == "$got" ]] || { echo "guest-data.sh: lspci.txt does not reproduce the config space of $a" >&2; exit 1; }
done

# QEMU's view: "Bus  1, device   0, function 0:" ... "PCI device 8086:10d3" ... id "name".
if [[ -s "$boot/info-pci.txt" ]]; then
  cp "$boot/info-pci.txt" "$output/qemu-info-pci.txt"
  printf 'address\tvendor\tdevice\tid\n' >"$output/devices.tsv"
  awk '
    function flush() { if (addr != "") printf "%s\t%s\t%s\t%s\n", addr, ven, dev, (id == "" ? "-" : id) }
    /^ *Bus +[0-9]+, device +[0-9]+, function +[0-9]+:/ {
      flush(); line = $0; gsub(/[^0-9 ]/, " ", line); split(line, f, " "); addr = sprintf("0000:%02x:%02x.%d", f[1], f[2], f[3]); ven = dev = id = ""; next }
    /PCI device [0-9a-f]+:[0-9a-f]+/ && ven == "" {
      match($0, /PCI device [0-9a-f]+:[0-9a-f]+/); s = substr($0, RSTART + 11, RLENGTH - 11)
      split(s, v, ":"); ven = "0x" v[1]; dev = "0x" v[2]; next }
    /^ *id "/ { s = $0; sub(/^ *id "/, "", s); sub(/"$/, "", s); id = s; next }
    END { flush() }' "$boot/info-pci.txt" | LC_ALL=C sort >>"$output/devices.tsv"
fi
