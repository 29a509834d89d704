#!/usr/bin/env bash
# Installs what the tests and the lab need on a fresh Debian machine, only what is missing:
# Debian packages (QEMU, busybox, pciutils, libvirt, shellcheck, ...) and a guest kernel that is
# unpacked into .cache/lab/kernel without being installed (no hooks, no initramfs rebuild), and the
# machine setup libvirtd needs (its QEMU user and group, /dev/kvm usable by them, its log directory),
# so the tests themselves change nothing on the machine. Running it again changes nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# gcc and libc6-dev: NativeAOT links with them, and the build compiles the launcher's walk (src/VfioKit.Cli/Install/SourceWalk.c).
packages=(gcc libc6-dev qemu-system-x86 busybox-static cpio pciutils hwloc libvirt-clients libxml2-utils shellcheck ovmf hyperfine jq patch xz-utils chromium qemu-guest-agent)
no_recommends=(libvirt-daemon libvirt-daemon-driver-qemu openssh-server)

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

# libvirtd runs QEMU as libvirt-qemu (Debian's libvirt-daemon-system would create it; the tests need
# only the daemon, installed without recommends).
getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
id -u libvirt-qemu >/dev/null 2>&1 || useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
# Its state, cache, log and run directories (libvirt-daemon-system's too). The hook tests bind-mount a
# private libvirtd's over them, so they must exist before the suite's shared daemon has ever run.
mkdir -p /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt
# The qemu+ssh:// tests start an sshd of their own (its config and keys in a temporary directory); sshd needs
# its privilege separation directory, which Debian's sshd service would create under /run.
mkdir -p /run/sshd
# Where there is a /dev/kvm, Debian's udev rule makes it group kvm, mode 0660; a container may lack the rule.
# Without access libvirt 9.0 re-probes QEMU on every call ("KVM was enabled when probing but is not
# available now").
if [[ -c /dev/kvm ]]; then
  getent group kvm >/dev/null || groupadd -r kvm
  [[ "$(stat -c %G /dev/kvm)" == kvm ]] || chgrp kvm /dev/kvm
  [[ "$(stat -c %a /dev/kvm)" == 660 ]] || chmod 0660 /dev/kvm
  id -nG libvirt-qemu | tr ' ' '\n' | grep -qx kvm || usermod -aG kvm libvirt-qemu
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
