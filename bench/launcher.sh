#!/usr/bin/env bash
# `./vfiokit lint SMALL.xml` (the README's command, through the launcher script) against the NativeAOT
# binary it runs (`.cache/aot/vfiokit lint SMALL.xml`), side by side. Each round is one hyperfine run of
# both commands, the order rotating; the figure is the median of the rounds' median ratios, wall and CPU.
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

walls=() cpus=()
for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then first=launcher; else first=binary; fi
  if [[ $first == launcher ]]; then
    cmds=(-n launcher "$launcher" -n binary "$binary")
  else
    cmds=(-n binary "$binary" -n launcher "$launcher")
  fi
  (cd "$here" && hyperfine --warmup 3 --runs "$runs" -N --export-json "$out/r$r.json" "${cmds[@]}" >/dev/null 2>&1)
  read -r lw bw lc bc < <(jq -r '
    (.results | map({(.command): .}) | add) as $by
    | [$by.launcher.median, $by.binary.median,
       ($by.launcher.user + $by.launcher.system), ($by.binary.user + $by.binary.system)] | @tsv' "$out/r$r.json")
  walls+=("$(jq -n "$lw / $bw")")
  cpus+=("$(jq -n "$lc / $bc")")
  printf 'round %d: launcher %.2f ms, binary %.2f ms, wall ratio %.3f, CPU ratio %.3f\n' \
    "$((r + 1))" "$(jq -n "$lw * 1000")" "$(jq -n "$bw * 1000")" "${walls[-1]}" "${cpus[-1]}"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'file: %s\nmedian wall ratio (launcher / binary): %.3f\nmedian CPU ratio: %.3f\n' \
  "$xml" "$(median "${walls[@]}")" "$(median "${cpus[@]}")"
