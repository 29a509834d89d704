using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit probe --json` (schema: docs/json/probe.md). Stable: add fields, never rename.</summary>
public sealed record ProbeJson(
    string File,
    string Machine,
    string QemuVersion,
    ProbeKernelJson Kernel,
    string Outcome,
    bool Agrees,
    double ElapsedSeconds,
    IReadOnlyList<ProbeDeviceJson> Devices,
    IReadOnlyList<ProbeUnexpectedJson> Unexpected,
    IReadOnlyList<string> Findings,
    IReadOnlyList<string> Dropped,
    ProbeQemuJson? Qemu,
    string? Console,
    ProbeAcceleratorJson Accelerator);

/// <summary>The accelerator the reported run used: "kvm" or "tcg", and why (e.g. "no /dev/kvm").</summary>
public sealed record ProbeAcceleratorJson(string Name, string Reason);

public sealed record ProbeKernelJson(string Path, string Booted, bool Pvh, string? Note);

public sealed record ProbeDeviceJson(
    string? Id,
    string Name,
    string Driver,
    string? GuestAddress,
    ProbeStandInJson? StandIn,
    IReadOnlyList<ProbeCheckJson> Checks);

public sealed record ProbeStandInJson(string Driver, string? HostClass, bool ClassMatches, IReadOnlyList<string> Limits);

public sealed record ProbeCheckJson(string Property, string Predicted, string Seen, bool Faithful, bool Agrees, string? Why);

public sealed record ProbeUnexpectedJson(string Address, string VendorId, string DeviceId, string ClassCode);

public sealed record ProbeQemuJson(int? ExitCode, string Errors, string? OffendingOption, IReadOnlyList<string> CommandLine);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ProbeJson))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
