#!/usr/bin/env bash
# Regenerates all of the lab's committed test data: the libvirt-made case arguments, every guest case
# (tests/VfioKit.Tests/Data/guests/<case>/), QEMU's verdicts on refused configurations (guests/rejected/)
# and every host snapshot (tests/VfioKit.Tests/Data/hosts/).
# One QEMU boot per case or host, one after another (about 10 s each under TCG on 2 idle cores).
# Usage: make-all.sh [--cases-only | --hosts-only]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

what="${1:-all}"
case "$what" in
  all|--cases-only|--hosts-only) ;;
  *) echo "usage: make-all.sh [--cases-only | --hosts-only]" >&2; exit 2 ;;
esac

"$root/scripts/install-deps.sh"

if [[ "$what" != --hosts-only ]]; then
  "$here/libvirt.sh"
  cases=()
  for a in "$here"/cases/*.args; do
    n="$(basename "$a" .args)"
    [[ "$n" == *.libvirt ]] && continue
    cases+=("$n")
  done
  # Folders of cases that no longer exist would mislead the tests.
  for d in "$root/tests/VfioKit.Tests/Data/guests"/*/; do
    [[ -d "$d" ]] || continue
    n="$(basename "$d")"
    [[ "$n" == rejected || -r "$here/cases/$n.args" ]] || rm -rf "$d"
  done
  "$here/case.sh" "${cases[@]}"
  "$here/rejects.sh"
fi

if [[ "$what" != --cases-only ]]; then
  hosts=()
  for a in "$here"/hosts/*.args; do hosts+=("$(basename "$a" .args)"); done
  "$here/host.sh" "${hosts[@]}"
fi
echo "make-all.sh: done" >&2
