#!/usr/bin/env bash
# `./vfiokit lint SMALL.xml` (the README's command, through the launcher script) against the NativeAOT
# binary it runs (`.cache/aot/vfiokit lint SMALL.xml`), side by side, and beside them the floor of any
# launcher script: one that only execs the binary (no check). Each round is one hyperfine run of the three
# commands, the order rotating; the figure is the median of the rounds' median ratios, wall and CPU.
# Then the staleness walk alone, in the binary: `env VFIOKIT_LAUNCHER=./vfiokit BIN lint` (the binary walks
# the sources on its thread, as when the launcher runs it) against `env BIN lint` (no walk), ROUNDS rounds.
# Prints the commit and the load average before and after: on a shared machine, load moves the figures.
# Usage: bench/launcher.sh [ROUNDS] [RUNS] [DOMAIN.xml]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-9}"
runs="${2:-20}"
xml="${3:-$here/tests/VfioKit.Tests/Data/configs/seed-libvirt-ioh3420.xml}"

for tool in hyperfine jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "launcher: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 3; }
done

# Build (or reuse) the binary, so the rounds time the launcher's fast path and not a build.
"$here/vfiokit" version >/dev/null

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# --fail-on none: exit 0 whatever the findings, so hyperfine times the work and not an error path.
launcher="./vfiokit lint --fail-on none $xml"
binary=".cache/aot/vfiokit lint --fail-on none $xml"
printf '#!/bin/sh\nexec %s/.cache/aot/vfiokit "$@"\n' "$here" >"$out/floor"
chmod +x "$out/floor"
floor="$out/floor lint --fail-on none $xml"

printf 'commit %s, %s\n' "$(git -C "$here" rev-parse --short HEAD)" "$(uptime)"
walls=() cpus=() floors=()
for ((r = 0; r < rounds; r++)); do
  cmds=(-n launcher "$launcher" -n binary "$binary" -n floor "$floor")
  # Rotate: round r starts with command r mod 3.
  start=$((3 * (r % 3)))
  cmds=("${cmds[@]:start}" "${cmds[@]:0:start}")
  (cd "$here" && hyperfine --warmup 3 --runs "$runs" -N --export-json "$out/r$r.json" "${cmds[@]}" >/dev/null 2>&1)
  read -r lw bw fw lc bc < <(jq -r '
    (.results | map({(.command): .}) | add) as $by
    | [$by.launcher.median, $by.binary.median, $by.floor.median,
       ($by.launcher.user + $by.launcher.system), ($by.binary.user + $by.binary.system)] | @tsv' "$out/r$r.json")
  walls+=("$(jq -n "$lw / $bw")")
  cpus+=("$(jq -n "$lc / $bc")")
  floors+=("$(jq -n "$fw / $bw")")
  printf 'round %d: launcher %.2f ms, binary %.2f ms, exec-only script %.2f ms, wall ratio %.3f (floor %.3f), CPU ratio %.3f\n' \
    "$((r + 1))" "$(jq -n "$lw * 1000")" "$(jq -n "$bw * 1000")" "$(jq -n "$fw * 1000")" "${walls[-1]}" "${floors[-1]}" "${cpus[-1]}"
done

walk_walls=() walk_cpus=()
for ((r = 0; r < rounds; r++)); do
  cmds=(-n walk "env VFIOKIT_LAUNCHER=./vfiokit $binary" -n none "env $binary")
  if ((r % 2 == 1)); then cmds=("${cmds[@]:2}" "${cmds[@]:0:2}"); fi
  (cd "$here" && hyperfine --warmup 3 --runs "$runs" -N --export-json "$out/w$r.json" "${cmds[@]}" >/dev/null 2>&1)
  read -r ww nw wc nc < <(jq -r '
    (.results | map({(.command): .}) | add) as $by
    | [$by.walk.median, $by.none.median, ($by.walk.user + $by.walk.system), ($by.none.user + $by.none.system)] | @tsv' "$out/w$r.json")
  walk_walls+=("$(jq -n "($ww - $nw) * 1000")")
  walk_cpus+=("$(jq -n "($wc - $nc) * 1000")")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'file: %s\nmedian wall ratio (launcher / binary): %.3f\nmedian CPU ratio: %.3f\nfloor, an exec-only script / binary: %.3f\n' \
  "$xml" "$(median "${walls[@]}")" "$(median "${cpus[@]}")" "$(median "${floors[@]}")"
printf 'walk in the binary (median of %d rounds): %+.2f ms wall, %+.2f ms CPU; rounds: %s\n' \
  "$rounds" "$(median "${walk_walls[@]}")" "$(median "${walk_cpus[@]}")" "$(printf '%.2f ' "${walk_walls[@]}")"
printf 'wall ratios: %s\n%s\n' "$(printf '%s\n' "${walls[@]}" | sort -g | xargs printf '%.3f ')" "$(uptime)"
