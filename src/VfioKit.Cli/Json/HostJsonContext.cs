using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>Source-generated (AOT-safe) serialization of `vfiokit host --json`; nulls are written so the schema is stable.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HostJson))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
