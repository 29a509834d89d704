using System.Globalization;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Probe;

/// <summary>
/// Holds a prediction against what a probe guest reported, device by device: present at the predicted
/// address, the right device there, its PCIe type, its own link capability, whether the guest reads its
/// extended config space, and for a device behind a port the port's Link Capabilities and Link Status.
/// Functions the guest shows that nothing predicted are reported too.
/// </summary>
public static class ProbeComparison
{
    public const string None = "none";

    public static ProbeFindings Compare(GuestViewResult prediction, GuestReport report, StandInMachine? standIns = null)
    {
        var devices = new List<DeviceComparison>();
        var claimed = new HashSet<PciAddress>();
        foreach (var p in prediction.Devices)
        {
            if (p.GuestAddress is not { } address)
            {
                continue; // not visible: nothing to find; an unexpected function shows up below instead
            }
            claimed.Add(address);
            var seen = report.Find(address);
            var standIn = standIns?.StandInFor(p.Device);
            devices.Add(new DeviceComparison(p, seen, standIn, new ValueList<PropertyCheck>(Checks(p, seen, standIn, prediction, report, standIns))));
        }
        var unexpected = report.Functions.Where(f => !claimed.Contains(f.Address)).ToList();
        return new ProbeFindings(new ValueList<DeviceComparison>(devices), new ValueList<GuestFunction>(unexpected));
    }

    private static IEnumerable<PropertyCheck> Checks(GuestDevice p, GuestFunction? seen, StandIn? standIn,
        GuestViewResult prediction, GuestReport report, StandInMachine? machine)
    {
        yield return new PropertyCheck("address", p.GuestAddress!.Value.ToString(), seen is null ? None : seen.Address.ToString(), true);
        if (seen is null) yield break;

        var driver = standIn?.Replacement.Driver ?? p.Device.Driver;
        if (QemuDeviceIds.Of(driver) is { } id)
            yield return new PropertyCheck("identity",
                $"{id.Vendor:x4}:{(id.Device is { } dev ? dev.ToString("x4", CultureInfo.InvariantCulture) : "*")} ({driver})",
                IdText(seen, driver), true);

        var config = seen.Config;
        yield return new PropertyCheck("type", Describe(p.Sees), Describe(Observe(config)), true);
        yield return new PropertyCheck("link", Link(p.Link), Link(config?.Express?.LinkCapability),
            standIn is null, standIn is null ? null : "the physical link of the host function");
        yield return new PropertyCheck("extendedConfig", p.ExtendedConfigSpace ? "yes" : "no", seen.ConfigBytes.Length > 256 ? "yes" : "no", true);

        if (p.PortLink is null) yield break;
        var portName = p.Path.Count >= 2 ? p.Path[^2] : null;
        var port = portName is null ? null : prediction.Find(portName);
        var portSeen = port?.GuestAddress is { } pa ? report.Find(pa)?.Config?.Express : null;
        yield return new PropertyCheck("portLink", Link(p.PortLink), Link(portSeen?.LinkCapability), true);

        // QEMU mirrors function 0's link into the port's status; a stand-in at function 0 has its own link.
        var function0StandIn = machine?.StandIns.FirstOrDefault(s =>
            s.Original.Placement?.Bus == portName && s.Original.Placement?.Address.Devfn == 0);
        yield return new PropertyCheck("portLinkStatus", p.PortLinkStatus is null ? "unknown" : Link(p.PortLinkStatus), Link(portSeen?.LinkStatus),
            function0StandIn is null && p.PortLinkStatus is not null,
            function0StandIn is not null ? $"mirrors {function0StandIn.Replacement.Driver} at function 0, not the host's link" : p.PortLinkStatus is null ? "the host link is not known" : null);
    }

    /// <summary>What the guest's config space says the function is, in the predictor's terms.</summary>
    public static GuestDeviceKind Observe(ConfigSpace? config)
    {
        if (config is null) return GuestDeviceKind.NotVisible;
        if (config.Express is { } e)
            return e.DeviceType switch
            {
                PcieDeviceType.Endpoint => GuestDeviceKind.Endpoint,
                PcieDeviceType.LegacyEndpoint => GuestDeviceKind.LegacyEndpoint,
                PcieDeviceType.RootComplexIntegratedEndpoint => GuestDeviceKind.RootComplexIntegratedEndpoint,
                PcieDeviceType.RootPort => GuestDeviceKind.RootPort,
                PcieDeviceType.UpstreamPort => GuestDeviceKind.UpstreamPort,
                PcieDeviceType.DownstreamPort => GuestDeviceKind.DownstreamPort,
                PcieDeviceType.PcieToPciBridge => GuestDeviceKind.PcieToPciBridge,
                _ => GuestDeviceKind.ConventionalPci,
            };
        if (config.Class.IsHostBridge) return GuestDeviceKind.HostBridge;
        if (config.IsBridge) return GuestDeviceKind.PciBridge;
        return GuestDeviceKind.ConventionalPci;
    }

    public static string Describe(GuestDeviceKind kind) => kind switch
    {
        GuestDeviceKind.RootComplexIntegratedEndpoint => "Root Complex Integrated Endpoint",
        GuestDeviceKind.LegacyEndpoint => "Legacy Endpoint",
        GuestDeviceKind.ConventionalPci => "conventional PCI",
        GuestDeviceKind.RootPort => "Root Port",
        GuestDeviceKind.UpstreamPort => "Upstream Port",
        GuestDeviceKind.DownstreamPort => "Downstream Port",
        GuestDeviceKind.PcieToPciBridge => "PCIe-to-PCI bridge",
        GuestDeviceKind.PciBridge => "PCI bridge",
        GuestDeviceKind.HostBridge => "host bridge",
        GuestDeviceKind.NotVisible => "not visible",
        _ => kind.ToString(),
    };

    public static string Link(PciLink? link) => link is { } l ? l.ToString() : None;

    private static string IdText(GuestFunction seen, string driver)
    {
        // The same text as the prediction when the IDs are the driver's, so the check agrees.
        if (QemuDeviceIds.Matches(driver, seen.VendorId, seen.DeviceId) && QemuDeviceIds.Of(driver) is { } id)
            return $"{id.Vendor:x4}:{(id.Device is { } dev ? dev.ToString("x4", CultureInfo.InvariantCulture) : "*")} ({driver})";
        return $"{seen.VendorId:x4}:{seen.DeviceId:x4}";
    }
}
