namespace VfioKit.Vm;

/// <summary>
/// The numbers a new PCIe port may take: QEMU's chassis (pcie-root-port, ioh3420, xio3130) and port are
/// 8-bit properties, and a libvirt PCI controller index is a bus number (0..255). Values fix invents
/// come from here, so what it writes QEMU and libvirt accept.
/// </summary>
public static class ChassisRange
{
    public const int Max = 255;

    /// <summary>The next number after the highest used, or else the lowest unused from 1; null when 1..255 are all taken.</summary>
    public static int? Next(IEnumerable<int> used)
    {
        var taken = used.ToHashSet();
        var after = taken.Count == 0 ? 1 : taken.Max() + 1;
        if (after is >= 1 and <= Max) return after;
        for (var n = 1; n <= Max; n++)
            if (!taken.Contains(n)) return n;
        return null;
    }
}
