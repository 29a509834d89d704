#!/usr/bin/env bash
# `vfiokit fleet lint` over COUNT domains defined in one libvirtd, beside the loop a user writes today:
#   for d in $(virsh list --all --name); do virsh dumpxml "$d" | vfiokit lint -; done
# The domains (vkbench-N, type='qemu' copies of the GPU-on-pcie.0 example, never started) are defined through
# one virsh session and undefined again on exit, whatever happens; the script then checks that none is left.
# When nothing answers on qemu:///system it starts libvirtd and stops that one (by its pid) at the end.
# Both commands see the same domains. Printed: wall and CPU time of each fleet round, libvirtd's own CPU time
# during it (the other half of every round trip, not counted in vfiokit's CPU), the loop's wall and CPU (one run,
# every domain), the load average before and after, and the medians.
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
started=""
cleanup() {
  for ((i = 0; i < count; i++)); do printf 'undefine vkbench-%d\n' "$i"; done > "$work/undefine.cmds"
  virsh -c "$uri" < "$work/undefine.cmds" >/dev/null 2>&1 || true
  local left
  left="$(virsh -c "$uri" list --all --name 2>/dev/null | grep -c '^vkbench-' || true)"
  [[ $left == 0 ]] || echo "fleet: $left vkbench-N domains are still defined on $uri" >&2
  if [[ -n $started ]]; then
    kill -TERM "$started" 2>/dev/null || true
    for _ in $(seq 50); do [[ -d /proc/$started ]] || break; sleep 0.2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! virsh -c "$uri" version >/dev/null 2>&1 && [[ $uri == qemu:///system ]]; then
  libvirtd -d
  for _ in $(seq 100); do virsh -c "$uri" version >/dev/null 2>&1 && break; sleep 0.3; done
  started="$(cat /var/run/libvirtd.pid)"
  echo "started libvirtd (pid $started); it is stopped at the end"
fi

for ((i = 0; i < count; i++)); do
  sed -e "s/<domain type='kvm'>/<domain type='qemu'>/" -e "s/gpu-on-root-bus/vkbench-$i/" "$template" > "$work/d$i.xml"
  printf 'define %q\n' "$work/d$i.xml"
done > "$work/define.cmds"
virsh -c "$uri" < "$work/define.cmds" >/dev/null
total="$(virsh -c "$uri" list --all --name | grep -c . || true)"
echo "domains on $uri: $total ($count of them vkbench-N)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

# Seconds of wall, user and system CPU for one command line (bash's TIMEFORMAT).
measure() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1
}

# libvirtd's user + system CPU so far, in seconds (/proc/PID/stat fields 14 and 15, in clock ticks); 0 when the
# daemon is not on this machine (a remote URI).
daemon_cpu() {
  local pid
  pid="$(pgrep -x libvirtd | head -1 || true)"
  [[ -n $pid ]] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$pid/stat"
}

fleet_walls=() fleet_cpus=() daemon_cpus=()
for ((r = 0; r < rounds; r++)); do
  d0="$(daemon_cpu)"
  read -r wall user sys < <(measure "$vfiokit" fleet lint --connect "$uri" --fail-on none --format json)
  d1="$(daemon_cpu)"
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  dcpu="$(awk -v a="$d0" -v b="$d1" 'BEGIN { print b - a }')"
  fleet_walls+=("$wall") fleet_cpus+=("$cpu") daemon_cpus+=("$dcpu")
  echo "fleet round $((r + 1)): wall ${wall} s, CPU ${cpu} s, libvirtd CPU ${dcpu} s"
done

loop() {
  local d
  for d in $(virsh -c "$uri" list --all --name); do
    virsh -c "$uri" dumpxml "$d" | "$vfiokit" lint --fail-on none - || true
  done
}
read -r lwall luser lsys < <(measure loop)
lcpu="$(awk -v u="$luser" -v s="$lsys" 'BEGIN { print u + s }')"

# The findings agree: fleet's JSON counts two VK102 findings (GPU and audio on pcie.0) per vkbench domain.
fleet_vk102="$("$vfiokit" fleet lint --connect "$uri" --fail-on none --format json | grep -c '"rule": "VK102"' || true)"
echo "fleet VK102 findings: $fleet_vk102 (expected at least $((2 * count)))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fw="$(median "${fleet_walls[@]}")"
fc="$(median "${fleet_cpus[@]}")"
dc="$(median "${daemon_cpus[@]}")"
printf 'fleet lint (median of %d): wall %.3f s, CPU %.3f s, libvirtd CPU %.3f s\n' "$rounds" "$fw" "$fc" "$dc"
printf 'virsh dumpxml | vfiokit lint loop: wall %.3f s, CPU %.3f s\n' "$lwall" "$lcpu"
printf 'ratio loop / fleet: wall %.1fx\n' "$(awk -v a="$lwall" -v b="$fw" 'BEGIN { print a / b }')"
