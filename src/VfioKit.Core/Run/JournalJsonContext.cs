using System.Text.Json.Serialization;

namespace VfioKit.Run;

/// <summary>Source-generated (AOT-safe) JSON of the journal; enums by name so a journal reads well.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Journal))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
