#!/usr/bin/env bash
# `vfiokit fleet lint` over COUNT domains defined in one libvirtd, beside the loop a user writes today:
#   for d in $(virsh list --all --name); do virsh dumpxml "$d" | vfiokit lint -; done
# The domains (vkbench-N, type='qemu' copies of the GPU-on-pcie.0 example, never started) are defined through
# one virsh session and undefined again on exit, whatever happens. Both commands see the same domains; the
# figure is wall and CPU time of each, measured in the same run (median of ROUNDS for fleet, one loop run).
# Usage: bench/fleet.sh [COUNT] [URI] [VFIOKIT] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-1000}"
uri="${2:-qemu:///system}"
vfiokit="${3:-$here/.cache/aot/vfiokit}"
rounds="${4:-5}"
template="$here/tests/VfioKit.Tests/Data/libvirt/passthrough/gpu-on-pcie0.xml"

command -v virsh >/dev/null 2>&1 || { echo "fleet: virsh is missing (libvirt-clients)" >&2; exit 3; }
[[ -x $vfiokit ]] || { echo "fleet: $vfiokit is not an executable vfiokit (run ./vfiokit version to build it)" >&2; exit 3; }

work="$(mktemp -d)"
cleanup() {
  for ((i = 0; i < count; i++)); do printf 'undefine vkbench-%d\n' "$i"; done > "$work/undefine.cmds"
  virsh -c "$uri" < "$work/undefine.cmds" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for ((i = 0; i < count; i++)); do
  sed -e "s/<domain type='kvm'>/<domain type='qemu'>/" -e "s/gpu-on-root-bus/vkbench-$i/" "$template" > "$work/d$i.xml"
  printf 'define %q\n' "$work/d$i.xml"
done > "$work/define.cmds"
virsh -c "$uri" < "$work/define.cmds" >/dev/null
total="$(virsh -c "$uri" list --all --name | grep -c . || true)"
echo "domains on $uri: $total ($count of them vkbench-N)"

# Seconds of wall, user and system CPU for one command line (GNU time from bash's TIMEFORMAT).
measure() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1
}

fleet_walls=() fleet_cpus=()
for ((r = 0; r < rounds; r++)); do
  read -r wall user sys < <(measure "$vfiokit" fleet lint --connect "$uri" --fail-on none --format json)
  fleet_walls+=("$wall")
  fleet_cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  echo "fleet round $((r + 1)): wall ${wall} s, CPU $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') s"
done

loop() {
  local d
  for d in $(virsh -c "$uri" list --all --name); do
    virsh -c "$uri" dumpxml "$d" | "$vfiokit" lint --fail-on none - || true
  done
}
read -r lwall luser lsys < <(measure loop)
lcpu="$(awk -v u="$luser" -v s="$lsys" 'BEGIN { print u + s }')"

# The findings agree: fleet's JSON and the loop's text count the same VK102 findings for vkbench-0.
fleet_vk102="$("$vfiokit" fleet lint --connect "$uri" --fail-on none --format json | grep -c '"rule": "VK102"' || true)"
echo "fleet VK102 findings: $fleet_vk102 (expected at least $((2 * count)))"

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fw="$(median "${fleet_walls[@]}")"
fc="$(median "${fleet_cpus[@]}")"
printf 'fleet lint (median of %d): wall %.3f s, CPU %.3f s\n' "$rounds" "$fw" "$fc"
printf 'virsh dumpxml | vfiokit lint loop: wall %.3f s, CPU %.3f s\n' "$lwall" "$lcpu"
printf 'ratio loop / fleet: wall %.1fx\n' "$(awk -v a="$lwall" -v b="$fw" 'BEGIN { print a / b }')"
