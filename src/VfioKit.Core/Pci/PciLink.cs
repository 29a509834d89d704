using System.Globalization;

namespace VfioKit.Pci;

/// <summary>A PCI Express link: speed and width (lanes). A width of 0 means unknown or not reported.</summary>
public readonly record struct PciLink(LinkSpeed Speed, int Width)
{
    public static readonly PciLink Unknown = new(LinkSpeed.Unknown, 0);

    public bool IsKnown => Speed.IsKnown && Width > 0;

    /// <summary>Decodes the speed (bits 3:0) and width (bits 9:4) fields that Link Capabilities and
    /// Link Status share.</summary>
    public static PciLink FromRegister(uint register) => new(new LinkSpeed((int)(register & 0xf)), (int)((register >> 4) & 0x3f));

    /// <summary>"8GT/s x16", the way lspci writes speed and width.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Speed} x{Width}");
}
