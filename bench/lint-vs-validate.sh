#!/usr/bin/env bash
# Whole-process time of `vfiokit lint` (NativeAOT binary) against `virt-xml-validate` on the same domain
# XML, in one hyperfine run, and their median ratio. Usage: bench/lint-vs-validate.sh [DOMAIN.xml]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xml="${1:-$here/tests/VfioKit.Tests/Data/configs/seed-libvirt-ioh3420.xml}"

for tool in hyperfine virt-xml-validate jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "lint-vs-validate: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 3; }
done

# Build (or reuse) the native binary the way users get it.
"$here/vfiokit" version >/dev/null
bin="$here/.cache/aot/vfiokit"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# --fail-on none: exit 0 whatever the findings, so hyperfine times the work and not an error path.
hyperfine --warmup 5 --runs 60 -N --export-json "$out/times.json" \
  -n "vfiokit lint" "$bin lint --fail-on none $xml" \
  -n "virt-xml-validate" "virt-xml-validate $xml domain" >&2

lint_ms="$(jq '.results[0].median * 1000' "$out/times.json")"
validate_ms="$(jq '.results[1].median * 1000' "$out/times.json")"
ratio="$(jq -n --argjson a "$lint_ms" --argjson b "$validate_ms" '$a / $b')"
printf 'file: %s\nvfiokit lint median: %.2f ms\nvirt-xml-validate median: %.2f ms\nratio (lint / validate): %.2fx\n' \
  "$xml" "$lint_ms" "$validate_ms" "$ratio"
