using VfioKit.Pci;

namespace VfioKit.Vm;

/// <summary>
/// The host function a vfio-pci device passes through, as written: `host=0000:0b:00.0`, `host=$NVIDIA.0`
/// (a shell variable kept symbolic) or `sysfsdev=/sys/bus/pci/devices/0000:0b:00.0`.
/// </summary>
/// <param name="Text">The value as written.</param>
/// <param name="Address">The address when it is literal (host=, or the last path part of sysfsdev=), or when the
/// launch script sets the variables it is written with (host=$GPU.0 with GPU=01:00); null otherwise.</param>
/// <param name="IsSysfsPath">True for sysfsdev=.</param>
public sealed record HostSource(string Text, PciAddress? Address, bool IsSysfsPath)
{
    /// <summary>Written with a shell expansion ($NVIDIA.0); <see cref="Address"/> is then known only when the script sets the variable.</summary>
    public bool IsSymbolic => Address is null || Text.Contains('$') || Text.Contains('`');

    public static HostSource FromHost(string text) =>
        new(text, PciAddress.TryParse(text, out var a) ? a : null, false);

    public static HostSource FromSysfs(string path)
    {
        var last = path.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        return new(path, PciAddress.TryParse(last, out var a) ? a : null, true);
    }

    /// <summary>What names the function, one way for one function: the address when literal, else the text with
    /// ${NAME} written $NAME where that reads the same (host=$GPU.0 and host=${GPU}.0 are one function).</summary>
    public string Key => Address?.ToString() ?? Unbraced(Text);

    private static string Unbraced(string text)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var close = i + 1 < text.Length && text[i] == '$' && text[i + 1] == '{' ? text.IndexOf('}', i) : -1;
            if (close > i + 2 && IsName(text.AsSpan(i + 2, close - i - 2)) && (close + 1 >= text.Length || !IsNameChar(text[close + 1])))
            {
                sb.Append('$').Append(text, i + 2, close - i - 2);
                i = close;
                continue;
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static bool IsName(ReadOnlySpan<char> s) => s.Length > 0 && !char.IsAsciiDigit(s[0]) && s.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < 0;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    public override string ToString() => Text;
}
