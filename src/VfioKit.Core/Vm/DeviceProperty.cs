namespace VfioKit.Vm;

/// <summary>A device property vfiokit does not model (x-pci-sub-vendor-id=..., drive=...), kept as written for writers.</summary>
public readonly record struct DeviceProperty(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}
