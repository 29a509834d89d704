using VfioKit.Formats.Qemu;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>One use of a removed option in a configuration.</summary>
public sealed record RemovedOptionUse(RemovedQemuOption Removed, string Written, int Line);
