using VfioKit.Pci;

namespace VfioKit.Rules;

/// <summary>
/// The host facts the --host rules (VK107, VK108, VK113, VK204, VK208) need, as an interface so the rules
/// do not depend on how the host model is read; an adapter over the host model implements it.
/// </summary>
public interface IHostFacts
{
    /// <summary>A host PCI function, or null when the host has none at that address.</summary>
    HostFunctionFacts? Function(PciAddress address);

    /// <summary>Every function of a physical device (slot), in function order.</summary>
    IReadOnlyList<HostFunctionFacts> FunctionsOf(PciSlot slot);

    /// <summary>The endpoints (bridges and ports excluded) of an IOMMU group.</summary>
    IReadOnlyList<HostFunctionFacts> GroupEndpoints(int group);

    /// <summary>The host's logical CPUs with their core, L3 domain and NUMA node.</summary>
    IReadOnlyList<HostCpuFacts> Cpus { get; }

    /// <summary>True on AMD processors (topoext matters there).</summary>
    bool IsAmd { get; }
}

/// <summary>One host PCI function as the rules see it.</summary>
/// <param name="ClassCode">The 24-bit class code, e.g. 0x030000 VGA, 0x040300 HD audio.</param>
/// <param name="IommuGroup">The IOMMU group number, or null without an IOMMU.</param>
/// <param name="NumaNode">numa_node, or null when -1 (no preference).</param>
/// <param name="MaxLinkSpeed">The device's LnkCap speed (max_link_speed).</param>
/// <param name="MaxLinkWidth">The device's LnkCap width (max_link_width), 0 when unknown.</param>
/// <param name="HasIoBar">True when one of its BARs is an I/O port BAR.</param>
public sealed record HostFunctionFacts(
    PciAddress Address,
    int Vendor,
    int Device,
    int ClassCode,
    int? IommuGroup,
    int? NumaNode,
    LinkSpeed MaxLinkSpeed,
    int MaxLinkWidth,
    bool HasIoBar)
{
    public bool IsDisplay => ClassCode >> 16 == 0x03;
    public bool IsAudio => ClassCode >> 8 == 0x0403;
    public bool IsNvidia => Vendor == 0x10de;
}

/// <summary>One host logical CPU: its core (SMT siblings share one), its L3 domain and NUMA node.</summary>
public sealed record HostCpuFacts(int Cpu, int Core, int L3, int Node);
