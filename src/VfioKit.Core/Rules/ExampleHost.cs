using VfioKit.Pci;

namespace VfioKit.Rules;

/// <summary>
/// The host the --host rules' examples run against: an NVIDIA GPU at 0000:0b:00 (VGA and HDMI audio
/// functions, IOMMU group 14, NUMA node 0, an I/O port BAR on the VGA function) and 8 logical CPUs,
/// 4 cores with SMT siblings n and n+4, one L3, one node.
/// </summary>
internal sealed class ExampleHost : IHostFacts
{
    public static ExampleHost Gpu { get; } = new();

    private readonly IReadOnlyList<HostFunctionFacts> _functions =
    [
        new(PciAddress.Parse("0000:0b:00.0"), 0x10de, 0x2204, 0x030000, 14, 0, new LinkSpeed(4), 16, HasIoBar: true),
        new(PciAddress.Parse("0000:0b:00.1"), 0x10de, 0x1aef, 0x040300, 14, 0, new LinkSpeed(4), 16, HasIoBar: false),
    ];

    public IReadOnlyList<HostCpuFacts> Cpus { get; } = [.. Enumerable.Range(0, 8).Select(cpu => new HostCpuFacts(cpu, cpu % 4, 0, 0))];

    public bool IsAmd => false;

    public HostFunctionFacts? Function(PciAddress address) => _functions.FirstOrDefault(f => f.Address == address);

    public IReadOnlyList<HostFunctionFacts> FunctionsOf(PciSlot slot) => [.. _functions.Where(f => f.Address.Slot == slot)];

    public IReadOnlyList<HostFunctionFacts> GroupEndpoints(int group) => [.. _functions.Where(f => f.IommuGroup == group)];
}
