#!/usr/bin/env bash
# Copies from the public topology dumps (../shared/data/topologies/*.tar.gz: util-linux lscpu dumps and
# hwloc Linux test trees) only the files CpuTopologyReader reads, so the repository stays small.
# Usage: extract.sh [ARCHIVE_DIR]   (rerunnable; replaces the copies beside this script)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${1:-$here/../../../../../shared/data/topologies}"
names=(x86_64-epyc_7451 20em64t-hybrid-1p6c2t+2ca4co1t 40intel64-4n10c+pci-conflicts 64amd64-4s2n4ca2co x86_64-64cpu vmware_fpe x86_64-dell_e4310)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for name in "${names[@]}"; do
  tar -xzf "$src/$name.tar.gz" -C "$tmp"
  from="$tmp/$name"
  to="$here/$name"
  rm -rf "$to"
  mkdir -p "$to"
  (
    cd "$from"
    find sys/devices/system/cpu sys/devices/system/node -type f \( \
         -path '*/cpu/online' -o -path '*/cpu/possible' -o -path '*/cpu/present' -o -path '*/cpu/isolated' \
      -o -path '*/topology/physical_package_id' -o -path '*/topology/die_id' -o -path '*/topology/core_id' \
      -o -path '*/topology/thread_siblings' -o -path '*/topology/core_siblings' -o -path '*/topology/core_siblings_list' -o -path '*/topology/core_cpus' \
      -o -path '*/topology/cluster_id' -o -path '*/topology/core_cpus_list' -o -path '*/topology/thread_siblings_list' \
      -o -path '*/cache/index*/level' -o -path '*/cache/index*/type' -o -path '*/cache/index*/shared_cpu_list' \
      -o -path '*/cache/index*/shared_cpu_map' -o -path '*/cache/index*/id' -o -path '*/cache/index*/size' \
      -o -path '*/node/online' -o -path '*/node/has_memory' -o -path '*/node/has_normal_memory' -o -path '*/node/has_cpu' \
      -o -path '*/node/node*/cpulist' -o -path '*/node/node*/cpumap' -o -path '*/node/node*/distance' \
      -o -path '*/node/node*/meminfo' -o -path '*/hugepages-*/nr_hugepages' -o -path '*/hugepages-*/free_hugepages' \
      \) -print0 | xargs -0 cp --parents -t "$to"
    # Only the first processor's vendor and model: the reader needs no more.
    mkdir -p "$to/proc"
    # lscpu (the tests' oracle) needs every cache's files and the hex maps, so those stay.
    awk '/^vendor_id|^model name|^cpu family/{print} /^$/{exit}' proc/cpuinfo > "$to/proc/cpuinfo"
  )
done

# The hwloc hybrid dump predates the kernel's per-PMU cpus files; its own description (1 package, 6 P-cores
# with 2 threads = CPUs 0-11, 2 clusters of 4 single-thread E-cores = CPUs 12-19) gives them. Written in the
# kernel's format so the reader's hybrid path is exercised on otherwise real data.
hybrid="$here/20em64t-hybrid-1p6c2t+2ca4co1t"
mkdir -p "$hybrid/sys/devices/cpu_core" "$hybrid/sys/devices/cpu_atom"
echo 0-11 > "$hybrid/sys/devices/cpu_core/cpus"
echo 12-19 > "$hybrid/sys/devices/cpu_atom/cpus"
