namespace VfioKit.Generation;

/// <summary>The boot disk: an existing path (--disk) or a qcow2 image to create (--disk-size); null size = exists.</summary>
public sealed record VmDisk(string Path, long? CreateBytes, string PortId)
{
    public bool IsBlockDevice => Path.StartsWith("/dev/", StringComparison.Ordinal);
    public string Format => Path.EndsWith(".qcow2", StringComparison.OrdinalIgnoreCase) ? "qcow2" : "raw";
}
