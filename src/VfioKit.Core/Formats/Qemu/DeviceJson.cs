using System.Globalization;
using System.Text;
using System.Text.Json;
using VfioKit.Diagnostics;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// The JSON form of -device that libvirt 9 writes: `{"driver":"vfio-pci","host":"0000:0b:00.0","bus":"pci.8","addr":"0x0"}`.
/// Booleans become on/off and numbers their decimal text, so both forms give the same properties.
/// </summary>
public static class DeviceJson
{
    private static readonly HashSet<string> IntegerKeys = ["chassis", "slot", "port", "bus_nr", "numa_node", "chassis_nr", "rombar"];
    private static readonly HashSet<string> BoolKeys = ["multifunction", "x-vga", "hotplug", "shpc"];

    /// <summary>QEMU's JSON parser refuses a repeated key ("duplicate key"); System.Text.Json would keep both.</summary>
    internal static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static bool LooksLikeJson(string text) => text.TrimStart().StartsWith('{');

    /// <summary>
    /// QEMU's JSON lexer (qobject/json-lexer.c) also takes 'single-quoted' strings, which users write inside XML
    /// attributes and shell double quotes (QEMU 7.2 starts with `-device "{'driver':'e1000'}"`); System.Text.Json
    /// does not, so they are rewritten as double-quoted strings first: a " inside becomes \", a \' becomes '.
    /// </summary>
    public static string Standard(string text)
    {
        if (!text.Contains('\'')) return text;
        var json = new StringBuilder(text.Length + 8);
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\0')
            {
                if (c is '\'' or '"') quote = c;
                json.Append(c == '\'' ? '"' : c);
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                if (next == '\'') json.Append('\'');
                else json.Append(c).Append(next);
            }
            else if (c == quote)
            {
                json.Append('"');
                quote = '\0';
            }
            else if (c == '"') json.Append("\\\"");
            else json.Append(c);
        }
        return json.ToString();
    }

    public static IReadOnlyList<OptionProperty> Parse(string text, SourceLocation where)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Standard(text), StrictJson);
        }
        catch (JsonException e)
        {
            var column = where.Column > 0 && e.BytePositionInLine is { } b ? where.Column + (int)b : where.Column;
            throw new InputException(where.File, where.Line, column,
                $"bad JSON in '{OptionList.Shorten(text)}': {e.Message.Split(" LineNumber")[0].Split(" Path:")[0]}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InputException(where.File, where.Line, where.Column, $"'{OptionList.Shorten(text)}': a JSON -device must be an object");
            var result = new List<OptionProperty>();
            var driver = doc.RootElement.TryGetProperty("driver", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            // Only the properties vfiokit models, of the drivers that have them (usb-tablet's "port" is a string).
            var typed = ControllerModels.TryFromDriver(driver, out _) || driver is "vfio-pci" or "vfio-pci-nohotplug";
            var pci = DeviceCatalog.IsPci(driver);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                // QEMU reads JSON -device strictly typed (qdev_device_add_from_qdict): no "7" for 7, no "on" for true.
                if (typed && IntegerKeys.Contains(p.Name) && p.Value.ValueKind != JsonValueKind.Number)
                    throw new InputException(where.File, where.Line, where.Column, $"Parameter '{p.Name}' expects uint64 (a JSON number, not {p.Value.GetRawText()})");
                if ((typed || (pci && p.Name == "multifunction")) && BoolKeys.Contains(p.Name) && p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw new InputException(where.File, where.Line, where.Column, $"Parameter '{p.Name}' expects bool (true or false, not {p.Value.GetRawText()})");
                var value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.True => "on",
                    JsonValueKind.False => "off",
                    // A numeric addr is a devfn (slot << 3 | function).
                    JsonValueKind.Number when p.Name == "addr" && p.Value.TryGetInt32(out var devfn) && devfn is >= 0 and <= 255 =>
                        GuestAddress.FromDevfn(devfn).ToString(),
                    JsonValueKind.Number => p.Value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : p.Value.GetRawText(),
                    _ => p.Value.GetRawText(),
                };
                result.Add(new OptionProperty(p.Name, value));
            }
            return result;
        }
    }
}
