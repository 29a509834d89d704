using VfioKit.Behaviour.Libvirt;
using VfioKit.Diagnostics;
using VfioKit.Formats.Libvirt;

namespace VfioKit.Libvirt;

/// <summary>
/// Compares the domain XML vfiokit wrote with what libvirt read back after defining it (`new --define`): libvirt
/// adds defaults and addresses of its own, so only what the written XML says is checked, fact by fact: type, name,
/// UUID, memory, vCPUs and their pinning, each host device at its guest address, each controller with its model and
/// address, the firmware, and every argument of &lt;qemu:commandline&gt; (the ports' link speed and width). Both are
/// read as <see cref="DomainXml"/>, numbers as libvirt reads them (<see cref="LibvirtNumber"/>), so bus='11' written
/// and bus='0x0b' read back are one bus.
/// </summary>
public static class DefinitionReadBack
{
    /// <summary>Null when every fact of <paramref name="written"/> is in <paramref name="readBack"/>, else what differs.</summary>
    public static string? Check(string written, string readBack)
    {
        Dictionary<string, string> want, got;
        try
        {
            want = Facts(DomainXml.Parse(written, "written"));
            got = Facts(DomainXml.Parse(readBack, "read back"));
        }
        catch (InputException e)
        {
            return $"the XML read back is not a domain ({e.Describe()})";
        }
        var differences = want.Where(f => !got.TryGetValue(f.Key, out var value) || value != f.Value)
            .Select(f => got.TryGetValue(f.Key, out var value) ? $"{f.Key}: wrote {f.Value}, libvirt has {value}" : $"{f.Key}: wrote {f.Value}, libvirt dropped it")
            .ToList();
        return differences.Count == 0 ? null
            : "libvirt's read-back differs from the VM written: " + string.Join("; ", differences.Take(5)) + (differences.Count > 5 ? $"; and {differences.Count - 5} more" : "");
    }

    private static Dictionary<string, string> Facts(DomainXml domain)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value) { if (value is not null) facts[key] = value.Trim(); }
        Add("type", domain.Type);
        Add("name", domain.Name);
        Add("uuid", domain.Root.Element("uuid")?.Value);
        if (domain.Root.Element("memory") is { } memory && long.TryParse(memory.Value.Trim(), out var amount)
            && MemoryUnit.ToBytes(amount, (string?)memory.Attribute("unit") ?? "KiB") is { } bytes)
            Add("memory", $"{bytes / 1024} KiB");
        Add("vcpu", domain.Vcpus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? domain.Root.Element("vcpu")?.Value);
        foreach (var (vcpu, cpuset) in domain.Cputune?.VcpuPins ?? [])
            Add($"vcpupin {vcpu}", cpuset);
        Add("emulatorpin", domain.Cputune?.EmulatorPin);
        Add("loader", domain.Os?.Loader);
        foreach (var hostdev in domain.Hostdevs)
            if (hostdev.SourceAddressElement is { } source)
                Add($"hostdev {Address(new DeviceAddress(source))}", hostdev.Address is { } guest ? Address(guest) : "present");
        foreach (var controller in domain.Devices.Where(d => d.Kind == "controller"))
        {
            var index = controller.Element.Attribute("index")?.Value;
            var key = $"controller {controller.Type} {LibvirtNumber.ParseOrNull(index)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? index}";
            // The model attribute only (DomainDevice.Model falls back to <model name>, which libvirt fills in itself).
            Add(key, (controller.Element.Attribute("model")?.Value ?? "") + (controller.Address is { } a ? " at " + Address(a) : ""));
        }
        var args = domain.QemuCommandline?.Args ?? [];
        for (var i = 0; i < args.Count; i++) Add($"qemu:commandline arg {i}", args[i].Value);
        return facts;
    }

    /// <summary>A PCI address, each part as libvirt reads the number (0x0b, 0x00b and 11 are one bus), in hex;
    /// a part that is no number as written, "-" when absent.</summary>
    private static string Address(DeviceAddress a) => string.Join(":", new[] { "domain", "bus", "slot", "function" }
        .Select(n => LibvirtNumber.ParseOrNull(a.Raw(n)) is { } x ? x.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : a.Raw(n) ?? "-"));
}
