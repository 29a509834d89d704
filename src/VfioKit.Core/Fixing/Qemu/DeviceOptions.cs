using System.Globalization;
using System.Text.Json.Nodes;

namespace VfioKit.Fixing.Qemu;

/// <summary>
/// A -device value in either form QEMU takes: `driver,key=value,...` or the JSON object libvirt 9 writes.
/// Edits keep the form (and, for key=value, the order and spelling of untouched keys).
/// </summary>
public sealed class DeviceOptions
{
    private readonly QemuOptionList? _list;
    private readonly JsonObject? _json;

    private DeviceOptions(QemuOptionList? list, JsonObject? json)
    {
        _list = list;
        _json = json;
    }

    public static DeviceOptions Parse(string value)
    {
        if (value.TrimStart().StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(VfioKit.Formats.Qemu.DeviceJson.Standard(value), documentOptions: VfioKit.Formats.Qemu.DeviceJson.StrictJson) is JsonObject o) return new DeviceOptions(null, o);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: read it as key=value and let QEMU's own reader complain.
            }
        }
        return new DeviceOptions(QemuOptionList.Parse(value), null);
    }

    public string? Driver => _list is not null ? _list.Head ?? _list.Get("driver") : Get("driver");

    public string? Get(string key)
    {
        if (_list is not null) return _list.Get(key);
        if (_json![key] is not JsonValue v) return null;
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b ? "on" : "off";
        if (v.TryGetValue<long>(out var n)) return n.ToString(CultureInfo.InvariantCulture);
        return v.ToJsonString();
    }

    /// <summary>Sets a key; <paramref name="isBool"/> writes a JSON boolean for on/off properties.</summary>
    public DeviceOptions Set(string key, string value, bool isBool = false, bool isNumber = false)
    {
        if (_list is not null) return new DeviceOptions(_list.Set(key, value), null);
        var copy = (JsonObject)_json!.DeepClone();
        copy[key] = isBool ? JsonValue.Create(value is "on" or "true")
            : isNumber && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n)
            : JsonValue.Create(value);
        return new DeviceOptions(null, copy);
    }

    public DeviceOptions Remove(string key)
    {
        if (_list is not null) return new DeviceOptions(_list.Remove(key), null);
        var copy = (JsonObject)_json!.DeepClone();
        copy.Remove(key);
        return new DeviceOptions(null, copy);
    }

    public DeviceOptions WithDriver(string driver)
    {
        if (_list is not null) return new DeviceOptions(_list.Head is not null ? _list.WithHead(driver) : _list.Set("driver", driver), null);
        return Set("driver", driver);
    }

    public override string ToString() => _list?.ToString() ?? _json!.ToJsonString();
}
