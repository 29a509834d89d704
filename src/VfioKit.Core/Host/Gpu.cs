using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>One function of a GPU's slot with its role (display, HDMI audio, USB, UCSI, other).</summary>
public sealed record GpuFunction(PciFunction Function, FunctionRole Role);

/// <summary>
/// A GPU: a slot holding a display function (class 03xx), listed with every function of that slot since all
/// of them go to the VM together. Warnings are what a user must know before passing it through.
/// </summary>
public sealed record Gpu(
    PciSlot Slot,
    IReadOnlyList<GpuFunction> Functions,
    GroupViability Viability,
    int? NumaNode,
    bool BootVga,
    DriverState Driver,
    string? AmdResetBugFamily,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The display function (the lowest-numbered one when several).</summary>
    public PciFunction Display => Functions.First(f => f.Role == FunctionRole.Display).Function;
}
