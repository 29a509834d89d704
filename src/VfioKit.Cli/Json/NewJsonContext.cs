using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>Source-generated (AOT-safe) JSON for `new` and `lg-size`.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LgSizeJson))]
internal sealed partial class NewJsonContext : JsonSerializerContext;
