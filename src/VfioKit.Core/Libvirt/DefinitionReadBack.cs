using System.Xml;
using System.Xml.Linq;
using VfioKit.Formats.Libvirt;

namespace VfioKit.Libvirt;

/// <summary>
/// Compares the domain XML vfiokit wrote with what libvirt read back after defining it (`new --define`): libvirt
/// adds defaults and addresses of its own, so only what the written XML says is checked, fact by fact: type, name,
/// UUID, memory, vCPUs and their pinning, each host device at its guest address, each controller with its model and
/// address, the firmware, and every argument of &lt;qemu:commandline&gt; (the ports' link speed and width).
/// </summary>
public static class DefinitionReadBack
{
    private static readonly XNamespace Qemu = "http://libvirt.org/schemas/domain/qemu/1.0";

    /// <summary>Null when every fact of <paramref name="written"/> is in <paramref name="readBack"/>, else what differs.</summary>
    public static string? Check(string written, string readBack)
    {
        Dictionary<string, string> want, got;
        try
        {
            want = Facts(XDocument.Parse(written).Root!);
            got = Facts(XDocument.Parse(readBack).Root!);
        }
        catch (XmlException e)
        {
            return $"the XML read back is not XML ({e.Message})";
        }
        var differences = want.Where(f => !got.TryGetValue(f.Key, out var value) || value != f.Value)
            .Select(f => got.TryGetValue(f.Key, out var value) ? $"{f.Key}: wrote {f.Value}, libvirt has {value}" : $"{f.Key}: wrote {f.Value}, libvirt dropped it")
            .ToList();
        return differences.Count == 0 ? null
            : "libvirt's read-back differs from the VM written: " + string.Join("; ", differences.Take(5)) + (differences.Count > 5 ? $"; and {differences.Count - 5} more" : "");
    }

    private static Dictionary<string, string> Facts(XElement domain)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value) { if (value is not null) facts[key] = value.Trim(); }
        Add("type", (string?)domain.Attribute("type"));
        Add("name", domain.Element("name")?.Value);
        Add("uuid", domain.Element("uuid")?.Value);
        if (domain.Element("memory") is { } memory && long.TryParse(memory.Value.Trim(), out var amount)
            && MemoryUnit.ToBytes(amount, (string?)memory.Attribute("unit") ?? "KiB") is { } bytes)
            Add("memory", $"{bytes / 1024} KiB");
        Add("vcpu", domain.Element("vcpu")?.Value);
        foreach (var pin in domain.Element("cputune")?.Elements("vcpupin") ?? [])
            Add($"vcpupin {(string?)pin.Attribute("vcpu")}", (string?)pin.Attribute("cpuset"));
        Add("emulatorpin", (string?)domain.Element("cputune")?.Element("emulatorpin")?.Attribute("cpuset"));
        Add("loader", domain.Element("os")?.Element("loader")?.Value);
        var devices = domain.Element("devices");
        foreach (var hostdev in devices?.Elements("hostdev") ?? [])
            if (hostdev.Element("source")?.Element("address") is { } source)
                Add($"hostdev {Address(source)}", hostdev.Element("address") is { } guest ? Address(guest) : "present");
        foreach (var controller in devices?.Elements("controller") ?? [])
        {
            var key = $"controller {(string?)controller.Attribute("type")} {(string?)controller.Attribute("index")}";
            Add(key, ((string?)controller.Attribute("model") ?? "") + (controller.Element("address") is { } a ? " at " + Address(a) : ""));
        }
        var args = domain.Element(Qemu + "commandline")?.Elements(Qemu + "arg").Select(a => (string?)a.Attribute("value")).OfType<string>().ToArray() ?? [];
        for (var i = 0; i < args.Length; i++) Add($"qemu:commandline arg {i}", args[i]);
        return facts;
    }

    /// <summary>A PCI address as libvirt writes it, its numbers normalised (0x0b and 0x00b are one bus).</summary>
    private static string Address(XElement a) => string.Join(":", new[] { "domain", "bus", "slot", "function" }
        .Select(n => (string?)a.Attribute(n) is { } v && v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(v.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var x)
            ? x.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : (string?)a.Attribute(n) ?? "-"));
}
