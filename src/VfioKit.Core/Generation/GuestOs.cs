namespace VfioKit.Generation;

/// <summary>The guest operating system: Windows gets the Hyper-V enlightenments and a local-time RTC.</summary>
public enum GuestOs
{
    Windows,
    Linux,
}

/// <summary>The guest firmware: OVMF (UEFI, what modern GPUs' option ROMs expect) or SeaBIOS (legacy BIOS).</summary>
public enum FirmwareKind
{
    Ovmf,
    SeaBios,
}

/// <summary>What `vfiokit new` writes.</summary>
public enum VmFormat
{
    Libvirt,
    Qemu,
    Proxmox,
}
