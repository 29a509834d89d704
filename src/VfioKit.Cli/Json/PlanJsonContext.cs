using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>Source-generated (AOT-safe) JSON for `plan` and `pin`.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PlanJson))]
[JsonSerializable(typeof(PinJson))]
internal sealed partial class PlanJsonContext : JsonSerializerContext;
