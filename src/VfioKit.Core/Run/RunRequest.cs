using VfioKit.Host.Cpu;
using VfioKit.Pci;

namespace VfioKit.Run;

/// <summary>Huge pages a VM backs its memory with: <see cref="Pages"/> pages of <see cref="PageKiB"/>.</summary>
public sealed record HugePageDemand(long PageKiB, long Pages);

/// <summary>
/// What a VM needs from the host for its lifetime, read from its configuration: the host functions it passes,
/// its huge pages, the CPUs it runs on (host tasks are kept off them) and, for a raw QEMU, how to start it.
/// </summary>
/// <param name="Name">Names the journal (/run/vfiokit/NAME.journal).</param>
/// <param name="Argv">QEMU's argv, binary first, for `run`; empty for libvirt (libvirt starts QEMU).</param>
public sealed record RunRequest(string Name, IReadOnlyList<PciAddress> Functions, HugePageDemand? HugePages, CpuList? VmCpus, IReadOnlyList<string> Argv)
{
    /// <summary>A journal name must be a plain file name: VM names come from configs and hooks.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 200 && name != "." && name != ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+');
}
