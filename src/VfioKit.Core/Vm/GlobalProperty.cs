namespace VfioKit.Vm;

/// <summary>A `-global DRIVER.PROPERTY=VALUE`: a default for every device of that driver (e.g. pcie-root-port.x-speed=8).</summary>
public readonly record struct GlobalProperty(string Driver, string Property, string Value)
{
    public override string ToString() => $"{Driver}.{Property}={Value}";
}
