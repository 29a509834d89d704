using VfioKit.Formats.Qemu;
using VfioKit.Host.Cpu;
using VfioKit.Vm;
namespace VfioKit.Rules;

/// <summary>
/// What a configuration says about CPU, memory, firmware and guest features: the facts the VK2xx rules
/// and VK112 check, read from each format by its <see cref="ITuningReader"/>. Lines are 1-based; 0 when
/// the configuration has no such line (a finding then points at the file).
/// </summary>
public sealed record VmTuning
{
    /// <summary>Firmware is UEFI (OVMF).</summary>
    public bool Uefi { get; init; }

    /// <summary>Why the guest is taken for Windows ("hv_relaxed on -cpu", "ostype: win11"), or null.</summary>
    public string? WindowsEvidence { get; init; }

    /// <summary>Why the guest is taken for macOS (an isa-applesmc device, which only macOS reads), or null: a macOS
    /// guest needs a CPU model it supports (OSX-KVM's Penryn) and ignores Hyper-V enlightenments.</summary>
    public string? MacOsEvidence { get; init; }

    /// <summary>Hyper-V enlightenments switched on, by vfiokit's names (relaxed, vapic, spinlocks, time, ...).</summary>
    public IReadOnlySet<string> HyperV { get; init; } = new HashSet<string>();

    /// <summary>kvm=off, libvirt &lt;kvm&gt;&lt;hidden state='on'/&gt;, Proxmox hidden=1.</summary>
    public bool KvmHidden { get; init; }

    /// <summary>hv_vendor_id / libvirt &lt;vendor_id state='on'&gt;.</summary>
    public bool VendorIdSpoofed { get; init; }

    /// <summary>The CPU model as written ("host", "host-passthrough", "host-model", "qemu64"), null when none is given.</summary>
    public string? CpuModel { get; init; }

    /// <summary>Where the -cpu QEMU uses comes from when it is not the one the tool generated: a later -cpu
    /// in &lt;qemu:commandline&gt; or `args:` replaces it (QEMU takes the last -cpu), with every Hyper-V flag,
    /// kvm=off and feature the tool put on its own. Null when the generated -cpu is the one used.</summary>
    public string? CpuReplacedBy { get; init; }

    /// <summary>CPU features switched on (topoext, ...).</summary>
    public IReadOnlySet<string> CpuFeatures { get; init; } = new HashSet<string>();

    /// <summary>Guest threads per core (from -smp / &lt;topology&gt;), 1 when not given.</summary>
    public int ThreadsPerCore { get; init; } = 1;

    /// <summary>The number of vCPUs.</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary>The line of the CPU model (or where Hyper-V flags live), 0 when none.</summary>
    public int CpuLine { get; init; }

    /// <summary>The line of the Hyper-V features (libvirt &lt;hyperv&gt;), else <see cref="CpuLine"/>.</summary>
    public int HyperVLine { get; init; }

    public bool HugePages { get; init; }
    public bool Preallocated { get; init; }
    public bool Locked { get; init; }
    public int MemoryLine { get; init; }

    /// <summary>vCPU pinning: vCPU number to the host CPUs it may run on; empty when not pinned.</summary>
    public IReadOnlyDictionary<int, IReadOnlySet<int>> VcpuPins { get; init; } = new Dictionary<int, IReadOnlySet<int>>();

    /// <summary>The host CPUs all vCPUs may run on together (Proxmox affinity:), when pinned as a set.</summary>
    public IReadOnlySet<int>? VcpuSet { get; init; }

    public IReadOnlySet<int>? EmulatorPins { get; init; }

    /// <summary>A CPU list as a pinning fact (<see cref="CpuList"/>'s syntax): null when unreadable or empty.</summary>
    public static IReadOnlySet<int>? Cpus(string? text) =>
        CpuList.TryParse(text, out var list) && !list.IsEmpty ? new SortedSet<int>(list) : null;
    public int PinningLine { get; init; }
    /// <summary>Where the emulator's pinning is written (libvirt's &lt;emulatorpin&gt;); 0 when unknown.</summary>
    public int EmulatorPinLine { get; init; }

    /// <summary>Looking Glass shared memory regions.</summary>
    public IReadOnlyList<SharedMemory> SharedMemories { get; init; } = [];

    /// <summary>kernel-irqchip / libvirt ioapic driver: "split", "on", "off", or null when default.</summary>
    public string? KernelIrqchip { get; init; }
    public int IrqchipLine { get; init; }

    /// <summary>An intel-iommu with interrupt remapping: that needs the split irqchip.</summary>
    public bool InterruptRemapping { get; init; }

    /// <summary>The hypervisor CPUID bit switched off (QEMU hypervisor=off or -hypervisor, libvirt
    /// &lt;feature policy='disable' name='hypervisor'/&gt;): Windows then ignores every Hyper-V enlightenment.</summary>
    public bool HypervisorBitOff { get; init; }

    /// <summary>The line that switches the hypervisor bit off, else <see cref="CpuLine"/>.</summary>
    public int HypervisorLine { get; init; }

    /// <summary>Options the QEMU command line (or Proxmox args:) uses that current QEMU refuses, in order.</summary>
    public IReadOnlyList<RemovedOptionUse> RemovedOptions { get; init; } = [];

    public static VmTuning Empty { get; } = new();
}
