using System.Globalization;
using VfioKit.Probe;

namespace VfioKit.Cli.Json;

/// <summary>Turns a probe result into its JSON contract.</summary>
internal static class ProbeJsonMapping
{
    public static ProbeJson From(string file, ProbeResult r, KernelImage booted)
    {
        var devices = r.Findings?.Devices.Select(d => new ProbeDeviceJson(
            d.Predicted.Device.Id,
            d.Name,
            d.Predicted.Device.Driver,
            d.Predicted.GuestAddress?.ToString(),
            d.StandIn is { } s ? new ProbeStandInJson(s.Replacement.Driver, s.HostClass?.ToString(), s.ClassMatches, [.. s.Limits]) : null,
            [.. d.Checks.Select(c => new ProbeCheckJson(c.Property, c.Predicted, c.Seen, c.Faithful, c.Agrees, c.Why))])).ToList() ?? [];
        var unexpected = r.Findings?.Unexpected.Select(f => new ProbeUnexpectedJson(f.Address.ToString(),
            f.VendorId.ToString("x4", CultureInfo.InvariantCulture), f.DeviceId.ToString("x4", CultureInfo.InvariantCulture),
            f.ClassCode.ToString("x6", CultureInfo.InvariantCulture))).ToList() ?? [];
        var failed = !r.Run.Completed;
        return new ProbeJson(
            file,
            r.Prediction.Topology.Machine.Type,
            r.Prediction.QemuVersion.ToString(),
            new ProbeKernelJson(booted.Source, booted.Path, booted.IsPvh, booted.Note),
            OutcomeName(r.Run.Outcome),
            r.Agrees,
            Math.Round(r.Run.Elapsed.TotalSeconds, 2),
            devices,
            unexpected,
            [.. r.Findings?.Describe() ?? []],
            [.. r.Machine.Dropped],
            failed || r.Run.QemuErrors.Length > 0
                ? new ProbeQemuJson(r.Run.ExitCode, r.Run.QemuErrors, r.Run.OffendingOption, r.Run.CommandLine)
                : null,
            failed ? r.Run.Console : null,
            new ProbeAcceleratorJson(r.Accelerator.Name, r.Accelerator.Reason));
    }

    public static string OutcomeName(GuestRunOutcome outcome) => outcome switch
    {
        GuestRunOutcome.Completed => "completed",
        GuestRunOutcome.Refused => "refused",
        GuestRunOutcome.Ended => "ended",
        GuestRunOutcome.TimedOut => "timedOut",
        _ => outcome.ToString(),
    };
}
