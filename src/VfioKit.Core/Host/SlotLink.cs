using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// The link of the slot a card sits in, when the function is behind the card's own PCI Express switch (AMD
/// Vega and RDNA cards: upstream port 1002:1470/1478, downstream port 1002:1471/1479 on the board, the GPU and
/// its HDMI audio behind them). The GPU function's own link is internal to the card (often 2.5GT/s or 16GT/s
/// whatever the slot); the link that counts is the one the card's upstream port trained with the host's port.
/// </summary>
/// <param name="UpstreamPort">The card's upstream port, whose link is the slot's.</param>
/// <param name="Capability">LnkCap at the upstream port: what the card can train in any slot.</param>
/// <param name="Status">LnkSta at the upstream port: what it trained in this slot.</param>
public sealed record SlotLink(PciAddress UpstreamPort, PciLink? Capability, PciLink? Status);
