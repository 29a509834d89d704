namespace VfioKit.Cli.Json;

/// <summary>`vfiokit lg-size --json` (docs/json/new.md).</summary>
internal sealed record LgSizeJson(int Width, int Height, bool Hdr, long SizeMiB, long SizeBytes);
