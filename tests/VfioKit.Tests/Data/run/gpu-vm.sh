#!/bin/sh
# A raw-QEMU launch script passing the numa2-pxb lab host's GPU (81:00.0) and its audio (81:00.1),
# memory on 2 MiB huge pages (tests/VfioKit.Tests/Run).
exec qemu-system-x86_64 \
  -name gpu-vm,debug-threads=on \
  -M q35 \
  -m 512M \
  -object memory-backend-memfd,id=mem0,size=512M,hugetlb=on,hugetlbsize=2M \
  -numa node,memdev=mem0 \
  -smp 2 \
  -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
  -device vfio-pci,host=0000:81:00.0,bus=rp1,addr=00.0,multifunction=on \
  -device vfio-pci,host=0000:81:00.1,bus=rp1,addr=00.1 \
  -display none
