namespace VfioKit.Vm;

/// <summary>Who chose a device's bus and address.</summary>
public enum AddressOrigin
{
    /// <summary>Written in the configuration (bus= and addr=, or a libvirt &lt;address&gt;).</summary>
    Explicit,
    /// <summary>Filled in the way QEMU (or libvirt) would: the configuration did not say.</summary>
    Assumed,
    /// <summary>A device the machine creates by itself (q35's host bridge, ICH9 LPC, default VGA, ...).</summary>
    Implicit,
}
