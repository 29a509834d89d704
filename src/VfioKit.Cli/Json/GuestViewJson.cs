using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit guest-view --json` (schema: docs/json/guest-view.md). Stable: add fields, never rename.</summary>
public sealed record GuestViewJson(
    string File,
    MachineJson Machine,
    string QemuVersion,
    IReadOnlyList<GuestDeviceJson> Devices,
    IReadOnlyList<ProblemJson> Problems,
    IReadOnlyList<string> Unsupported);

public sealed record MachineJson(string Type, string Family, string? Version, string EffectiveVersion);

public sealed record GuestDeviceJson(
    string? Id,
    string Name,
    string Driver,
    string? Host,
    string? GuestAddress,
    IReadOnlyList<string> Path,
    string GuestSees,
    LinkJson? Link,
    LinkJson? PortLink,
    LinkJson? PortLinkStatus,
    bool ExtendedConfigSpace,
    QemuPlaceJson? QemuAddress,
    string Placement,
    SourceJson? Source,
    string? Note);

public sealed record LinkJson(double SpeedGTs, int Width);

public sealed record QemuPlaceJson(string Bus, string Addr);

public sealed record SourceJson(string File, int Line);

public sealed record ProblemJson(string Severity, string Message, string? Device, string? File, int? Line);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(GuestViewJson))]
internal sealed partial class GuestViewJsonContext : JsonSerializerContext;
