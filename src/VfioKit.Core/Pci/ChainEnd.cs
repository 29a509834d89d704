namespace VfioKit.Pci;

/// <summary>How a walk along a capability list ended. Anything but <see cref="Complete"/> means the list
/// was cut short: what was found before the fault is still reported.</summary>
public enum ChainEnd
{
    /// <summary>The last entry had a next pointer of 0 (or there was no list at all).</summary>
    Complete,
    /// <summary>A next pointer led back to an entry already seen.</summary>
    Looped,
    /// <summary>An entry read as all ones (ID 0xff, or 0xffffffff in extended space): no device there.</summary>
    Broken,
    /// <summary>A pointer pointed into the header (below 0x40, or below 0x100 in extended space).</summary>
    PointerIntoHeader,
    /// <summary>A pointer pointed past the bytes that were read, e.g. a 64-byte config read by a non-root user.</summary>
    Truncated,
}
