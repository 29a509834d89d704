#!/bin/bash
# The seed's launch script: GPU and HDMI audio behind an ioh3420 root port.
NVIDIA=0000:0b:00
qemu-system-x86_64 -enable-kvm -machine q35,accel=kvm \
  -cpu host,kvm=off,hv_vendor_id=null,hv_relaxed \
  -smp 8,sockets=1,cores=4,threads=2 -m 16G \
  -device ioh3420,id=root_port1,chassis=0,slot=0,bus=pcie.0 \
  -device vfio-pci,host=$NVIDIA.0,bus=root_port1,addr=0x00,multifunction=on,x-vga=on \
  -device vfio-pci,host=$NVIDIA.1,bus=root_port1,addr=0x00.1 \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd
