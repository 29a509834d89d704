using System.Text.Json.Serialization;

namespace VfioKit.Cli.Json;

/// <summary>`vfiokit verify --json` (schema: docs/json/verify.md). Stable: add fields, never rename.</summary>
/// <param name="Source">The guest report's kind: "lspci -vv", "lspci -x", "sysfs" or "windows".</param>
/// <param name="AllLinked">True when every passed function has its link (exit 0).</param>
public sealed record VerifyJson(string Source, string? Config, bool AllLinked, IReadOnlyList<FunctionVerdictJson> Functions);

/// <param name="Verdict">full-link, recheck-under-load, host-link-downgraded, port-below-card, no-link, unreadable, missing.</param>
/// <param name="HasLink">True for full-link, recheck-under-load and host-link-downgraded.</param>
public sealed record FunctionVerdictJson(
    string Name,
    string? Host,
    string? ExpectedGuestAddress,
    string? GuestAddress,
    string Verdict,
    bool HasLink,
    string Message,
    string? Type,
    LinkJson? LinkCapability,
    LinkJson? LinkStatus,
    PortJson? Port,
    LinkJson? Card,
    LinkJson? HostLinkStatus,
    IReadOnlyList<string> Notes);

/// <param name="Type">The port's PCI Express type as lspci names it ("Root Port"), or null for a conventional bridge.</param>
public sealed record PortJson(string Address, string? Type, LinkJson? LinkCapability, LinkJson? LinkStatus);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(VerifyJson))]
internal sealed partial class VerifyJsonContext : JsonSerializerContext;
