using VfioKit.Formats.Qemu;

namespace VfioKit.Rules;

/// <summary>One use of a removed option in a configuration.</summary>
public sealed record RemovedOptionUse(RemovedQemuOption Removed, string Written, int Line);
