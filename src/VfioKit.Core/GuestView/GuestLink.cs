using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.GuestView;

/// <summary>A PCI Express link as the guest reads it: speed and width (Speed unknown and width 0 when the register holds 0).</summary>
public sealed record GuestLink(LinkSpeed Speed, int Width)
{
    public static GuestLink Gen1X1 { get; } = new(LinkSpeed.Gen1, 1);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Speed.IsKnown ? Speed.ToString() : "unknown speed")} x{Width}");
}
