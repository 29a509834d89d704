#!/usr/bin/env bash
# Regenerates the sample picture of docs/report.md: a report of a real 8-node EPYC dump with a plan and
# a libvirt VM, opened in headless chromium and screenshotted. Rerun after changing the report's drawing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# VFIOKIT: a binary already built (e.g. an AOT publish); default the repository's launcher.
vfiokit=("${VFIOKIT:-$here/vfiokit}")
# Paths relative to the repository, so the sample names no one's checkout.
cd "$here"
host="tests/VfioKit.Tests/Data/topologies/x86_64-epyc_7451"
config="tests/VfioKit.Tests/Data/libvirt/passthrough/gpu-audio-ioh3420-index8.xml"

"${vfiokit[@]}" plan --root "$host" --vcpus 8 --json > "$work/plan.json"
"${vfiokit[@]}" report --host "$host" --config "$config" --plan "$work/plan.json" --output "$work/report.html" || [[ $? -eq 1 ]]
cp "$work/report.html" "$here/docs/img/report-sample.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1160,1500 --screenshot="$here/docs/img/report.png" "file://$work/report.html" 2>/dev/null
echo "wrote docs/img/report.png and docs/img/report-sample.html" >&2
