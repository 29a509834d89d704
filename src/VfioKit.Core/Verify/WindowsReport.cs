using System.Globalization;
using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Pci;

namespace VfioKit.Verify;

/// <summary>
/// Reads the JSON that <see cref="WindowsCollector.Script"/> prints. Windows' encodings (pciprop.h):
/// DEVPKEY_PciDevice_DeviceType 0..14 (endpoint types, then bridge types); link speeds as the PCIe
/// register field (Microsoft documents 1 = 2.5 GT/s and 2 = 5 GT/s; newer Windows reports 3 = 8 GT/s and
/// up the same way); widths as the lane count. A property Windows does not have comes as null; a value
/// outside the encodings reads as unknown, never as a guess.
/// </summary>
public static class WindowsReport
{
    /// <summary>True when the text is a JSON object that names itself as the script's output.</summary>
    public static bool Recognises(string text)
    {
        var t = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return t.StartsWith('{') && t.Contains("\"" + WindowsCollector.Marker + "\"", StringComparison.Ordinal);
    }

    /// <exception cref="InputException">Not JSON, not the script's output, or a device without an instance id.</exception>
    public static GuestInventory Parse(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try { document = JsonDocument.Parse(text.TrimStart('\uFEFF'), new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            throw new InputException(origin, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1),
                "the Windows script's output is not whole JSON (cut short?): " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vfiokit", out var marker) || marker.ValueKind != JsonValueKind.String || marker.GetString() != WindowsCollector.Marker)
                throw new InputException(origin, null, null, $"JSON, but not the output of vfiokit's Windows script (no \"vfiokit\": \"{WindowsCollector.Marker}\")");
            if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != WindowsCollector.Version)
                throw new InputException(origin, null, null, $"the Windows script's output is version {(root.TryGetProperty("version", out var vv) ? vv.ToString() : "?")}, this vfiokit reads version {WindowsCollector.Version}: print the script again with vfiokit verify --windows-script");
            if (!root.TryGetProperty("devices", out var devices) || devices.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
                throw new InputException(origin, null, null, "the Windows script's output has no \"devices\" list");

            // ConvertTo-Json writes a one-element list as the element itself in some PowerShell versions.
            var items = devices.ValueKind == JsonValueKind.Array ? devices.EnumerateArray().ToList() : [devices];
            var raw = items.Select((d, i) => Device.From(d, i, origin)).ToList();
            var byId = new Dictionary<string, PciAddress>(StringComparer.OrdinalIgnoreCase);
            foreach (var d in raw)
                if (d.Address is { } a) byId.TryAdd(d.InstanceId, a);

            var functions = raw.Where(d => d.Address is not null).Select(d => new SeenFunction(
                d.Address!.Value, d.ClassCode, d.VendorId, d.DeviceId, d.ExpressType, d.TypeKnown,
                d.MaxLink, d.CurrentLink,
                d.Parent is { } p && byId.TryGetValue(p, out var pa) ? pa : null,
                d.InstanceId));
            return new GuestInventory(GuestSources.Windows, [.. functions]);
        }
    }

    private sealed record Device(string InstanceId, string? Parent, PciAddress? Address, int? ClassCode, int? VendorId, int? DeviceId,
        PcieDeviceType? ExpressType, bool TypeKnown, PciLink? MaxLink, PciLink? CurrentLink)
    {
        public static Device From(JsonElement d, int index, string origin)
        {
            if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("instanceId", out var idElement) || idElement.ValueKind != JsonValueKind.String)
                throw new InputException(origin, null, null, $"device {index + 1} of the Windows script's output has no \"instanceId\"");
            var id = idElement.GetString()!;
            var bus = Number(d, "bus");
            var address = Number(d, "address");
            // DEVPKEY_Device_Address of a PCI device: device number in the high word, function in the low word.
            PciAddress? pci = bus is >= 0 and <= 255 && address is { } a && (a >> 16) is >= 0 and <= 31 && (a & 0xffff) is >= 0 and <= 7
                ? new PciAddress(0, bus.Value, a >> 16, a & 0xffff)
                : null;
            var baseClass = Number(d, "baseClass");
            var subClass = Number(d, "subClass");
            var (vendor, device) = Ids(id);
            return new Device(id, d.TryGetProperty("parent", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null,
                pci, baseClass is { } b && subClass is { } s ? (b << 16) | (s << 8) : null, vendor, device,
                TypeOf(Number(d, "deviceType")), Number(d, "deviceType") is not null,
                Link(Number(d, "maxLinkSpeed"), Number(d, "maxLinkWidth")),
                Link(Number(d, "currentLinkSpeed"), Number(d, "currentLinkWidth")));
        }

        /// <summary>A number, or a string holding one (some PowerShell versions write enums as text); null otherwise.</summary>
        private static int? Number(JsonElement d, string name)
        {
            if (!d.TryGetProperty(name, out var e)) return null;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) && n is >= int.MinValue and <= int.MaxValue) return (int)n;
            if (e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) return s;
            return null;
        }

        private static PciLink? Link(int? speed, int? width) =>
            speed is null && width is null ? null
                : new PciLink(speed is >= 1 and <= 6 ? new LinkSpeed(speed.Value) : LinkSpeed.Unknown, width is >= 1 and <= 32 ? width.Value : 0);

        /// <summary>DEVPKEY_PciDevice_DeviceType (pciprop.h): null for conventional PCI, PCI-X and "treated as PCI".</summary>
        private static PcieDeviceType? TypeOf(int? value) => value switch
        {
            2 => PcieDeviceType.Endpoint,
            3 => PcieDeviceType.LegacyEndpoint,
            4 => PcieDeviceType.RootComplexIntegratedEndpoint,
            8 => PcieDeviceType.RootPort,
            9 => PcieDeviceType.UpstreamPort,
            10 => PcieDeviceType.DownstreamPort,
            11 => PcieDeviceType.PcieToPciBridge,
            12 => PcieDeviceType.PciToPcieBridge,
            14 => PcieDeviceType.RootComplexEventCollector,
            _ => null,
        };

        /// <summary>"PCI\VEN_10DE&amp;DEV_2204&amp;SUBSYS_...\..." to (0x10de, 0x2204).</summary>
        private static (int?, int?) Ids(string instanceId)
        {
            int? Field(string key)
            {
                var at = instanceId.IndexOf(key, StringComparison.OrdinalIgnoreCase);
                return at >= 0 && at + key.Length + 4 <= instanceId.Length
                    && int.TryParse(instanceId.AsSpan(at + key.Length, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
            return (Field("VEN_"), Field("DEV_"));
        }
    }
}
