namespace VfioKit.Vm;

/// <summary>What a vfio-pci device adds to a device: the host function, its option ROM and VGA routing.</summary>
/// <param name="RomFile">romfile= as written (a path), or null.</param>
/// <param name="RomBar">rombar= (false hides the ROM BAR), or null when not given.</param>
/// <param name="XVga">x-vga=on: legacy VGA ranges routed to this device.</param>
public sealed record PassthroughSettings(HostSource Host, string? RomFile = null, bool? RomBar = null, bool XVga = false);
