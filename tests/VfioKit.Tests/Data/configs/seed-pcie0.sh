#!/bin/bash
# The same GPU plugged straight into the root bus (what most guides show).
NVIDIA=0000:0b:00
qemu-system-x86_64 -enable-kvm -machine q35,accel=kvm \
  -cpu host -smp 8 -m 16G \
  -device vfio-pci,host=$NVIDIA.0,bus=pcie.0,addr=0x05,multifunction=on \
  -device vfio-pci,host=$NVIDIA.1,bus=pcie.0,addr=0x05.1
