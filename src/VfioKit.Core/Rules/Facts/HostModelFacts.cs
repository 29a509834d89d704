using VfioKit.Host;
using VfioKit.Host.Cpu;
using VfioKit.Pci;

namespace VfioKit.Rules;

/// <summary>
/// <see cref="IHostFacts"/> over the host model (its PCI functions and CPU topology), read once by the caller:
/// the rules see the host only through <see cref="HostModel"/>, never sysfs.
/// </summary>
public sealed class HostModelFacts(HostModel host) : IHostFacts
{
    private readonly Dictionary<PciAddress, HostFunctionFacts> _functions =
        host.PciFunctions.ToDictionary(f => f.Address, f => Facts(f, f.HasIoBar == true));

    public HostFunctionFacts? Function(PciAddress address) => _functions.GetValueOrDefault(address);

    public IReadOnlyList<HostFunctionFacts> FunctionsOf(PciSlot slot) =>
        _functions.Values.Where(f => f.Address.Slot == slot).OrderBy(f => f.Address).ToList();

    public IReadOnlyList<HostFunctionFacts> GroupEndpoints(int group)
    {
        var g = host.IommuGroups.FirstOrDefault(x => x.Number == group);
        if (g is null) return [];
        return g.Devices.Select(a => host.Function(a)).OfType<PciFunction>().Where(f => !f.IsBridge)
            .Select(f => _functions[f.Address]).OrderBy(f => f.Address).ToList();
    }

    public IReadOnlyList<HostCpuFacts> Cpus { get; } =
        host.Cpu.Cpus.Where(c => c.Online).Select(c => new HostCpuFacts(c.Id, c.Siblings.IsEmpty ? c.Id : c.Siblings.First, c.L3 ?? -1, c.Node ?? -1)).ToList();

    public bool IsAmd => host.Cpu.Vendor == CpuVendor.Amd;

    private static HostFunctionFacts Facts(PciFunction f, bool ioBar) => new(
        f.Address, f.VendorId ?? 0, f.DeviceId ?? 0, f.Class?.Code ?? 0,
        f.IommuGroup, f.NumaNode,
        // The slot's link (at the card's upstream port when the card has its own switch), not an internal one.
        f.HostLink?.Speed ?? LinkSpeed.Unknown, f.HostLink?.Width ?? 0, ioBar);
}
