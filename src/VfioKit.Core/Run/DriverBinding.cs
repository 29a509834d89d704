using VfioKit.Pci;

namespace VfioKit.Run;

/// <summary>
/// Binds a PCI function to <see cref="Target"/> the way the kernel documents for driver_override: set the
/// override, unbind from the old driver, ask the bus to probe. The way back sets the old override and binds the
/// old driver by name, so the function returns to exactly the driver it had (not to whichever probes first).
/// </summary>
/// <param name="OldDriver">The driver bound before, null when none was.</param>
/// <param name="OldOverride">driver_override before, null when unset ("(null)").</param>
public sealed record DriverBinding(string Address, string Target, string? OldDriver, string? OldOverride) : HostStep
{
    public static DriverBinding Read(IHostFiles files, PciAddress address, string target)
    {
        var a = address.ToString();
        var over = files.ReadText(OverridePath(a));
        return new DriverBinding(a, target, files.LinkName(DriverLink(a)), over is null or "(null)" or "" ? null : over);
    }

    public static string DriverLink(string address) => $"sys/bus/pci/devices/{address}/driver";
    public static string OverridePath(string address) => $"sys/bus/pci/devices/{address}/driver_override";
    public static string Unbind(string driver) => $"sys/bus/pci/drivers/{driver}/unbind";
    public static string Bind(string driver) => $"sys/bus/pci/drivers/{driver}/bind";
    public const string DriversProbe = "sys/bus/pci/drivers_probe";

    public override string Describe() =>
        $"bind {Address} to {Target} (from {OldDriver ?? "no driver"})";

    public override IReadOnlyList<string> Reads => [DriverLink(Address), OverridePath(Address)];

    public override IReadOnlyList<HostWrite> Apply()
    {
        var writes = new List<HostWrite> { new(OverridePath(Address), Target) };
        if (OldDriver is not null && OldDriver != Target) writes.Add(new(Unbind(OldDriver), Address));
        if (OldDriver != Target) writes.Add(new(DriversProbe, Address));
        return writes;
    }

    public override string? Verify(IHostFiles files) =>
        files.LinkName(DriverLink(Address)) is var now && now == Target ? null : $"{Address} is bound to {now ?? "no driver"}, not {Target}";

    public override IReadOnlyList<HostWrite> Undo(IHostFiles files) => UndoFrom(files.LinkName(DriverLink(Address)), Override(files));

    public override IReadOnlyList<HostWrite> UndoAfterApply() => UndoFrom(Target, Target);

    /// <summary>The way back from a given state (the dry run uses the state a full apply leaves).</summary>
    public IReadOnlyList<HostWrite> UndoFrom(string? driverNow, string? overrideNow)
    {
        var writes = new List<HostWrite>();
        // The override first: with it still naming vfio-pci, binding the old driver would be refused.
        // A lone newline clears it (`echo > driver_override`; the kernel then shows "(null)").
        if (overrideNow != OldOverride) writes.Add(new(OverridePath(Address), OldOverride ?? "\n"));
        if (driverNow != OldDriver)
        {
            if (driverNow is not null) writes.Add(new(Unbind(driverNow), Address));
            if (OldDriver is not null) writes.Add(new(Bind(OldDriver), Address));
        }
        return writes;
    }

    public override string? VerifyUndone(IHostFiles files)
    {
        var driver = files.LinkName(DriverLink(Address));
        if (driver != OldDriver) return $"{Address} is bound to {driver ?? "no driver"}, not {OldDriver ?? "no driver"}";
        var over = Override(files);
        return over == OldOverride ? null : $"{Address} driver_override is {over ?? "(null)"}, not {OldOverride ?? "(null)"}";
    }

    private string? Override(IHostFiles files) => files.ReadText(OverridePath(Address)) is var o && o is null or "(null)" or "" ? null : o;
}
