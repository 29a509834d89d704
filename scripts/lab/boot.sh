#!/usr/bin/env bash
# Boots one throwaway lab guest under TCG and collects what it saw.
# Usage: boot.sh --args FILE --output DIR [--append "kernel args"] [--initrd FILE] [--timeout SECONDS]
#   --args FILE   the machine and device arguments, one QEMU argument per line ('#' lines and blank
#                 lines are skipped); boot.sh adds only: -accel tcg -nographic -no-reboot -kernel
#                 -initrd -append "console=ttyS0 quiet panic=-1 ...".
# Writes DIR/console.log (the serial console, CRs removed), DIR/info-pci.txt (QEMU's own `info pci`
# taken from its monitor while the guest still runs: bus numbers as the guest programmed them, with
# each device's qdev id) and DIR/snapshot/ (the guest's sysfs/procfs files, see guest-init.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

args_file="" output="" append="" initrd="" timeout_s="${VFIOKIT_LAB_TIMEOUT:-240}"
while (($# > 0)); do
  case "$1" in
    --args) args_file="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --append) append="$2"; shift 2 ;;
    --initrd) initrd="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    *) echo "boot.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$args_file" && -n "$output" ]] || { echo "usage: boot.sh --args FILE --output DIR [--append ARGS] [--initrd FILE] [--timeout S]" >&2; exit 2; }
[[ -r "$args_file" ]] || { echo "boot.sh: cannot read '$args_file'" >&2; exit 2; }

kernel="${VFIOKIT_LAB_KERNEL:-$root/.cache/lab/vmlinuz}"
[[ -r "$kernel" ]] || { echo "boot.sh: no guest kernel at '$kernel' (run scripts/install-deps.sh or set VFIOKIT_LAB_KERNEL)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "boot.sh: qemu-system-x86_64 is missing (apt-get install qemu-system-x86)" >&2; exit 2; }

work="$(mktemp -d)"
qemu_pid=""
cleanup() {
  if [[ -n "$qemu_pid" ]] && kill -0 "$qemu_pid" 2>/dev/null; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$initrd" ]]; then
  initrd="$work/init.cpio.gz"
  "$here/initramfs.sh" --init "$here/guest-init.sh" --output "$initrd"
fi

qemu_args=()
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  qemu_args+=("$line")
done <"$args_file"

rm -rf "$output"
mkdir -p "$output"
mkfifo "$work/stdin"
log="$work/console.raw"
: >"$log"
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 quiet panic=-1${append:+ $append}" \
  "${qemu_args[@]}" <"$work/stdin" >"$log" 2>"$output/qemu.stderr" &
qemu_pid=$!
exec 3>"$work/stdin"

# Wait for the end marker, then ask the monitor (Ctrl-A c switches the -nographic mux to it).
done_marker=0
while kill -0 "$qemu_pid" 2>/dev/null; do
  if grep -q '==VFIOKIT-DATA-END==' "$log"; then
    done_marker=1
    printf '\001c' >&3
    sleep 0.3
    printf 'info pci\n' >&3
    sleep 1
    printf 'quit\n' >&3
    break
  fi
  sleep 0.3
done
status=0
wait "$qemu_pid" || status=$?
qemu_pid=""
exec 3>&-
tr -d '\r' <"$log" >"$output/console.log"

if ((done_marker == 0)); then
  echo "boot.sh: the guest did not report (QEMU exit status $status); see $output/console.log and $output/qemu.stderr" >&2
  cat "$output/qemu.stderr" >&2
  exit 1
fi
# The payload: only base64 lines between the markers.
sed -n '/==VFIOKIT-DATA-BEGIN==$/,/==VFIOKIT-DATA-END==$/p' "$output/console.log" \
  | grep -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$work/data.tar.gz"
mkdir -p "$output/snapshot"
tar -xzf "$work/data.tar.gz" -C "$output/snapshot"
# QEMU's monitor answer: the lines after the echo of `info pci` (its prompt line carries the
# line editor's escape sequences) up to the `quit` prompt.
sed -n '/^(qemu) i/,/^(qemu) q/p' "$output/console.log" | sed '1d;$d' >"$output/info-pci.txt"
