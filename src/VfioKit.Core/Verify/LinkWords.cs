using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Verify;

/// <summary>Links and types in the words people use: "PCIe 4.0 x16", "Endpoint behind a root port".</summary>
public static class LinkWords
{
    /// <summary>"PCIe 4.0 x16" (generation from the speed: 2.5 GT/s is 1.0 ... 64 GT/s is 6.0); "no link speed x0" when unknown.</summary>
    public static string Describe(PciLink link) => link.Speed.IsKnown
        ? string.Create(CultureInfo.InvariantCulture, $"PCIe {link.Speed.Encoding}.0 x{link.Width}")
        : string.Create(CultureInfo.InvariantCulture, $"an unknown speed x{link.Width}");

    public static string Describe(PciLink? link) => link is { } l ? Describe(l) : "no link";

    /// <summary>"a root port", "a switch downstream port", "a PCIe-to-PCI bridge".</summary>
    public static string Port(SeenFunction? port) => port?.ExpressType switch
    {
        PcieDeviceType.RootPort => "a root port",
        PcieDeviceType.DownstreamPort => "a switch downstream port",
        PcieDeviceType.PcieToPciBridge => "a PCIe-to-PCI bridge",
        null when port is not null => "a conventional PCI bridge",
        null => "an unknown port",
        { } t => "a " + t.LspciName,
    };

    /// <summary>"GPU", "audio function", or "function".</summary>
    public static string What(SeenFunction? f) => f is null ? "function" : f.IsDisplay ? "GPU" : f.IsAudio ? "audio function" : "function";
}
