using System.Text.Json.Serialization;
using VfioKit.Cli.Lint;

namespace VfioKit.Cli.Fleet;

/// <summary>`vfiokit fleet --format json` (schema: docs/fleet.md).</summary>
internal sealed record FleetJson(IReadOnlyList<FleetHostJson> Hosts, IReadOnlyList<FleetCountJson> Summary, FleetTotalsJson Totals);

internal sealed record FleetHostJson(string Uri, bool Reached, string? Error, IReadOnlyList<FleetDomainJson> Domains);

internal sealed record FleetDomainJson(string Name, string Uuid, bool Active, string? Error, IReadOnlyList<FindingJson> Findings);

/// <summary>One row of the summary: how many findings of one rule at one severity on one host.</summary>
internal sealed record FleetCountJson(string Host, string Severity, string Rule, int Count);

internal sealed record FleetTotalsJson(int Hosts, int Unreachable, int Domains, int Errors, int Warnings, int Infos, int Fixable);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FleetJson))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
