using VfioKit.Formats.Qemu;

namespace VfioKit.Rules;

/// <summary>
/// The tuning QEMU really gets when options are appended to a generated command line (libvirt's
/// &lt;qemu:commandline&gt;, Proxmox's `args:`). QEMU keeps only the last -cpu (vl.c: cpu_option is
/// overwritten), so an appended -cpu replaces the generated one with all its Hyper-V flags and kvm=off;
/// shared memory, -mem-prealloc, mem-lock, -machine options and removed options add to what was generated.
/// </summary>
public static class AppendedTuning
{
    /// <param name="where">How to name the appended options in messages ("&lt;qemu:commandline&gt;", "args:").</param>
    /// <param name="generatedCpu">What the tool's own -cpu is called ("libvirt's -cpu", "qemu-server's -cpu").</param>
    public static VmTuning Apply(VmTuning generated, QemuScript appended, string where, string generatedCpu)
    {
        if (appended.Arguments.Count == 0) return generated;
        var extra = QemuTuningReader.Read(appended);
        var tuning = generated with
        {
            WindowsEvidence = generated.WindowsEvidence ?? (extra.WindowsEvidence is null ? null : $"Hyper-V flags on -cpu in {where}"),
            MacOsEvidence = generated.MacOsEvidence ?? extra.MacOsEvidence,
            HugePages = generated.HugePages || extra.HugePages,
            Preallocated = generated.Preallocated || extra.Preallocated,
            Locked = generated.Locked || extra.Locked,
            SharedMemories = generated.SharedMemories.Concat(extra.SharedMemories).ToList(),
            KernelIrqchip = extra.KernelIrqchip ?? generated.KernelIrqchip,
            IrqchipLine = extra.KernelIrqchip is null ? generated.IrqchipLine : extra.IrqchipLine,
            InterruptRemapping = generated.InterruptRemapping || extra.InterruptRemapping,
            // QEMU refuses a removed option wherever it is written.
            RemovedOptions = generated.RemovedOptions.Concat(extra.RemovedOptions).ToList(),
        };
        if (!appended.All("cpu").Any()) return tuning;
        return tuning with
        {
            CpuReplacedBy = $"the -cpu in {where} (line {extra.CpuLine}) replaces {generatedCpu}, and with it every Hyper-V flag and kvm=off put there: QEMU takes the last -cpu",
            CpuModel = extra.CpuModel,
            HyperV = extra.HyperV,
            KvmHidden = extra.KvmHidden,
            VendorIdSpoofed = extra.VendorIdSpoofed,
            CpuFeatures = extra.CpuFeatures,
            CpuLine = extra.CpuLine,
            HyperVLine = extra.CpuLine,
            HypervisorBitOff = extra.HypervisorBitOff,
            HypervisorLine = extra.HypervisorLine,
        };
    }
}
