using System.Text;
using VfioKit.Diagnostics;

namespace VfioKit.Generation;

/// <summary>VM names: any text without control characters (libvirt also refuses '/'), and a reduced form for file names.</summary>
public static class VmNames
{
    public static void Check(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InputException("--name", "the VM name is empty");
        if (name.Any(char.IsControl)) throw new InputException("--name", "the VM name contains control characters (newline, tab, ...)");
        if (name.Length > 200) throw new InputException("--name", "the VM name is longer than 200 characters");
    }

    /// <summary>libvirt refuses a '/' in a domain name.</summary>
    public static void CheckLibvirt(string name)
    {
        if (name.Contains('/')) throw new InputException("--name", $"'{name}' contains '/', which libvirt refuses in a domain name");
    }

    /// <summary>[A-Za-z0-9._-] only (others become '_'), never starting with '-' or '.': safe in any path or option.</summary>
    public static string Safe(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        var s = sb.ToString().TrimStart('-', '.');
        return s.Length == 0 ? "vm" : s;
    }
}
