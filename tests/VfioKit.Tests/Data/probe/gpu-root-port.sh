#!/bin/sh
# A typical passthrough VM: the GPU (video + HDMI audio) as one multifunction device behind a PCIe root
# port advertising the host's 16GT/s x16 link, a virtio disk and NIC, on a q35 machine.
GPU=0000:0b:00
exec qemu-system-x86_64 \
  -machine q35,accel=kvm,kernel-irqchip=on -m 8G -smp 8 -cpu host \
  -nodefaults -vga none \
  -drive if=none,id=disk0,file=/var/lib/vms/win11.qcow2,format=qcow2 \
  -netdev user,id=net0 \
  -device pcie-root-port,id=gpu_port,chassis=1,slot=1,bus=pcie.0,addr=0x1c.0,multifunction=on,x-speed=16,x-width=16 \
  -device vfio-pci,host=$GPU.0,id=gpu,bus=gpu_port,addr=0x0.0,multifunction=on,x-vga=on,romfile=/opt/vbios.rom \
  -device vfio-pci,host=$GPU.1,id=gpu_audio,bus=gpu_port,addr=0x0.1 \
  -device pcie-root-port,id=disk_port,chassis=2,slot=2,bus=pcie.0,addr=0x1c.1 \
  -device virtio-blk-pci,drive=disk0,id=disk,bus=disk_port \
  -device pcie-root-port,id=net_port,chassis=3,slot=3,bus=pcie.0,addr=0x1c.2 \
  -device virtio-net-pci,netdev=net0,id=nic,bus=net_port
