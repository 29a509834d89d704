namespace VfioKit.Run;

/// <summary>One write to a sysfs or cgroup file, relative to the root ("sys/bus/pci/drivers_probe"). What a dry run
/// prints, what the engine performs, and what a test compares: the same value in all three.</summary>
public sealed record HostWrite(string Path, string Value)
{
    /// <summary>`write /sys/... "value"`: the absolute path on the real host, the value quoted so an empty one shows.</summary>
    public override string ToString() => $"write /{Path} \"{Value.Replace("\n", "\\n", StringComparison.Ordinal)}\"";
}
