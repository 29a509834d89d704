namespace VfioKit.Vm;

/// <summary>The x86 machine families QEMU offers: q35 has a PCI Express root complex, i440fx a plain PCI bus.</summary>
public enum MachineFamily
{
    Q35,
    I440fx,
}
