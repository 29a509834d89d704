namespace VfioKit.Generation;

/// <summary>One entry point for the three output formats.</summary>
public static class VmGenerator
{
    public static string Write(VmBlueprint vm, VmFormat format) => format switch
    {
        VmFormat.Libvirt => LibvirtDomainGenerator.Write(vm),
        VmFormat.Qemu => QemuScriptGenerator.Write(vm),
        VmFormat.Proxmox => ProxmoxConfigGenerator.Write(vm),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
