using System.Text.Json.Serialization;

namespace VfioKit.Cli.Lint;

// SARIF 2.1.0 (OASIS), the subset editors and CI code-scanning read: one run, the rule catalog as
// tool.driver.rules, one result per finding with a physical location and, when fixable, the fix's title.

internal sealed record SarifLog(
    [property: JsonPropertyName("$schema")] string Schema,
    string Version,
    IReadOnlyList<SarifRun> Runs);

internal sealed record SarifRun(SarifTool Tool, IReadOnlyList<SarifResult> Results,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifInvocation>? Invocations = null);

/// <summary>How the run went: fleet lint reports a host it could not reach as a tool execution notification.</summary>
internal sealed record SarifInvocation(bool ExecutionSuccessful, IReadOnlyList<SarifNotification> ToolExecutionNotifications);

internal sealed record SarifNotification(string Level, SarifText Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifLocation>? Locations = null);

internal sealed record SarifTool(SarifDriver Driver);

internal sealed record SarifDriver(string Name, string Version, IReadOnlyList<SarifRule> Rules);

internal sealed record SarifRule(string Id, string Name, SarifText ShortDescription, SarifText FullDescription, SarifText Help, SarifConfiguration DefaultConfiguration);

internal sealed record SarifConfiguration(string Level);

internal sealed record SarifText(string Text);

internal sealed record SarifResult(string RuleId, int RuleIndex, string Level, SarifText Message, IReadOnlyList<SarifLocation> Locations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SarifFix>? Fixes);

internal sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);

internal sealed record SarifPhysicalLocation(SarifArtifactLocation ArtifactLocation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SarifRegion? Region);

internal sealed record SarifArtifactLocation(string Uri);

internal sealed record SarifRegion(int StartLine);

/// <summary>A fix described in words; its edits are what `vfiokit fix` applies.</summary>
internal sealed record SarifFix(SarifText Description);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJsonContext : JsonSerializerContext;
