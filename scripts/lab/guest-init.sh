#!/bin/sh
# /init of the lab's throwaway guests (busybox sh). It copies the sysfs and procfs files that a host
# model reads into /out, keeping the real layout and the relative symlinks, then prints /out as a
# base64 tar.gz between two markers on the serial console and waits to be switched off by the host
# (boot.sh asks QEMU's monitor for `info pci` first, then quits; the guest powers off by itself if not).
# sysfs reports every attribute as 4096 bytes long, so files are copied with cat, never with tar or cp.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
# Only the data goes to the console from here on: kernel messages could split a base64 line.
echo 1 >/proc/sys/kernel/printk

# Optional kernel modules (vfio-pci and its dependencies), loaded in the order listed.
if [ -f /lab/modules ]; then
  while read -r m; do
    [ -n "$m" ] && insmod "/lab/$m.ko"
  done </lab/modules
fi
# Optional vfio-pci binding: vfiokit.vfio=0000:01:00.0,0000:01:00.1 on the kernel command line.
read -r cmdline </proc/cmdline
for word in $cmdline; do
  case "$word" in
    vfiokit.vfio=*)
      for a in $(echo "${word#vfiokit.vfio=}" | tr ',' ' '); do
        d="/sys/bus/pci/devices/$a"
        [ -e "$d" ] || continue
        [ -e "$d/driver" ] && echo "$a" >"$d/driver/unbind"
        echo vfio-pci >"$d/driver_override"
        echo "$a" >/sys/bus/pci/drivers_probe
      done
      ;;
  esac
done

copy() {
  # copy PATH...: files by content (empty or unreadable ones are left out), symlinks as they are.
  for src in "$@"; do
    dst="/out$src"
    if [ -L "$src" ]; then
      mkdir -p "${dst%/*}"
      ln -s "$(readlink "$src")" "$dst"
    elif [ -f "$src" ]; then
      mkdir -p "${dst%/*}"
      cat "$src" >"$dst" 2>/dev/null || rm -f "$dst"
    fi
  done
}

mkdir -p /out
for link in /sys/bus/pci/devices/*; do
  [ -e "$link" ] || continue
  copy "$link"
  dev="$(readlink -f "$link")"
  for f in vendor device subsystem_vendor subsystem_device class revision config driver iommu_group \
    numa_node local_cpulist local_cpus boot_vga reset_method current_link_speed current_link_width \
    max_link_speed max_link_width enable irq driver_override msi_bus d3cold_allowed; do
    copy "$dev/$f"
  done
  if [ -L "$dev/driver" ]; then mkdir -p "/out$(readlink -f "$dev/driver")"; fi
done
for g in /sys/kernel/iommu_groups/*; do
  [ -d "$g" ] || continue
  copy "$g"/devices/* "$g/type" "$g/reserved_regions"
done
c=/sys/devices/system/cpu
copy "$c/online" "$c/possible" "$c/present" "$c/offline" "$c/isolated" "$c/kernel_max" "$c/smt/active" "$c/smt/control"
for cpu in "$c"/cpu[0-9]*; do
  copy "$cpu/online" "$cpu"/topology/* "$cpu"/node[0-9]*
  for i in "$cpu"/cache/index*; do
    copy "$i/level" "$i/type" "$i/shared_cpu_list" "$i/shared_cpu_map" "$i/size" "$i/id" \
      "$i/coherency_line_size" "$i/ways_of_associativity" "$i/number_of_sets"
  done
done
n=/sys/devices/system/node
copy "$n/online" "$n/possible" "$n/has_memory" "$n/has_cpu" "$n/has_normal_memory"
for node in "$n"/node[0-9]*; do
  copy "$node/cpulist" "$node/cpumap" "$node/distance" "$node/meminfo"
  for h in "$node"/hugepages/hugepages-*; do
    copy "$h/nr_hugepages" "$h/free_hugepages" "$h/surplus_hugepages"
  done
done
for h in /sys/kernel/mm/hugepages/hugepages-*; do
  copy "$h/nr_hugepages" "$h/free_hugepages" "$h/resv_hugepages" "$h/surplus_hugepages" "$h/nr_overcommit_hugepages"
done
copy /sys/kernel/mm/transparent_hugepage/enabled /proc/cmdline /proc/meminfo /proc/modules /proc/cpuinfo

echo "==VFIOKIT-DATA-BEGIN=="
tar -czf - -C /out . | base64
echo "==VFIOKIT-DATA-END=="
# boot.sh switches QEMU off through its monitor; this is only the fallback.
sleep 20
poweroff -f
