using System.Collections.Immutable;
using VfioKit.Pci;

namespace VfioKit.Verify;

/// <summary>Every PCI function a guest reported, and what the report was (for messages and JSON).</summary>
/// <param name="Source">The report's kind: see <see cref="GuestSources"/>.</param>
public sealed record GuestInventory(string Source, ImmutableArray<SeenFunction> Functions)
{
    public SeenFunction? Find(PciAddress address) =>
        Functions.FirstOrDefault(f => f.Address == address)
        // A report without domains (lspci without -D) names domain 0.
        ?? Functions.FirstOrDefault(f => f.Address.Bus == address.Bus && f.Address.Device == address.Device && f.Address.Function == address.Function);

    /// <summary>The port or bridge above <paramref name="function"/>, when the report shows it.</summary>
    public SeenFunction? ParentOf(SeenFunction function) => function.Parent is { } p ? Find(p) : null;
}

/// <summary>The names of the kinds of guest reports vfiokit reads.</summary>
public static class GuestSources
{
    public const string LspciVerbose = "lspci -vv";
    public const string LspciHex = "lspci -x";
    public const string Sysfs = "sysfs";
    public const string Windows = "windows";
}
