using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>Everything a probe needs besides the topology: the tools, the prepared kernel and initramfs, the QEMU version.</summary>
public sealed record ProbeSetup(ProbeTools Tools, KernelImage Kernel, Initramfs Initramfs, MachineVersion QemuVersion)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>KVM where /dev/kvm works, else TCG (<see cref="Probe.Accelerator.Choose"/>); decided when first asked,
    /// so a setup given its accelerator (--accel) never opens /dev/kvm for a choice it does not use.</summary>
    public Accelerator Accelerator
    {
        get => _accelerator ??= Accelerator.Choose(AcceleratorRequest.Auto);
        init => _accelerator = value;
    }

    private Accelerator? _accelerator;

    /// <summary>The class of a vfio-pci function's host device, when it can be read (see <see cref="HostClasses"/>).</summary>
    public Func<VmDevice, PciClass?>? HostClass { get; init; }

    /// <summary>Finds the tools, prepares the kernel (cached PVH image) and builds the initramfs.</summary>
    /// <exception cref="MissingToolException">A tool is missing; the message says how to get it.</exception>
    public static ProbeSetup Prepare(ToolSearch search, string cacheDirectory)
    {
        var tools = ProbeTools.Locate(search);
        var version = QemuVersionReader.Read(tools.Qemu);
        var kernel = KernelImage.Prepare(tools.Kernel, cacheDirectory);
        return new ProbeSetup(tools, kernel, GuestProgram.Build(File.ReadAllBytes(tools.Busybox)), version);
    }
}
