using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Formats.Proxmox;

/// <summary>
/// A `hostpciN:` entry: host device(s) and options (PVE::QemuServer::PCI's hostpci format).
/// A host id without a function ("0000:0b:00") passes every function of the slot as one multifunction
/// device; with pcie=1 on q35 it sits behind root port ich9-pcie-port-(N+1), otherwise on a conventional
/// pci-bridge (pci.0 ... behind the i82801b11 DMI bridge), where the guest sees no PCI Express at all.
/// </summary>
public sealed record HostPci(
    int Index,
    ProxmoxLine Line,
    IReadOnlyList<string> HostIds,
    string? Mapping,
    bool Pcie,
    bool XVga,
    bool? RomBar,
    string? RomFile,
    IReadOnlyList<KeyValuePair<string, string>> Options)
{
    /// <summary>The root port Proxmox puts the device behind when pcie=1 (ich9-pcie-port-(N+1)).</summary>
    public string RootPortId => "ich9-pcie-port-" + (Index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The host slot when the id names a whole slot ("0b:00"), null when it names one function.</summary>
    public PciSlot? WholeSlot =>
        HostIds.Count == 1 && PciSlot.TryParse(HostIds[0], out var s) && !HostIds[0].Contains('.') ? s : null;

    /// <summary>The host functions named explicitly ("0b:00.0;0b:00.1").</summary>
    public IReadOnlyList<PciAddress> Functions =>
        HostIds.Select(h => PciAddress.TryParse(h, out var a) ? (PciAddress?)a : null).OfType<PciAddress>().ToList();

    /// <summary>romfile as QEMU gets it: Proxmox looks for it in /usr/share/kvm/.</summary>
    public string? RomPath => RomFile is null ? null : RomFile.StartsWith('/') ? RomFile : "/usr/share/kvm/" + RomFile;

    public static bool TryFrom(ProxmoxLine line, out HostPci hostPci)
    {
        hostPci = null!;
        if (line.Key is not { } key || !key.StartsWith("hostpci", StringComparison.Ordinal)
            || !int.TryParse(key.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return false;
        var hosts = new List<string>();
        string? mapping = null, romfile = null;
        bool pcie = false, xvga = false;
        bool? rombar = null;
        var options = new List<KeyValuePair<string, string>>();
        foreach (var part in (line.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var (k, v) = eq < 0 ? ("host", part) : (part[..eq], part[(eq + 1)..]);
            options.Add(new(k, v));
            switch (k)
            {
                case "host": hosts.AddRange(v.Split(';', StringSplitOptions.RemoveEmptyEntries)); break;
                case "mapping": mapping = v; break;
                case "pcie": pcie = IsTrue(v); break;
                case "x-vga": xvga = IsTrue(v); break;
                case "rombar": rombar = IsTrue(v); break;
                case "romfile": romfile = v; break;
            }
        }
        hostPci = new HostPci(index, line, hosts, mapping, pcie, xvga, rombar, romfile, options);
        return true;
    }

    /// <summary>Proxmox's boolean words (PVE::JSONSchema): 1/0, on/off, yes/no, true/false.</summary>
    public static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "1" or "on" or "yes" or "true";
}
