using System.Text.Json.Serialization;

namespace VfioKit.Cli.Lint;

/// <summary>`vfiokit lint --format json` (schema: docs/json/lint.md).</summary>
internal sealed record LintJson(IReadOnlyList<FindingJson> Findings, LintSummaryJson Summary);

internal sealed record FindingJson(string Rule, string Severity, string Message, string File, int Line, bool Fixable, string? Fix, string Help);

internal sealed record LintSummaryJson(int Files, int Errors, int Warnings, int Infos, int Fixable);

/// <summary>`vfiokit rules --json`.</summary>
internal sealed record RulesJson(IReadOnlyList<RuleJson> Rules);

/// <param name="FixableIn">The formats whose repairer carries the rule's repair (added after "help"; the schema only grows).</param>
internal sealed record RuleJson(string Id, string Severity, string Title, string Why, IReadOnlyList<string> Formats, bool NeedsHost, bool Fixable, string Help,
    IReadOnlyList<string> FixableIn);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LintJson))]
[JsonSerializable(typeof(RulesJson))]
internal sealed partial class LintJsonContext : JsonSerializerContext;
