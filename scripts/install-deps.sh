#!/usr/bin/env bash
# Installs what the tests and the lab need on a fresh Debian machine, only what is missing:
# Debian packages (QEMU, busybox, pciutils, libvirt, shellcheck, ...) and a guest kernel that is
# unpacked into .cache/lab/kernel without being installed (no hooks, no initramfs rebuild).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(qemu-system-x86 busybox-static cpio pciutils hwloc libvirt-clients libxml2-utils shellcheck ovmf hyperfine jq patch xz-utils qemu-guest-agent)
no_recommends=(libvirt-daemon libvirt-daemon-driver-qemu)

missing=()
for p in "${packages[@]}" "${no_recommends[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
  apt-get install -y -qq --no-install-recommends "${no_recommends[@]}" >/dev/null
fi

# The guest kernel: the bzImage of Debian's current linux-image package.
kernel_dir="$here/.cache/lab/kernel"
if ! compgen -G "$kernel_dir/boot/vmlinuz-*" >/dev/null; then
  echo "install-deps: fetching a guest kernel" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  [[ -n "$(apt-cache depends linux-image-amd64 2>/dev/null)" ]] || apt-get update -qq
  image="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image/{print $2; exit}')"
  (cd "$work" && apt-get download "$image" >/dev/null 2>&1)
  mkdir -p "$kernel_dir"
  dpkg -x "$work"/linux-image-*.deb "$kernel_dir"
fi
vmlinuz="$(compgen -G "$kernel_dir/boot/vmlinuz-*" | head -n 1)"
ln -sf "$vmlinuz" "$here/.cache/lab/vmlinuz"

# PowerShell (the dotnet tool, pinned: 7.7.0 does not run on .NET 10) for verify's Windows collector tests.
pwsh_dir="$here/.cache/pwsh"
if [[ ! -x "$pwsh_dir/pwsh" ]]; then
  echo "install-deps: installing PowerShell 7.6.10 (dotnet tool) into .cache/pwsh" >&2
  dotnet tool install PowerShell --version 7.6.10 --tool-path "$pwsh_dir" >/dev/null
fi
