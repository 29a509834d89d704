using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>A PCI Express link: speed and width (lanes), as capable (LnkCap) or as trained (LnkSta).</summary>
public readonly record struct LinkState(LinkSpeed Speed, int Width)
{
    /// <summary>"8GT/s x16", lspci's way of writing it.</summary>
    public override string ToString() => $"{Speed} x{Width}";
}
