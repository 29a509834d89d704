using System.Globalization;

namespace VfioKit.Behaviour.Libvirt;

/// <summary>
/// The aliases libvirt gives devices (src/qemu/qemu_alias.c): they become QEMU's id= and the bus names
/// ("pci.3"), so they are how an XML device and a QEMU -device are matched. A user alias ("ua-...") wins.
/// </summary>
public static class LibvirtAliases
{
    public static void Assign(DomainDefinition def)
    {
        string Fmt(string prefix, int i) => prefix + i.ToString(CultureInfo.InvariantCulture);
        bool User(AddressableDevice d)
        {
            var ua = d.Element?.Element("alias")?.Attribute("name")?.Value;
            if (ua is null || !ua.StartsWith("ua-", StringComparison.Ordinal)) return false;
            d.Alias = ua;
            return true;
        }

        foreach (var d in def.Disks)
        {
            if (User(d)) continue;
            var dev = d.Element?.Element("target")?.Attribute("dev")?.Value ?? "";
            var address = d.Element?.Element("address");
            int A(string n) => LibvirtNumber.ParseOrNull(address?.Attribute(n)?.Value) ?? 0;
            d.Alias = d.Model switch
            {
                "virtio" => Fmt("virtio-disk", DiskIndex(dev)),
                "sata" or "ide" => $"{d.Model}{A("controller")}-{A("bus")}-{A("unit")}",
                "scsi" => $"scsi{A("controller")}-{A("bus")}-{A("target")}-{A("unit")}",
                _ => Fmt(d.Model ?? "disk", DiskIndex(dev)),
            };
        }
        var net = 0;
        foreach (var d in def.Nets) if (!User(d)) d.Alias = Fmt("net", net++);
        var fs = 0;
        foreach (var d in def.Filesystems) if (!User(d)) d.Alias = Fmt("fs", fs++);
        var sound = 0;
        foreach (var d in def.Sounds) if (!User(d)) d.Alias = Fmt("sound", sound++);
        var hostdev = 0;
        foreach (var d in def.Hostdevs) if (!User(d)) d.Alias = Fmt("hostdev", hostdev++);
        var video = 0;
        foreach (var d in def.Videos) if (!User(d)) d.Alias = Fmt("video", video++);
        foreach (var d in def.Controllers) if (!User(d)) d.Alias = ControllerAlias(def, d);
        var input = 0;
        foreach (var d in def.Inputs) if (!User(d)) d.Alias = Fmt("input", input++);
        var serial = 0;
        foreach (var d in def.Serials) if (!User(d)) d.Alias = Fmt("serial", serial++);
        var watchdog = 0;
        foreach (var d in def.Watchdogs) if (!User(d)) d.Alias = Fmt("watchdog", watchdog++);
        foreach (var d in def.Memballoons) if (!User(d)) d.Alias = "balloon0";
        var rng = 0;
        foreach (var d in def.Rngs) if (!User(d)) d.Alias = Fmt("rng", rng++);
        var shmem = 0;
        foreach (var d in def.Shmems) if (!User(d)) d.Alias = Fmt("shmem", shmem++);
        var other = new Dictionary<string, int>();
        foreach (var d in def.Others)
        {
            if (User(d)) continue;
            var prefix = d.Kind switch { "memory" => d.Model == "virtio-mem" ? "virtiomem" : "virtiopmem", _ => d.Kind };
            other[prefix] = other.GetValueOrDefault(prefix);
            d.Alias = Fmt(prefix, other[prefix]++);
        }
    }

    private static string ControllerAlias(DomainDefinition def, AddressableDevice c) => c.Type switch
    {
        "pci" when c.Index == 0 => def.HasPcieRoot ? "pcie.0" : "pci.0",
        "pci" => "pci." + c.Index.ToString(CultureInfo.InvariantCulture),
        "usb" when c.Index == 0 => "usb",
        "sata" when def.HasPcieRoot && c.Index == 0 => "ide",
        "ide" when !def.HasPcieRoot && c.Index == 0 => "ide",
        _ => c.Type + c.Index.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>virDiskNameToIndex: "vda" = 0, "vdz" = 25, "vdaa" = 26.</summary>
    internal static int DiskIndex(string dev)
    {
        var letters = dev.Length > 2 ? dev[2..] : "";
        var index = -1;
        foreach (var c in letters)
        {
            if (c is < 'a' or > 'z') break;
            index = (index + 1) * 26 + (c - 'a');
        }
        return Math.Max(index, 0);
    }
}
