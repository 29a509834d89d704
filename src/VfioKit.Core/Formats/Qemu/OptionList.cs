using System.Text;
using VfioKit.Diagnostics;
using VfioKit.Vm;

namespace VfioKit.Formats.Qemu;

/// <summary>
/// QEMU's "QemuOpts" syntax: `first,key=value,flag,...`, where ",," is a literal comma, a bare
/// first element is the implied key (driver for -device, type for -machine) and a bare later
/// element means key=on. The JSON form `{"driver":...}` of -device is read by <see cref="DeviceJson"/>.
/// </summary>
public static class OptionList
{
    public static IReadOnlyList<OptionProperty> Parse(string text, SourceLocation where, string? impliedKey)
    {
        var result = new List<OptionProperty>();
        var first = true;
        foreach (var e in Split(text))
        {
            if (e.Length == 0)
            {
                if (first && impliedKey is not null)
                    throw new InputException(where.File, where.Line, where.Column, $"'{Shorten(text)}': missing {impliedKey} before the first ','");
                first = false;
                continue;
            }
            var eq = e.IndexOf('=');
            if (first && impliedKey is not null && eq < 0)
                result.Add(new OptionProperty(impliedKey, e));
            else if (eq < 0)
                result.Add(new OptionProperty(e, "on"));
            else if (eq == 0)
                throw new InputException(where.File, where.Line, where.Column, $"'{Shorten(text)}': '{e}' has no key before '='");
            else
                result.Add(new OptionProperty(e[..eq], e[(eq + 1)..]));
            first = false;
        }
        return result;
    }

    /// <summary>The elements between single commas, ",," read as a literal comma; empty elements kept.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var elements = new List<string>();
        var element = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ',') { element.Append(text[i]); continue; }
            if (i + 1 < text.Length && text[i + 1] == ',') { element.Append(','); i++; continue; }
            elements.Add(element.ToString());
            element.Clear();
        }
        elements.Add(element.ToString());
        return elements;
    }

    /// <summary>Writes properties back, doubling commas inside values.</summary>
    public static string Format(IEnumerable<OptionProperty> properties, string? impliedKey)
    {
        var sb = new StringBuilder();
        foreach (var p in properties)
        {
            if (sb.Length > 0) sb.Append(',');
            if (p.Key == impliedKey && sb.Length == 0) { sb.Append(Escape(p.Value)); continue; }
            sb.Append(p.Key).Append('=').Append(Escape(p.Value));
        }
        return sb.ToString();
    }

    public static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
