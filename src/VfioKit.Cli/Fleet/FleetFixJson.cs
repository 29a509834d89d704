using System.Text.Json.Serialization;

namespace VfioKit.Cli.Fleet;

/// <summary>`vfiokit fleet fix --format json` (schema: docs/fleet.md).</summary>
internal sealed record FleetFixJson(bool Define, IReadOnlyList<FleetFixHostJson> Hosts, FleetFixTotalsJson Totals);

internal sealed record FleetFixHostJson(string Uri, bool Reached, string? Error, IReadOnlyList<FleetFixDomainJson> Domains);

/// <summary>One domain: outcome is unchanged, would-change (dry run), defined, rolled-back or failed.</summary>
internal sealed record FleetFixDomainJson(string Name, string Uuid, bool Active, string Outcome, IReadOnlyList<FleetFixAppliedJson> Fixed,
    int Remaining, string? Kept, string? Problem);

internal sealed record FleetFixAppliedJson(string Rule, int Line, string Fix);

internal sealed record FleetFixTotalsJson(int Hosts, int Unreachable, int Domains, int Unchanged, int WouldChange, int Defined, int RolledBack, int Failed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FleetFixJson))]
internal sealed partial class FleetFixJsonContext : JsonSerializerContext;
