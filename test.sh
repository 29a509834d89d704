#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the xunit suite (real QEMU guests, real
# libvirtd, lspci, virt-xml-validate) and the shellcheck suite, then prints one line of totals.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

scripts/install-deps.sh
export VFIOKIT_LAB_KERNEL="$here/.cache/lab/vmlinuz"

results="$here/.cache/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build VfioKit.sln -c Release -nologo -v quiet
set +e
dotnet test VfioKit.sln -c Release --no-build -nologo --logger "trx;LogFileName=xunit.trx" --results-directory "$results" "$@"
set -e

passed=0 failed=0 skipped=0
trx="$results/xunit.trx"
if [[ -f "$trx" ]]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(count total); passed=$(count passed)
  failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  # xunit's skipped tests are recorded as not executed: whatever neither passed nor failed.
  skipped=$(( total - passed - failed ))
else
  echo "test.sh: the xunit run left no results" >&2
  failed=$((failed + 1))
fi

# Every shell script of the project passes shellcheck: one test each. The real-config corpus is other
# people's scripts kept byte for byte (docs/corpus.md): input data, not the project's scripts.
while IFS= read -r script; do
  if shellcheck -x "$script"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "shellcheck failed: $script" >&2; fi
done < <(git ls-files -- vfiokit test.sh .ci/run '*.sh' ':(exclude)tests/VfioKit.Tests/Data/RealConfigs/*' 2>/dev/null | sort -u)

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
