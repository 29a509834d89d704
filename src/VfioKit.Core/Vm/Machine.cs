namespace VfioKit.Vm;

/// <summary>
/// The machine type: its family and, for versioned types (pc-q35-7.2, pc-i440fx-8.0), its version.
/// An alias ("q35", "pc") has no version: it means the newest machine of the QEMU that runs it.
/// </summary>
/// <param name="Type">The type as written, e.g. "pc-q35-7.2" or "q35".</param>
/// <param name="Options">Other machine options as written (kernel-irqchip=split, usb=off, ...), in order.</param>
public sealed record Machine(MachineFamily Family, MachineVersion? Version, string Type, ValueList<MachineOption> Options)
{
    public static Machine Q35 { get; } = new(MachineFamily.Q35, null, "q35", ValueList<MachineOption>.Empty);
    public static Machine I440fx { get; } = new(MachineFamily.I440fx, null, "pc", ValueList<MachineOption>.Empty);

    /// <summary>The root bus every PCI device hangs from: "pcie.0" on q35, "pci.0" on i440fx.</summary>
    public string RootBusId => Family == MachineFamily.Q35 ? "pcie.0" : "pci.0";

    /// <summary>The version whose defaults apply when run by QEMU <paramref name="qemu"/>.</summary>
    public MachineVersion EffectiveVersion(MachineVersion qemu) => Version is { } v && v < qemu ? v : qemu;

    /// <summary>Reads a machine type name; false for types that are not x86 PC machines (microvm, isapc, ...).</summary>
    public static bool TryParseType(string type, out MachineFamily family, out MachineVersion? version)
    {
        family = MachineFamily.Q35;
        version = null;
        switch (type)
        {
            case "q35": return true;
            case "pc" or "pc-i440fx": family = MachineFamily.I440fx; return true;
        }
        if (type.StartsWith("pc-q35-", StringComparison.Ordinal))
            return Versioned(type["pc-q35-".Length..], out version);
        family = MachineFamily.I440fx;
        if (type.StartsWith("pc-i440fx-", StringComparison.Ordinal))
            return Versioned(type["pc-i440fx-".Length..], out version);
        // The oldest i440fx types were named pc-0.14 ... pc-1.3.
        if (type.StartsWith("pc-", StringComparison.Ordinal))
            return Versioned(type["pc-".Length..], out version);
        return false;
    }

    public string? Option(string key)
    {
        string? value = null;
        foreach (var o in Options) if (o.Key == key) value = o.Value;
        return value;
    }

    private static bool Versioned(string text, out MachineVersion? version)
    {
        version = null;
        if (!MachineVersion.TryParse(text, out var v)) return false;
        version = v;
        return true;
    }
}

/// <summary>One key=value of -machine, kept as written.</summary>
public readonly record struct MachineOption(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}
