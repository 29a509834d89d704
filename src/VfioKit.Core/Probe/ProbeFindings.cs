using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>Every device compared, and the functions the guest showed that no prediction placed there.</summary>
public sealed record ProbeFindings(ValueList<DeviceComparison> Devices, ValueList<GuestFunction> Unexpected)
{
    /// <summary>True when the guest agrees with the prediction wherever the stand-ins are faithful.</summary>
    public bool Agrees => !Devices.Any(d => d.HasFindings) && Unexpected.Count == 0;

    /// <summary>Every difference that counts, one line each: "gpu: type: predicted Endpoint, seen ...".</summary>
    public IEnumerable<string> Describe() =>
        Devices.SelectMany(d => d.Checks.Where(c => c.IsFinding).Select(c => $"{d.Name}: {c}"))
            .Concat(Unexpected.Select(f => $"unexpected function {f}: the prediction has nothing at this address"));
}
