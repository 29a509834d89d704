using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>Finds the GPUs among the slots and says what a user must know before passing each through.</summary>
public static class GpuFinder
{
    public static IReadOnlyList<Gpu> Find(
        IReadOnlyList<PhysicalSlot> slots,
        IReadOnlyList<IommuGroup> groups,
        IReadOnlyDictionary<PciAddress, PciFunction> functions)
    {
        var gpus = new List<Gpu>();
        foreach (var slot in slots)
        {
            if (!slot.Functions.Any(f => f.IsDisplay)) continue;
            var members = slot.Functions.Select(f => new GpuFunction(f, FunctionRoles.Of(f))).ToList();
            var display = members.First(m => m.Role == FunctionRole.Display).Function;
            var viability = ViabilityJudge.Judge(slot, groups, functions);
            var driver = DriverStates.Of(display.Driver);
            var bootVga = slot.Functions.Any(f => f.BootVga == true);
            var family = AmdResetBug.Family(display.VendorId, display.DeviceId);
            gpus.Add(new Gpu(slot.Slot, members, viability, display.NumaNode, bootVga, driver, family,
                Warnings(members, viability, driver, bootVga, family)));
        }
        return gpus;
    }

    private static IReadOnlyList<string> Warnings(IReadOnlyList<GpuFunction> members, GroupViability viability, DriverState driver, bool bootVga, string? family)
    {
        var warnings = new List<string>();
        var gone = members.Where(m => m.Function.FellOffBus).Select(m => m.Function.Address).ToList();
        if (gone.Count > 0)
            warnings.Add($"{string.Join(", ", gone)}: config space reads all 0xff, the device fell off the bus (the state a failed reset leaves): " +
                         "no VM can use it until it is removed and rescanned (echo 1 > .../remove; echo 1 > /sys/bus/pci/rescan) or the host reboots");
        if (viability.Verdict == Viability.NotViable) warnings.Add(viability.Explanation);

        // FLR is what lets the host reset a function between VM runs without touching the rest of the bus.
        var noFlr = members.Where(m => HasFlr(m.Function) == false).Select(m => m.Function).ToList();
        if (noFlr.Count > 0)
            warnings.Add($"no FLR on {string.Join(", ", noFlr.Select(f => $"{f.Address} (resets: {Resets(f)})"))}: " +
                         "the kernel falls back to a bus reset, which resets everything behind the same bridge and may not fully reset the card");

        if (family is not null)
            warnings.Add($"AMD {family}: known for the AMD reset bug (the card does not come back after a VM stops); load the vendor-reset module");
        if (bootVga)
            warnings.Add("boot GPU: the host console and firmware use it; passing it needs the console off it (video=efifb:off) and often a ROM file");
        if (driver is DriverState.Amdgpu or DriverState.Radeon or DriverState.Nvidia or DriverState.Nouveau or DriverState.I915 or DriverState.Xe or DriverState.Other)
            warnings.Add($"bound to {members.First(m => m.Role == FunctionRole.Display).Function.Driver}: the host uses it; bind it to vfio-pci (libvirt's managed='yes', or vfio-pci.ids= on the kernel command line)");
        return warnings;
    }

    /// <summary>The kernel's reset methods as it lists them; "none" only when it says so (an empty reset_method),
    /// "unknown" when it does not say (no reset_method attribute before Linux 5.15, or a snapshot without it).</summary>
    public static string Resets(PciFunction f) => f.ResetMethods switch
    {
        null => "unknown",
        { Count: 0 } => "none",
        var r => string.Join(" ", r),
    };

    /// <summary>From the kernel's reset_method when it says, else from the PCIe capability's DevCap.FLR; null when unknown.</summary>
    public static bool? HasFlr(PciFunction f) =>
        f.ResetMethods is { } methods ? methods.Contains("flr") || methods.Contains("af_flr") : f.Pcie?.FunctionLevelReset;
}
