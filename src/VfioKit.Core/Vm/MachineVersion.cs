using System.Globalization;

namespace VfioKit.Vm;

/// <summary>A versioned machine type's version (pc-q35-<b>7.2</b>), which selects QEMU's compat defaults.</summary>
public readonly record struct MachineVersion(int Major, int Minor) : IComparable<MachineVersion>
{
    /// <summary>The newest QEMU release vfiokit knows; what an unversioned alias ("q35", "pc") means by default.</summary>
    public static readonly MachineVersion Newest = new(10, 1);

    public int CompareTo(MachineVersion other) => (Major, Minor).CompareTo((other.Major, other.Minor));

    public static bool operator <(MachineVersion a, MachineVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(MachineVersion a, MachineVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(MachineVersion a, MachineVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(MachineVersion a, MachineVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>Parses "7.2" (also "7.2.0", the way `qemu-system-x86_64 --version` prints it).</summary>
    public static bool TryParse(string? text, out MachineVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('.');
        if (parts.Length is < 2 or > 3) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return false;
        if (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        version = new MachineVersion(major, minor);
        return true;
    }

    public static MachineVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a version (expected N.M)");
}
